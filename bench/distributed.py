"""What running past one machine costs, measured on this one: each figure beside its local baseline.

    uv run python bench/distributed.py analysis [--docs 5000] [--workers 2]
    uv run python bench/distributed.py stores [--parts 40]

analysis: throughput of the analysis stage (topics, claims, citations) over
synthetic stories (bench/analysis.py's), in the local process pool (the
default runner, the baseline) and through Prefect's DaskTaskRunner on a local
Dask cluster with the same number of worker processes (--runner dask-local:N).
The ratio is the overhead of the distributed runner: pickling the chunks and
results, the scheduler, Prefect's task run; cluster start-up is printed apart.

stores: the pieces that move to servers. Raw-store parts (50 pages of ~6 KB
each) written and read back in a local folder (baseline) and on an S3 server
(moto on 127.0.0.1); and publishing a database of analysed stories as a local
file snapshot (baseline) and to a DuckLake (catalogue in PostgreSQL, data files
on the S3 server), with 50,000 older pages; then a second run of 20 new stories published to the lake as
its changed rows, against the same state copied whole (as every publish did
before). Both servers run here, so these are lower bounds of a network's cost.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# This file's name would shadow the `distributed` package (Dask) that the runner imports: keep bench/ off the path.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != BENCH]


def synthetic_stories(n: int):
    """bench/analysis.py's stories, loaded by path."""
    spec = importlib.util.spec_from_file_location("bench_analysis", BENCH / "analysis.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_stories(n)


os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="psynews-bench-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")


def analysis(docs: int, workers: int) -> None:
    from prefect import flow, task

    from flows.analyse.story import analyse_all
    from flows.runner import cluster_map, task_runner

    stories = synthetic_stories(docs)
    print(f"{docs} synthetic stories of ~{sum(len(s.text.split()) for s in stories) // docs} words, {workers} workers")

    start = time.perf_counter()
    local = sum(len(chunk) for chunk in analyse_all(stories, workers))
    local_s = time.perf_counter() - start
    print(f"local process pool (baseline): {local_s:6.1f} s  {local / local_s:6.0f} stories/s")

    @task
    def analyse_on_cluster() -> tuple[int, float]:
        began = time.perf_counter()
        done = sum(len(chunk) for chunk in analyse_all(stories, cpu_map=cluster_map))
        return done, time.perf_counter() - began

    @flow(task_runner=task_runner(f"dask-local:{workers}"))
    def on_dask() -> tuple[int, float]:
        return analyse_on_cluster()

    start = time.perf_counter()
    done, dask_s = on_dask()
    total_s = time.perf_counter() - start
    assert done == local == docs
    print(f"Dask runner (dask-local:{workers}):  {dask_s:6.1f} s  {done / dask_s:6.0f} stories/s")
    print(f"overhead ratio (Dask time / local time): {dask_s / local_s:.2f}")
    print(f"flow with cluster start-up and shutdown: {total_s:.1f} s (+{total_s - dask_s:.1f} s fixed per run)")


def stores(parts: int) -> None:
    import pyarrow as pa

    from crawler.raw_store import SCHEMA, list_files, locate, read_file, write_part
    from tests.lake_servers import postgres, s3_server

    rows = [{"fetch_id": f"f{i}", "source": "s", "kind": "page", "url": f"https://s.example/{i}",
             "request_url": f"https://s.example/{i}", "status": 200, "headers": [("content-type", "text/html")],
             "body": os.urandom(3000).hex().encode(), "fetched_at": datetime.now(UTC), "error": None,
             "body_sha1": None} for i in range(50)]  # fmt: skip
    table = pa.Table.from_pylist(rows, schema=SCHEMA)

    def raw_store(raw: str) -> tuple[float, float]:
        start = time.perf_counter()
        for n in range(parts):
            write_part(raw, f"s/run-{n:04d}.parquet", table)
        written = time.perf_counter() - start
        start = time.perf_counter()
        records = sum(1 for f in list_files(raw) for _ in read_file(locate(raw, f)))
        assert records == parts * 50
        return written, time.perf_counter() - start

    with tempfile.TemporaryDirectory() as tmp, postgres() as pg, s3_server("bench") as env:
        os.environ.update(env)
        print(f"raw store: {parts} parts of 50 pages ({table.nbytes / 1e6:.1f} MB each in memory)")
        local = raw_store(str(Path(tmp) / "raw"))
        remote = raw_store("s3://bench/raw")
        for label, (w, r) in (("local folder (baseline)", local), ("S3 server (moto)      ", remote)):
            print(f"  {label}: write {w / parts * 1000:6.1f} ms/part, read {r / parts * 1000:6.1f} ms/part")
        print(f"  ratio S3 / local: write {remote[0] / local[0]:.1f}x, read {remote[1] / local[1]:.1f}x")
        publish(Path(tmp), f"ducklake:postgres:{pg} data_path=s3://bench/lake/")


