"""The extract stage's entry point: raw-store files in, pages and each source's fetch report out.

The work unit is a few pages, not a raw-store part: parts hold up to 50 pages
and a run has few of them, so one task per part leaves a core idle at the end
(or the whole time, with one part). One pool of worker processes per call
(forked, so trafilatura is already imported) takes chunks of CHUNK_PAGES as
they free up; results come back in raw-store order. Measured on the benchmark
pages, handing records and pages between processes costs under 1 ms of a page's
~25 ms (Arrow batches would save nothing worth their code); what the workers
would each load on first use is loaded once, before they fork. On a Dask
cluster the unit is a part's location: each worker reads its parts from the
shared raw store, so the flow's process never reads a response body.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from crawler.raw_store import UNREADABLE, RawRecord, locate, quarantine, read_columns, read_file
from flows.analyse.story import CpuMap
from flows.extract.page import Page, error_kind, extract_page, load_models
from flows.report import RunReport
from flows.settings import RUN, RunSettings
from flows.store.faults import crash_point

CHUNK_PAGES = 4  # small enough that two workers finish together, large enough to amortise the hand-off
IN_FLIGHT = 3  # chunks queued per worker: keeps workers busy while bounding the bodies held in memory


def tally(record: RawRecord, reports: dict[str, RunReport]) -> bool:
    """Count one fetch in its source's report; True when it is a page to extract."""
    report = reports.setdefault(record.source, RunReport(record.source))
    report.responses += record.status is not None
    if record.kind == "not_modified":
        report.not_modified += 1
    elif record.kind == "skipped":
        report.skipped += 1
    elif record.kind == "error" or (record.status or 0) >= 400:
        report.errors += 1
        report.errors_by_kind[error_kind(record)] += 1
        report.error_detail.append(f"{record.url}: {record.error or f'http {record.status}'}")
    if record.kind == "page" and record.status is not None:
        report.pages_fetched += 1
        return True
    return False


def count_pages(files: list[Path | str]) -> int:
    """How many pages extract_files will extract, from two small columns."""
    total = 0
    for path in files:
        try:
            table = read_columns(path, ["kind", "status"]).to_pydict()
        except UNREADABLE:  # quarantined when its records are read
            continue
        total += sum(kind == "page" and status is not None for kind, status in zip(*table.values(), strict=True))
    return total


def pages_to_extract(files: list[Path | str], reports: dict[str, RunReport]) -> Iterator[RawRecord]:
    """The page records of the files, part by part, tallying every fetch in ``reports`` on the way.

    A part that cannot be read is quarantined (crawler.raw_store) and reported in its source's tally.
    """
    for path in files:
        try:
            records = read_file(path)
        except UNREADABLE as exc:
            source = Path(path).parent.name  # <raw>/<source>/<part>, a folder or a URL
            note = f"{path}: unreadable raw-store part ({exc}); moved to {quarantine(path)}"
            reports.setdefault(source, RunReport(source)).quarantined.append(note)
            continue
        yield from (record for record in records if tally(record, reports))


def chunked(records: Iterable[RawRecord], size: int) -> Iterator[tuple[RawRecord, ...]]:
    it = iter(records)
    while chunk := tuple(islice(it, size)):
        yield chunk


def extract_chunk(records: tuple[RawRecord, ...]) -> list[Page]:
    return [extract_page(record) for record in records]


def extract_part(path: str) -> tuple[list[Page], dict[str, RunReport]]:
    """Read one raw-store part and extract its pages where this runs: the unit of work on a Dask cluster, whose
    workers read the parts from the shared store themselves (the flow's process never holds a body)."""
    reports: dict[str, RunReport] = {}
    return extract_chunk(tuple(pages_to_extract([path], reports))), reports


def _merged(
    parts: Iterable[tuple[list[Page], dict[str, RunReport]]], reports: dict[str, RunReport]
) -> Iterator[list[Page]]:
    """Each part's pages, adding its fetch reports to ``reports`` as it comes."""
    for pages, part_reports in parts:
        for source, report in part_reports.items():
            reports.setdefault(source, RunReport(source)).merge(report)
        yield pages


def _in_pool(chunks: Iterable[tuple[RawRecord, ...]], workers: int) -> Iterator[list[Page]]:
    """extract_chunk over the chunks in worker processes, in order, with a bounded number queued."""
    load_models()
    # Frozen objects are left out of the workers' garbage collections, which would otherwise visit
    # (and so copy, page by page) the whole heap they share with this process.
    gc.freeze()
    # fork: workers start in milliseconds with the parent's imports; the parent's threads are not used in them.
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            queued: deque[Future] = deque()
            for chunk in chunks:
                queued.append(pool.submit(extract_chunk, chunk))
                if len(queued) >= workers * IN_FLIGHT:
                    yield queued.popleft().result()
            while queued:
                yield queued.popleft().result()
    finally:
        gc.unfreeze()


def extract_files(raw_dir: Path | str, files: list[str], settings: RunSettings = RUN,
                  progress: Callable[[int, int], None] | None = None,
                  cpu_map: CpuMap | None = None) -> tuple[list[Page], dict[str, RunReport]]:  # fmt: skip
    """Extract every page of the given raw-store files (paths relative to the store ``raw_dir``), on every core when many.

    ``progress(done, total)`` is called as ``done`` more of ``total`` pages are extracted (parts, on a
    cluster). ``cpu_map`` (flows.runner.cluster_map) sends the parts' locations to the flow's Dask cluster when
    it runs on one: one task per part, which its worker reads from the shared raw store.
    """
    reports: dict[str, RunReport] = {}
    absolute = [locate(raw_dir, f) for f in files]
    if cpu_map is not None and (parts := cpu_map(extract_part, absolute)) is not None:
        # Progress in parts: the pages are counted where the parts are read.
        results, total, done = _merged(parts, reports), len(absolute), lambda pages: 1
    else:
        done = len
        total = count_pages(absolute)
        # Lazily, part by part: only the chunks queued hold response bodies.
        chunks = chunked(pages_to_extract(absolute, reports), CHUNK_PAGES)
        workers = settings.workers or len(os.sched_getaffinity(0))
        results = (
            _in_pool(chunks, workers)
            if workers > 1 and total >= settings.parallel_pages
            else map(extract_chunk, chunks)
        )
    pages: list[Page] = []
    for chunk_pages in results:
        pages += chunk_pages
        crash_point("extract")
        for page in chunk_pages:
            reports[page.source].empty_extractions += page.skip_reason in ("no main text", "too short")
        if progress:
            progress(done(chunk_pages), total)
    return pages, reports
