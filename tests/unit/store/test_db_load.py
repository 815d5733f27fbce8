"""The DuckDB file: migrations, refusal of foreign files, all-or-nothing loads, documented views."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import duckdb
import pytest

import flows.store.load
from crawler.raw_store import RawRecord
from flows.dedupe.stories import PageKeys, assign_stories
from flows.extract.page import extract_page
from flows.store.db import SQL_DIR, DatabaseError, connect
from flows.store.load import SourceReport, load_run
from tests.site_server import SITE

PUBLIC_VIEWS = [
    "articles", "article_copies", "article_versions", "boilerplate_paragraphs", "topic_mentions", "topics_by_month", "claims",
    "claims_by_month", "unsupported_claims", "citations", "unresolved_citations", "studies", "studies_by_month",
    "retracted_citations", "source_health",
]  # fmt: skip


def record(path: str, source: str = "harbor") -> RawRecord:
    body = (SITE / path.strip("/") / "index.html").read_bytes()
    return RawRecord(uuid.uuid4().hex, source, "page", f"https://harbor.example{path}", f"https://harbor.example{path}",
                     200, {"content-type": "text/html; charset=utf-8"}, body)  # fmt: skip


def load(con, paths: list[str], run_id: str):
    pages = [extract_page(record(p)) for p in paths]
    keys = [PageKeys(p.page_id, p.fetched_at, p.url_key, p.canonical_key, p.text_hash) for p in pages if p.is_article]
    keys += flows.store.load.existing_keys(con)
    return load_run(con, run_id=run_id, command="run", started_at=datetime.now(UTC), pages=pages,
                    stories=assign_stories(keys), files=[f"harbor/{run_id}.parquet"],
                    reports={"harbor": SourceReport("harbor")})  # fmt: skip


def test_new_database_has_schema_and_documented_views(tmp_path):
    with connect(tmp_path / "p.duckdb") as con:
        versions = con.execute("select version from schema_migrations order by version").fetchall()
        assert versions == [(1,), (2,), (3,), (4,)]
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
    db = tmp_path / "p.duckdb"
    with connect(db) as con:
        load(con, ["/blog/ketamine-clinic-access/"], "r1")
    with connect(db) as con:
        assert con.execute("select count(*) from schema_migrations").fetchone() == (4,)
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
        assert con.execute("select max(version) from schema_migrations").fetchone() == (4,)
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
    db = tmp_path / "p.duckdb"
    with connect(db) as con:
        load(con, ["/blog/ketamine-clinic-access/", "/blog/psilocybin-depression-trial/"], "r1")
        before = con.execute("select * from articles order by article_id").fetchall()

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    # Pages and story assignments are written by then; the run row is not.
    monkeypatch.setattr(flows.store.load, "_record_run", crash)
    with connect(db) as con, pytest.raises(RuntimeError, match="disk full"):
        load(con, ["/blog/microdosing-research-review/", "/blog/esketamine-insurance-coverage/"], "r2")
    with connect(db) as con:
        assert con.execute("select * from articles order by article_id").fetchall() == before
        assert con.execute("select run_id from runs").fetchall() == [("r1",)]
        assert con.execute("select count(*) from internal.loaded_files").fetchone() == (1,)