RUN_STORIES = 20  # the second run's new stories
HISTORY_PAGES = 50_000  # earlier pages (3 KB of text each) that the lake holds already


def publish(tmp: Path, catalog: str) -> None:
    from flows.analyse.story import analyse_all, flatten
    from flows.store import catalog as lake
    from flows.store import snapshot
    from flows.store.db import connect
    from flows.store.load import load_analysis

    stories = synthetic_stories(2000 + RUN_STORIES)
    db, spec = tmp / "bench.duckdb", lake.parse(catalog)

    def run(first: int, last: int) -> Path:
        """A run storing and analysing stories first..last-1 in the standby; returns it, checkpointed."""
        work = snapshot.work_path(db)
        with connect(work) as con:
            con.execute(
                "insert into internal.pages (page_id, source, url, fetched_at, url_key, is_article, spam_score,"
                " word_count, text, text_hash, article_id, story_match)"
                " select 'p' || i, 's', 'https://s.example/' || i, now(), 's.example/' || i, true, 0, 800, 'x',"
                " 'h' || i, 'a' || lpad(i::varchar, 6, '0'), 'home' from range(?, ?) t(i)",  # the stories' ids
                [first, last],
            )
            load_analysis(con, flatten(a for chunk in analyse_all(stories[first:last]) for a in chunk), "bench", [], [])
            con.execute(f"insert into runs values ('run{last:05d}', 'run', now(), now(), 1, 0, 0, 0, 0, 0, 0)")
            con.execute("checkpoint")
        return work

    with connect(snapshot.work_path(db)) as con:  # history: pages that were not articles
        con.execute(
            "insert into internal.pages (page_id, source, url, fetched_at, url_key, is_article, spam_score,"
            " word_count, text, text_hash) select 'old' || i, 's', 'https://s.example/old/' || i, now(),"
            " 's.example/old/' || i, false, 0, 500, repeat(md5(i::varchar), 100), md5('old' || i) from range(?) t(i)",
            [HISTORY_PAGES],
        )
    work = run(0, 2000)
    with connect(work) as con:
        counts = con.execute("select count(*) from internal.article_claims").fetchone()
    print(f"publish: 2000 stories, {counts[0]} claims, {HISTORY_PAGES:,} older pages,"
          f" work file {work.stat().st_size / 1e6:.1f} MB")  # fmt: skip
    start = time.perf_counter()
    snapshot.publish(db)
    file_s = time.perf_counter() - start
    start = time.perf_counter()
    lake.publish(work, spec)
    lake_s = time.perf_counter() - start
    print(f"  local file snapshot (baseline): {file_s:6.2f} s")
    print(f"  DuckLake (PostgreSQL + S3):     {lake_s:6.2f} s  ({lake_s / file_s:.0f}x)")
    snapshot.prepare_work(db)  # the next run's standby: a copy of the published file
    work = run(2000, 2000 + RUN_STORIES)
    start = time.perf_counter()
    lake.publish(work, spec, db)  # the published file is still the state before this run
    delta_s = time.perf_counter() - start
    start = time.perf_counter()
    lake.publish(work, spec)  # the same state copied whole, as every publish did before
    whole_s = time.perf_counter() - start
    print(
        f"a run of {RUN_STORIES} new stories to the lake: only its changed rows {delta_s:6.2f} s;"
        f" every table copied whole {whole_s:6.2f} s ({whole_s / delta_s:.1f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["analysis", "stores"])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--parts", type=int, default=40)
    args = parser.parse_args()
    if args.what == "analysis":
        analysis(args.docs, args.workers)
    else:
        stores(args.parts)


if __name__ == "__main__":
    main()
