"""Whole files or none: the one way psynews writes a file others read (raw parts, database snapshots,
the dashboard, exports).

Write to a temporary name beside the target, fsync the file, rename it over the
target, fsync the directory. A crash at any point leaves the old file or the new
one, never a torn or empty one: without the file fsync, a power cut after the
rename can leave a 0-byte file under the final name; without the directory
fsync, the rename itself can be lost. Lives in ``crawler`` because both the
crawler and the flows use it (flows may import crawler, not the reverse).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    """Make the directory's entries (a rename, a new file) durable."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def move(path: Path, target: Path) -> Path:
    """Rename ``path`` to ``target`` (same file system) durably: both directories are synced."""
    target.parent.mkdir(parents=True, exist_ok=True)
    path.replace(target)
    fsync_dir(target.parent)
    fsync_dir(path.parent)
    return target


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path to write; when the block ends without error it becomes ``target``.

    The temporary name starts with a dot and ends in ``.tmp``, so globs for finished
    files (``*.parquet``) never see it; on error it is removed and ``target`` is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        tmp.replace(target)
        fsync_dir(target.parent)
    finally:
        tmp.unlink(missing_ok=True)
