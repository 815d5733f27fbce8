"""The --catalog setting and the DuckLake extensions shipped as packages (the lake itself: tests/integration)."""

from __future__ import annotations

import duckdb
import pytest

from flows.store.catalog import CatalogError, Lake, extension_file, parse


def test_local_is_the_default():
    assert parse(None) is None
    assert parse("local") is None


def test_a_lake_names_its_catalogue_and_data_path():
    lake = parse("ducklake:postgres:host=db port=5432 dbname=news data_path=s3://bucket/lake")
    assert lake == Lake("host=db port=5432 dbname=news", "s3://bucket/lake/")


@pytest.mark.parametrize(
    ("spec", "message"),
    [("postgres:host=db", "expected local or ducklake:postgres:"),
     ("ducklake:postgres:host=db", "data_path=<URL>"),
     ("ducklake:postgres:host=db data_path=a data_path=b", "exactly once")],
)  # fmt: skip
def test_a_bad_catalog_says_what_is_expected(spec, message):
    with pytest.raises(CatalogError, match=message):
        parse(spec)


@pytest.mark.parametrize("name", ["ducklake", "postgres_scanner", "httpfs"])
def test_extensions_load_from_their_package_files(name):
    """DuckDB cannot download extensions here: each comes from duckdb-extension-<name>, built for this DuckDB."""
    with duckdb.connect() as con:
        con.execute(f"load '{extension_file(name)}'")
        loaded = con.execute("select loaded from duckdb_extensions() where extension_name = ?", [name]).fetchone()
    assert loaded == (True,)
