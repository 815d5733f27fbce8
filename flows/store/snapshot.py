"""Readers never blocked, never half a run: the writer works on a private copy and publishes snapshots.

DuckDB lets one process write a file, and a writer cannot open a file another
process holds. So psynews never writes the database analysts and dashboards
open (``data/psynews.duckdb``): every run writes ``psynews.work.duckdb``
beside it, and at the end copies it to a temporary file and renames that over
the published one. A rename is atomic: a reader that opens the file gets the
state before the run or after it, never between; a session already open keeps
its snapshot until it reconnects. The cost is one copy of the file per run
(about a second per few hundred MB here) and twice the disk.

A leftover work file is used again only when it still matches the published
file it came from (``<work>.origin`` records that file's identity at the last
copy or publish) and opens as a database. Otherwise (the published file was
replaced or restored since, or the work file is damaged) it is rebuilt from the
published file. That loses nothing: raw-store parts the published file has not
loaded are loaded again by the next run.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from crawler.atomic import atomic_path


def work_path(db: Path) -> Path:
    """The writer's private copy of a published database file."""
    return db.with_name(f"{db.stem}.work{db.suffix or '.duckdb'}")


def _origin_path(work: Path) -> Path:
    return work.with_name(work.name + ".origin")


def _identity(path: Path) -> list[int] | None:
    """Which file is at ``path`` (inode, size, modification time); None when there is none."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


def _record_origin(db: Path) -> None:
    with atomic_path(_origin_path(work_path(db))) as tmp:
        tmp.write_text(json.dumps({"published": _identity(db)}))


def _unusable(db: Path, work: Path) -> str | None:
    """Why the leftover work file must not be used, or None."""
    try:
        origin = json.loads(_origin_path(work).read_text())["published"]
    except (OSError, ValueError, KeyError, TypeError):
        return "no record of the published file it was copied from"
    if origin != _identity(db):
        return f"stale: {db} changed since it was copied"
    try:
        with duckdb.connect(str(work), read_only=True) as con:
            con.execute("select count(*) from duckdb_tables()").fetchall()
    except duckdb.Error as exc:
        return f"damaged ({exc})"
    return None


def prepare_work(db: Path) -> str | None:
    """Make the work file ready; return why it was (re)built from the published file, None if kept."""
    work = work_path(db)
    if not work.exists():
        reason = "missing"
    elif (reason := _unusable(db, work)) is None:
        return None
    for stale in (work, work.with_name(work.name + ".wal")):  # an old WAL replayed on a fresh copy would corrupt it
        stale.unlink(missing_ok=True)
    if db.exists():
        with atomic_path(work) as tmp:
            shutil.copyfile(db, tmp)
    _record_origin(db)
    return f"{work}: {reason}"


def publish(db: Path) -> None:
    """Replace the published file by the work file, atomically. The work file must be closed and checkpointed."""
    with atomic_path(db) as tmp:
        shutil.copyfile(work_path(db), tmp)
    _record_origin(db)
