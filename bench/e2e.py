"""End to end: `psynews run` over a generated loopback site, beside a plain Scrapy crawl plus a
one-process bare trafilatura loop over the same site, in one run.

    uv run python bench/e2e.py [--articles 1000]

The site (127.0.0.1, a thread of this process) has N distinct articles: each
its own title and 300-500 words drawn at random from a made-up vocabulary in
sentences, so dedupe keeps them apart, listed in a sitemap. Both sides crawl
with the same politeness settings, none: no delay, no AutoThrottle, robots.txt
not asked, 16 requests at once. Printed: wall time of the baseline's crawl and
extraction, of psynews' first run and of a second run that finds nothing new
(goals: first run <= 2.0x the baseline, no-change run <= 0.3 of the first),
after a one-time run that creates Prefect's database (printed apart),
and for each run the wall time per stage, read from the task runs Prefect
recorded (its database under the run's PREFECT_HOME); "outside the flow" is
the process's wall time less the flow run's: start-up (imports, Prefect's
temporary server) and exit. With --reuse-server the psynews runs use a
Prefect server started once beforehand (PREFECT_API_URL), as a machine that
keeps one running does.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import trafilatura

from flows.cli.server import local_server

POLITENESS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "ROBOTSTXT_OBEY": "False",
              "CONCURRENT_REQUESTS": "16", "CONCURRENT_REQUESTS_PER_DOMAIN": "16"}  # fmt: skip
SYLLABLES = ["psi", "lo", "cy", "bin", "ke", "ta", "mi", "ne", "tri", "al", "dose", "ther", "apy", "neu", "ro", "cor",
             "tex", "mo", "da", "sen", "va", "lu", "pa", "ri", "on", "gen", "sta", "dy", "me", "dic"]  # fmt: skip
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} | Loopback News</title>
<meta property="og:type" content="article"><meta property="article:published_time" content="{date}">
<link rel="canonical" href="{url}"></head><body><nav><a href="/">Home</a> <a href="/news/">News</a></nav>
<article><h1>{title}</h1><p class="byline">By {author}</p>{paragraphs}</article>
<footer><p>Copyright 2026 Loopback News</p></footer></body></html>"""

BASELINE_SPIDER = """
import scrapy
from scrapy.spiders import SitemapSpider

class Plain(SitemapSpider):
    name = "plain"
    sitemap_urls = [{sitemap!r}]

    def parse(self, response):
        yield {{"url": response.url, "html": response.text}}
"""


def make_site(root: Path, base: str, articles: int) -> None:
    rng = random.Random(7)
    vocabulary = sorted({"".join(rng.choices(SYLLABLES, k=rng.randint(1, 4))) for _ in range(6000)})
    urls = []

    def words(n: int) -> str:
        return " ".join(rng.choices(vocabulary, k=n))

    for i in range(articles):
        sentences = [words(rng.randint(8, 20)).capitalize() + "." for _ in range(rng.randint(25, 40))]
        paragraphs = "".join(f"<p>{' '.join(sentences[j : j + 4])}</p>" for j in range(0, len(sentences), 4))
        url = f"{base}/news/story-{i}/"
        html = PAGE.format(title=words(6).title(), date=f"2026-{1 + i % 11:02d}-{1 + i % 27:02d}", url=url,
                           author=words(2).title(), paragraphs=paragraphs)  # fmt: skip
        (root / "news" / f"story-{i}").mkdir(parents=True)
        (root / "news" / f"story-{i}" / "index.html").write_text(html)
        urls.append(url)
    entries = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    (root / "sitemap.xml").write_text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    )


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(root: Path) -> str:
    handler = functools.partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def timed(command: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **kwargs)
    return time.perf_counter() - start


STAGES = ("crawl", "extract", "clean", "dedupe", "load", "analyse", "publish", "dashboard")


