"""Run settings and paths, defined once for the flows, the CLI, the benchmarks and the tests.

The crawl's politeness (delays, concurrency per host) is Scrapy's, in
crawler/settings.py; a run overrides it with ``--set NAME=VALUE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flows.store.db import database_path
from flows.store.snapshot import work_path


@dataclass(frozen=True)
class RunSettings:
    """Defaults of every run; a run changes one with ``dataclasses.replace`` (the CLI: --recheck-days)."""

    # Days before a stored page is checked again (crawler.history); a source's own recheck_days wins.
    recheck_days: float = 7.0
    crawl_workers: int = 4  # sources crawled at once, each in its own subprocess
    crawl_timeout: float = 3600  # seconds one source's crawl may take before it is stopped
    crawl_retry_delay: float = 10  # seconds before a failed crawl is tried once more
    workers: int | None = None  # processes for extraction and analysis; None: one per CPU
    parallel_pages: int = 16  # below this many pages, extraction runs in the flow's process (workers cost more)
    parallel_stories: int = 200  # below this many stories, analysis runs in the flow's process


RUN = RunSettings()


@dataclass(frozen=True)
class Paths:
    """Where a run reads and writes, all under the data directory unless --db says otherwise."""

    data_dir: Path
    db: Path
    raw: str | None = None  # the raw store when not DATA_DIR/raw: a folder or a URL (s3://bucket/prefix)
    catalog: str | None = None  # a DuckLake published to as well (flows.store.catalog); None: the file alone

    @classmethod
    def make(cls, data_dir: Path | str = "data", db: Path | str | None = None, raw: str | None = None,
             catalog: str | None = None) -> Paths:  # fmt: skip
        data_dir = Path(data_dir)
        return cls(
            data_dir, database_path(data_dir, db), raw or None, None if catalog in (None, "", "local") else catalog
        )

    @property
    def raw_dir(self) -> str:
        """The raw store's location, for crawler.raw_store (a folder or an fsspec URL)."""
        return self.raw or str(self.data_dir / "raw")

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def work_db(self) -> Path:
        """Where runs write; readers open ``db``, which each run replaces atomically (flows.store.snapshot)."""
        return work_path(self.db)

    @property
    def dashboard(self) -> Path:
        return self.data_dir / "dashboard.html"
