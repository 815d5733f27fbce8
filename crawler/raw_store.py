"""The raw store: every fetched response, kept so everything downstream reruns offline.

Format: Parquet files with zstd compression, one folder per source,
``<raw>/<source>/<run_id>-<part>.parquet``. ``<raw>`` is a folder or a URL
that fsspec opens: ``data/raw`` or ``file:///srv/raw`` on one machine,
``s3://bucket/prefix`` (S3-compatible storage, through s3fs) when crawls and
extraction run on several. A local part is written to a temporary name,
fsynced and renamed (crawler.atomic); an object-store part is one PUT. Either
way a part is whole or absent: a crawl killed midway keeps the parts it
finished. A part that cannot be read all the same (0 bytes, truncated, damaged)
is moved aside to ``<raw>/_quarantine/<source>/`` by ``quarantine`` and
reported; it never blocks a run. Analysts can read the store directly:
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
import io
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
from fsspec.implementations.local import LocalFileSystem

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


def open_store(raw: Path | str) -> tuple[fsspec.AbstractFileSystem, str]:
    """The file system and root path of a raw-store location (a folder, file:// or s3:// URL)."""
    return fsspec.core.url_to_fs(str(raw))


def locate(raw: Path | str, relative: str) -> str:
    """The location of a part given relative to the store (as ``internal.loaded_files`` keeps it)."""
    return f"{str(raw).rstrip('/')}/{relative}"


def write_part(raw: Path | str, relative: str, table: pa.Table) -> None:
    """Write one part whole or not at all: a local file through crawler.atomic, an object in one PUT."""
    fs, root = open_store(raw)
    final = f"{root.rstrip('/')}/{relative}"
    if isinstance(fs, LocalFileSystem):
        with atomic_path(final) as tmp:
            pq.write_table(table, tmp, compression="zstd")
        return
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    fs.pipe_file(final, buffer.getvalue())


class RawWriter:
    """Buffers records and writes them as atomic Parquet parts."""

    def __init__(self, raw: Path | str, source: str, run_id: str, flush_bytes: int = 16 << 20, flush_rows: int = 50):
        self.raw = raw
        self.source = source
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
        table = pa.Table.from_pylist(self._rows, schema=SCHEMA)
        write_part(self.raw, f"{self.source}/{self.run_id}-{self._part:04d}.parquet", table)
        self._rows, self._bytes = [], 0
        self._part += 1

    close = flush


def list_files(raw: Path | str, source: str = "*") -> list[str]:
    """Finished parts (of one source, or all), relative to the store, oldest run first (run ids sort by time)."""
    fs, root = open_store(raw)
    root = root.rstrip("/")
    fs.invalidate_cache()  # object stores cache listings; other machines add parts
    found = [path[len(root) + 1 :] for path in fs.glob(f"{root}/{source}/*.parquet")]
    return sorted(found, key=lambda p: (p.rsplit("/", 1)[-1], p.rsplit("/", 1)[0]))


def _read(location: Path | str, **options) -> pa.Table:
    fs, path = open_store(location)
    return pq.read_table(path, filesystem=fs, **options)


def read_file(location: Path | str) -> list[RawRecord]:
    """Every record of one part, by its full location (see ``locate``); raises one of UNREADABLE if damaged."""
    records = []
    for row in _read(location, schema=SCHEMA).to_pylist():
        row["headers"] = dict(row["headers"] or [])
        records.append(RawRecord(**row))
    return records


def read_columns(location: Path | str, columns: list[str]) -> pa.Table:
    """Some columns of one part; columns a part predates come back as nulls."""
    return _read(location, schema=SCHEMA, columns=columns)


def read_bodies(location: Path | str) -> dict[str, bytes]:
    """fetch_id -> body of one part, reading those two columns only."""
    table = _read(location, columns=["fetch_id", "body"])
    return dict(zip(table["fetch_id"].to_pylist(), table["body"].to_pylist(), strict=True))


def quarantine(location: Path | str) -> str:
    """Move an unreadable part out of the store, to ``<raw>/_quarantine/<source>/``; return where it went."""
    fs, path = open_store(location)
    folder, _, name = path.rpartition("/")
    root, _, source = folder.rpartition("/")
    target = f"{root}/{QUARANTINE}/{source}/{name}"
    if isinstance(fs, LocalFileSystem):
        return str(move(Path(path), Path(target)))
    fs.mv(path, target)
    return fs.unstrip_protocol(target)
