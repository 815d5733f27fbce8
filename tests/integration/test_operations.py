"""Operations: crash safety, readers during a run, overlapping runs, bad input while serving, schedules."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from flows.cli.server import healthy
from flows.store import snapshot
from flows.store.runlock import run_lock
from tests.conftest import FAST_CRAWL, harbor_sources, run_cli, write_sources
from tests.fixtures import site_facts as facts

CLI = [sys.executable, "-c", "from flows.cli.app import app; app()"]


def count(db: Path, sql: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def digest(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def cli_process(args: list[str], api_url: str | None, **env: str) -> subprocess.Popen:
    """The CLI in its own process (so it can be killed), talking to the test's Prefect server."""
    environment = os.environ | env
    if api_url:
        environment["PREFECT_API_URL"] = api_url
    return subprocess.Popen([*CLI, *args], env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.mark.parametrize("point", ["crawl", "extract", "load", "analyse", "publish"])
def test_kill_9_at_any_point_then_the_next_run_completes_with_nothing_lost_or_doubled(
    point, tmp_path, site, prefect_harness
):
    sources = write_sources(tmp_path / "sources.toml", harbor_sources(site))
    data_dir = tmp_path / "data"
    args = ["run", "--sources", str(sources), "--data-dir", str(data_dir), *FAST_CRAWL]
    killed = cli_process(args, prefect_harness, PSYNEWS_CRASH_AT=point)
    output = killed.communicate(timeout=300)[0].decode()
    assert killed.returncode == -signal.SIGKILL, output

    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    db = data_dir / "psynews.duckdb"
    assert count(db, "select count(*) from articles") == len(facts.ARTICLES)
    raw = data_dir / "raw" / "*" / "*.parquet"
    # Every fetched page is loaded once: none lost with the killed run, none doubled by the rerun.
    pages = count(db, "select count(*) from internal.pages")
    assert pages == count(db, f"select count(*) from read_parquet('{raw}') where kind = 'page'")
    assert pages == count(db, "select count(distinct page_id) from internal.pages")
    assert count(db, "select count(*) from claims") > 0  # analysis caught up too
    assert not list(data_dir.glob(".psynews.duckdb.*.tmp"))  # no half-written snapshot left behind


def test_kill_9_between_the_two_copies_updates_then_the_next_run_repairs_the_standby(tmp_path, site, prefect_harness):
    sources = write_sources(tmp_path / "sources.toml", harbor_sources(site))
    data_dir = tmp_path / "data"
    db = data_dir / "psynews.duckdb"
    args = ["run", "--sources", str(sources), "--data-dir", str(data_dir), *FAST_CRAWL]
    assert run_cli(*args).exit_code == 0
    assert run_cli(*args).exit_code == 0  # now both copies exist, the standby in sync
    killed = cli_process([*args, "--recheck-days", "0"], prefect_harness, PSYNEWS_CRASH_AT="replay")
    output = killed.communicate(timeout=300)[0].decode()
    assert killed.returncode == -signal.SIGKILL, output  # published, then killed while replaying on the old copy
    assert count(db, "select count(*) from runs") == 3
    standby = snapshot.work_path(db)
    assert not standby.with_name(standby.name + ".origin").exists()

    assert run_cli(*args).exit_code == 0
    standby = snapshot.work_path(db)
    assert standby.with_name(standby.name + ".origin").exists()
    for sql in ("select count(*) from runs", "select count(*) from internal.pages", "select count(*) from claims"):
        assert count(standby, sql) == count(db, sql)
    assert count(db, "select count(*) from runs") == 4
    assert count(db, "select count(*) from articles") == len(facts.ARTICLES)


def test_overlapping_run_exits_cleanly_saying_so(tmp_path, site, prefect_harness):
    sources = write_sources(tmp_path / "sources.toml", harbor_sources(site))
    data_dir = tmp_path / "data"
    with run_lock(data_dir):  # another run holds the data directory
        result = run_cli("run", "--sources", str(sources), "--data-dir", str(data_dir), *FAST_CRAWL)
    assert result.exit_code == 0
    assert "in progress" in result.output
    assert not (data_dir / "psynews.duckdb").exists()


def test_sources_file_broken_between_runs_fails_clearly_and_leaves_the_database_alone(tmp_path, site, prefect_harness):
    sources = write_sources(tmp_path / "sources.toml", harbor_sources(site))
    data_dir = tmp_path / "data"
    assert run_cli("run", "--sources", str(sources), "--data-dir", str(data_dir), *FAST_CRAWL).exit_code == 0
    before = {p.name: digest(p) for p in data_dir.glob("*.duckdb")}
    sources.write_text(sources.read_text().replace('name = "harbor"', 'name = "Harbor Clinic"'))
    result = run_cli("run", "--sources", str(sources), "--data-dir", str(data_dir), *FAST_CRAWL)
    assert result.exit_code == 2
    assert "source 'Harbor Clinic' (#1), field 'name'" in result.output
    assert {p.name: digest(p) for p in data_dir.glob("*.duckdb")} == before
    # Scheduled runs call the flow directly: it refuses the file the same way, before touching anything.
    from crawler.config import SourcesError
    from flows.pipeline import run_flow

    with pytest.raises(SourcesError, match="field 'name'"):
        run_flow(str(sources), str(data_dir))
    assert {p.name: digest(p) for p in data_dir.glob("*.duckdb")} == before


def test_damaged_files_never_block_a_run_and_errors_name_the_file_at_fault(tmp_path, site, prefect_harness):
    from crawler.raw_store import RawRecord, RawWriter

    sources = write_sources(tmp_path / "sources.toml", harbor_sources(site))
    data_dir = tmp_path / "data"
    args = ["run", "--sources", str(sources), "--data-dir", str(data_dir), *FAST_CRAWL]
    folder = data_dir / "raw" / "harbor"
    folder.mkdir(parents=True)
    (folder / "20200101T000000Z-empty0-0000.parquet").write_bytes(b"")  # a crawl killed as the file was made
    writer = RawWriter(data_dir / "raw", "harbor", "20200101T000000Z-short0")
    writer.write(RawRecord("f1", "harbor", "page", f"{site.base}/x/", f"{site.base}/x/", 200, {}, b"<p>x</p>" * 500))
    writer.close()
    truncated = folder / "20200101T000000Z-short0-0000.parquet"
    truncated.write_bytes(truncated.read_bytes()[:700])  # a disk that filled up

    # Unreadable raw-store parts are quarantined and reported; the run goes on.
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    db = data_dir / "psynews.duckdb"
    assert count(db, "select count(*) from articles") == len(facts.ARTICLES)
    quarantine = data_dir / "raw" / "_quarantine" / "harbor"
    assert sorted(p.name for p in quarantine.iterdir()) == [
        "20200101T000000Z-empty0-0000.parquet", "20200101T000000Z-short0-0000.parquet"
    ]  # fmt: skip
    assert not list(folder.glob("20200101T*"))
    output = " ".join(result.output.split())  # long lines wrap
    for name in ("empty0", "short0"):  # the summary names each file, and where it went
        assert f"quarantined: {folder}/20200101T000000Z-{name}-0000.parquet: unreadable raw-store part" in output
        assert f"moved to {quarantine}/20200101T000000Z-{name}-0000.parquet" in output
    assert count(db, "select quarantined_parts from run_sources") == 2
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select quarantined_parts, status from source_health").fetchall() == [(2, "degraded")]

    # A damaged standby copy is rebuilt from the published one; the raw store reads whole again.
    snapshot.work_path(db).write_bytes(db.read_bytes()[:4096])
    again = run_cli(*args)
    assert again.exit_code == 0, again.output
    assert "quarantined" not in again.output
    assert count(db, "select count(*) from articles") == len(facts.ARTICLES)
    assert count(db, f"select count(*) from read_parquet('{data_dir}/raw/*/*.parquet')") > 0

    # A damaged published file is refused by its own name, never overwritten.
    db.write_bytes(b"not a database")  # through the link: the published copy itself
    work = snapshot.work_path(db)
    work.unlink()
    result = run_cli(*args)
    assert result.exit_code == 1
    assert result.output.startswith(f"{db}: cannot be opened as a DuckDB database")
    assert str(work) not in result.output
    assert db.read_bytes() == b"not a database"


READER = """
import json, sys, time, duckdb
db, stop, out = sys.argv[1:4]
counts, errors = [], []
while True:
    try:
        with duckdb.connect(db, read_only=True) as con:
            counts.append(con.execute("select count(*) from articles").fetchone()[0])
    except Exception as exc:
        errors.append(repr(exc))
    if __import__("os").path.exists(stop):
        break
    time.sleep(0.02)
json.dump({"counts": counts, "errors": errors}, open(out, "w"))
"""


def test_reader_sees_only_whole_runs_and_is_never_blocked(tmp_path, site, prefect_harness):
    data_dir = tmp_path / "data"
    db = data_dir / "psynews.duckdb"
    first = write_sources(
        tmp_path / "first.toml", f'[[sources]]\nname = "feed"\nfeeds = ["{site.base}/feed.xml"]\nmax_depth = 1\n'
    )
    assert run_cli("run", "--sources", str(first), "--data-dir", str(data_dir), *FAST_CRAWL).exit_code == 0
    before = count(db, "select count(*) from articles")

    stop, out = tmp_path / "stop", tmp_path / "reader.json"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), str(stop), str(out)])
    time.sleep(1)
    both = write_sources(tmp_path / "both.toml", harbor_sources(site))
    assert run_cli("run", "--sources", str(both), "--data-dir", str(data_dir), *FAST_CRAWL).exit_code == 0
    time.sleep(1)
    stop.touch()
    reader.wait(timeout=30)
    seen = json.loads(out.read_text())
    after = count(db, "select count(*) from articles")

    assert seen["errors"] == []
    assert before < after
    assert set(seen["counts"]) == {before, after}  # the state before the run or after it, nothing between
    switch = seen["counts"].index(after)
    assert seen["counts"][switch:] == [after] * (len(seen["counts"]) - switch)  # and it never goes back
    assert len(seen["counts"]) > 50


