"""What the CLI prints: outside text exactly as it is (never read as rich markup), and a sandboxed query."""

from __future__ import annotations

import pytest

from flows.cli import app as cli
from flows.report import RunReport
from flows.store.db import connect
from tests.conftest import run_cli

LINK = "[link=http://evil.example/]click[/link]"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "psynews.duckdb"
    connect(path).close()
    return path


def sources_file(tmp_path, name: str, url: str = "https://clinic.example/feed/"):
    path = tmp_path / "sources.toml"
    path.write_text(f'[[sources]]\nname = "{name}"\nfeeds = ["{url}"]\n')
    return path


def test_sources_check_shows_the_real_pattern(tmp_path):
    result = run_cli("sources", "check", str(sources_file(tmp_path, "clinic_blog")))
    assert result.exit_code == 2
    assert (
        "source 'clinic_blog' (#1), field 'name': String should match pattern '^[a-z0-9][a-z0-9-]*$'" in result.output
    )


def test_markup_in_a_source_name_is_printed_verbatim(tmp_path):
    result = run_cli("sources", "check", str(sources_file(tmp_path, "oops[/red]")))
    assert result.exit_code == 2
    assert "source 'oops[/red]' (#1), field 'name'" in result.output


def test_markup_in_a_url_is_printed_verbatim(tmp_path):
    url = f"ftp://clinic.example/{LINK}"
    result = run_cli("sources", "check", str(sources_file(tmp_path, "clinic", url)))
    assert result.exit_code == 2
    assert f"not an http(s) URL: '{url}'" in result.output


def test_markup_in_query_cells_and_columns_is_printed_verbatim(db):
    result = run_cli("query", f"select '[/x] closes nothing' as \"[b]column[/b]\", '{LINK}' as link", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "[/x] closes nothing" in result.output
    assert "[b]column[/b]" in result.output
    assert LINK in result.output
    assert "\x1b]8;" not in result.output  # no terminal hyperlink


def test_crawled_urls_in_the_run_summary_are_printed_verbatim():
    url = "https://clinic.example/[/red]/[bold]post"
    report = RunReport("clinic", failed=True, error_detail=[f"{url}: ConnectionRefusedError"],
                          quarantined=["raw/clinic/[x].parquet: unreadable"])  # fmt: skip
    saved, cli.console = cli.console, cli.make_console(record=True, width=200)
    try:
        cli._summary({"clinic": report}, "psynews run")
        output = cli.console.export_text()
    finally:
        cli.console = saved
    assert f"clinic failed: {url}: ConnectionRefusedError" in output
    assert "quarantined: raw/clinic/[x].parquet: unreadable" in output


def test_query_cannot_write_files(db, tmp_path):
    target = tmp_path / "x.csv"
    result = run_cli("query", f"copy (select 1) to '{target}'", "--db", str(db))
    assert result.exit_code == 1
    assert "Refused: psynews query is sandboxed to the database (no files, no extensions); --unsafe lifts that." in (
        result.output
    )
    assert not target.exists()


@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('/etc/hostname')",
        "attach '/tmp/psynews-other.duckdb' as other",
        "install fts",
        "set enable_external_access = true",
        "create table main.scratch (a integer)",
    ],
)
def test_query_is_read_only_and_sandboxed(db, sql):
    result = run_cli("query", sql, "--db", str(db))
    assert result.exit_code == 1
    assert result.output.strip()


def test_unsafe_query_may_write_files_but_not_the_database(db, tmp_path):
    target = tmp_path / "x.csv"
    result = run_cli("query", f"copy (select 42 as answer) to '{target}'", "--db", str(db), "--unsafe")
    assert result.exit_code == 0, result.output
    assert target.read_text().split() == ["answer", "42"]
    assert run_cli("query", "create table main.scratch (a integer)", "--db", str(db), "--unsafe").exit_code == 1


def test_query_help_says_it_is_sandboxed(capsys):
    run_cli("query", "--help")  # typer prints help to stdout, not through the CLI's console
    help_text = " ".join(capsys.readouterr().out.split())
    assert "Read-only and sandboxed: the SQL sees the database only." in help_text
    assert "--unsafe lifts the sandbox" in help_text
