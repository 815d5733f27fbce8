"""One config-driven spider for every source: feeds, sitemaps and link-following.

It deals in URLs and bytes only: every response goes to the raw store as it
is, and extraction happens later, offline.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import feedparser
import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.config import Source
from crawler.items import FetchedPage
from crawler.raw_store import fetched_pages
from crawler.urls import clean_url, url_key

MAX_SITEMAPS = 50  # nested sitemaps followed per run; big sites publish hundreds


class GenericSpider(scrapy.Spider):
    name = "generic"

    def __init__(self, source: str, raw_dir: str, run_id: str, recheck_days: str = "7", **kwargs):
        super().__init__(**kwargs)
        self.source = Source.model_validate_json(source)
        self.raw_dir = raw_dir
        self.run_id = run_id
        self.allowed_domains = self.source.hosts
        self.allow = [re.compile(p) for p in self.source.allow]
        self.deny = [re.compile(p) for p in self.source.deny]
        self.links = LinkExtractor()  # hosts, allow and deny are checked in wanted()
        # Pages fetched recently are not fetched again (feeds, sitemaps and start pages always are).
        cutoff = datetime.now(UTC) - timedelta(days=float(recheck_days))
        self.fresh = {url_key(url) for url, at in fetched_pages(raw_dir, self.source.name).items() if at >= cutoff}
        self.requested: set[str] = set()
        self.sitemaps_seen = 0

    async def start(self):
        for url in self.source.feeds:
            yield scrapy.Request(url, self.parse_feed, errback=self.failed, meta={"kind": "feed"})
        for url in self.source.sitemaps:
            yield scrapy.Request(url, self.parse_sitemap, errback=self.failed, meta={"kind": "sitemap"})
        for url in self.source.start_urls:
            yield self.page_request(url, hops=0, always=True)

    # -- requests -------------------------------------------------------------

    def on_host(self, url: str) -> bool:
        return urlsplit(url).hostname in self.source.hosts

    def wanted(self, url: str, *, need_allow: bool) -> bool:
        if not self.on_host(url) or any(p.search(url) for p in self.deny):
            return False
        return not (need_allow and self.allow) or any(p.search(url) for p in self.allow)

    def page_request(self, url: str, hops: int, always: bool = False) -> scrapy.Request | None:
        url = clean_url(url)  # no tracking parameters or fragments: one request per page
        key = url_key(url)
        if key in self.requested or (not always and key in self.fresh):
            return None
        if len(self.requested) >= self.source.max_pages:
            return None
        self.requested.add(key)
        return scrapy.Request(url, self.parse_page, errback=self.failed, meta={"kind": "page", "hops": hops})

    def record(self, response: Response, kind: str) -> FetchedPage:
        headers = {k.decode("latin-1").lower(): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
        request_url = response.request.meta.get("redirect_urls", [response.request.url])[0]
        return FetchedPage(kind, response.url, request_url, response.status, headers, response.body)

    # -- callbacks --------------------------------------------------------------

    def parse_page(self, response: Response):
        yield self.record(response, "page")
        hops = response.meta.get("hops", 0)
        if response.status != 200 or hops >= self.source.max_depth or not isinstance(response, TextResponse):
            return
        for link in self.links.extract_links(response):
            if self.wanted(link.url, need_allow=True) and (request := self.page_request(link.url, hops + 1)):
                yield request

    def parse_feed(self, response: Response):
        yield self.record(response, "feed")
        if response.status != 200:
            return
        for entry in feedparser.parse(response.body).entries:
            url = response.urljoin(entry.get("link", ""))
            if self.wanted(url, need_allow=False) and (request := self.page_request(url, hops=1)):
                yield request

    def parse_sitemap(self, response: Response):
        yield self.record(response, "sitemap")
        if response.status != 200:
            return
        if urlsplit(response.url).path.endswith("/robots.txt"):
            for url in sitemap_urls_from_robots(response.text, base_url=response.url):
                yield from self.sitemap_request(url)
            return
        body = response.body
        if gzip_magic_number(response):
            body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
        try:
            sitemap = Sitemap(body)
        except Exception as exc:  # noqa: BLE001 (lxml raises several kinds for non-XML bodies)
            self.logger.warning("not a sitemap: %s (%s)", response.url, exc)
            return
        for entry in sitemap:
            url = entry.get("loc", "")
            if sitemap.type == "sitemapindex":
                yield from self.sitemap_request(url)
            elif self.wanted(url, need_allow=True) and (request := self.page_request(url, hops=1)):
                yield request

    def sitemap_request(self, url: str):
        if self.on_host(url) and self.sitemaps_seen < MAX_SITEMAPS:
            self.sitemaps_seen += 1
            yield scrapy.Request(url, self.parse_sitemap, errback=self.failed, meta={"kind": "sitemap"})

    def failed(self, failure):
        """A request that got no response (DNS, refused, timeout): recorded, not fatal."""
        request = failure.request
        reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        # Robots.txt and off-host refusals are skips by design, not errors.
        kind = "skipped" if failure.check(IgnoreRequest) else "error"
        yield FetchedPage(kind, request.url, request.url, None, {}, b"", error=reason)
