"""Readers never blocked, never half a run, and a run pays for what it changes, not for the whole file.

DuckDB lets one process write a file, and a writer cannot open a file another
process holds. So psynews never writes the database analysts and dashboards
open. There are two copies, ``psynews.a.duckdb`` and ``psynews.b.duckdb``, and
``psynews.duckdb`` is a symbolic link to the published one. A run writes the
other one (the standby), then publishes it by replacing the link with a new
one (a rename: atomic), so a reader that opens ``psynews.duckdb`` gets the
state before the run or after it, never between; a session already open keeps
its file until it reconnects.

The copy that was published is then one run behind. The run's writes were
recorded as they went (``recording``): statements, their parameters and the
Arrow tables they read. Replaying them on that copy (``publish``) brings it to
the same state, at the cost of the run's changes rather than of the file. The
aggregates a publish refreshed are not recomputed there: the replay copies
their replaced rows from the file just published (``copy_refreshed``). A
``<copy>.origin`` marker, written only after a whole replay, says a standby
equals the published copy; a run that finds no marker (first run, a crash
between the two files' updates, a reader that kept the old copy open) copies
the published file over the standby first, as every run used to.

The marker is ``<copy>.origin``: the identity (inode, size, modification time)
of the published file the copy equals. A standby is used as it is only when its
origin matches the file published now and it opens as a database; otherwise
(the published file was replaced or restored since, the standby is damaged, a
run was killed after writing it) it is rebuilt from the published file. That
loses nothing: raw-store parts the published file has not loaded are loaded
again by the next run.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.atomic import atomic_path, fsync_dir

if TYPE_CHECKING:
    import duckdb

    from flows.store.materialise import Changed

REPLAY_WAIT_S = 2.0  # how long the replay waits for readers still holding the old copy to close it
READS = ("select", "from", "with", "describe", "show", "explain", "pragma", "summarize")

# The statements of the run in progress, by published database path; filled by ``recording``.
_journals: dict[str, list[tuple]] = {}


def copies(db: Path) -> tuple[Path, Path]:
    suffix = db.suffix or ".duckdb"
    return db.with_name(f"{db.stem}.a{suffix}"), db.with_name(f"{db.stem}.b{suffix}")


def published_copy(db: Path) -> Path | None:
    """The copy ``db`` links to; None before the first run (or a file from before the two copies)."""
    return db.parent / db.readlink() if db.is_symlink() else None


def work_path(db: Path) -> Path:
    """The standby copy: where the next run writes."""
    a, b = copies(db)
    return b if published_copy(db) == a else a


def _origin_path(copy: Path) -> Path:
    return copy.with_name(copy.name + ".origin")


def _identity(path: Path) -> list[int] | None:
    """Which file is at ``path``, links followed (inode, size, modification time); None when there is none."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


def _record_origin(copy: Path, db: Path) -> None:
    with atomic_path(_origin_path(copy)) as tmp:
        tmp.write_text(json.dumps({"published": _identity(db)}))


def _unusable(db: Path, work: Path) -> str | None:
    """Why the standby is not known to equal the published file, or None."""
    import duckdb

    if not work.exists():
        return "missing"
    try:
        origin = json.loads(_origin_path(work).read_text())["published"]
    except (OSError, ValueError, KeyError, TypeError):
        return "not known to match the published file (first run, or a run or replay was stopped)"
    if origin != _identity(db):
        return f"stale: {db} changed since it was copied"
    try:
        with duckdb.connect(str(work), read_only=True) as con:
            con.execute("select count(*) from duckdb_tables()").fetchall()
    except duckdb.Error as exc:
        return f"damaged ({exc})"
    return None


def prepare_work(db: Path) -> str | None:
    """Bring the standby to the published state; return why it was copied from the published file, None if kept.

    Starts the run's journal, and removes the standby's origin: from here on it differs.
    """
    work = work_path(db)
    legacy = db.with_name(f"{db.stem}.work{db.suffix or '.duckdb'}")  # the single work copy of earlier versions
    for old in (legacy, _origin_path(legacy)):
        old.unlink(missing_ok=True)
    reason = _unusable(db, work)
    if reason:
        for stale in (work, work.with_name(work.name + ".wal")):  # an old WAL replayed on a fresh copy corrupts it
            stale.unlink(missing_ok=True)
        if db.exists():
            with atomic_path(work) as tmp:
                shutil.copyfile(db, tmp)
    _origin_path(work).unlink(missing_ok=True)
    fsync_dir(db.parent)
    _journals[str(db)] = []
    return f"{work}: {reason}" if reason else None


