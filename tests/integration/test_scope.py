"""Nothing leaves a source's scope (crawler.scope): no file:, ftp: or other scheme, no other host or
port, no non-public address, redirects and refetches included.

Real sockets on loopback: the fixture site on 127.0.0.1 links, lists and redirects to everything
a crawl must not touch; a second server on 127.0.0.2 is the outside world and a silent port on
127.0.0.1 stands for an FTP server. Crawls run as the flow runs them (``python -m crawler.crawl``).
"""

from __future__ import annotations

import subprocess
import time

import pytest

from crawler.config import Source
from tests.conftest import crawl_command, raw_records
from tests.hazard_server import SilentPort
from tests.site_server import SiteServer

SECRET = "psynews-local-secret-5c2e"  # in a local file that no crawl may read
HTML = {"Content-Type": "text/html; charset=utf-8"}


def moved(location: str) -> tuple[int, dict[str, str], bytes]:
    return 302, {"Location": location}, b""


def page(body: str) -> tuple[int, dict[str, str], bytes]:
    return 200, HTML, f"<html><head><title>Links</title></head><body>{body}</body></html>".encode()


def text(body: str) -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "text/plain"}, body.encode()


def sitemap(urls: list[str]) -> tuple[int, dict[str, str], bytes]:
    entries = "".join(f"<url><loc>{url}</loc></url>" for url in urls)
    body = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    return 200, {"Content-Type": "application/xml"}, body.encode()


def feed(urls: list[str]) -> tuple[int, dict[str, str], bytes]:
    items = "".join(f"<item><title>Entry</title><link>{url}</link></item>" for url in urls)
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Escape</title>{items}</channel></rss>'
    return 200, {"Content-Type": "application/rss+xml"}, body.encode()


