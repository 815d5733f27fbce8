"""Incremental crawling over real HTTP: conditional rechecks, 304s, edited stories, sitemap lastmod.

The fixture site (its own server here, so edits don't leak into other tests) sends ETag and
Last-Modified and answers a matching conditional request with 304. Tests run in order on
one data directory: first run; recheck of everything (all 304); an edit; a sitemap lastmod.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from pydantic import ValidationError
from scrapy.http import Response

from crawler.config import Source
from crawler.history import MAX_BACKOFF, load_history
from crawler.items import FetchedPage
from crawler.raw_store import RawRecord, RawWriter
from crawler.spiders.generic import GenericSpider
from crawler.urls import url_key
from tests.conftest import FAST_CRAWL, harbor_sources, run_cli, write_sources
from tests.fixtures import site_facts as facts
from tests.site_server import SITE, SiteServer

ARTICLE_PATHS = [a["url"] for a in facts.ARTICLES.values()]
EDITED = facts.ARTICLES["psilocybin-depression-trial"]
EDIT = "An update added after publication: the trial team has since released twelve-month follow-up data."


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def site():
    with SiteServer() as server:
        yield server


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, site, prefect_harness):
    data_dir = tmp_path_factory.mktemp("incremental")
    sources = write_sources(data_dir.parent / "sources.toml", harbor_sources(site))

    def run(*extra: str):
        site.hits.clear()
        result = run_cli("run", "--sources", str(sources), "--data-dir", str(data_dir), *FAST_CRAWL, *extra)
        assert result.exit_code == 0, result.output
        return list(site.hits)

    first = run()
    return {"run": run, "first": first, "db": data_dir / "psynews.duckdb", "raw": f"{data_dir}/raw/*/*.parquet"}


def article_hits(hits) -> dict[str, list]:
    return {path: [h for h in hits if h.path == path] for path in ARTICLE_PATHS}


def test_first_run_fetches_everything_unconditionally(crawled):
    for path, hits in article_hits(crawled["first"]).items():
        assert [(h.status, h.conditional) for h in hits] == [(200, False)], path


def test_recheck_sends_conditional_requests_and_stores_304s(crawled):
    db = crawled["db"]
    before = query(db, "select * from articles order by article_id")
    pages_before = query(db, "select count(*) from internal.pages")
    hits = crawled["run"]("--recheck-days", "0")  # everything due
    for path, article in article_hits(hits).items():
        assert [(h.status, h.conditional) for h in article] == [(304, True)], path
    assert {h.status for h in hits if h.path in ("/feed.xml", "/sitemap.xml", "/")} == {304}
    not_modified = query(
        db,
        f"select count(*) from read_parquet('{crawled['raw']}', union_by_name = true)"
        " where kind = 'not_modified' and status = 304 and body = ''::blob",
    )[0][0]
    assert not_modified == sum(h.status == 304 for h in hits)
    # Nothing changed: no new page rows, no article row changed, no error.
    assert query(db, "select * from articles order by article_id") == before
    assert query(db, "select count(*) from internal.pages") == pages_before
    [(new, updated, errors)] = query(
        db, "select new_articles, updated_articles, errors from runs order by started_at desc limit 1"
    )
    assert (new, updated, errors) == (0, 0, 0)


def test_unchanged_start_pages_are_still_followed_from_the_stored_body(crawled):
    # The 304 start page, feed and sitemap were parsed from their last stored 200: every
    # article was reached (and rechecked) although no entry point sent a body.
    hits = crawled["run"]("--recheck-days", "0")
    assert all(article_hits(hits).values())
    assert "/contact/" in [h.path for h in hits]  # linked from the start page only


def test_edited_page_becomes_a_new_version_of_its_story(crawled, site):
    db = crawled["db"]
    original = (SITE / EDITED["url"].strip("/") / "index.html").read_bytes()
    last = EDITED["sentences"][-1].encode()
    site.rewrite(EDITED["url"], original.replace(last, last + b" " + EDIT.encode()))
    hits = crawled["run"]("--recheck-days", "0")
    [hit] = article_hits(hits)[EDITED["url"]]
    assert (hit.status, hit.conditional) == (200, True)  # asked conditionally, the ETag no longer matched
    [(article_id, text)] = query(db, f"select article_id, text from articles where url like '%{EDITED['url']}'")
    assert EDIT in text
    [(versions,)] = query(
        db, f"select count(distinct text_hash) from internal.pages where is_article and article_id = '{article_id}'"
    )
    assert versions == 2
    assert len(query(db, "select * from articles")) == len(facts.ARTICLES)  # same stories, one edited
    [(new, updated)] = query(db, "select new_articles, updated_articles from runs order by started_at desc limit 1")
    assert (new, updated) == (0, 1)


def test_sitemap_lastmod_newer_than_last_fetch_triggers_a_refetch(crawled, site):
    target = facts.ARTICLES["mdma-ptsd-phase-3-results"]["url"]
    sitemap = (SITE / "sitemap.xml").read_text().replace("{BASE}", site.base)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    sitemap = sitemap.replace("<lastmod>2024-05-14</lastmod>", f"<lastmod>{tomorrow}</lastmod>")
    site.extra["/sitemap.xml"] = (200, {"Content-Type": "application/xml"}, sitemap.encode())
    try:
        hits = crawled["run"]()  # default recheck interval: nothing else is due
    finally:
        del site.extra["/sitemap.xml"]
    requested = {path for path, article in article_hits(hits).items() if article}
    assert requested == {target}


def test_nothing_due_means_no_article_request(crawled):
    hits = crawled["run"]()
    assert not any(article_hits(hits).values())
    assert "/feed.xml" in [h.path for h in hits]


# -- the history rules, without a network ------------------------------------------------


def write(raw_dir: Path, run_id: str, status: int, body: bytes, at: datetime, headers=None) -> None:
    writer = RawWriter(raw_dir, "s", run_id)
    kind = "not_modified" if status == 304 else "page"
    url = "https://s.example/a/"
    writer.write(RawRecord(run_id, "s", kind, url, url, status, headers or {}, body, fetched_at=at))
    writer.close()


def test_unchanged_fetches_back_off_up_to_the_cap(tmp_path):
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    write(tmp_path, "r1", 200, b"<p>v1</p>", t0, {"etag": '"v1"', "last-modified": "Thu, 01 Jan 2026 00:00:00 GMT"})
    known = load_history(tmp_path, "s")[url_key("https://s.example/a/")]
    assert (known.unchanged, known.interval(7)) == (0, timedelta(days=7))
    assert known.conditional_headers() == {
        "If-None-Match": '"v1"',
        "If-Modified-Since": "Thu, 01 Jan 2026 00:00:00 GMT",
    }
    write(tmp_path, "r2", 200, b"<p>v1</p>", t0 + timedelta(days=7))  # same body: unchanged
    write(tmp_path, "r3", 304, b"", t0 + timedelta(days=21))  # not modified: unchanged
    known = load_history(tmp_path, "s")[url_key("https://s.example/a")]
    assert (known.unchanged, known.interval(7)) == (2, timedelta(days=28))
    assert known.etag is None  # the last 200 sent none
    assert not known.due(t0 + timedelta(days=40), 7)
    assert known.due(t0 + timedelta(days=49), 7)
    assert known.due(t0 + timedelta(days=22), 7, changed_at=t0 + timedelta(days=22))  # lastmod after the fetch
    for day in (60, 120, 240):
        write(tmp_path, f"r{day}", 304, b"", t0 + timedelta(days=day))
    assert load_history(tmp_path, "s")[url_key("https://s.example/a")].interval(7) == timedelta(days=7 * MAX_BACKOFF)
    write(tmp_path, "r999", 200, b"<p>v2</p>", t0 + timedelta(days=300))  # changed: back to the base interval
    assert load_history(tmp_path, "s")[url_key("https://s.example/a")].interval(7) == timedelta(days=7)


def test_recheck_days_per_source_is_validated():
    source = {"name": "s", "feeds": ["https://s.example/feed"]}
    assert Source.model_validate({**source, "recheck_days": 2.5}).recheck_days == 2.5
    assert Source.model_validate(source).recheck_days is None
    for bad in (0, -1):
        with pytest.raises(ValidationError):
            Source.model_validate({**source, "recheck_days": bad})


def test_304_without_a_stored_body_is_asked_again_unconditionally(tmp_path):
    feed_url = "https://s.example/feed/"
    writer = RawWriter(tmp_path, "s", "r1")
    writer.write(RawRecord("f1", "s", "feed", feed_url, feed_url, 200, {"etag": '"f1"'}, b"<rss/>"))
    writer.close()
    source = Source(name="s", feeds=[feed_url])
    spider = GenericSpider(source=source.model_dump_json(), raw_dir=str(tmp_path), run_id="r2")
    request = spider.request(feed_url, spider.parse_feed, kind="feed")
    assert request.headers.get("If-None-Match") == b'"f1"'
    for part in (tmp_path / "s").glob("*.parquet"):  # the raw store was pruned meanwhile
        part.unlink()
    fetched, again = spider.parse_feed(Response(feed_url, status=304, request=request))
    assert (fetched.kind, fetched.status) == ("not_modified", 304)
    assert again.url == feed_url
    assert again.headers.get("If-None-Match") is None
    assert again.meta["unconditional"]
    assert list(spider.parse_feed(Response(feed_url, status=304, request=again))) == [
        FetchedPage("not_modified", feed_url, feed_url, 304, {}, b"")
    ]  # asked once: a server that answers 304 to everything gets no loop
