"""Crawl hazards against a real hazard server: each costs a bounded number of requests, leaves a
recorded error or skip with its reason, and the run completes with the good pages loaded.

One run covers two sources: ``hazards`` (every hazard linked from its start page, robots.txt
disallowing /private/) and ``robots-hang`` (a robots.txt that answers after the timeout).
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FAST_CRAWL, run_cli, write_sources
from tests.hazard_server import HazardServer

TIMEOUT, RETRY_TIMES, REDIRECT_MAX_TIMES, MAX_PAGES = 2, 1, 5, 40
SETTINGS = ["-s", f"DOWNLOAD_TIMEOUT={TIMEOUT}", "-s", "DOWNLOAD_MAXSIZE=1000000", "-s", f"RETRY_TIMES={RETRY_TIMES}"]


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def crawl(tmp_path_factory, prefect_harness):
    data_dir = tmp_path_factory.mktemp("hazards")
    with (
        HazardServer(robots="User-agent: *\nDisallow: /private/\n", slow_seconds=TIMEOUT + 2) as site,
        HazardServer(robots="User-agent: *\nAllow: /\n", robots_delay=TIMEOUT + 2) as hang,
    ):
        sources = write_sources(
            data_dir.parent / "hazards.toml",
            f'[[sources]]\nname = "hazards"\nstart_urls = ["{site.base}/", "{site.base}/paper.pdf"]\n'
            f"max_depth = 10\nmax_pages = {MAX_PAGES}\n"
            f'[[sources]]\nname = "robots-hang"\nstart_urls = ["{hang.base}/"]\n',
        )
        started = time.monotonic()
        result = run_cli("run", "--sources", str(sources), "--data-dir", str(data_dir), *FAST_CRAWL, *SETTINGS)
        seconds = time.monotonic() - started
        yield {"result": result, "site": site, "hang": hang, "db": data_dir / "psynews.duckdb", "seconds": seconds,
               "raw": f"{data_dir}/raw/*/*.parquet"}  # fmt: skip


def raw(crawl, path: str, source: str = "hazards") -> list[tuple]:
    """(kind, status, error) of the raw-store records of one path."""
    return query(
        crawl["db"],
        f"select kind, status, error from read_parquet('{crawl['raw']}', union_by_name = true)"
        f" where source = '{source}' and url like '%{path}'",
    )


def skip_reason(crawl, path: str) -> str | None:
    rows = query(crawl["db"], f"select skip_reason from internal.pages where url like '%{path}'")
    return rows[0][0] if rows else None


def test_run_completes_and_loads_the_good_pages(crawl):
    assert crawl["result"].exit_code == 0, crawl["result"].output
    assert crawl["seconds"] < 120  # ~15 s on an idle 2-core machine: nothing hangs the run
    urls = {url.split("/", 3)[3] for (url,) in query(crawl["db"], "select url from articles")}
    assert {"articles/psilocybin-depression", "articles/mdma-ptsd", "latin1"} <= urls
    [(failed, pages, errors)] = query(
        crawl["db"], "select failed, pages_fetched, errors from run_sources where source = 'hazards'"
    )
    assert not failed
    assert pages >= 5
    assert errors >= 9  # 5xx, slow, reset, loop, chain, 404, huge, huge-stream, bomb


def test_5xx_is_retried_then_recorded(crawl):
    assert crawl["site"].count("/5xx") == RETRY_TIMES + 1
    assert raw(crawl, "/5xx") == [("page", 503, None)]
    assert skip_reason(crawl, "/5xx") == "http 503"


def test_slow_response_times_out(crawl):
    assert crawl["site"].count("/slow") == RETRY_TIMES + 1
    [(kind, status, error)] = raw(crawl, "/slow")
    assert (kind, status) == ("error", None)
    assert f"took longer than {TIMEOUT}.0 seconds" in error


def test_connection_reset_is_an_error(crawl):
    assert crawl["site"].count("/reset") == RETRY_TIMES + 1
    [(kind, _, error)] = raw(crawl, "/reset")
    assert kind == "error"
    assert "ConnectionLost" in error or "reset" in error.lower()


def test_redirect_loop_stops_at_once(crawl):
    assert crawl["site"].count("/loop-") <= REDIRECT_MAX_TIMES + 1
    [(kind, _, error)] = raw(crawl, "/loop-a")
    assert kind == "error"
    assert error.startswith("redirect loop: ")
    assert error.endswith("/loop-a")


def test_endless_redirect_chain_stops_at_the_limit(crawl):
    assert crawl["site"].count("/chain/") == REDIRECT_MAX_TIMES + 1
    [(kind, _, error)] = raw(crawl, "/chain/%")
    assert kind == "error"
    assert "max redirections" in error


def test_404_is_recorded_once(crawl):
    assert crawl["site"].count("/missing") == 1
    assert raw(crawl, "/missing") == [("page", 404, None)]
    assert skip_reason(crawl, "/missing") == "http 404"


def test_huge_page_is_refused_by_its_content_length(crawl):
    assert crawl["site"].count("/huge") == 2  # /huge and /huge-stream, once each
    [(kind, _, error)] = raw(crawl, "/huge")
    assert kind == "error"
    assert "larger than download max size (1000000)" in error


def test_huge_page_without_length_is_cut_off(crawl):
    [(kind, _, error)] = raw(crawl, "/huge-stream")
    assert kind == "error"
    assert "DOWNLOAD_MAXSIZE (1000000 B)" in error


def test_gzip_bomb_stops_at_the_download_cap(crawl):
    assert crawl["site"].count("/bomb") == 1
    [(kind, _, error)] = raw(crawl, "/bomb")
    assert kind == "error"
    assert "exceeded DOWNLOAD_MAXSIZE (1000000 B) during decompression" in error


def test_lying_charset_still_gives_readable_text(crawl):
    [(text, language)] = query(crawl["db"], "select text, language from articles where url like '%/latin1'")
    assert "thérapie assistée par psilocybine progresse dans plusieurs hôpitaux" in text
    assert "Genève" in text
    assert "\ufffd" not in text
    assert language == "fr"


@pytest.mark.parametrize("path", ["/paper.pdf", "/files/report"])
def test_pdf_is_kept_as_a_non_html_page(crawl, path):
    assert crawl["site"].count(path) == 1
    assert skip_reason(crawl, path) == "not html (application/pdf)"


def test_calendar_trap_is_bounded_by_the_page_cap(crawl):
    calendar = [p for p in crawl["site"].paths() if p.startswith("/calendar/")]
    assert 3 <= len(calendar) <= MAX_PAGES
    assert len(calendar) == len(set(calendar))  # each month once
    [(pages,)] = query(crawl["db"], "select pages_fetched from run_sources where source = 'hazards'")
    assert pages <= MAX_PAGES
    assert len(crawl["site"].hits) <= MAX_PAGES + 20  # retries, redirects and robots.txt on top


def test_robots_disallowed_part_is_skipped_with_its_reason(crawl):
    assert crawl["site"].count("/private/") == 0
    assert crawl["site"].count("/robots.txt") == 1
    [(kind, _, error)] = raw(crawl, "/private/staff-notes")
    assert kind == "skipped"
    assert "Forbidden by robots.txt" in error


def test_robots_txt_that_hangs_disallows_the_host_for_the_run(crawl):
    hang = crawl["hang"]
    assert hang.count("/robots.txt") == RETRY_TIMES + 1
    assert hang.paths() == ["/robots.txt"] * (RETRY_TIMES + 1)  # nothing else was requested
    [(kind, _, error)] = raw(crawl, "/robots.txt", source="robots-hang")
    assert kind == "error"
    assert error.startswith("robots.txt unreachable: DownloadTimeoutError")
    [(kind, _, error)] = raw(crawl, ":%/", source="robots-hang")
    assert kind == "skipped"
    assert "robots.txt unreachable" in error
    [(failed, detail)] = query(crawl["db"], "select failed, error_detail from run_sources where source = 'robots-hang'")
    assert failed
    assert "robots.txt unreachable" in detail