def crawl(source: Source, raw_dir, *settings: str) -> float:
    """Crawl ``source`` into ``raw_dir``; return the seconds it took."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    result = subprocess.run(
        crawl_command(source, raw_dir, *settings), capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return time.monotonic() - started


@pytest.fixture(scope="module")
def outside():
    with SiteServer(host="127.0.0.2") as server:
        yield server


@pytest.fixture(scope="module")
def escape(tmp_path_factory, outside):
    """One crawl of a source whose pages, feed, sitemap and robots.txt point everywhere they must not."""
    tmp = tmp_path_factory.mktemp("escape")
    secret = tmp / "secret.html"
    secret.write_text(f"<html><body><article><p>{SECRET}</p></article></body></html>")
    with SiteServer() as site, SilentPort() as silent:
        base, out = site.base, outside.base
        forbidden = [f"file://127.0.0.1{secret}", f"file://{secret}", f"ftp://127.0.0.1:{silent.port}/pub/",
                     f"http://127.0.0.1:{silent.port}/other-port/", f"{out}/linked/"]  # fmt: skip
        links = [*forbidden, "/escape/redirect/", "/escape/stale/", "/escape/to-file/", "/escape/refresh/",
                 "/blog/ketamine-clinic-access/"]  # fmt: skip
        site.extra |= {
            "/escape/": page("".join(f'<a href="{link}">{link}</a> ' for link in links)),
            "/escape/redirect/": moved("/escape/hop/"),
            "/escape/hop/": moved(f"{out}/redirected/"),
            # A 304 to a request with no validators, then a redirect: the refetch (dont_filter) must not escape.
            "/escape/stale/": [(304, {}, b""), moved(f"{out}/refetched/")],
            "/escape/to-file/": moved(f"file://127.0.0.1{secret}"),
            "/escape/refresh/": page(f'<meta http-equiv="refresh" content="0; url={out}/refreshed/">'),
            "/robots.txt": text(f"User-agent: *\nAllow: /\nSitemap: file://127.0.0.1{secret}\n"
                                f"Sitemap: {out}/sitemap.xml\nSitemap: {base}/escape/sitemap.xml\n"),
            "/escape/sitemap.xml": sitemap([*forbidden, f"{out}/sitemap-entry/",
                                            f"{base}/blog/esketamine-insurance-coverage/"]),
            "/escape/feed.xml": feed([*forbidden, f"{out}/feed-item/", f"{base}/blog/psilocybin-depression-trial/"]),
        }  # fmt: skip
        source = Source(name="escape", feeds=[f"{base}/escape/feed.xml"], sitemaps=[f"{base}/robots.txt"],
                        start_urls=[f"{base}/escape/"])  # fmt: skip
        seconds = crawl(source, tmp / "raw", "-s", "DOWNLOAD_TIMEOUT=5")
        yield {"site": site, "records": raw_records(tmp / "raw"), "silent": silent, "seconds": seconds}


def test_the_outside_server_gets_no_request(escape, outside):
    assert outside.hits == []
    assert escape["silent"].connections == []  # neither ftp:// nor another port of the source's host


def test_nothing_from_outside_the_fixture_site_is_stored(escape):
    answered = [r for r in escape["records"] if r.status is not None]
    assert answered
    assert all(r.url.startswith(escape["site"].base + "/") for r in answered)
    assert not [r for r in escape["records"] if SECRET.encode() in r.body]


def test_pages_in_scope_are_still_crawled(escape):
    fetched = {r.url.removeprefix(escape["site"].base) for r in escape["records"] if r.status == 200}
    assert {"/blog/ketamine-clinic-access/", "/blog/esketamine-insurance-coverage/",
            "/blog/psilocybin-depression-trial/"} <= fetched  # fmt: skip
    assert escape["seconds"] < 60  # the silent port was never waited on


def skip_reasons(escape, path: str) -> list[str]:
    return [r.error for r in escape["records"] if r.kind == "skipped" and r.url.endswith(path)]


@pytest.mark.parametrize("path", ["/redirected/", "/refetched/", "/refreshed/"])
def test_redirects_out_are_refused_and_recorded(escape, path):
    [reason] = skip_reasons(escape, path)
    assert reason == "OutOfScope: host 127.0.0.2 is not one of the source's hosts (127.0.0.1)"


def test_redirect_to_a_file_url_is_not_followed(escape):
    [record] = [r for r in escape["records"] if r.url.endswith("/escape/to-file/")]
    assert (record.kind, record.status) == ("page", 302)  # kept as the answer it was, and nothing else


@pytest.fixture(scope="module")
def local_site():
    with SiteServer() as site:
        yield site


def by_name(local_site: SiteServer, **fields) -> Source:
    """The fixture site reached by the name localhost, which resolves to a loopback address."""
    return Source(name="local", start_urls=[local_site.base.replace("127.0.0.1", "localhost") + "/"], **fields)


def test_a_name_resolving_to_a_loopback_address_is_refused(tmp_path, local_site):
    local_site.hits.clear()
    crawl(by_name(local_site), tmp_path)
    assert local_site.hits == []
    [record] = raw_records(tmp_path)
    assert record.kind == "skipped"
    assert record.error.startswith("OutOfScope: localhost: 127.0.0.1 is a loopback address, not public")


def test_the_address_connected_to_is_checked_even_without_the_gate(tmp_path, local_site):
    """With ScopeMiddleware taken out, the resolver the downloader connects with still refuses:
    there is no gap between the check and the connection for a changed DNS answer to slip through."""
    local_site.hits.clear()
    crawl(by_name(local_site), tmp_path, "-s", 'DOWNLOADER_MIDDLEWARES={"crawler.middlewares.ScopeMiddleware": null}')
    assert local_site.hits == []
    records = raw_records(tmp_path)
    assert records
    assert all(r.kind == "error" and "no results for hostname lookup: localhost" in r.error for r in records)
    assert "refused localhost: 127.0.0.1 is a loopback address" in (tmp_path / "crawl.log").read_text()


def test_private_addresses_allow_a_private_host_deliberately(tmp_path, local_site):
    local_site.hits.clear()
    crawl(by_name(local_site, private_addresses=["127.0.0.0/8"], max_pages=3), tmp_path)
    assert "/" in local_site.paths()
    assert [r.status for r in raw_records(tmp_path) if r.kind == "page"] == [200, 200, 200]
