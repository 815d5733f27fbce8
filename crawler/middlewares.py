"""Scrapy components: the scope gate, robots.txt read the way RFC 9309 asks, AutoThrottle that counts 304s.

Scope (rules in crawler.scope): ``ScopeMiddleware`` is the one gate every request
passes on its way to the downloader, redirects and retries included, whatever its
``dont_filter``; a refusal is an ``OutOfScope`` (recorded as kind ``skipped`` with
its reason). Addresses are checked where they are used: ``GuardedResolver`` is
the DNS resolver the downloader connects with, so the address it checks is the
address connected to; a name that resolves to a public address when checked and
to a private one a moment later (DNS rebinding) is refused at connect time too.
The middleware asks the same resolver first (its answer is cached), so a refusal
normally comes with a clear reason and costs no connection attempt or retry.

Scrapy's own middleware crawls everything when robots.txt cannot be fetched.
RFC 9309 (2.3.1.4) says the opposite for a robots.txt that is *unreachable*
(timeout, connection error, a 5xx after retries): assume complete disallow. So:

- 2xx: its rules are obeyed; 4xx (none published): no rules, as in Scrapy;
- unreachable: nothing on that host is requested this run. Each request is
  skipped with "robots.txt unreachable (...)" as its reason and the robots.txt
  failure itself is recorded as an error, so the run summary says why the source
  got nothing. The next run tries again.

Scrapy's AutoThrottle lets only 200 responses lower the delay (error pages are
small and fast, and would speed it up wrongly). A 304 is small and fast too but
is a healthy answer: here it counts like a 200, otherwise a recheck of a site
that answers 304 everywhere slows to AUTOTHROTTLE_MAX_DELAY per request.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass

from scrapy.downloadermiddlewares import robotstxt
from scrapy.exceptions import IgnoreRequest
from scrapy.extensions import throttle
from scrapy.http import Request, Response
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.error import DNSLookupError

from crawler.scope import Network, refuse_address

logger = logging.getLogger(__name__)
# The non-public networks this crawl may reach (crawler.crawl sets it from the source; crawler.scope).
NETWORKS_SETTING = "PSYNEWS_PRIVATE_NETWORKS"


class OutOfScope(IgnoreRequest):
    """A request the source may not make: its scheme, host, port or address (crawler.scope)."""


class RefusedAddress(DNSLookupError):
    """A name that resolved to an address the crawl may not connect to.

    A DNSLookupError so that Twisted, which turns any failed lookup into "no
    results for hostname lookup", does not log it as an unexpected failure.
    """


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing addresses outside the crawl's networks (TWISTED_DNS_RESOLVER)."""

    allowed: tuple[Network, ...] = ()

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        resolver.allowed = tuple(ipaddress.ip_network(n) for n in crawler.settings.getlist(NETWORKS_SETTING))
        return resolver

    def getHostByName(self, name, timeout=()):
        return super().getHostByName(name, timeout).addCallback(self._check, name)

    def _check(self, address: str, name: str) -> str:
        if reason := refuse_address(address, self.allowed):
            logger.warning("refused %s: %s", name, reason)
            raise RefusedAddress(f"{name}: {reason}")
        return address


class ScopeMiddleware:
    """Refuses every request outside the source's scope (crawler.scope), before anything is sent."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler) -> ScopeMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        from twisted.internet import reactor

        scope = self.crawler.spider.scope
        if reason := scope.refuse_url(request.url):
            self.crawler.stats.inc_value("offsite/filtered")
            raise OutOfScope(reason)
        host = urlparse_cached(request).hostname
        try:
            address = await maybe_deferred_to_future(reactor.resolve(host))
        except RefusedAddress as exc:
            reason = exc.args[0]
        except DNSLookupError:
            return  # the download fails the same way and is recorded as a DNS error
        else:  # an address literal: reactor.resolve() hands it back without asking the resolver
            reason = scope.refuse_address(address)
        if reason:
            self.crawler.stats.inc_value("psynews/refused_address")
            raise OutOfScope(reason)


@dataclass(frozen=True)
class Unreachable:
    """Stands in for a parser when robots.txt could not be fetched."""

    url: str
    reason: str


class RobotsTxtMiddleware(robotstxt.RobotsTxtMiddleware):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._schemes: dict[str, str] = {}

    async def robot_parser(self, request: Request):
        url = urlparse_cached(request)
        self._schemes.setdefault(url.netloc, url.scheme)
        return await super().robot_parser(request)

    def process_request_2(self, rp, request: Request) -> None:
        if isinstance(rp, Unreachable):
            self._stats.inc_value("robotstxt/unreachable_skipped")
            raise IgnoreRequest(f"robots.txt unreachable ({rp.reason}): host not crawled this run")
        super().process_request_2(rp, request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._unreachable(netloc, f"http {response.status}")
            return
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):  # e.g. redirected off the host: no rules, as in Scrapy
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._unreachable(netloc, f"{type(exc).__name__}: {exc}")

    def _unreachable(self, netloc: str, reason: str) -> None:
        state = Unreachable(f"{self._schemes.get(netloc, 'http')}://{netloc}/robots.txt", reason)
        waiting = self._parsers[netloc]
        self._parsers[netloc] = state
        spider = self.crawler.spider
        if hasattr(spider, "robots_unreachable"):
            spider.robots_unreachable(state.url, reason)
        waiting.callback(state)


class AutoThrottle(throttle.AutoThrottle):
    def _adjust_delay(self, slot, latency: float, response: Response) -> None:
        if response.status == 304:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)
