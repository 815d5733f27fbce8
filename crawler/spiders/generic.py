"""One config-driven spider for every source: feeds, sitemaps and link-following.

It deals in URLs and bytes only: every response goes to the raw store as it
is, and extraction happens later, offline. Pages stored before are requested
again only when due, conditionally (see crawler.history for the rules). What
gets no usable response is stored too, as an error or a skip with its reason:
timeouts, resets, redirect loops, bodies past DOWNLOAD_MAXSIZE (gzip bombs
included), robots.txt refusals, an unreachable robots.txt (crawler.middlewares).

Every URL found (link, feed entry, sitemap entry, robots.txt Sitemap line) is
checked against the source's scope (crawler.scope: http(s), its hosts and ports)
before it becomes a request; crawler.middlewares.ScopeMiddleware checks every
request again on its way out, redirects included, and checks the address.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import feedparser
import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers, Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.responsetypes import responsetypes
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.config import Source
from crawler.history import BodyCache, load_history, parse_date
from crawler.items import FetchedPage
from crawler.middlewares import OutOfScope
from crawler.scope import Scope
from crawler.urls import clean_url, url_key

MAX_SITEMAPS = 50  # nested sitemaps followed per run; big sites publish hundreds
# IgnoreRequest reasons that are skips by design (and OutOfScope); others (redirect loops, gzip bombs) are errors.
SKIP_REASONS = re.compile(r"robots\.txt", re.IGNORECASE)
VALIDATORS = {b"if-none-match", b"if-modified-since"}
TWISTED_FAILURE = re.compile(r"<twisted\.python\.failure\.Failure (?:[\w.]+\.)?(\w+): ([^>]*)>")


class GenericSpider(scrapy.Spider):
    name = "generic"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.dropped, signal=signals.request_dropped)
        return spider

    def __init__(self, source: str, raw_dir: str, run_id: str, recheck_days: str = "7", **kwargs):
        super().__init__(**kwargs)
        self.source = Source.model_validate_json(source)
        self.raw_dir = raw_dir
        self.run_id = run_id
        self.scope = Scope.of(self.source)
        self.allow = [re.compile(p) for p in self.source.allow]
        self.deny = [re.compile(p) for p in self.source.deny]
        self.links = LinkExtractor()  # hosts, allow and deny are checked in wanted()
        # Incremental crawling (crawler.history): stored pages are requested again only when due.
        default = float(recheck_days)
        self.recheck_days = 0.0 if default == 0 else (self.source.recheck_days or default)
        self.now = datetime.now(UTC)
        self.history = load_history(raw_dir, self.source.name)
        self.bodies = BodyCache()
        self.requested: set[str] = set()  # every URL asked for this run, feeds and sitemaps too
        self.pages = 0  # page requests made, against max_pages
        self.sitemaps_seen = 0
        self.write_record = None  # set by RawStorePipeline
        self.flush_records = None  # set by RawStorePipeline

    async def start(self):
        for url in self.source.feeds:
            yield self.request(url, self.parse_feed, kind="feed")
        for url in self.source.sitemaps:
            yield self.request(url, self.parse_sitemap, kind="sitemap")
        for url in self.source.start_urls:
            if request := self.page_request(url, hops=0, always=True):
                yield request

    # -- requests -------------------------------------------------------------

    def in_scope(self, url: str) -> bool:
        """http(s) on one of the source's hosts and ports (crawler.scope); file:, ftp: and the rest never are."""
        return self.scope.refuse_url(url) is None

    def wanted(self, url: str, *, need_allow: bool) -> bool:
        if not self.in_scope(url) or any(p.search(url) for p in self.deny):
            return False
        return not (need_allow and self.allow) or any(p.search(url) for p in self.allow)

    def request(self, url: str, callback, **meta) -> scrapy.Request:
        """A request, conditional when the URL was fetched before (If-None-Match, If-Modified-Since)."""
        key = url_key(url)
        self.requested.add(key)
        known = self.history.get(key)
        headers = known.conditional_headers() if known else {}
        return scrapy.Request(url, callback, errback=self.failed, headers=headers, meta={**meta, "key": key})

    def page_request(
        self, url: str, hops: int, always: bool = False, changed_at: datetime | None = None
    ) -> scrapy.Request | None:
        url = clean_url(url)  # no tracking parameters or fragments: one request per page
        key = url_key(url)
        if key in self.requested:
            return None
        known = self.history.get(key)
        if not always and known and not known.due(self.now, self.recheck_days, changed_at):
            self.crawler.stats.inc_value("psynews/not_due")
            return None
        if self.pages >= self.source.max_pages:
            return None
        self.pages += 1
        return self.request(url, self.parse_page, kind="page", hops=hops)

    def record(self, response: Response, kind: str) -> FetchedPage:
        headers = {k.decode("latin-1").lower(): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
        request_url = response.request.meta.get("redirect_urls", [response.request.url])[0]
        if response.status == 304:
            kind = "not_modified"
        return FetchedPage(kind, response.url, request_url, response.status, headers, response.body)

    def readable(self, response: Response) -> Response | None:
        """The response to parse: a 200 as it came, a 304 as the last stored 200 of that URL, else None.

        A 304 whose stored body is gone (a raw-store part removed) is asked again unconditionally:
        see ``refetch``.
        """
        if response.status == 200:
            return response
        if response.status != 304:
            return None
        known = self.history.get(response.meta.get("key", ""))
        body = self.bodies.get(known) if known else None
        if body is None:
            return None
        headers = Headers({"Content-Type": known.content_type} if known.content_type else {})
        cls = responsetypes.from_args(headers=headers, url=response.url, body=body)
        return cls(url=response.url, status=200, headers=headers, body=body, request=response.request)

    def refetch(self, response: Response) -> scrapy.Request | None:
        """For a 304 with no stored body to parse: the same request without validators, once."""
        if response.status != 304 or response.meta.get("unconditional"):
            return None
        headers = {k: v for k, v in response.request.headers.items() if k.lower() not in VALIDATORS}
        meta = {**response.request.meta, "unconditional": True}
        return response.request.replace(headers=headers, meta=meta, dont_filter=True)

    # -- callbacks --------------------------------------------------------------

    def parse_page(self, response: Response):
        yield self.record(response, "page")
        hops = response.meta.get("hops", 0)
        if hops >= self.source.max_depth:
            return
        page = self.readable(response)
        if page is None and (again := self.refetch(response)):
            yield again
        if not isinstance(page, TextResponse):
            return
        for link in self.links.extract_links(page):
            if self.wanted(link.url, need_allow=True) and (request := self.page_request(link.url, hops + 1)):
                yield request

    def parse_feed(self, response: Response):
        yield self.record(response, "feed")
        if (feed := self.readable(response)) is None:
            if again := self.refetch(response):
                yield again
            return
        for entry in feedparser.parse(feed.body).entries:
            url = feed.urljoin(entry.get("link", ""))
            stamp = entry.get("updated_parsed") or entry.get("published_parsed")
            changed_at = datetime(*stamp[:6], tzinfo=UTC) if stamp else None
            if self.wanted(url, need_allow=False) and (request := self.page_request(url, 1, changed_at=changed_at)):
                yield request

    def parse_sitemap(self, response: Response):
        yield self.record(response, "sitemap")
        if (found := self.readable(response)) is None:
            if again := self.refetch(response):
                yield again
            return
        if urlsplit(found.url).path.endswith("/robots.txt"):
            for url in sitemap_urls_from_robots(found.body, base_url=found.url):
                yield from self.sitemap_request(url)
            return
        body = found.body
        if gzip_magic_number(found):
            body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
        try:
            sitemap = Sitemap(body)
        except Exception as exc:  # noqa: BLE001 (lxml raises several kinds for non-XML bodies)
            self.logger.warning("not a sitemap: %s (%s)", found.url, exc)
            return
        for entry in sitemap:
            url = entry.get("loc", "")
            if sitemap.type == "sitemapindex":
                yield from self.sitemap_request(url)
            elif self.wanted(url, need_allow=True):
                changed_at = parse_date(entry.get("lastmod"))
                if request := self.page_request(url, hops=1, changed_at=changed_at):
                    yield request

    def sitemap_request(self, url: str):
        if self.in_scope(url) and url_key(url) not in self.requested and self.sitemaps_seen < MAX_SITEMAPS:
            self.sitemaps_seen += 1
            yield self.request(url, self.parse_sitemap, kind="sitemap")

    # -- what got no response ---------------------------------------------------

    def failed(self, failure):
        """A request that got no usable response (DNS, refused, timeout, redirect loop, size cap): recorded."""
        request = failure.request
        # Wrapped Twisted failures read "[<twisted.python.failure.Failure ...ConnectionLost: ...>]".
        message = TWISTED_FAILURE.sub(r"\1: \2", failure.getErrorMessage())
        reason = f"{failure.type.__name__}: {message}"
        if reason.endswith(": ") and failure.type.__name__ == "DownloadCancelledError":  # a body cut off midway
            maxsize = request.meta.get("download_maxsize", self.settings.getint("DOWNLOAD_MAXSIZE"))
            reason += f"body cut off past DOWNLOAD_MAXSIZE ({maxsize} B), or the crawl was stopping"
        # Robots.txt and scope refusals are skips by design, not errors.
        skip = failure.check(OutOfScope) or (failure.check(IgnoreRequest) and SKIP_REASONS.search(reason))
        kind = "skipped" if skip else "error"
        request_url = request.meta.get("redirect_urls", [request.url])[0]
        yield FetchedPage(kind, request.url, request_url, None, {}, b"", error=reason)

    def dropped(self, request: scrapy.Request, **kwargs) -> None:
        """The scheduler dropped a request as a duplicate: a redirect back into its own chain, or to a known URL."""
        chain = request.meta.get("redirect_urls", [])
        if request.url in chain:
            kind, reason = "error", "redirect loop: " + " -> ".join([*chain, request.url])
        elif chain:
            kind, reason = "skipped", f"redirected to {request.url}, already requested this run"
        else:
            kind, reason = "skipped", "duplicate request"
        self.write(FetchedPage(kind, request.url, chain[0] if chain else request.url, None, {}, b"", error=reason))

    def robots_unreachable(self, url: str, reason: str) -> None:
        """Called by crawler.middlewares.RobotsTxtMiddleware: the host is not crawled this run."""
        self.write(FetchedPage("error", url, url, None, {}, b"", error=f"robots.txt unreachable: {reason}"))

    def write(self, item: FetchedPage) -> None:
        if self.write_record is not None:
            self.write_record(item)