def test_scheduled_runs_happen_through_a_local_prefect_server(tmp_path, site):
    sources = write_sources(tmp_path / "sources.toml", harbor_sources(site))
    data_dir = tmp_path / "data"
    environment = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    serve = subprocess.Popen(
        [*CLI, "serve", "--interval", "15", "--sources", str(sources), "--data-dir", str(data_dir), *FAST_CRAWL],
        env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    db = data_dir / "psynews.duckdb"
    try:
        deadline = time.monotonic() + 420  # a local server's first start migrates its database
        while time.monotonic() < deadline and not (db.exists() and count(db, "select count(*) from runs") >= 1):
            assert serve.poll() is None, serve.stdout.read().decode()[-3000:]
            time.sleep(2)
        assert db.exists(), "no scheduled run loaded anything"
        assert count(db, "select count(*) from articles") == len(facts.ARTICLES)
    finally:
        os.killpg(serve.pid, signal.SIGTERM)  # as a service manager would stop it
        try:
            output = serve.communicate(timeout=90)[0].decode()
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            output = serve.communicate()[0].decode()
    assert "Prefect UI: http://127.0.0.1:" in output
    # serve stopped the Prefect server it started
    port = output.split("Prefect UI: http://127.0.0.1:")[1].split()[0].strip("/")
    assert not healthy(f"http://127.0.0.1:{port}/api")


def _processes_of(home: Path) -> list[str]:
    """Live processes (pids) started with this PREFECT_HOME: a Prefect server's, or a run's (Linux /proc)."""
    wanted = f"PREFECT_HOME={home}".encode()
    found = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            if wanted in (process / "environ").read_bytes().split(b"\0"):
                found.append(process.name)
        except OSError:  # gone, or not ours to read
            continue
    return found


def test_a_one_shot_run_starts_its_own_prefect_server_or_reuses_the_one_set(tmp_path, site, prefect_harness):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.sorting import FlowRunSort

    sources = write_sources(tmp_path / "sources.toml", harbor_sources(site))
    data_dir, home = tmp_path / "data", tmp_path / "prefect"
    args = ["run", "--sources", str(sources), "--data-dir", str(data_dir), *FAST_CRAWL]
    alone = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {"PREFECT_HOME": str(home)}
    result = subprocess.run([*CLI, *args], check=False, env=alone, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert count(data_dir / "psynews.duckdb", "select count(*) from articles") == len(facts.ARTICLES)
    assert (home / "temporary-server.log").exists()  # started by psynews before the pipeline's imports
    assert _processes_of(home) == []  # and stopped with the run

    # With PREFECT_API_URL set, the run is recorded on that server and starts none.
    (home / "temporary-server.log").unlink()
    again = cli_process([*args, "--recheck-days", "0"], prefect_harness, PREFECT_HOME=str(home))
    output = again.communicate(timeout=600)[0].decode()
    assert again.returncode == 0, output
    assert not (home / "temporary-server.log").exists()
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=200)
    assert any(r.parameters.get("data_dir") == str(data_dir) for r in runs)
