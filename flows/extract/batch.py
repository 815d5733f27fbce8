"""Extract a run's raw pages on every core.

The work unit is a few pages, not a raw-store part: parts hold up to 50 pages
and a run has few of them, so one task per part leaves a core idle at the end
(or the whole time, with one part). One pool of worker processes per call
(forked, so trafilatura is already imported) takes chunks of CHUNK_PAGES as
they free up; results come back in raw-store order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from crawler.raw_store import RawRecord, read_columns, read_file
from flows.extract.page import FetchTally, Page, error_kind, extract_page

CHUNK_PAGES = 4  # small enough that two workers finish together, large enough to amortise the hand-off
IN_FLIGHT = 3  # chunks queued per worker: keeps workers busy while bounding the bodies held in memory
MIN_PARALLEL_PAGES = 16  # below this, starting workers costs more than it saves


def tally(record: RawRecord, tallies: dict[str, FetchTally]) -> bool:
    """Count one fetch in its source's tally; True when it is a page to extract."""
    tally = tallies.setdefault(record.source, FetchTally())
    tally.responses += record.status is not None
    if record.kind == "not_modified":
        tally.not_modified += 1
    elif record.kind == "skipped":
        tally.skipped += 1
    elif record.kind == "error" or (record.status or 0) >= 400:
        tally.errors += 1
        tally.errors_by_kind[error_kind(record)] += 1
        tally.error_detail.append(f"{record.url}: {record.error or f'http {record.status}'}")
    if record.kind == "page" and record.status is not None:
        tally.pages_fetched += 1
        return True
    return False


def count_pages(files: list[Path]) -> int:
    """How many pages extract_files will extract, from two small columns."""
    total = 0
    for path in files:
        table = read_columns(path, ["kind", "status"]).to_pydict()
        total += sum(kind == "page" and status is not None for kind, status in zip(*table.values(), strict=True))
    return total


def chunked(records: Iterable[RawRecord], size: int) -> Iterator[tuple[RawRecord, ...]]:
    it = iter(records)
    while chunk := tuple(islice(it, size)):
        yield chunk


def extract_chunk(records: tuple[RawRecord, ...]) -> list[Page]:
    return [extract_page(record) for record in records]


def _in_pool(chunks: Iterable[tuple[RawRecord, ...]], workers: int) -> Iterator[list[Page]]:
    """extract_chunk over the chunks in worker processes, in order, with a bounded number queued."""
    # fork: workers start in milliseconds with the parent's imports; the parent's threads are not used in them.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        queued: deque[Future] = deque()
        for chunk in chunks:
            queued.append(pool.submit(extract_chunk, chunk))
            if len(queued) >= workers * IN_FLIGHT:
                yield queued.popleft().result()
        while queued:
            yield queued.popleft().result()


def workers_available() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def extract_files(
    files: list[Path], workers: int | None = None, advance: Callable[[int], None] | None = None
) -> tuple[list[Page], dict[str, FetchTally]]:
    """Extract every page of the raw-store files and tally their fetches by source.

    ``advance(n)`` is called as n more pages are done.
    """
    tallies: dict[str, FetchTally] = {}
    # Lazily, part by part: only the chunks queued hold response bodies.
    records = (record for path in files for record in read_file(path) if tally(record, tallies))
    workers = workers or workers_available()
    chunks = chunked(records, CHUNK_PAGES)
    if workers > 1 and count_pages(files) >= MIN_PARALLEL_PAGES:
        results = _in_pool(chunks, workers)
    else:
        results = map(extract_chunk, chunks)
    pages: list[Page] = []
    for chunk_pages in results:
        pages += chunk_pages
        for page in chunk_pages:
            tallies[page.source].empty_extractions += page.skip_reason in ("no main text", "too short")
        if advance:
            advance(len(chunk_pages))
    return pages, tallies