class Recording:
    """A DuckDB connection that also journals every statement that may write, for the replay."""

    def __init__(self, con: duckdb.DuckDBPyConnection, journal: list[tuple] | None):
        self._con, self._journal = con, journal

    def _keep(self, *entry) -> None:  # after the call: what failed is not replayed
        if self._journal is not None:
            self._journal.append(entry)

    def copy_refreshed(self, published: Path, changed: list[Changed]) -> None:
        """Journal the aggregate rows a refresh replaced as copies from ``published`` (the file about to be
        published, attached read-only by the replay), rather than the refresh itself: the replay then costs
        the rows, not their recomputation."""
        if not changed:
            return
        path = str(published.resolve()).replace("'", "''")
        self._keep("execute", f"attach '{path}' as published (read_only)", None)
        self._keep("execute", "begin transaction", None)
        for table, columns, keys in changed:
            match = " and ".join(f"t.{c} = k.{c}" for c in columns)
            self._keep("register", "refreshed_keys", keys)
            self._keep("execute", f"delete from {table} t using refreshed_keys k where {match}", None)
            self._keep("execute", f"insert into {table} select t.* from published.{table} t"
                       f" semi join refreshed_keys k on {match}", None)  # fmt: skip
            self._keep("unregister", "refreshed_keys")
        self._keep("execute", "delete from internal.dirty_stories", None)  # as the refresh did
        self._keep("execute", "commit", None)
        self._keep("execute", "detach published", None)

    def execute(self, sql: str, parameters=None):
        result = self._con.execute(sql, parameters)
        if not sql.lstrip().lower().startswith(READS):
            self._keep("execute", sql, parameters)
        return result

    def executemany(self, sql: str, parameters):
        result = self._con.executemany(sql, parameters)
        self._keep("executemany", sql, parameters)
        return result

    def register(self, name: str, data):
        result = self._con.register(name, data)
        self._keep("register", name, data)
        return result

    def unregister(self, name: str):
        result = self._con.unregister(name)
        self._keep("unregister", name)
        return result

    def __getattr__(self, name: str):
        return getattr(self._con, name)


def recording(con: duckdb.DuckDBPyConnection, db: Path) -> Recording:
    """``con`` (open on the standby of ``db``), journaling its writes for ``publish``.

    Without a journal (prepare_work ran in another process) nothing is kept and the
    next run copies the file instead.
    """
    return Recording(con, _journals.get(str(db)))


def _replay(copy: Path, journal: list[tuple]) -> bool:
    """Apply the journal to a copy; False when readers kept it open past REPLAY_WAIT_S."""
    import duckdb

    from flows.store.db import connect  # the same migrations and views as the run's copy
    from flows.store.faults import crash_point

    deadline = time.monotonic() + REPLAY_WAIT_S
    while True:
        try:
            con = connect(copy)
            break
        # A reader that opened the copy before it was replaced holds its lock (or, in this process, its instance).
        except (duckdb.IOException, duckdb.ConnectionException):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
    try:
        # The replayed writes stay in the copy's WAL (each commit syncs it) instead of a checkpoint, which
        # rewrites every index the run touched (seconds at a million pages): the next run's publish
        # checkpoints this copy once, with its own writes.
        con.execute("pragma disable_checkpoint_on_shutdown")
        for kind, *args in journal:
            getattr(con, kind)(*args)
            crash_point("replay")
    finally:
        con.close()
    for path in (copy, copy.with_name(copy.name + ".wal")):
        if path.exists():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    return True


def publish(db: Path) -> None:
    """Publish the standby (closed and checkpointed), then bring the copy it replaces up to date."""
    work = work_path(db)
    with work.open("rb") as handle:
        os.fsync(handle.fileno())
    old = published_copy(db)
    link = db.with_name(f".{db.name}.publishing")
    link.unlink(missing_ok=True)
    link.symlink_to(work.name)
    link.replace(db)
    fsync_dir(db.parent)
    journal = _journals.pop(str(db), None)
    if old is not None and old.exists() and journal is not None and _replay(old, journal):
        _record_origin(old, db)
