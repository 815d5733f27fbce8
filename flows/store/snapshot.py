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
the same state, at the cost of the run's changes rather than of the file. A
``<copy>.synced`` marker, written only after a whole replay, says a standby
equals the published copy; a run that finds no marker (first run, a crash
between the two files' updates, a reader that kept the old copy open) copies
the published file over the standby first, as every run used to.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

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


def _synced(copy: Path) -> Path:
    return copy.with_name(copy.name + ".synced")


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def prepare_work(db: Path) -> Path:
    """Bring the standby to the published state (a full copy only when it is not known to be there).

    Starts the run's journal, and removes the standby's marker: from here on it differs.
    """
    work = work_path(db)
    legacy = db.with_name(f"{db.stem}.work{db.suffix or '.duckdb'}")  # the single work copy of earlier versions
    legacy.unlink(missing_ok=True)
    if db.exists() and not _synced(work).exists():
        tmp = work.with_name(work.name + ".tmp")
        shutil.copyfile(db, tmp)
        work.with_name(work.name + ".wal").unlink(missing_ok=True)  # a killed writer's log belongs to the old file
        tmp.replace(work)
    _synced(work).unlink(missing_ok=True)
    _fsync_dir(db.parent)
    _journals[str(db)] = []
    return work


class Recording:
    """A DuckDB connection that also journals every statement that may write, for the replay."""

    def __init__(self, con: duckdb.DuckDBPyConnection, journal: list[tuple] | None):
        self._con, self._journal = con, journal

    def _keep(self, *entry) -> None:  # after the call: what failed is not replayed
        if self._journal is not None:
            self._journal.append(entry)

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
        for kind, *args in journal:
            getattr(con, kind)(*args)
            crash_point("replay")
        con.execute("checkpoint")
    finally:
        con.close()
    with copy.open("rb") as handle:
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
    _fsync_dir(db.parent)
    journal = _journals.pop(str(db), None)
    if old is not None and old.exists() and journal is not None and _replay(old, journal):
        _synced(old).touch()
        _fsync_dir(db.parent)
