"""Publishing cost at scale: the two copies and the replayed journal against copying the whole file, in one run.

    uv run python bench/publish.py [--stories 1000000] [--synth PATH]

A synthetic database of N stories (bench/synth.py; kept at --synth and reused
when it exists) is published as ``psynews.duckdb`` in a temporary directory,
then, after two runs that bring both copies into being:

- a run that adds 1,000 stories (1,000 article pages copied from stored ones
  under new ids and URLs, marked for the aggregates' refresh), written through
  the journal as the store stage does; "publish" is what ``Store.publish``
  does: refresh the aggregates, checkpoint, swap the link, replay the journal
  on the other copy (goal <= 5 s);
- a run that changes nothing (only its ``runs`` row; goal <= 1 s);
- a run's "start": preparing its standby (Store.open), which checkpoints the
  changes the last replay left in the standby's write-ahead log;
- "next start": the following run's check that its standby is in sync;
- the baseline: copying the published file and fsyncing it, what every
  publish cost before (``shutil.copyfile`` + ``os.fsync``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synth import generate  # bench/synth.py, beside this file

from flows.store import snapshot
from flows.store.db import connect, refresh

ADD_STORIES = 1000
# Deterministic (ordered) so that replaying it on the other copy adds the same rows.
ADD_SQL = [
    "create or replace temp table run_pages as select * from internal.pages where is_article and story_match = 'home' order by page_id limit {n}",
    "update run_pages set page_id = 'run-' || page_id, article_id = 'run-' || article_id, url_key = 'run/' || page_id,"
    + " canonical_key = 'run/' || page_id, text_hash = md5('run' || page_id)",
    "insert into internal.pages by name select * from run_pages",
    "insert or ignore into internal.dirty_stories select distinct article_id from run_pages",
]


def a_run(db: Path, statements: list[str], run_no: int) -> dict[str, float]:
    """One run's writes through the journal, then its publish; seconds of each part."""
    times = {}
    start = time.perf_counter()
    snapshot.prepare_work(db)
    # As Store.open does: open (upgrade) the standby and close it, which checkpoints what the last replay
    # left in its write-ahead log.
    connect(snapshot.work_path(db)).close()
    times["start"] = time.perf_counter() - start
    with connect(snapshot.work_path(db)) as con:
        recorded = snapshot.recording(con, db)
        start = time.perf_counter()
        recorded.execute("begin transaction")
        for sql in statements:
            recorded.execute(sql)
        now = datetime.now(UTC)
        recorded.execute("insert into runs values (?, 'run', ?, ?, 0, 0, 0, 0, 0, 0, 0)", [f"bench-{run_no}", now, now])
        recorded.execute("commit")
        times["write"] = time.perf_counter() - start
        start = time.perf_counter()
        changed = []
        refresh(con, changed)
        times["refresh"] = time.perf_counter() - start
        checkpoint = time.perf_counter()
        con.execute("checkpoint")
        times["checkpoint"] = time.perf_counter() - checkpoint
        recorded.copy_refreshed(snapshot.work_path(db), changed)
    swap = time.perf_counter()
    snapshot.publish(db)
    times["swap and replay"] = time.perf_counter() - swap
    times["publish"] = time.perf_counter() - start
    return times


def count(db: Path, sql: str) -> int:
    with connect(db, read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=1_000_000)
    parser.add_argument("--synth", type=Path, help="where to keep the synthetic database (default: a temporary file)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(dir=args.synth.parent if args.synth else None) as tmp:
        synth = args.synth or Path(tmp) / "synth.duckdb"
        if not synth.exists():
            start = time.perf_counter()
            generate(synth, args.stories)
            print(f"generated {args.stories:,} stories in {time.perf_counter() - start:.0f} s")
        db = Path(tmp) / "psynews.duckdb"
        shutil.copyfile(synth, db)
        a_run(db, [], 0)  # takes the file over as copy a
        a_run(db, [], 1)  # copy b made by a full copy; the replay brings a along
        size = db.stat().st_size
        stories = count(db, "select count(*) from internal.int_stories")
        print(f"{stories:,} stories, published file {size / 1e9:.2f} GB, load average {os.getloadavg()[0]:.1f}")

        start = time.perf_counter()
        with db.open("rb") as source, (Path(tmp) / "baseline.duckdb").open("wb") as target:
            shutil.copyfileobj(source, target, 16 << 20)
            target.flush()
            os.fsync(target.fileno())
        baseline = time.perf_counter() - start
        (Path(tmp) / "baseline.duckdb").unlink()
        print(f"baseline: copy + fsync of the whole file {baseline:6.2f} s")

        added = a_run(db, [sql.format(n=ADD_STORIES) for sql in ADD_SQL], 2)
        same = a_run(db, [], 3)
        start = time.perf_counter()
        reason = snapshot.prepare_work(db)
        next_start = time.perf_counter() - start
        new = count(db, "select count(*) from internal.int_stories") - stories
        standby = count(snapshot.work_path(db), "select count(*) from internal.int_stories") - stories
        print(f"run adding {new:,} stories: publish {added['publish']:5.2f} s (goal <= 5 s; {added['publish'] / baseline:.2f}"
              f" of the copy: aggregates' refresh {added['refresh']:.2f} s, checkpoint {added['checkpoint']:.2f} s, swap and"
              f" replay {added['swap and replay']:.2f} s),"
              f" its writes {added['write']:.2f} s, its start {added['start']:.2f} s")  # fmt: skip
        print(f"run changing nothing: publish {same['publish']:5.2f} s (goal <= 1 s; {same['publish'] / baseline:.2f} of"
              f" the copy), its start {same['start']:.2f} s")  # fmt: skip
        print(
            f"next start: {next_start:.2f} s ({reason or 'standby in sync, no copy'}); standby has {standby:,} new stories too"
        )
        print(f"whole cost of the run adding stories (start + writes + publish): {added['start'] + added['write'] + added['publish']:.2f} s;"
              f" of the run changing nothing: {same['start'] + same['write'] + same['publish']:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
