"""The raw store: every fetched response, kept so everything downstream reruns offline.

Format: Parquet files with zstd compression, one folder per source,
``<raw_dir>/<source>/<run_id>-<part>.parquet``. Each file is written to a
temporary name, fsynced and renamed (crawler.atomic), so a file is either whole
or absent: a crawl killed midway keeps the parts it finished. A part that cannot
be read all the same (0 bytes, truncated, damaged on disk) is moved aside to
``<raw_dir>/_quarantine/<source>/`` by ``quarantine`` and reported; it never
blocks a run. Analysts can read the store directly:
``select url, status from read_parquet('data/raw/*/*.parquet', union_by_name = true)``
(``union_by_name``: parts written before a column was added lack it).

Kinds: ``page``, ``feed``, ``sitemap`` (a response, any status), ``not_modified``
(a conditional request answered 304: no body, nothing changed), ``error`` (no
usable response: timeout, reset, redirect loop, download cap) and ``skipped``
(not requested by design: robots.txt, duplicates), the last two with a reason.

This module is the only code that knows the on-disk format.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.atomic import atomic_path, move

QUARANTINE = "_quarantine"  # not a valid source name, and one level deeper than the parts' */*.parquet
# What reading a damaged part raises: ArrowInvalid for a bad footer, OSError for bad pages.
UNREADABLE = (OSError, pa.ArrowException)

SCHEMA = pa.schema(
    [
        ("fetch_id", pa.string()),
        ("source", pa.string()),
        ("kind", pa.string()),  # page, feed, sitemap, not_modified, error, skipped
        ("url", pa.string()),  # the URL answered (after redirects)
        ("request_url", pa.string()),  # the URL asked for
        ("status", pa.int32()),  # null when no response came back
        ("headers", pa.map_(pa.string(), pa.string())),
        ("body", pa.binary()),
        ("fetched_at", pa.timestamp("us", tz="UTC")),
        ("error", pa.string()),  # why nothing usable came back, else null
        ("body_sha1", pa.string()),  # of the body, so reruns see an unchanged page without reading bodies
    ]
)


@dataclass
class RawRecord:
    fetch_id: str
    source: str
    kind: str
    url: str
    request_url: str
    status: int | None
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    error: str | None = None
    body_sha1: str | None = None

    def __post_init__(self) -> None:
        if self.body_sha1 is None and self.body:
            self.body_sha1 = hashlib.sha1(self.body).hexdigest()


class RawWriter:
    """Buffers records and writes them as atomic Parquet parts."""

    def __init__(self, raw_dir: Path, source: str, run_id: str, flush_bytes: int = 16 << 20, flush_rows: int = 50):
        self.folder = Path(raw_dir) / source
        self.run_id = run_id
        self.flush_bytes = flush_bytes
        self.flush_rows = flush_rows
        self._rows: list[dict] = []
        self._bytes = 0
        self._part = 0

    def write(self, record: RawRecord) -> None:
        row = asdict(record)
        row["headers"] = list(record.headers.items())
        self._rows.append(row)
        self._bytes += len(record.body)
        if len(self._rows) >= self.flush_rows or self._bytes >= self.flush_bytes:
            self.flush()

    def flush(self) -> None:
        if not self._rows:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pylist(self._rows, schema=SCHEMA)
        with atomic_path(self.folder / f"{self.run_id}-{self._part:04d}.parquet") as tmp:
            pq.write_table(table, tmp, compression="zstd")
        self._rows, self._bytes = [], 0
        self._part += 1

    close = flush


def list_files(raw_dir: Path) -> list[Path]:
    """Finished part files, oldest run first (run ids sort by time)."""
    return sorted(Path(raw_dir).glob("*/*.parquet"), key=lambda p: (p.name, p.parent.name))


def read_file(path: Path) -> list[RawRecord]:
    """Every record of one part; raises one of UNREADABLE if the part is damaged."""
    records = []
    for row in pq.read_table(path, schema=SCHEMA).to_pylist():
        row["headers"] = dict(row["headers"] or [])
        records.append(RawRecord(**row))
    return records


def read_columns(path: Path, columns: list[str]) -> pa.Table:
    """Some columns of one part; columns a part predates come back as nulls."""
    return pq.read_table(path, schema=SCHEMA, columns=columns)


def read_bodies(path: Path) -> dict[str, bytes]:
    """fetch_id -> body of one part, reading those two columns only."""
    table = pq.read_table(path, columns=["fetch_id", "body"])
    return dict(zip(table["fetch_id"].to_pylist(), table["body"].to_pylist(), strict=True))


def quarantine(path: Path) -> Path:
    """Move an unreadable part out of the store, to ``<raw_dir>/_quarantine/<source>/``; return where it went."""
    path = Path(path)
    return move(path, path.parent.parent / QUARANTINE / path.parent.name / path.name)
