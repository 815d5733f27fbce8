"""Publishing by swapping two copies: readers get whole runs, the standby catches up by replay, not by copy."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from flows.store import snapshot
from flows.store.db import connect


def files(db) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [row[0] for row in con.execute("select path from internal.loaded_files order by path").fetchall()]


def run(db, names: list[str]) -> None:
    """What a run does to the database: prepare the standby, write it through the journal, publish."""
    snapshot.prepare_work(db)
    with connect(snapshot.work_path(db)) as con:
        recorded = snapshot.recording(con, db)
        recorded.register("incoming", pa.table({"path": names, "run_id": ["r"] * len(names)}))
        recorded.execute("insert into internal.loaded_files select path, run_id from incoming")
        recorded.unregister("incoming")
        assert recorded.execute("select count(*) from internal.loaded_files").fetchone()[0] > 0
        con.execute("checkpoint")
    snapshot.publish(db)


def test_runs_publish_by_swapping_the_link_and_the_old_copy_catches_up_without_a_copy(tmp_path):
    db = tmp_path / "psynews.duckdb"
    run(db, ["one"])
    assert db.is_symlink()
    assert files(db) == ["one"]
    run(db, ["two"])  # the first standby is a full copy: the other copy did not exist yet
    standby = snapshot.work_path(db)
    assert files(standby) == ["one", "two"] == files(db)  # replayed to the published state
    inode = standby.stat().st_ino
    assert snapshot.prepare_work(db) is None
    assert standby.stat().st_ino == inode  # in sync: reused as it is, no copy


def test_a_reader_holding_the_old_copy_delays_nothing_and_the_next_run_copies_instead(tmp_path, monkeypatch):
    db = tmp_path / "psynews.duckdb"
    run(db, ["one"])
    run(db, ["two"])
    monkeypatch.setattr(snapshot, "REPLAY_WAIT_S", 0.2)
    with duckdb.connect(str(db), read_only=True) as reader:  # opened before the next publish
        run(db, ["three"])
        assert reader.execute("select count(*) from internal.loaded_files").fetchone()[0] == 2  # its snapshot
    assert files(db) == ["one", "three", "two"]
    standby = snapshot.work_path(db)
    assert files(standby) == ["one", "two"]  # left behind, and known to be
    snapshot.prepare_work(db)
    assert files(standby) == ["one", "three", "two"]


def test_a_database_from_before_the_two_copies_is_taken_over(tmp_path):
    db = tmp_path / "psynews.duckdb"
    connect(db).close()  # a published regular file, as earlier versions left it
    (tmp_path / "psynews.work.duckdb").write_bytes(b"")
    run(db, ["one"])
    assert db.is_symlink()
    assert files(db) == ["one"]
    assert not (tmp_path / "psynews.work.duckdb").exists()


def test_a_damaged_standby_is_rebuilt_from_the_published_copy(tmp_path):
    db = tmp_path / "psynews.duckdb"
    run(db, ["one"])
    run(db, ["two"])
    standby = snapshot.work_path(db)
    standby.write_bytes(standby.read_bytes()[:5000])  # truncated by a full disk, say
    reason = snapshot.prepare_work(db)
    assert reason.startswith(f"{standby}: damaged (")  # names the standby, not the published copy
    assert files(standby) == ["one", "two"]


def test_a_standby_is_rebuilt_with_its_wal_when_the_published_file_was_restored(tmp_path):
    db = tmp_path / "psynews.duckdb"
    run(db, ["one"])
    run(db, ["two"])
    backup = tmp_path / "backup.duckdb"
    connect(backup).close()
    backup.replace(db)  # an operator restores a backup over the link
    standby = snapshot.work_path(db)
    wal = standby.with_name(standby.name + ".wal")
    wal.write_bytes(b"stale log")  # replayed on a fresh copy, an old WAL would corrupt it
    assert snapshot.prepare_work(db) == f"{standby}: stale: {db} changed since it was copied"
    assert not wal.exists()
    assert files(standby) == []
