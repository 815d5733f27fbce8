"""One run at a time: per data directory on one machine, and per lake across machines.

A run that finds another in progress exits cleanly. On one machine the lock
is a file in the data directory. Runs on several machines that publish to one
DuckLake (flows.store.catalog) have no file in common, so they also take a
PostgreSQL advisory lock on the lake's catalogue database.
"""

from __future__ import annotations

import fcntl
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import duckdb

from flows.store.catalog import Lake, extension_file, parse

LAKE_LOCK = 0x7073796E657773  # the advisory lock's key ("psynews"): advisory locks are per database


class RunInProgress(RuntimeError):
    """Another psynews run holds the lock."""


@contextmanager
def run_lock(data_dir: Path, catalog: str | None = None) -> Iterator[None]:
    """Hold ``DATA_DIR/psynews.lock`` (and the lake's lock, with a DuckLake ``catalog``) for the block; raise
    RunInProgress if another process holds either.

    The lock is the kernel's (flock), so a run killed with -9 releases it at once.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "psynews.lock"
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise RunInProgress(f"another psynews run is in progress ({holder}); nothing done") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            lake = parse(catalog)
            with lake_lock(lake) if lake else nullcontext():
                yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def lake_lock(lake: Lake) -> Iterator[None]:
    """Hold the lake's advisory lock for the block; raise RunInProgress, naming the holder, if another run has it.

    A transaction-level lock (pg_try_advisory_xact_lock) in a transaction kept open for the block, on a session of
    its own: PostgreSQL releases it when the transaction ends or the session drops, so a run killed on any
    machine frees the lake as soon as its connection goes. (A server's idle_in_transaction_session_timeout, if
    set, must be longer than a run.)
    """
    me = f"psynews pid {os.getpid()} on {socket.gethostname()}"[:63]  # application_name's length limit
    con = duckdb.connect()
    try:
        con.execute(f"load '{extension_file('postgres_scanner')}'")
        dsn = f"{lake.postgres} application_name='{me}'".replace("'", "''")
        con.execute(f"attach '{dsn}' as catalogue (type postgres)")
        con.execute("begin")
        [(held,)] = _catalogue(con, f"select pg_try_advisory_xact_lock({LAKE_LOCK}) as held")
        if not held:
            holders = _catalogue(con, "select a.application_name || ' since ' || a.backend_start::timestamp(0)"
                                      " from pg_locks l join pg_stat_activity a using (pid)"
                                      f" where l.locktype = 'advisory' and l.granted and l.objsubid = 1"
                                      f" and (l.classid::bigint << 32 | l.objid::bigint) = {LAKE_LOCK}")  # fmt: skip
            holder = ", ".join(h for (h,) in holders) or "unknown"
            raise RunInProgress(f"another psynews run is publishing to this lake ({holder}); nothing done")
        yield
    finally:
        con.close()  # ends the transaction: the lock goes with it


def _catalogue(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    """Rows of a query run in the catalogue database itself (in the open transaction's session)."""
    return con.execute("select * from postgres_query('catalogue', ?)", [sql]).fetchall()
