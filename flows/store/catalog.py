"""The catalogue readers query: the local DuckDB file (default) or a DuckLake shared by many machines.

``--catalog`` / ``PSYNEWS_CATALOG``:
- unset or ``local``: the published DuckDB file (flows.store.snapshot).
- ``ducklake:postgres:<libpq keywords> data_path=<URL>``: a DuckLake whose
  catalogue is a PostgreSQL database and whose data files are Parquet under
  ``data_path`` (``s3://bucket/prefix/``, or a folder), for example
  ``ducklake:postgres:host=db.internal port=5432 dbname=psynews user=psynews data_path=s3://news/lake/``.

A run still writes its private DuckDB work file (one writer, fast upserts with
primary keys, which DuckLake lacks); at publish it writes to the lake only the
rows the run changed and recreates the same SQL views there, in one lake
transaction (one DuckLake snapshot). The change is found locally: the published
DuckDB file is the state before the run, and so the lake's state when both
hold the same latest run. Per table, the rows only the published file has
(deleted or changed by the run) are deleted from the lake by key, and the rows
only the work file has (new or changed) are inserted. A first publish, a
lake that holds another run than the published file, or a table new or changed
in shape, is copied whole. Readers on any machine see the state before a run or
after it, as with the file; a machine whose work file is missing starts from
the lake's tables. DuckLake has no ENUM type: such columns are stored as text.

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


Shape = dict[tuple[str, str, str], list[tuple[str, str]]]  # (database, schema, table) -> [(column, type)]


def _shapes(con: duckdb.DuckDBPyConnection, databases: list[str]) -> Shape:
    """Every table's columns in the given databases, read once (each read of the lake's asks PostgreSQL)."""
    found: Shape = {}
    rows = con.execute(
        "select database_name, schema_name, table_name, column_name, data_type from duckdb_columns()"
        " where list_contains(?, database_name) order by database_name, schema_name, table_name, column_index",
        [databases],
    ).fetchall()
    for database, schema, table, column, kind in rows:
        found.setdefault((database, schema, table), []).append((column, kind))
    return found


def _keys(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[str]]:
    """The work tables' primary keys."""
    rows = con.execute(
        "select schema_name, table_name, constraint_column_names from duckdb_constraints()"
        " where database_name = 'work' and constraint_type = 'PRIMARY KEY'"
    ).fetchall()
    return {(schema, table): list(columns) for schema, table, columns in rows}


def _as_stored(columns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Columns as the lake stores them: DuckLake has no ENUM type, so those are VARCHAR."""
    return [(name, "VARCHAR" if kind.startswith("ENUM") else kind) for name, kind in columns]


def _publish_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, shapes: Shape, key: list[str] | None,
                   incremental: bool) -> None:  # fmt: skip
    """Bring the lake's table to the work file's: its changed rows when ``incremental``, else all of it.

    ``key``: the table's primary key; without one a row is its own key.
    """
    columns = shapes[("work", schema, table)]
    stored = _as_stored(columns)
    select = ", ".join(f'"{n}"::varchar as "{n}"' if k.startswith("ENUM") else f'"{n}"' for n, k in columns)
    work, prev = f"work.{schema}.{table}", f"prev.{schema}.{table}"
    same_shape = shapes.get((ALIAS, schema, table)) == stored == _as_stored(shapes.get(("prev", schema, table), []))
    if not (incremental and same_shape):
        con.execute(f"create or replace table {schema}.{table} as select {select} from {work}")
        return
    # Rows new or changed in this run, and the rows they replace or that the run deleted. The lake holds
    # the published file's rows, so only the latter are there to delete: a run that only added rows
    # deletes nothing (a delete reads the lake's table to find its rows). A table with a key is compared
    # by key and row hash, which holds far less than its rows (the pages' text).
    if key:
        keys = ", ".join(f'"{c}"' for c in key)
        hashed = "select {keys}, hash(whole_row) as row_hash from {table} as whole_row"
        now, before = hashed.format(keys=keys, table=work), hashed.format(keys=keys, table=prev)
        added = con.sql(f"select w.* from {work} as w semi join ({now} except {before}) using ({keys})")
        removed = con.sql(f"select {keys} from ({before} except {now})").to_arrow_table()
    else:
        added = con.sql(f"select * from {work} except select * from {prev}")
        removed = con.sql(f"select * from {prev} except select * from {work}").to_arrow_table()
    added = added.to_arrow_table()
    if removed.num_rows:
        con.register("removed_rows", removed)
        match = " and ".join(f'{table}."{c}" is not distinct from removed_rows."{c}"' for c in removed.column_names)
        con.execute(f"delete from {schema}.{table} using removed_rows where {match}")
        con.unregister("removed_rows")
    if added.num_rows:
        con.register("added_rows", added)
        con.execute(f"insert into {schema}.{table} select {select} from added_rows")
        con.unregister("added_rows")


def publish(work_db: Path, lake: Lake, previous: Path | None = None) -> None:
    """Publish the (closed, checkpointed) work file to the lake and recreate the views, atomically.

    ``previous`` is the published DuckDB file the run started from: when the lake holds its latest
    run, only the rows that differ between it and the work file are written (module docstring).
    """
    with connect_lake(lake) as con:
        con.execute(f"attach '{work_db}' as work (read_only)")
        has_previous = previous is not None and Path(previous).exists()
        if has_previous:
            con.execute(f"attach '{previous}' as prev (read_only)")
        latest = _latest_run(con, "prev") if has_previous else None
        incremental = latest is not None and latest == _latest_run(con, ALIAS)
        schemas = con.execute(
            "select schema_name from duckdb_schemas() where database_name = 'work' and not internal"
        ).fetchall()
        with transaction(con):
            for (schema,) in schemas:
                con.execute(f"create schema if not exists {schema}")
            shapes, keys = _shapes(con, ["work", "prev", ALIAS]), _keys(con)
            for schema, table in _tables(con, "work"):
                _publish_table(con, schema, table, shapes, keys.get((schema, table)), incremental)
            for model in models():
                for statement in con.extract_statements(model.sql):
                    # DuckLake keeps comments on tables and views, not on a view's columns (sql/README.md has them).
                    if not statement.query.lstrip().lower().startswith("comment on column"):
                        con.execute(statement.query)
        for database in ("work", "prev") if has_previous else ("work",):
            con.execute(f"detach {database}")


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
