"""One run at a time per data directory: a run that finds another in progress exits cleanly."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path


class RunInProgress(RuntimeError):
    """Another psynews run holds the lock."""


@contextmanager
def run_lock(data_dir: Path):
    """Hold ``DATA_DIR/psynews.lock`` for the block; raise RunInProgress if another process holds it.

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
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)
