"""What the raw store knows about URLs fetched before, and when they are due again.

The rules of incremental crawling (the spider applies them, this module decides):

- **Due.** A URL already stored is requested again only when it is due: its recheck
  interval has passed since its last good fetch (a 200, or a 304 Not Modified), or its
  feed entry (``updated``, else ``published``) or sitemap ``<lastmod>`` is newer than
  that fetch. URLs never fetched, or whose last fetches all failed, are always due.
- **Interval.** The source's ``recheck_days`` (sources file), else the run's
  ``--recheck-days`` (default 7). ``--recheck-days 0`` makes everything due, whatever
  the sources file says.
- **Backoff.** Each of a URL's most recent good fetches that found it unchanged (a
  304, or a 200 whose body hash equals the previous 200's) doubles its interval, up to
  ``MAX_BACKOFF`` times the base (7 days -> 14 -> 28 -> 56). A change resets it.
- **Conditional.** Every refetch sends ``If-None-Match`` (the last 200's ETag) and
  ``If-Modified-Since`` (its Last-Modified) when the server gave them. A 304 is stored
  as kind ``not_modified`` with no body. Feeds, sitemaps and start pages are fetched
  every run, conditionally too; on a 304 the body of their last 200 is read back from
  the raw store, so their links are still followed.

Only small columns are read (no bodies) to build the history; a body is read back
only for a 304 whose links must be followed (``BodyCache``). A part that cannot be
read is left out (and logged): the crawl goes on, and the run that loads the raw
store quarantines and reports it (flows.extract.page).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from crawler.raw_store import UNREADABLE, list_files, locate, read_bodies, read_columns
from crawler.urls import url_key

logger = logging.getLogger(__name__)

MAX_BACKOFF = 8  # the interval grows to at most this many times the source's recheck interval
COLUMNS = ["fetch_id", "kind", "url", "request_url", "status", "fetched_at", "headers", "body_sha1"]
_KINDS = pa.array(["page", "feed", "sitemap", "not_modified"])
_STATUSES = pa.array([200, 304], type=pa.int32())  # other statuses say nothing about the page: retried next run


@dataclass
class Known:
    """One URL's last good fetch and the validators to recheck it with."""

    last_fetch: datetime  # last 200 or 304
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    body_sha1: str | None = None  # of the last 200
    body_at: tuple[str, str] | None = None  # (part file, fetch_id) of the last 200
    unchanged: int = 0  # most recent good fetches in a row that found no change

    def interval(self, base_days: float) -> timedelta:
        return timedelta(days=base_days * min(2**self.unchanged, MAX_BACKOFF))

    def due(self, now: datetime, base_days: float, changed_at: datetime | None = None) -> bool:
        if changed_at is not None and changed_at > self.last_fetch:
            return True
        return now - self.last_fetch >= self.interval(base_days)

    def conditional_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def load_history(raw_dir: Path | str, source: str) -> dict[str, Known]:
    """url_key -> what the source's raw store says about it (requested and answered URLs both)."""
    rows = []
    for relative in list_files(raw_dir, source):
        path = locate(raw_dir, relative)
        try:
            table = read_columns(path, COLUMNS)
        except UNREADABLE as exc:
            logger.warning("raw-store part %s is unreadable, left out of the history: %s", path, exc)
            continue
        keep = pc.and_(pc.is_in(table["kind"], value_set=_KINDS), pc.is_in(table["status"], value_set=_STATUSES))
        rows += [(row, str(path)) for row in table.filter(keep).to_pylist()]
    rows.sort(key=lambda r: r[0]["fetched_at"])
    history: dict[str, Known] = {}
    for row, path in rows:
        for key in {url_key(row["url"]), url_key(row["request_url"])}:
            history[key] = _update(history.get(key), row, path)
    return history


def _update(known: Known | None, row: dict, path: str) -> Known:
    at = row["fetched_at"]
    headers = dict(row["headers"] or [])
    if row["status"] == 304:
        if known is None:  # a 304 to a request we made without validators: nothing to go on
            return Known(at, unchanged=1)
        known.last_fetch = at
        known.unchanged += 1
        known.etag = headers.get("etag") or known.etag
        return known
    same = known is not None and known.body_sha1 is not None and known.body_sha1 == row["body_sha1"]
    return Known(
        last_fetch=at,
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
        content_type=headers.get("content-type"),
        body_sha1=row["body_sha1"],
        body_at=(path, row["fetch_id"]),
        unchanged=known.unchanged + 1 if same else 0,
    )


def parse_date(value: str | None) -> datetime | None:
    """A sitemap <lastmod> (W3C datetime) or an HTTP/RSS date as an aware datetime; None if unreadable."""
    if not value or not (value := value.strip()):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class BodyCache:
    """Bodies of earlier 200s read back for 304s, a whole part file at a time (a part holds <= 50 pages).

    Parts stay cached up to ``max_bytes`` of bodies, oldest read dropped first, so a
    recheck of a whole site reads each part once.
    """

    def __init__(self, max_bytes: int = 256 << 20):
        self.max_bytes = max_bytes
        self._bytes = 0
        self._parts: OrderedDict[str, dict[str, bytes]] = OrderedDict()

    def get(self, known: Known) -> bytes | None:
        if known.body_at is None:
            return None
        path, fetch_id = known.body_at
        if path not in self._parts:
            try:
                bodies = read_bodies(path)
            except UNREADABLE:  # the part was removed or damaged since the history was read
                return None
            self._parts[path] = bodies
            self._bytes += sum(len(b or b"") for b in bodies.values())
            while self._bytes > self.max_bytes and len(self._parts) > 1:
                _, dropped = self._parts.popitem(last=False)
                self._bytes -= sum(len(b or b"") for b in dropped.values())
        self._parts.move_to_end(path)
        return self._parts[path].get(fetch_id)
