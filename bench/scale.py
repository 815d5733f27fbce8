"""Scale benchmark: materialised aggregates and the persisted LSH index on synthetic databases.

    uv run python bench/scale.py --stories 100000 1000000
    uv run python bench/scale.py --stories 1000000 --keep --only dedupe   # one section, on a kept database

For each size (bench/synth.py makes the database), prints with its baseline
measured in the same run:

- refresh: the first refresh (every story new) against a refresh with nothing
  changed (goal <= 5%), and one that touches 1,000 stories;
- view latency: ``select * from <view> order by month`` (or its natural order)
  fetched to Arrow, median of 3 (goal <= 200 ms), with its CPU time and the
  load average, against the same rows in a table as they were stored before
  (unordered, claim labels and topics as text instead of ENUMs), and against
  the same aggregate computed on read from the stories (the model view over the
  unmaterialised story facts, as every view was before);
- the dashboard's data (flows.publish.dashboard.collect, every query it runs), which reads
  only the materialised views;
- dedupe of a run of 1,000 new pages (100 near-duplicates of stored stories,
  900 new) against the stored stories, through the LSH index (goal <= 5 s),
  against the full rebuild (all stored keys and signatures through
  assign_stories, as before); above --full-rebuild-max stories the rebuild is
  too long and too big for this machine, so only its first step, reading every
  stored key and signature, is timed (a lower bound).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from synth import generate, story_text  # bench/synth.py, beside this file

from flows.dedupe.neardup import signature, signatures
from flows.dedupe.stories import PageKeys, assign_stories
from flows.publish.dashboard import QUERIES, collect
from flows.store.db import connect, materialised, refresh
from flows.store.load import dedupe_with_stored, existing_keys, existing_signatures

VIEWS = {  # public aggregate view -> its order
    "topics_by_month": "month",
    "claims_by_month": "month",
    "studies_by_month": "month",
    "unsupported_claims": "published_date",
    "retracted_citations": "published_date",
    "source_health": "source",
    "studies": "study_key",
}
RUN_PAGES = 1000
NEAR_COPIES = 100


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def on_read(name: str) -> str | None:
    """The aggregate computed on read: its model over the story facts view instead of their table."""
    [model] = [m for m in materialised() if m.table == f"internal.mat_{name}"] or [None]
    if model is None:
        return None
    sql = model.sql.replace("internal.mat_story_facts", "internal.int_story_facts")
    return sql[sql.index(" as\n") + 4 :].rstrip().rstrip(";")


def bench_refresh(con, n: int) -> None:
    # every story new, as in a first run (a kept database was refreshed before)
    con.execute("insert or ignore into internal.dirty_stories select distinct article_id from internal.pages")
    first, touched = timed(lambda: refresh(con))
    none, _ = timed(lambda: refresh(con))
    latest = "select article_id from internal.mat_story_facts order by first_seen_at desc limit ?"
    con.execute(f"insert into internal.dirty_stories {latest}", [RUN_PAGES])
    run, _ = timed(lambda: refresh(con))
    print(f"refresh  {n:>9,} stories: first {first:7.2f} s ({touched:,} stories); nothing changed {none * 1000:7.1f} ms"
          f" = {none / first:.3%} of first (goal <= 5%); {RUN_PAGES:,} stories touched {run:6.2f} s"
          f" = {run / first:.1%} of first")  # fmt: skip


def old_layout(con, view: str) -> str:
    """The view's rows as its table held them before: in no particular order, labels as text (an in-memory
    temp table, which if anything reads faster than the file)."""
    columns = con.execute(f"describe main.{view}").fetchall()
    select = ", ".join(f"{c[0]}::varchar as {c[0]}" if c[1].startswith("ENUM") else c[0] for c in columns)
    con.execute("select setseed(0.5)")
    con.execute(f"create or replace temp table old_{view} as select {select} from main.{view} order by random()")
    return f"old_{view}"


def bench_views(con, n: int) -> None:
    # Wall times stretch when other processes share the cores (3x at a load average of 6 on 2 cores):
    # the load and each query's CPU time tell a slow query from a busy machine.
    print(f"view     {n:>9,} stories: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for view, order in VIEWS.items():
        cpu = time.process_time()
        fast, table = timed(lambda v=view, o=order: con.sql(f"select * from main.{v} order by {o}").to_arrow_table(), 3)
        cpu = (time.process_time() - cpu) / 3  # all threads
        baseline = on_read(view)
        if baseline:
            old = old_layout(con, view)
            unsorted, _ = timed(lambda t=old, o=order: con.sql(f"select * from {t} order by {o}").to_arrow_table(), 3)
            con.execute(f"drop table {old}")
            slow, _ = timed(lambda b=baseline, o=order: con.sql(f"select * from ({b}) order by {o}").to_arrow_table())
            versus = (f"table unordered, text labels {unsorted * 1000:6.0f} ms ({unsorted / fast:4.1f}x);"
                      f" on read {slow * 1000:6.0f} ms ({slow / fast:5.1f}x)")  # fmt: skip
        else:
            versus = "(computed on read from the small tables above)"
        print(f"view     {n:>9,} stories: {view:<20} {fast * 1000:6.0f} ms (CPU {cpu * 1000:4.0f} ms)"
              f" {table.num_rows:>9,} rows;  {versus}")  # fmt: skip


def bench_dashboard(con, n: int) -> None:
    took, _ = timed(lambda: collect(con), 3)
    slowest = max((timed(lambda q=q: con.execute(q).fetchall())[0], name) for name, q in QUERIES.items())
    print(
        f"dashboard {n:>8,} stories: all its queries {took * 1000:6.0f} ms (slowest: {slowest[1]}"
        f" {slowest[0] * 1000:.0f} ms)"
    )


def new_pages(n: int) -> tuple[list[PageKeys], dict[str, str], dict[str, int]]:
    """A run of RUN_PAGES pages: NEAR_COPIES edited copies of stored stories (i -> stored i), the rest new."""
    t0 = datetime(2026, 12, 1, tzinfo=UTC)
    keys, texts, copies = [], {}, {}
    for j in range(RUN_PAGES):
        if j < NEAR_COPIES:
            words = story_text(j).split()
            words[10:13] = ["edited", "copy", f"n{j}"]  # a new intro, a few words changed
            text = " ".join(["Reposted", "from", "the", "wire.", *words])
        else:
            text = story_text(10_000_000 + j)
        digest = hashlib.sha1(text.encode()).hexdigest()
        page_id = f"run{j}"
        keys.append(PageKeys(page_id, t0 + timedelta(seconds=j), f"new.example/{j}", f"new.example/{j}", digest))
        texts[digest] = text
        if j < NEAR_COPIES:
            copies[page_id] = j
    return keys, texts, copies


def bench_dedupe(con, n: int, full_rebuild_max: int) -> None:
    keys, texts, copies = new_pages(n)
    signatures(["warm up"])  # imports datasketch (and scipy): once per process, at a run's first signature
    cpu = time.process_time()
    took, (assignments, _) = timed(lambda: dedupe_with_stored(con, keys, texts, {}))
    cpu = time.process_time() - cpu  # all threads: what the run costs when the machine is shared
    story_of = dict(con.execute("select page_id, article_id from internal.pages where page_id like 'p%'").fetchall())
    joined = sum(assignments[p].article_id == story_of[f"p{i}"] for p, i in copies.items())
    kept = sum(a.article_id == story_of[p] for p, a in assignments.items() if p in story_of)
    if n <= full_rebuild_max:

        def rebuild():
            known = existing_signatures(con)
            return assign_stories(keys + existing_keys(con), known | {h: signature(t) for h, t in texts.items()})

        slow, _ = timed(rebuild)
        versus = f"full rebuild {slow:6.1f} s ({slow / took:.0f}x)"
    else:
        slow, _ = timed(lambda: (existing_keys(con), existing_signatures(con)))
        versus = f"full rebuild > {slow:6.1f} s (reading every stored key and signature alone; {slow / took:.0f}x)"
    print(f"dedupe   {n:>9,} stories: {RUN_PAGES:,} new pages {took:5.2f} s (goal <= 5 s; CPU {cpu:.2f} s),"
          f" {len(assignments):,} pages assigned ({kept} stored pages kept their story), {joined}/{len(copies)} copies joined their story;  {versus}")  # fmt: skip


SECTIONS = {
    "refresh": lambda con, n, args: bench_refresh(con, n),
    "views": lambda con, n, args: bench_views(con, n),
    "dashboard": lambda con, n, args: bench_dashboard(con, n),
    "dedupe": lambda con, n, args: bench_dedupe(con, n, args.full_rebuild_max),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--dir", type=Path, default=Path("/tmp"))
    parser.add_argument("--full-rebuild-max", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep each database, and reuse one left by --keep")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=list(SECTIONS),
        default=list(SECTIONS),
        help="run only these sections (with --keep, a kept database makes a rerun quick)",
    )
    args = parser.parse_args()
    for n in args.stories:
        db = args.dir / f"psynews-synth-{n}.duckdb"
        if not (args.keep and db.exists()):
            took, _ = timed(lambda db=db, n=n: generate(db, n))
            print(f"generate {n:>9,} stories: {took:.1f} s, {db.stat().st_size / 2**20:,.0f} MB")
        with connect(db) as con:
            for section in args.only:
                SECTIONS[section](con, n, args)
        if not args.keep:
            db.unlink()


if __name__ == "__main__":
    main()
