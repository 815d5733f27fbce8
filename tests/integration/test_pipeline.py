"""The whole flow over real HTTP: crawl the fixture site, extract, dedupe, load, and check the database."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import FAST_CRAWL, harbor_sources, run_cli, write_sources
from tests.fixtures import site_facts as facts


def snapshot(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def first_run(tmp_path_factory, site, prefect_harness):
    """One run over the fixture site plus a source that cannot be reached."""
    data_dir = tmp_path_factory.mktemp("data")
    port = site.base.rsplit(":", 1)[1]
    # A redirect off the source's host: it must never be followed.
    site.extra["/moved/"] = (302, {"Location": f"http://localhost:{port}/blog/ketamine-clinic-access/"}, b"")
    sources = write_sources(
        data_dir.parent / "sources.toml",
        harbor_sources(site).replace('start_urls = ["', f'start_urls = ["{site.base}/moved/", "')
        + '\n[[sources]]\nname = "unreachable"\nstart_urls = ["http://127.0.0.1:9/news/"]\n',
    )
    site.hits.clear()
    result = run_cli("run", "--sources", str(sources), "--data-dir", str(data_dir), *FAST_CRAWL)
    return {"data_dir": data_dir, "db": data_dir / "psynews.duckdb", "sources": sources, "result": result,
            "paths": site.paths(), "hits": list(site.hits)}  # fmt: skip


def article_texts(db: Path) -> str:
    return "\n".join(row[0] for row in snapshot(db, "select text from articles"))


def test_run_completes_and_reports_each_source(first_run):
    result = first_run["result"]
    assert result.exit_code == 0, result.output
    assert "harbor" in result.output
    assert "unreachable" in result.output
    assert "unreachable failed" in result.output
    assert "Connection" in result.output  # the reason, not just the fact


def test_body_sentences_are_in_articles(first_run):
    text = article_texts(first_run["db"])
    for slug, article in facts.ARTICLES.items():
        for sentence in article["sentences"]:
            assert sentence in text, f"{slug}: missing {sentence[:60]!r}"


@pytest.mark.parametrize("boilerplate", [*facts.BOILERPLATE, facts.CTA_TEXT, facts.COMMENT_TEXT])
def test_boilerplate_is_not_in_articles(first_run, boilerplate):
    assert boilerplate.lower() not in article_texts(first_run["db"]).lower()


def test_one_article_per_story_with_metadata(first_run):
    rows = snapshot(first_run["db"], "select url, title, author, published_date::varchar, language from articles")
    by_path = {url.split("/", 3)[3]: row for url, *row in rows}
    assert len(rows) == len(facts.ARTICLES) == 5
    for article in facts.ARTICLES.values():
        title, author, published, language = by_path[article["url"].lstrip("/")]
        assert (title, author, published, language) == (article["title"], article["author"], article["date"], "en")


def test_url_variants_and_copies_collapse_into_one_article(first_run):
    copies = snapshot(
        first_run["db"],
        "select c.url, c.match from article_copies c join articles a using (article_id)"
        " where a.url like '%/blog/mdma-ptsd-phase-3-results/' order by c.url",
    )
    paths = [(url.split("/", 3)[3], match) for url, match in copies]
    assert paths == [
        (facts.AMP_COPY_URL.lstrip("/"), "url variant"),
        (facts.REPOST_URL.lstrip("/"), "same text"),
    ]
    [(count,)] = snapshot(first_run["db"], "select copies from articles where url like '%/mdma-ptsd-phase-3-results/'")
    assert count == 2
    # The tracking-parameter and case variants were recognised before fetching: one request each.
    requested = [p.lower().split("?")[0].rstrip("/") for p in first_run["paths"]]
    assert requested.count("/blog/mdma-ptsd-phase-3-results") == 1


def test_non_article_pages_are_kept_as_pages_not_articles(first_run):
    rows = snapshot(first_run["db"], "select url, is_article, skip_reason from internal.pages")
    pages = {url.split("/", 3)[3]: (is_article, reason) for url, is_article, reason in rows}
    for path in facts.NON_ARTICLE_PATHS:
        is_article, reason = pages[path.lstrip("/")]
        assert not is_article, path
        assert reason, path
    assert not snapshot(first_run["db"], "select * from articles where url like '%/tag/%' or url like '%/contact/%'")


def test_robots_disallowed_path_never_requested(first_run):
    assert not [p for p in first_run["paths"] if p.startswith(facts.DISALLOWED_PATH)]
    assert "/robots.txt" in first_run["paths"]


def test_no_request_leaves_the_source_hosts(first_run):
    assert "/moved/" in first_run["paths"]  # the redirect was met...
    assert {hit.host.split(":")[0] for hit in first_run["hits"]} == {"127.0.0.1"}  # ...and not followed


def test_unreachable_source_is_recorded_in_run_tables(first_run):
    rows = snapshot(
        first_run["db"],
        "select source, failed, pages_fetched, new_articles, error_detail from run_sources order by source",
    )
    assert rows[0][:4] == ("harbor", False, rows[0][2], 5)
    assert rows[0][2] >= 10
    assert rows[1][:4] == ("unreachable", True, 0, 0)
    assert "refused" in rows[1][4].lower()
    [(command, sources, failed, new)] = snapshot(
        first_run["db"], "select command, sources, sources_failed, new_articles from runs"
    )
    assert (command, sources, failed, new) == ("run", 2, 1, 5)


def test_raw_store_keeps_every_response(first_run):
    raw = first_run["data_dir"] / "raw" / "*" / "*.parquet"
    kinds = dict(snapshot(first_run["db"], f"select kind, count(*) from read_parquet('{raw}') group by kind"))
    assert kinds["feed"] == 1
    assert kinds["sitemap"] == 2
    assert kinds["page"] >= 12
    assert kinds["error"] == 1
    assert kinds["skipped"] >= 1  # the robots.txt-disallowed link, with its reason


def test_second_run_changes_no_row(first_run, site):
    db = first_run["db"]
    before = snapshot(db, "select * from articles order by article_id")
    pages_before = snapshot(db, "select count(*) from internal.pages where is_article")
    site.hits.clear()
    result = run_cli("run", "--sources", str(first_run["sources"]), "--data-dir", str(first_run["data_dir"]),
                     *FAST_CRAWL)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert snapshot(db, "select * from articles order by article_id") == before
    assert snapshot(db, "select count(*) from internal.pages where is_article") == pages_before
    [(new, updated)] = snapshot(db, "select new_articles, updated_articles from runs order by started_at desc limit 1")
    assert (new, updated) == (0, 0)
    # Articles fetched a moment ago are not fetched again; feeds and start pages are.
    assert "/feed.xml" in site.paths()
    assert not [p for p in site.paths() if p.startswith("/blog/") and p.count("/") > 2]


def test_reprocess_rebuilds_the_same_articles_offline(first_run):
    db = first_run["db"]
    before = snapshot(db, "select * from articles order by article_id")
    result = run_cli("reprocess", "--data-dir", str(first_run["data_dir"]))
    assert result.exit_code == 0, result.output
    assert snapshot(db, "select * from articles order by article_id") == before
    [(command, new)] = snapshot(db, "select command, new_articles from runs order by started_at desc limit 1")
    assert (command, new) == ("reprocess", 0)


def test_query_command_prints_rows(first_run):
    result = run_cli("query", "select count(*) as n from articles", "--data-dir", str(first_run["data_dir"]))
    assert result.exit_code == 0
    assert "5" in result.output


def test_page_cap_and_depth_are_honoured(tmp_path, site, prefect_harness):
    sources = write_sources(
        tmp_path / "sources.toml",
        f'[[sources]]\nname = "capped"\nstart_urls = ["{site.base}/blog/"]\nmax_pages = 3\n'
        f'[[sources]]\nname = "shallow"\nstart_urls = ["{site.base}/tag/ptsd/"]\nmax_depth = 0\n',
    )
    result = run_cli("run", "--sources", str(sources), "--data-dir", str(tmp_path / "data"), *FAST_CRAWL)
    assert result.exit_code == 0, result.output
    rows = dict(snapshot(tmp_path / "data" / "psynews.duckdb", "select source, pages_fetched from run_sources"))
    assert rows == {"capped": 3, "shallow": 1}


def test_recurring_call_to_action_is_listed_as_removed_boilerplate(first_run):
    rows = snapshot(first_run["db"], "select source, paragraph, pages, reason from boilerplate_paragraphs")
    assert ("harbor", facts.CTA_TEXT, len(facts.CTA_SLUGS), "call_to_action") in rows
    # Body paragraphs are never listed: the clinic's advice to readers ("ask the treatment center") stays.
    assert [row[1] for row in rows] == [facts.CTA_TEXT]


def test_keyword_stuffed_page_gets_a_spam_score(first_run):
    scores = dict(snapshot(first_run["db"], "select url, spam_score from articles"))
    stuffed = [score for url, score in scores.items() if url.endswith("/mdma-ptsd-phase-3-results/")]
    assert stuffed[0] > 0.05
    assert all(score == 0 for url, score in scores.items() if not url.endswith("/mdma-ptsd-phase-3-results/"))
