"""The extract stage's entry point: raw-store files in, pages and each source's fetch report out.

Files are extracted in a process pool when there are many (trafilatura is
CPU-bound, ~50 pages/s per core), in this process otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from crawler.raw_store import locate
from flows.analyse.story import CpuMap
from flows.extract.page import Page, extract_file
from flows.report import RunReport, merge_reports
from flows.settings import RUN, RunSettings
from flows.store.faults import crash_point


def extract_files(raw_dir: Path | str, files: list[str], settings: RunSettings = RUN,
                  progress: Callable[[int, int], None] | None = None,
                  cpu_map: CpuMap | None = None) -> tuple[list[Page], dict[str, RunReport]]:  # fmt: skip
    """Extract every page of the given raw-store files (paths relative to the store ``raw_dir``).

    ``progress(done, total)`` is called after each file. ``cpu_map`` (flows.runner.cluster_map)
    sends the files to a Dask cluster when the flow runs on one.
    """
    pages: list[Page] = []
    reports: dict[str, RunReport] = {}
    locations = [locate(raw_dir, f) for f in files]
    pool = None
    if cpu_map is not None and (results := cpu_map(extract_file, locations)) is not None:
        pass
    elif len(files) < settings.parallel_files:
        results = map(extract_file, locations)
    else:
        pool = ProcessPoolExecutor(max_workers=settings.workers or os.cpu_count())
        results = pool.map(extract_file, locations)
    try:
        for file_pages, file_reports in results:
            pages += file_pages
            crash_point("extract")
            reports = merge_reports(reports, file_reports)
            if progress:
                progress(1, len(files))
    finally:
        if pool:
            pool.shutdown()
    return pages, reports