def stage_times(prefect_db: Path) -> tuple[float, dict[str, float]]:
    """The last flow run's wall time and its tasks' wall time per stage (tasks of one stage run side by side,
    so a stage's time is from its first task's start to its last one's end)."""
    with sqlite3.connect(prefect_db) as con:
        flow_run, start, end = con.execute(
            "select id, start_time, end_time from flow_run where end_time is not null order by start_time desc limit 1"
        ).fetchone()
        tasks = con.execute(
            "select name, start_time, end_time from task_run where flow_run_id = ? and end_time is not null",
            [flow_run],
        ).fetchall()
    seconds = lambda a, b: (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds()
    spans: dict[str, list[str]] = {}
    for name, task_start, task_end in tasks:
        stage = next((s for s in STAGES if name.startswith(s)), name)
        first, last = spans.get(stage, [task_start, task_end])
        spans[stage] = [min(first, task_start), max(last, task_end)]
    return seconds(start, end), {s: seconds(*spans[s]) for s in STAGES if s in spans}


def timed_run(run: list[str], env: dict[str, str], prefect_db: Path) -> float:
    wall = timed(run, env=env)
    flow, stages = stage_times(prefect_db)
    parts = ", ".join(f"{stage} {s:.1f}" for stage, s in stages.items())
    print(f"  {wall:6.1f} s wall = outside the flow {wall - flow:.1f} + flow {flow:.1f} ({parts})")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--reuse-server", action="store_true",
                        help="run psynews against a running Prefect server (PREFECT_API_URL), started once here")  # fmt: skip
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        tmp = Path(tmp)
        (tmp / "site").mkdir()
        base = serve(tmp / "site")
        make_site(tmp / "site", base, args.articles)
        print(f"{args.articles} articles on {base}; load average {os.getloadavg()[0]:.1f} (2 cores shared)")

        spider = tmp / "plain.py"
        spider.write_text(BASELINE_SPIDER.format(sitemap=f"{base}/sitemap.xml"))
        settings = [arg for name, value in POLITENESS.items() for arg in ("-s", f"{name}={value}")]
        crawl = timed([sys.executable, "-m", "scrapy", "runspider", str(spider), "-O", str(tmp / "plain.jsonl"),
                       "-s", "LOG_LEVEL=WARNING", *settings])  # fmt: skip
        pages = [json.loads(line) for line in (tmp / "plain.jsonl").read_text().splitlines()]
        start = time.perf_counter()
        texts = [trafilatura.extract(page["html"]) for page in pages]
        extract = time.perf_counter() - start
        baseline = crawl + extract
        print(f"baseline: scrapy crawl {crawl:6.1f} s ({len(pages)} pages) + bare trafilatura {extract:6.1f} s"
              f" ({sum(bool(t) for t in texts)} texts) = {baseline:6.1f} s")  # fmt: skip

        sources = tmp / "sources.toml"
        sources.write_text(f'[[sources]]\nname = "loopback"\nsitemaps = ["{base}/sitemap.xml"]\n'
                           f"allow = ['/news/']\nmax_pages = {args.articles + 100}\n")  # fmt: skip
        run = [sys.executable, "-c", "from flows.cli.app import app; app()", "run", "--sources", str(sources),
               "--data-dir", str(tmp / "data"), *settings]  # fmt: skip
        env = os.environ | {"PREFECT_HOME": str(tmp / "prefect")}
        env.pop("PREFECT_API_URL", None)
        if args.reuse_server:  # as `psynews serve` or `prefect server start` leaves one running
            env["PREFECT_API_URL"] = stack.enter_context(local_server(tmp / "prefect-server"))
            print(f"psynews runs against a running Prefect server, {env['PREFECT_API_URL']}")
        # Once per data directory: the first psynews command creates Prefect's database (a run that fetches
        # one page, into another data directory), so that the runs below pay what every later run pays.
        (tmp / "one.toml").write_text(
            f'[[sources]]\nname = "one"\nstart_urls = ["{base}/news/story-0/"]\nmax_depth = 0\n'
        )
        once = timed(
            [*run[:4], "--sources", str(tmp / "one.toml"), "--data-dir", str(tmp / "once"), *settings], env=env
        )
        print(f"once: the first psynews run on a new PREFECT_HOME (creates Prefect's database) {once:6.1f} s")
        prefect_db = (tmp / "prefect-server" if args.reuse_server else tmp / "prefect") / "prefect.db"
        first = timed_run(run, env, prefect_db)
        with duckdb.connect(str(tmp / "data" / "psynews.duckdb"), read_only=True) as con:
            stories = con.execute("select count(*) from articles").fetchone()[0]
        again = timed_run(run, env, prefect_db)
        print(f"psynews run, first: {first:6.1f} s ({stories} stories; {first / baseline:.2f}x the baseline,"
              f" goal <= 2.0)")  # fmt: skip
        print(f"psynews run, nothing new: {again:6.1f} s ({again / first:.2f} of the first run, goal <= 0.3)")


if __name__ == "__main__":
    main()
