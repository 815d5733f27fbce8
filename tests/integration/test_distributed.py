"""Past one machine, over real servers on loopback, against the single-machine run of the same sites.

PostgreSQL holds the DuckLake catalogue; an S3 server (moto) holds the raw
store and the lake's data files; two Prefect workers of one process work pool
crawl the four sources as two shards; then a Dask cluster of two worker
processes extracts, signs and analyses, and the run publishes to the lake.
The lake must hold the same articles, claims and citations as the local file
of a plain `psynews run`: nothing lost, nothing doubled. That run goes while
the workers start (each piece starts once: one run per mode, one server of
each kind for the module), and the lake's catalogue keeps a second machine's
run from publishing at the same time.

Run it alone with ``pytest -m distributed``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import duckdb
import pytest

from crawler.raw_store import list_files
from flows.cli.pool import deploy
from flows.store.catalog import connect_lake, parse
from flows.store.runlock import RunInProgress, run_lock
from tests.conftest import FAST_CRAWL, harbor_sources, run_cli, write_sources
from tests.fixtures import syndication_facts
from tests.lake_servers import postgres, s3_server
from tests.site_server import SiteServer

pytestmark = pytest.mark.distributed

SYNDICATION = Path(__file__).parent.parent / "fixtures" / "syndication"
POOL = "psynews-test"
WORKER_START = 120  # seconds for a worker to report to the Prefect server
# Compared without what depends on when each page was fetched, by design: first_seen_at / last_seen_at, and
# article_id (from a story's earliest fetched page: a syndicated story's copies arrive in another order when
# its sources are crawled by different shards at different times). The rows carry the story's URL and text.
VIEWS = {
    "articles": "select * exclude (article_id, first_seen_at, last_seen_at) from articles",
    "claims": "select a.url, c.* exclude (article_id) from claims c join articles a using (article_id)",
    "citations": "select a.url, c.* exclude (article_id) from citations c join articles a using (article_id)",
}


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> Counter:
    """The rows as a multiset, so a doubled row shows; each value named by its column."""
    result = con.execute(sql)
    columns = [d[0] for d in result.description]
    return Counter(tuple(zip(columns, map(repr, row), strict=True)) for row in result.fetchall())


def differences(left: Counter, right: Counter) -> list[str]:
    """What the rows of left that right lacks differ in, against right's row of the same first column."""
    by_key = {row[0]: row for row in right}
    found = []
    for row in left - right:
        other = by_key.get(row[0], ())
        changed = [f"{name}: {value[:80]} != {dict(other).get(name, 'no such row')[:80]}"
                   for name, value in row if dict(other).get(name) != value]  # fmt: skip
        found.append(f"{row[0]}: " + "; ".join(changed or ["doubled"]))
    return found


