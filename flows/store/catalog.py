"""The catalogue readers query: the local DuckDB file (default) or a DuckLake shared by many machines.

``--catalog`` / ``PSYNEWS_CATALOG``:
- unset or ``local``: the published DuckDB file (flows.store.snapshot).
- ``ducklake:postgres:<libpq keywords> data_path=<URL>``: a DuckLake whose
  catalogue is a PostgreSQL database and whose data files are Parquet under
  ``data_path`` (``s3://bucket/prefix/``, or a folder), for example
  ``ducklake:postgres:host=db.internal port=5432 dbname=psynews user=psynews data_path=s3://news/lake/``.

A run still writes its private DuckDB work file (one writer, fast upserts with
primary keys, which DuckLake lacks); at publish it copies every table into the
lake and recreates the same SQL views there, in one lake transaction. Readers
on any machine see the state before a run or after it, as with the file; a
machine whose work file is missing starts from the lake's tables.

DuckDB cannot download extensions here: ducklake, postgres_scanner and httpfs
come from their PyPI packages (``duckdb-extension-<name>``, built for the
pinned DuckDB) and load from their files. S3 credentials and endpoint come from
the usual AWS variables (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``,
``AWS_DEFAULT_REGION``, ``AWS_ENDPOINT_URL`` for S3-compatible servers), the
same ones s3fs reads for the raw store.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import duckdb

from flows.store.db import connect, models, transaction

ALIAS = "lake"


class CatalogError(ValueError):
    """A --catalog value psynews cannot use."""


@dataclass(frozen=True)
class Lake:
    postgres: str  # libpq keywords of the catalogue database
    data_path: str  # where DuckLake writes its Parquet files


def parse(spec: str | None) -> Lake | None:
    """The lake named by ``spec``; None for the local file."""
    if not spec or spec == "local":
        return None
    prefix = "ducklake:postgres:"
    if not spec.startswith(prefix):
        raise CatalogError(f"--catalog: expected local or {prefix}<libpq keywords> data_path=<URL>, got {spec!r}")
    words = spec.removeprefix(prefix).split()
    data = [w.removeprefix("data_path=") for w in words if w.startswith("data_path=")]
    if len(data) != 1 or not data[0]:
        raise CatalogError(f"--catalog: give the lake's data files exactly once, as data_path=<URL>, in {spec!r}")
    path = data[0] if data[0].endswith("/") else data[0] + "/"
    return Lake(" ".join(w for w in words if not w.startswith("data_path=")), path)


def extension_file(name: str) -> Path:
    """The extension shipped by the ``duckdb-extension-<name>`` package, for this DuckDB version."""
    spec = importlib.util.find_spec(f"duckdb_extension_{name}")
    if spec is None or not spec.submodule_search_locations:
        raise CatalogError(f"the DuckDB extension {name!r} is missing: install duckdb-extension-{name}")
    found = sorted(Path(spec.submodule_search_locations[0]).rglob(f"v{duckdb.__version__}/*.duckdb_extension"))
    if not found:
        raise CatalogError(f"duckdb-extension-{name} holds no build for DuckDB {duckdb.__version__}")
    return found[0]


def _s3_secret(con: duckdb.DuckDBPyConnection) -> None:
    """Let DuckDB's httpfs use the same S3 credentials and endpoint as s3fs."""
    options = {"key_id": os.environ.get("AWS_ACCESS_KEY_ID"), "secret": os.environ.get("AWS_SECRET_ACCESS_KEY"),
               "region": os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION")}  # fmt: skip
    if endpoint := os.environ.get("AWS_ENDPOINT_URL"):
        url = urlparse(endpoint)
        options |= {"endpoint": url.netloc, "use_ssl": url.scheme == "https", "url_style": "path"}
    given = ", ".join(f"{k} {v!r}" if isinstance(v, str) else f"{k} {v}" for k, v in options.items() if v is not None)
    con.execute(f"create or replace secret psynews_s3 (type s3{', ' + given if given else ''})")


def attach(con: duckdb.DuckDBPyConnection, lake: Lake, read_only: bool = False) -> None:
    """Attach the lake as ``lake`` and make it the default catalogue, so unqualified names resolve there."""
    for name in ("ducklake", "postgres_scanner", "httpfs"):
        con.execute(f"load '{extension_file(name)}'")
    if lake.data_path.startswith("s3://"):
        _s3_secret(con)
    mode = ", read_only" if read_only else ""
    con.execute(f"attach 'ducklake:postgres:{lake.postgres}' as {ALIAS} (data_path '{lake.data_path}'{mode})")
    con.execute(f"use {ALIAS}")


def connect_lake(lake: Lake, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A session on the lake: query its views as you would the local file."""
    con = duckdb.connect()
    try:
        attach(con, lake, read_only)
    except Exception:
        con.close()
        raise
    return con


def _tables(con: duckdb.DuckDBPyConnection, database: str) -> list[tuple[str, str]]:
    return con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = ? order by all", [database]
    ).fetchall()


def publish(work_db: Path, lake: Lake) -> None:
    """Copy every table of the (closed, checkpointed) work file into the lake and recreate the views, atomically."""
    with connect_lake(lake) as con:
        con.execute(f"attach '{work_db}' as work (read_only)")
        schemas = con.execute(
            "select schema_name from duckdb_schemas() where database_name = 'work' and not internal"
        ).fetchall()
        with transaction(con):
            for (schema,) in schemas:
                con.execute(f"create schema if not exists {schema}")
            for schema, table in _tables(con, "work"):
                con.execute(f"create or replace table {schema}.{table} as select * from work.{schema}.{table}")
            for model in models():
                for statement in con.extract_statements(model.sql):
                    # DuckLake keeps comments on tables and views, not on a view's columns (sql/README.md has them).
                    if not statement.query.lstrip().lower().startswith("comment on column"):
                        con.execute(statement.query)
        con.execute("detach work")


def _latest_run(con: duckdb.DuckDBPyConnection, database: str) -> str | None:
    tables = {table for _, table in _tables(con, database)}
    return con.execute(f"select max(run_id) from {database}.main.runs").fetchone()[0] if "runs" in tables else None


def seed_work(work_db: Path, lake: Lake) -> None:
    """Make the work file hold the lake's last published state, unless it already does.

    So any machine can take the writer's turn: its work file is missing, or
    older than the lake when another machine ran since. A lake nothing was
    published to yet leaves the work file (or the local published file) as the start.
    """
    with connect_lake(lake) as con:
        published = _latest_run(con, ALIAS)
        if published is None:
            return
        if work_db.exists():
            con.execute(f"attach '{work_db}' as work (read_only)")
            if _latest_run(con, "work") == published:
                return
            con.execute("detach work")
            work_db.unlink()
            Path(f"{work_db}.wal").unlink(missing_ok=True)
        connect(work_db).close()  # the schema, with its keys
        lake_tables = set(_tables(con, ALIAS))
        con.execute(f"attach '{work_db}' as work")
        with transaction(con):
            for schema, table in _tables(con, "work"):
                if (schema, table) in lake_tables and table != "schema_migrations":
                    con.execute(f"insert into work.{schema}.{table} by name select * from {schema}.{table}")
        con.execute("detach work")
