"""Readers never blocked, never half a run: the writer works on a private copy and publishes snapshots.

DuckDB lets one process write a file, and a writer cannot open a file another
process holds. So psynews never writes the database analysts and dashboards
open (``data/psynews.duckdb``): every run writes ``psynews.work.duckdb``
beside it, and at the end copies it to a temporary file and renames that over
the published one. A rename is atomic: a reader that opens the file gets the
state before the run or after it, never between; a session already open keeps
its snapshot until it reconnects. The cost is one copy of the file per run
(about a second per few hundred MB here) and twice the disk.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def work_path(db: Path) -> Path:
    """The writer's private copy of a published database file."""
    return db.with_name(f"{db.stem}.work{db.suffix or '.duckdb'}")


def prepare_work(db: Path) -> Path:
    """The work file, created from the published one when missing (first run, or after a reset)."""
    work = work_path(db)
    if not work.exists() and db.exists():
        tmp = work.with_name(work.name + ".tmp")
        shutil.copyfile(db, tmp)
        tmp.replace(work)
    return work


def publish(db: Path) -> None:
    """Replace the published file by the work file, atomically. The work file must be closed and checkpointed."""
    work = work_path(db)
    tmp = db.with_name(f".{db.name}.publishing")
    shutil.copyfile(work, tmp)
    with tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    tmp.replace(db)
