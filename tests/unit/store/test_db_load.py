"""The DuckDB file: migrations, refusal of foreign files, all-or-nothing loads, documented views."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pytest

import flows.store.load
from flows.clean.stage import clean_pages
from flows.dedupe.stage import assign
from flows.extract.page import extract_page
from flows.report import RunReport
from flows.store.db import SQL_DIR, DatabaseError, connect
from flows.store.stage import Store
from tests.site_server import site_record

MIGRATIONS = sorted(int(p.name[:4]) for p in (SQL_DIR / "migrations").glob("*.sql"))

PUBLIC_VIEWS = [
    "articles", "article_copies", "article_versions", "boilerplate_paragraphs", "topic_mentions", "topics_by_month",
    "topic_pairs_by_month", "claims", "hype_terms_by_month", "article_index",
    "claims_by_month", "unsupported_claims", "citations", "unresolved_citations", "studies", "studies_by_month",
    "retracted_citations", "source_health",
]  # fmt: skip


def load(store: Store, paths: list[str], run_id: str):
    """What the flow's clean, dedupe and load tasks do, through the same stage entry points."""
    pages = [extract_page(site_record(p)) for p in paths]
    cleaned = clean_pages(pages, store)
    return store.load_run(run_id=run_id, command="run", started_at=datetime.now(UTC), pages=pages, cleaned=cleaned,
                          stories=assign(pages, cleaned.updates, store), files=[f"harbor/{run_id}.parquet"],
                          reports={"harbor": RunReport("harbor")}, rebuild=False)  # fmt: skip


def test_new_database_has_schema_and_documented_views(tmp_path):
    with connect(tmp_path / "p.duckdb") as con:
        versions = con.execute("select version from schema_migrations order by version").fetchall()
        assert [v for (v,) in versions] == MIGRATIONS
        public = {row[0] for row in con.execute("select view_name from duckdb_views() where schema_name = 'main'"
                                                " and not internal").fetchall()}  # fmt: skip
        assert public == set(PUBLIC_VIEWS)
        for view in PUBLIC_VIEWS:
            [(comment,)] = con.execute("select comment from duckdb_views() where view_name = ?", [view]).fetchall()
            assert comment
            assert "Grain" in comment
            columns = con.execute(
                "select column_name, comment from duckdb_columns() where table_name = ?", [view]
            ).fetchall()
            assert columns
            assert all(comment for _, comment in columns), f"{view}: undocumented columns"


def test_reopening_applies_nothing_twice(tmp_path):
    store = Store(tmp_path / "p.duckdb")
    load(store, ["/blog/ketamine-clinic-access/"], "r1")
    with store.connect() as con:
        assert con.execute("select count(*) from schema_migrations").fetchone() == (len(MIGRATIONS),)
        assert con.execute("select count(*) from articles").fetchone() == (1,)


def test_database_of_an_older_version_is_upgraded_in_place(tmp_path):
    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as con:  # what psynews 0.1 (schema version 1) left behind
        con.execute(
            "create table schema_migrations (version integer primary key, name varchar not null,"
            " applied_at timestamptz not null default now())"
        )
        con.execute((SQL_DIR / "migrations" / "0001_initial.sql").read_text())
        con.execute("insert into schema_migrations (version, name) values (1, 'initial')")
        con.execute("insert into runs values ('r0', 'run', now(), now(), 1, 0, 3, 2, 0, 0, 0)")
    with connect(db) as con:
        assert con.execute("select max(version) from schema_migrations").fetchone() == (MIGRATIONS[-1],)
        assert con.execute("select run_id from runs").fetchall() == [("r0",)]
        assert con.execute("select count(*) from claims").fetchone() == (0,)


def test_foreign_database_is_refused_and_untouched(tmp_path):
    db = tmp_path / "other.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create table invoices (id integer)")
    with pytest.raises(DatabaseError, match="not a psynews database"):
        connect(db)
    with duckdb.connect(str(db)) as con:
        assert con.execute("select table_name from duckdb_tables()").fetchall() == [("invoices",)]


def test_corrupt_file_is_refused(tmp_path):
    db = tmp_path / "junk.duckdb"
    db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError, match="cannot be opened"):
        connect(db)
    assert db.read_bytes() == b"this is not a database" * 100


def test_crash_in_the_middle_of_a_load_leaves_the_previous_state(tmp_path, monkeypatch):
    store = Store(tmp_path / "p.duckdb")
    load(store, ["/blog/ketamine-clinic-access/", "/blog/psilocybin-depression-trial/"], "r1")
    with store.connect() as con:
        before = con.execute("select * from articles order by article_id").fetchall()

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    # Pages and story assignments are written by then; the run row is not.
    monkeypatch.setattr(flows.store.load, "_record_run", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        load(store, ["/blog/microdosing-research-review/", "/blog/esketamine-insurance-coverage/"], "r2")
    with store.connect() as con:
        assert con.execute("select * from articles order by article_id").fetchall() == before
        assert con.execute("select run_id from runs").fetchall() == [("r1",)]
        assert con.execute("select count(*) from internal.loaded_files").fetchone() == (1,)


def test_migration_numbers_are_unique():
    """Branches that each add a migration must not reuse a number: the second would never be applied."""
    assert len(MIGRATIONS) == len(set(MIGRATIONS))
