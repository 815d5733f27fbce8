"""The work file and the published snapshot (flows.store.snapshot): a leftover work file is used again
only when it matches the published file it came from and opens; otherwise it is rebuilt from it."""

from __future__ import annotations

import duckdb

from flows.store.snapshot import prepare_work, publish, work_path


def make_db(path, rows: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create or replace table t as select range as a from range(?)", [rows])


def rows(path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select count(*) from t").fetchone()[0]


def test_a_published_run_leaves_a_work_file_that_is_used_again(tmp_path):
    db = tmp_path / "psynews.duckdb"
    assert prepare_work(db) == f"{work_path(db)}: missing"  # first run: nothing to copy
    make_db(work_path(db), 3)
    publish(db)
    assert not list(tmp_path.glob(".*.tmp"))
    make_db(work_path(db), 5)  # a run killed after loading, before publishing: its work is kept
    assert prepare_work(db) is None
    assert rows(work_path(db)) == 5
    assert rows(db) == 3


def test_a_damaged_leftover_work_file_is_rebuilt_from_the_published_one(tmp_path):
    db = tmp_path / "psynews.duckdb"
    make_db(work_path(db), 3)
    publish(db)
    work_path(db).write_bytes(work_path(db).read_bytes()[:5000])  # truncated by a full disk, say
    reason = prepare_work(db)
    assert reason.startswith(f"{work_path(db)}: damaged (")  # names the work file, not the published one
    assert rows(work_path(db)) == 3


def test_a_stale_work_file_is_rebuilt_when_the_published_file_was_replaced(tmp_path):
    db = tmp_path / "psynews.duckdb"
    make_db(work_path(db), 3)
    publish(db)
    make_db(tmp_path / "backup.duckdb", 7)
    (tmp_path / "backup.duckdb").replace(db)  # an operator restores a backup
    assert prepare_work(db) == f"{work_path(db)}: stale: {db} changed since it was copied"
    assert rows(work_path(db)) == 7


def test_a_work_file_of_unknown_origin_is_rebuilt_with_its_wal(tmp_path):
    db = tmp_path / "psynews.duckdb"
    make_db(db, 2)
    make_db(work_path(db), 9)  # left by an older version, which kept no record of its origin
    wal = work_path(db).with_name(work_path(db).name + ".wal")
    wal.write_bytes(b"stale log")  # replayed on a fresh copy, an old WAL would corrupt it
    assert prepare_work(db) == f"{work_path(db)}: no record of the published file it was copied from"
    assert not wal.exists()
    assert rows(work_path(db)) == 2
