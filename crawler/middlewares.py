"""Scrapy components: robots.txt read the way RFC 9309 asks; AutoThrottle that counts 304s.

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

from dataclasses import dataclass

from scrapy.downloadermiddlewares import robotstxt
from scrapy.exceptions import IgnoreRequest
from scrapy.extensions import throttle
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached


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
