"""Materialised aggregates: an incremental refresh gives what a full recompute gives, and a run that
changed nothing refreshes nothing."""

from __future__ import annotations

import re

import duckdb

from flows.store import snapshot
from flows.store.db import connect, materialised, models, refresh
from flows.store.stage import Store
from tests.unit.store.conftest import fixture_records, load_records


def differences(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows that differ between each aggregate table and its model computed now from everything."""
    found = {}
    for model in materialised():
        a, b = model.table, model.view
        count = con.execute(
            f"select count(*) from ((select * from {a} except all select * from {b})"
            f" union all (select * from {b} except all select * from {a}))"
        ).fetchone()[0]
        if count:
            found[model.table] = count
    return found


def test_incremental_refresh_equals_a_full_recompute(tmp_path):
    records = fixture_records()
    harbor = [r for r in records if r.source == "harbor"]
    others = [r for r in records if r.source != "harbor"]
    store = Store(tmp_path / "p.duckdb").open()
    load_records(store, harbor[:-3], "r1")
    assert store.publish() > 0
    # New stories, syndicated copies joining stories of another source, and a second run's health.
    load_records(store, harbor[-3:] + others, "r2")
    with store.connect() as con:
        assert differences(con)  # stale until refreshed
        touched = refresh(con)
        stories = con.execute("select count(*) from internal.int_stories").fetchone()[0]
        # the story views, narrowed while the refresh ran, cover every story again
        assert stories == con.execute("select count(distinct article_id) from internal.pages").fetchone()[0]
        assert 0 < touched < stories + 5
        assert differences(con) == {}
        months = con.execute("select count(*) from topics_by_month").fetchone()[0]
        assert months > 0


def test_a_refresh_with_nothing_changed_recomputes_nothing(models_db, tmp_path):
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(models_db.read_bytes())
    with connect(copy) as con:
        before = {m.table: con.execute(f"select * from {m.table} order by all").fetchall() for m in materialised()}
        assert refresh(con) == 0
        after = {m.table: con.execute(f"select * from {m.table} order by all").fetchall() for m in materialised()}
    assert after == before


def test_an_aggregate_table_missing_or_out_of_date_is_rebuilt_on_open(models_db, tmp_path):
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(models_db.read_bytes())
    with duckdb.connect(str(copy)) as con:
        con.execute("drop table internal.mat_topics_by_month")
        con.execute("alter table internal.mat_claims_by_month drop column hype_share")
        con.execute("delete from internal.mat_source_stories")
    with connect(copy) as con:
        assert differences(con) == {}
        assert con.execute("select count(*) from topics_by_month").fetchone()[0] > 0


def test_the_other_copy_takes_the_refreshed_rows_from_the_published_file_without_refreshing(tmp_path, monkeypatch):
    records = fixture_records()
    harbor = [r for r in records if r.source == "harbor"]
    others = [r for r in records if r.source != "harbor"]
    db = tmp_path / "psynews.duckdb"
    journals = []
    replay = snapshot._replay
    monkeypatch.setattr(snapshot, "_replay", lambda copy, journal: journals.append(journal) or replay(copy, journal))
    for run_id, run in (("r1", harbor[:-3]), ("r2", harbor[-3:] + others)):
        store = Store(db).open()
        load_records(store, run, run_id)
        assert store.publish() > 0
    # Run r2 was replayed on the copy r1 published: its aggregate rows came from r2's file, none recomputed.
    statements = [entry[1] for entry in journals[-1] if entry[0] == "execute"]
    assert any(s.startswith("insert into internal.mat_claims_by_month select t.* from published.") for s in statements)
    assert not any("internal.mat_" in s and "internal.int_" in s for s in statements)
    standby = snapshot.work_path(db)
    with duckdb.connect(str(standby), read_only=True) as con:
        con.execute(f"attach '{db.resolve()}' as published (read_only)")
        for model in materialised():
            table = model.table
            differ = con.execute(
                f"select count(*) from ((select * from {table} except all select * from published.{table})"
                f" union all (select * from published.{table} except all select * from {table}))"
            ).fetchone()[0]
            assert differ == 0, table
        assert con.execute("select count(*) from internal.dirty_stories").fetchone()[0] == 0
        assert con.execute("select count(*) from internal.mat_claims_by_month").fetchone()[0] > 0


def test_each_aggregate_table_is_written_in_the_order_its_view_is_read_in(models_db):
    ordered = [m for m in materialised() if m.order]
    assert {m.name for m in ordered} >= {"int_claims_by_month", "int_unsupported_claims", "int_article_index"}
    with duckdb.connect(str(models_db), read_only=True) as con:
        for model in ordered:
            stored = con.execute(f"select * from {model.table}").fetchall()
            assert stored, model.table
            assert stored == con.execute(f"select * from {model.table} order by {model.order}").fetchall(), model.table


def test_month_and_source_aggregates_read_no_model_a_refresh_narrows_to_the_touched_stories():
    # int_claims, int_citations and int_stories hold only the touched stories while a refresh runs, so an
    # aggregate over months or sources reading them would count those stories alone.
    narrowed = {m.name for m in models() if "{{ story_scope }}" in m.path.read_text()}
    for model in materialised():
        if model.scope in ("month", "source"):
            reads = set(re.findall(r"internal\.(\w+)", model.path.read_text()))
            assert not reads & narrowed, (model.name, reads & narrowed)
