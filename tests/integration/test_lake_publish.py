"""Publishing to a DuckLake writes only what a run changed, and the lake ends equal to the published file.

A real PostgreSQL server (tests/lake_servers.py) holds the catalogue; the data
files go to a local folder (the S3 path is covered by test_distributed.py).
"""

from __future__ import annotations

import shutil
from collections import Counter

import duckdb
import pytest

from flows.store.catalog import ALIAS, connect_lake, parse, publish
from flows.store.stage import Store
from tests.lake_servers import postgres
from tests.unit.store.conftest import fixture_records, load_records


def tables(con: duckdb.DuckDBPyConnection, database: str) -> dict[str, Counter]:
    """Every table's rows (as text, so an ENUM and the lake's VARCHAR compare equal), by schema.table."""
    names = con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = ?", [database]
    ).fetchall()
    return {
        f"{schema}.{table}": Counter(map(repr, con.execute(f"select * from {database}.{schema}.{table}").fetchall()))
        for schema, table in names
    }


def changed_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Tables (schema.table) the lake's latest snapshot inserted into or deleted from."""
    changes = con.execute(f"select changes from {ALIAS}.snapshots() order by snapshot_id desc limit 1").fetchone()[0]
    kinds = ("tables_inserted_into", "tables_deleted_from", "inlined_insert", "inlined_delete")  # small ones: inlined
    ids = {int(i) for kind in kinds for i in changes.get(kind, [])}
    names = con.execute(
        f"select t.table_id, s.schema_name || '.' || t.table_name from __ducklake_metadata_{ALIAS}.ducklake_table as t"
        f" inner join __ducklake_metadata_{ALIAS}.ducklake_schema as s on t.schema_id = s.schema_id"
        " where t.end_snapshot is null"
    ).fetchall()
    return {name for table_id, name in names if table_id in ids}


@pytest.fixture(scope="module")
def lake_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lake")
    records = fixture_records()
    harbor = [r for r in records if r.source == "harbor"]
    others = [r for r in records if r.source != "harbor"]
    with postgres() as pg:
        catalog = f"ducklake:postgres:{pg} data_path={tmp / 'data'}/"
        db = tmp / "psynews.duckdb"
        store = Store(db, catalog).open()
        load_records(store, harbor[:-3], "r1")
        store.publish()
        shutil.copyfile(db, tmp / "first.duckdb")  # the state after the first run
        with connect_lake(parse(catalog), read_only=True) as con:
            first = changed_tables(con)
        store = Store(db, catalog).open()
        # New stories, and syndicated copies joining stories of another source
        load_records(store, harbor[-3:] + others, "r2")
        store.publish()
        with duckdb.connect(str(db), read_only=True) as con:
            published = tables(con, con.execute("select current_database()").fetchone()[0])
        with connect_lake(parse(catalog), read_only=True) as con:
            second = changed_tables(con)
            lake = tables(con, ALIAS)
        yield {"published": published, "lake": lake, "first": first, "second": second, "catalog": catalog,
               "db": db, "tmp": tmp}  # fmt: skip


def test_the_lake_equals_the_published_file_table_by_table(lake_runs):
    published, lake = lake_runs["published"], lake_runs["lake"]
    assert set(lake) == set(published)
    for table, rows in published.items():
        assert lake[table] == rows, f"{table}: the lake differs from the published file"


def test_the_second_publish_writes_only_the_tables_the_run_changed(lake_runs):
    first, second = lake_runs["first"], lake_runs["second"]
    assert {"internal.pages", "internal.mat_claims_by_month", "main.runs"} <= second
    # the reference tables are reloaded with the same rows by every analysis: nothing to write
    assert {"internal.ref_topics", "internal.ref_studies"} <= first - second


def test_a_lake_at_another_run_than_the_published_file_is_copied_whole(lake_runs):
    # As when another machine published last: the published file is no base for a delta.
    catalog, db = lake_runs["catalog"], lake_runs["db"]
    publish(db, parse(catalog), lake_runs["tmp"] / "first.duckdb")
    with connect_lake(parse(catalog), read_only=True) as con:
        changes = con.execute(f"select changes from {ALIAS}.snapshots() order by snapshot_id desc limit 1").fetchone()[
            0
        ]
        assert "internal.ref_topics" in changes.get("tables_created", [])  # unchanged, yet written again
        assert tables(con, ALIAS) == lake_runs["published"]