def start_worker(name: str, api_url: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PREFECT_API_URL": api_url, "PREFECT_WORKER_QUERY_SECONDS": "1"}
    command = [sys.executable, "-m", "prefect", "worker", "start", "--pool", POOL, "--type", "process",
               "--name", name, "--limit", "1"]  # fmt: skip
    with log.open("w") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_for_workers(api_url: str, names: set[str], logs: list[Path]) -> None:
    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + WORKER_START
    while time.monotonic() < deadline:
        with get_client(sync_client=True) as client:
            seen = {w.name for w in client.read_workers_for_work_pool(POOL, limit=10, offset=0)}
        if names <= seen:
            return
        time.sleep(0.5)
    raise RuntimeError("Prefect workers did not start:\n" + "\n".join(p.read_text()[-1500:] for p in logs))


@pytest.fixture(scope="module")
def catalogue():
    """The lake's catalogue: libpq keywords of a PostgreSQL database, for the module's tests."""
    with postgres() as pg:
        yield pg


@pytest.fixture(scope="module")
def both_runs(tmp_path_factory, prefect_harness, catalogue):
    tmp = tmp_path_factory.mktemp("distributed")
    with ExitStack() as stack:
        patch = stack.enter_context(pytest.MonkeyPatch.context())
        for name, value in {**stack.enter_context(s3_server("psynews")), "PREFECT_API_URL": prefect_harness}.items():
            patch.setenv(name, value)
        deploy(POOL)  # the work pool, before its workers join it
        # The workers (which crawl into the S3 server) take longest to start: next, while the sites start and the
        # single-machine run goes. (Crawling the shards during that run too was tried: on 2 cores it saved no
        # time and cost a process.)
        logs = [tmp / "worker-1.log", tmp / "worker-2.log"]
        workers = [start_worker(f"worker-{n}", prefect_harness, log) for n, log in enumerate(logs, start=1)]
        for worker in workers:
            stack.callback(worker.wait, 30)
            stack.callback(worker.terminate)
        harbor = stack.enter_context(SiteServer())
        news = {site: stack.enter_context(SiteServer(SYNDICATION / site, host=f"127.0.0.{n}"))
                for n, site in enumerate(syndication_facts.SITES, start=2)}  # fmt: skip
        sources = write_sources(tmp / "sources.toml", harbor_sources(harbor) + "".join(
            f'[[sources]]\nname = "{site}"\nstart_urls = ["{server.base}/"]\n' for site, server in news.items()))  # fmt: skip

        raw = "s3://psynews/raw"
        catalog = f"ducklake:postgres:{catalogue} data_path=s3://psynews/lake/"
        # The single-machine run while the workers start.
        local = run_cli("run", "--sources", str(sources), "--data-dir", str(tmp / "local"), *FAST_CRAWL)
        assert local.exit_code == 0, local.output
        wait_for_workers(prefect_harness, {"worker-1", "worker-2"}, logs)
        crawl = run_cli("crawl", "--sources", str(sources), "--data-dir", str(tmp / "crawler"), "--raw", raw,
                        "--pool", POOL, "--shards", "2", *FAST_CRAWL)  # fmt: skip
        assert crawl.exit_code == 0, crawl.output + "".join(log.read_text()[-2000:] for log in logs)
        load = run_cli("run", "--no-crawl", "--sources", str(sources), "--data-dir", str(tmp / "loader"),
                       "--raw", raw, "--runner", "dask-local:2", "--catalog", catalog)  # fmt: skip
        assert load.exit_code == 0, load.output

        with duckdb.connect(str(tmp / "local" / "psynews.duckdb"), read_only=True) as con:
            expected = {view: rows(con, sql) for view, sql in VIEWS.items()}
        with connect_lake(parse(catalog), read_only=True) as con:
            found = {view: rows(con, sql) for view, sql in VIEWS.items()}
        yield {"expected": expected, "found": found, "parts": list_files(raw), "crawl": crawl.output,
               "logs": [log.read_text() for log in logs]}  # fmt: skip


def test_each_shard_ran_on_its_own_worker(both_runs):
    assert "shard 1/2: Completed" in both_runs["crawl"]
    assert "shard 2/2: Completed" in both_runs["crawl"]
    for log in both_runs["logs"]:
        assert log.count("submitted to infrastructure") == 1, log[-2000:]


def test_every_source_was_crawled_once_into_the_object_store(both_runs):
    runs_by_source: dict[str, set[str]] = {}
    for part in both_runs["parts"]:
        source, name = part.split("/")
        runs_by_source.setdefault(source, set()).add(name.rsplit("-", 1)[0])
    assert sorted(runs_by_source) == sorted(["harbor", *syndication_facts.SITES])
    assert all(len(runs) == 1 for runs in runs_by_source.values()), runs_by_source


@pytest.mark.parametrize("view", list(VIEWS))
def test_lake_holds_the_same_rows_as_the_single_machine_run(both_runs, view):
    expected, found = both_runs["expected"][view], both_runs["found"][view]
    assert expected, f"the single-machine run has no {view}: nothing to compare"
    assert found - expected == Counter(), f"{view}: rows in the lake only (or doubled): {differences(found, expected)}"
    assert expected - found == Counter(), f"{view}: rows lost on the way: {differences(expected, found)}"


def test_a_run_on_another_machine_is_refused_while_one_publishes_to_the_lake(tmp_path, catalogue):
    """Two machines share no data directory: the lake's catalogue holds the lock, and names who has it."""
    catalog = f"ducklake:postgres:{catalogue} data_path={tmp_path / 'lake'}/"
    holder = rf"publishing to this lake \(psynews pid {os.getpid()} on "
    with (
        run_lock(tmp_path / "machine-a", catalog),
        pytest.raises(RunInProgress, match=holder),
        run_lock(tmp_path / "machine-b", catalog),  # the other machine's run
    ):
        pass
    with run_lock(tmp_path / "machine-b", catalog):  # released with the run that held it
        pass
