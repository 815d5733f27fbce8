"""Three news sites on three loopback hosts: a syndicated story with edits, dates, another language."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FAST_CRAWL, run_cli, write_sources
from tests.fixtures import syndication_facts as facts
from tests.site_server import SiteServer

FIXTURES = Path(__file__).parent.parent / "fixtures" / "syndication"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, prefect_harness):
    data_dir = tmp_path_factory.mktemp("syndication")
    with ExitStack() as stack:
        servers = {
            site: stack.enter_context(SiteServer(FIXTURES / site, host=f"127.0.0.{n}"))
            for n, site in enumerate(facts.SITES, start=2)
        }
        sources = "".join(
            f'[[sources]]\nname = "{site}"\nstart_urls = ["{server.base}/"]\n' for site, server in servers.items()
        )
        result = run_cli("run", "--sources", str(write_sources(data_dir / "sources.toml", sources)),
                         "--data-dir", str(data_dir), *FAST_CRAWL)  # fmt: skip
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(data_dir / "psynews.duckdb"), read_only=True)
    yield con, {site: server.base for site, server in servers.items()}
    con.close()


def test_syndicated_story_counts_once_with_the_original_as_home(loaded):
    con, bases = loaded
    original = bases["newswire"] + facts.SYNDICATED["newswire"]
    rows = con.execute(
        "select article_id, url, title, copies from articles where text like ?", [f"%{facts.SYNDICATED_SENTENCES[1]}%"]
    ).fetchall()
    assert len(rows) == 1
    article_id, url, title, copies = rows[0]
    assert (url, title, copies) == (original, facts.ORIGINAL_TITLE, 2)
    copies = con.execute(
        "select url, match, similarity from article_copies where article_id = ? order by url", [article_id]
    ).fetchall()
    expected = sorted([bases["clinicnews"] + facts.SYNDICATED["clinicnews"],
                       bases["healthdaily"] + facts.SYNDICATED["healthdaily"]])  # fmt: skip
    assert [url for url, _, _ in copies] == expected
    for _, match, similarity in copies:
        assert match == "near duplicate"
        assert 0.6 <= similarity < 1.0


def test_each_other_story_is_its_own_article(loaded):
    con, _ = loaded
    [(count,)] = con.execute("select count(*) from articles").fetchall()
    assert count == len(facts.ARTICLE_SENTENCES) - 2  # three copies of one story
    text = "\n".join(row[0] for row in con.execute("select text from articles").fetchall())
    for key, sentences in facts.ARTICLE_SENTENCES.items():
        if key.split(":")[1] in facts.SYNDICATED.values():
            continue
        for sentence in sentences:
            assert sentence in text, key


def test_dates_come_with_their_source_and_impossible_ones_are_rejected(loaded):
    con, bases = loaded
    for key, (published, source, updated) in facts.EXPECTED_DATES.items():
        site, path = key.split(":")
        rows = con.execute(
            "select published_date::varchar, date_source, updated_date::varchar, first_seen_at::date::varchar"
            " from articles where url = ?",
            [bases[site] + path],
        ).fetchall()
        if path in facts.SYNDICATED.values() and site != "newswire":
            continue  # a copy: its dates live on the original's row
        [(got_published, got_source, got_updated, first_seen)] = rows
        if published is None:  # the page's only date was in the future or before 1990
            assert (got_published, got_source) == (first_seen, "first_seen"), key
        else:
            assert (got_published, got_source, got_updated) == (published, source, updated), key


def test_non_english_article_is_kept_and_marked(loaded):
    con, bases = loaded
    [(language, text)] = con.execute(
        "select language, text from articles where url = ?", [bases["newswire"] + facts.GERMAN["path"]]
    ).fetchall()
    assert language == "de"
    assert facts.GERMAN["sentence"] in text
    assert {row[0] for row in con.execute("select language from articles where url not like '%/de/%'").fetchall()} == {
        "en"
    }
