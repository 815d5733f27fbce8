"""The sources file: good files load, and every mistake names the file, the source and the field."""

from __future__ import annotations

import pytest

from crawler.config import DEFAULT_SOURCES, SourcesError, load_sources
from tests.conftest import run_cli


def check(tmp_path, text: str) -> str:
    path = tmp_path / "sources.toml"
    path.write_text(text)
    with pytest.raises(SourcesError) as info:
        load_sources(path)
    return str(info.value)


def test_shipped_sources_are_valid_and_many():
    sources = load_sources(DEFAULT_SOURCES)
    assert len(sources) >= 15
    assert all(s.feeds or s.sitemaps or s.start_urls for s in sources)
    assert len({s.name for s in sources}) == len(sources)


def test_defaults_and_hosts(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(
        '[[sources]]\nname = "a"\nfeeds = ["https://a.example/feed/"]\nstart_urls = ["https://www.a.example/"]\n'
    )
    [source] = load_sources(path)
    assert (source.max_depth, source.max_pages) == (2, 200)
    assert source.hosts == ["a.example", "www.a.example"]


def test_bad_url_names_file_source_and_field(tmp_path):
    message = check(tmp_path, '[[sources]]\nname = "ok"\nfeeds = ["https://x/"]\n'
                              '[[sources]]\nname = "clinic"\nfeeds = ["ftp://clinic.example/feed"]\n')  # fmt: skip
    assert str(tmp_path / "sources.toml") in message
    assert "source 'clinic' (#2)" in message
    assert "field 'feeds'" in message
    assert "ftp://" in message


def test_unknown_field_and_bad_regex_and_missing_entry_point(tmp_path):
    message = check(
        tmp_path,
        '[[sources]]\nname = "a"\nfeeds = ["https://a/"]\nmax_page = 3\n'
        '[[sources]]\nname = "b"\nstart_urls = ["https://b/"]\nallow = ["(unclosed"]\n'
        '[[sources]]\nname = "c"\n',
    )
    lines = message.splitlines()
    assert any("source 'a' (#1)" in line and "'max_page'" in line and "unknown field" in line for line in lines)
    assert any("source 'b' (#2)" in line and "'allow'" in line and "regular expression" in line for line in lines)
    assert any("source 'c' (#3)" in line and "feeds, sitemaps, start_urls" in line for line in lines)


def test_missing_name_duplicate_names_and_broken_toml(tmp_path):
    assert "source #1, field 'name': Field required" in check(tmp_path, '[[sources]]\nfeeds = ["https://a/"]\n')
    assert "duplicate source name 'a'" in check(
        tmp_path, '[[sources]]\nname = "a"\nfeeds = ["https://a/"]\n[[sources]]\nname = "a"\nfeeds = ["https://b/"]\n'
    )
    assert "not valid TOML" in check(tmp_path, "[[sources]\nname=")
    with pytest.raises(SourcesError, match="no such file"):
        load_sources(tmp_path / "missing.toml")


def test_sources_check_command(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('[[sources]]\nname = "a"\nfeeds = ["https://a.example/feed/"]\n')
    result = run_cli("sources", "check", str(good))
    assert result.exit_code == 0
    assert "a.example" in result.output
    bad = tmp_path / "bad.toml"
    bad.write_text('[[sources]]\nname = "Bad Name"\nfeeds = ["https://a.example/feed/"]\n')
    result = run_cli("sources", "check", str(bad))
    assert result.exit_code == 2
    assert "bad.toml" in result.output
    assert "field 'name'" in result.output


def test_keep_promotional_is_off_unless_set_and_must_be_a_boolean(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(
        '[[sources]]\nname = "news"\nfeeds = ["https://a.example/feed/"]\n'
        '[[sources]]\nname = "clinic"\nfeeds = ["https://b.example/feed/"]\nkeep_promotional = true\n'
    )
    assert [s.keep_promotional for s in load_sources(path)] == [False, True]
    message = check(
        tmp_path, '[[sources]]\nname = "clinic"\nfeeds = ["https://b.example/"]\nkeep_promotional = "yes"\n'
    )
    assert "source 'clinic' (#1)" in message
    assert "field 'keep_promotional'" in message
