"""Extraction speed: psynews' per-page path and the flow's extraction stage against bare trafilatura.

    uv run python bench/extract_speed.py [DATA_DIR] [--rounds 3] [--workers 2]

Over the extraction benchmark pages (DATA_DIR, default ../shared/bench/extraction),
in one run, each round measuring everything back to back (the machine is shared,
so compare figures of the same round; the summary gives the median of each ratio):

- bare: a one-process loop of ``trafilatura.extract(html)``, the baseline;
- page: psynews' full per-page path (``extract_page``: main text, metadata, dates,
  language, links) in one process; goal >= 1.0x bare;
- stage: the flow's extraction stage (``flows.extract.stage.extract_files``, what
  the ``extract`` task runs) over the same pages written to a raw store in parts
  of 50, on W worker processes, reading Parquet included; goal >= 0.9 x W x bare.
  It runs in a new process that has imported it but extracted nothing yet, as in
  a flow run (each served run is a new process), so what is loaded on first use
  (language model, stoplists) counts.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

from crawler.raw_store import RawRecord, RawWriter, list_files
from flows.extract.page import extract_page
from flows.extract.stage import extract_files
from flows.settings import RunSettings

DEFAULT_DATA = Path("../shared/bench/extraction")  # as the Makefile's BENCH_DATA


def load_records(data_dir: Path) -> list[RawRecord]:
    ground = json.loads((data_dir / "ground-truth.json").read_text())
    fetched = datetime(2026, 12, 1, tzinfo=UTC)
    return [
        RawRecord(
            key,
            "bench",
            "page",
            value["url"],
            value["url"],
            200,
            {"content-type": "text/html; charset=utf-8"},
            gzip.decompress((data_dir / "html" / f"{key}.html.gz").read_bytes()),
            fetched,
        )
        for key, value in ground.items()
    ]


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the pool's workers, once shut down)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(work) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the work."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    work()
    return time.perf_counter() - wall, cpu_seconds() - cpu


def fresh_stage(raw_dir: Path, parts: list[str], workers: int) -> tuple[float, float]:
    """(wall, CPU seconds) of extract_files in a new process (see the module's docstring)."""
    command = [sys.executable, __file__, "--stage-of", str(raw_dir), "--workers", str(workers), "--parts", *parts]
    wall, cpu = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", type=Path, nargs="?", default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--stage-of", type=Path, help=argparse.SUPPRESS)  # a raw store: fresh_stage's child
    parser.add_argument("--parts", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage_of:
        settings = RunSettings(workers=args.workers)
        print(json.dumps(timed(lambda: extract_files(args.stage_of, args.parts, settings))))
        return

    records = load_records(args.data_dir)
    htmls = [r.body.decode("utf-8", errors="replace") for r in records]
    with tempfile.TemporaryDirectory() as tmp:
        writer = RawWriter(Path(tmp), "bench", "bench-run")
        for record in records:
            writer.write(record)
        writer.close()
        parts = list_files(Path(tmp))
        print(f"{len(records)} pages from {args.data_dir}, {len(parts)} raw-store parts, {args.workers} workers")
        trafilatura.extract(htmls[0])  # warm-up: imports and caches
        extract_page(records[0])
        ratios: dict[str, list[float]] = {"page": [], "stage": [], "page cpu": [], "stage cpu": []}
        n = len(records)
        for round_no in range(1, args.rounds + 1):
            bare, bare_cpu = timed(lambda: [trafilatura.extract(html) for html in htmls])
            page, page_cpu = timed(lambda: [extract_page(record) for record in records])
            stage, stage_cpu = fresh_stage(Path(tmp), parts, args.workers)
            for key, value in (("page", bare / page), ("stage", bare / stage), ("page cpu", bare_cpu / page_cpu),
                               ("stage cpu", bare_cpu / stage_cpu)):  # fmt: skip
                ratios[key].append(value)
            print(f"round {round_no} (load {os.getloadavg()[0]:.1f}): bare trafilatura {n / bare:5.1f} pages/s"
                  f" | per-page path {n / page:5.1f} pages/s ({bare / page:.2f}x)"
                  f" | stage on {args.workers} workers {n / stage:5.1f} pages/s ({bare / stage:.2f}x)"
                  f" | CPU s/page: bare {1000 * bare_cpu / n:.1f} ms, page {1000 * page_cpu / n:.1f} ms,"
                  f" stage {1000 * stage_cpu / n:.1f} ms")  # fmt: skip
    median = {key: statistics.median(values) for key, values in ratios.items()}
    print(
        f"median wall: per-page path {median['page']:.2f}x bare (goal >= 1.00);"
        f" stage {median['stage']:.2f}x bare (goal >= {0.9 * args.workers:.2f})"
    )
    # On a shared machine wall time depends on the neighbours; CPU time per page does not.
    print(
        f"median CPU: per-page path {median['page cpu']:.2f}x bare; stage {median['stage cpu']:.2f}x bare per core"
        f" (x {args.workers} workers = {args.workers * median['stage cpu']:.2f}x with the cores free)"
    )


if __name__ == "__main__":
    main()
