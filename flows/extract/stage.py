"""The extract stage's entry point: raw-store files in, pages and each source's fetch report out.

Files are extracted in a process pool when there are many (trafilatura is
CPU-bound, ~50 pages/s per core), in this process otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from flows.extract.page import Page, extract_file
from flows.report import RunReport, merge_reports
from flows.settings import RUN, RunSettings
from flows.store.faults import crash_point


def extract_files(raw_dir: Path, files: list[str], settings: RunSettings = RUN,
                  progress: Callable[[int, int], None] | None = None) -> tuple[list[Page], dict[str, RunReport]]:  # fmt: skip
    """Extract every page of the given raw-store files (paths relative to ``raw_dir``).

    ``progress(done, total)`` is called after each file.
    """
    pages: list[Page] = []
    reports: dict[str, RunReport] = {}
    absolute = [raw_dir / f for f in files]
    pool = None
    if len(files) < settings.parallel_files:
        results = map(extract_file, absolute)
    else:
        pool = ProcessPoolExecutor(max_workers=settings.workers or os.cpu_count())
        results = pool.map(extract_file, absolute)
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
