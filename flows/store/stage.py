"""The store stage's entry point: the one place a run opens its database.

A run writes the standby copy (flows.store.snapshot), journaling its writes, and publishes it at the end.
Other stages read what earlier runs stored through a ``Store`` they are handed,
each read in a connection of its own, so none of them opens the database.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import numpy as np

from crawler.raw_store import list_files
from flows.dedupe.stories import Assignment, PageKeys
from flows.extract.page import Page
from flows.report import RunReport
from flows.store import load, snapshot
from flows.store.catalog import parse, seed_work
from flows.store.catalog import publish as publish_to_lake
from flows.store.db import DatabaseError, connect, refresh
from flows.store.faults import crash_point

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from flows.clean.boilerplate import Sighting
    from flows.clean.stage import Cleaned
    from flows.dedupe.stage import Stories


class Store:
    """The work database behind the published file ``db``."""

    def __init__(self, db: Path, catalog: str | None = None):
        self.db = Path(db)
        self.work = snapshot.work_path(self.db)
        self.lake = parse(catalog)  # a DuckLake published to as well (flows.store.catalog)
        self._migrated = False

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the work file; the first one creates or upgrades it (recreating every view takes
        ~0.4 s, so the others skip that)."""
        con = duckdb.connect(str(self.work)) if self._migrated else connect(self.work)
        self._migrated = True
        with con:
            yield con

    def open(self) -> Store:
        """Create or upgrade the work database; refuse a foreign or corrupt published file, leaving it alone."""
        if self.lake:
            seed_work(self.work, self.lake)
        if made := snapshot.prepare_work(self.db):
            logger.info("work file made from the published one: %s", made)
        try:
            with self.connect():
                pass
        except DatabaseError as exc:
            if not made:  # a work file that was checked and kept: the message names it, rightly
                raise
            # A fresh copy of the published file: that file is at fault, and the error names it.
            self.work.unlink(missing_ok=True)
            raise DatabaseError(str(exc).replace(str(self.work), str(self.db))) from None
        return self

    # -- what earlier runs stored, for the stages -----------------------------

    def unloaded_files(self, raw_dir: Path | str) -> list[str]:
        """Raw-store files (relative to the store ``raw_dir``) no run has loaded yet."""
        with self.connect() as con:
            loaded = {row[0] for row in con.execute("select path from internal.loaded_files").fetchall()}
        return [f for f in list_files(raw_dir) if f not in loaded]

    def sightings(self, sources: list[str]) -> list[Sighting]:
        with self.connect() as con:
            return load.existing_sightings(con, sources)

    def boilerplate(self, sources: list[str]) -> dict[str, dict[str, str]]:
        """source -> {paragraph hash: reason} removed so far."""
        with self.connect() as con:
            return load.existing_boilerplate(con, sources)

    def titles(self, sources: list[str]) -> list[tuple[str, str]]:
        """(source, raw <title>) of the sources' article pages."""
        with self.connect() as con:
            return load.existing_titles(con, sources)

    def extracted_texts(self, sources: list[str]) -> list[tuple[str, str, str, str]]:
        with self.connect() as con:
            return load.extracted_texts(con, sources)

    def dedupe(self, keys: list[PageKeys], texts: dict[str, str],
               changed: dict[str, str]) -> tuple[dict[str, Assignment], dict[str, np.ndarray]]:  # fmt: skip
        """Stories of a run's pages and of the stored pages they touch, and the new signatures (load.dedupe_with_stored)."""
        with self.connect() as con:
            return load.dedupe_with_stored(con, keys, texts, changed)

    def stories_to_analyse(self, rules: str) -> list[tuple]:
        with self.connect() as con:
            return load.stories_to_analyse(con, rules)

    # -- writes ----------------------------------------------------------------

    def load_run(self, *, run_id: str, command: str, started_at: datetime, pages: list[Page], cleaned: Cleaned,
                 stories: Stories, files: list[str], reports: dict[str, RunReport],
                 rebuild: bool) -> dict[str, RunReport]:  # fmt: skip
        """Write one run's pages, stories and report in one transaction; return the reports with the load's counts."""
        with self.connect() as con:
            return load.load_run(snapshot.recording(con, self.db), run_id=run_id, command=command, started_at=started_at, pages=pages,
                                 stories=stories.assignments, signatures=stories.signatures, files=files,
                                 reports=reports, sightings=cleaned.sightings, updates=cleaned.updates,
                                 boilerplate=cleaned.boilerplate, rebuild=rebuild)  # fmt: skip

    def load_analysis(self, rows: dict[str, list[dict]], rules: str, topics: list[dict], studies: list[dict]) -> None:
        with self.connect() as con:
            load.load_analysis(snapshot.recording(con, self.db), rows, rules, topics, studies)

    def publish(self) -> int:
        """Refresh the aggregates for what the run touched, checkpoint the work file and publish it.

        Readers switch to the new state at once. Returns how many stories' aggregates were refreshed.
        """
        changed = []
        with self.connect() as con:
            refreshed = refresh(con, changed)
            con.execute("checkpoint")
            # The other copy takes the refreshed rows from this file instead of refreshing again.
            snapshot.recording(con, self.db).copy_refreshed(self.work, changed)
        crash_point("publish")
        if self.lake:  # first: the published file is still the state the run started from, the lake's delta base
            publish_to_lake(self.work, self.lake, self.db)
        snapshot.publish(self.db)
        return refreshed
