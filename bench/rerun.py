"""Rerun benchmark: what a crawl costs the first time and what a rerun with nothing new costs.

    uv run python bench/rerun.py [--pages 200] [--polite]

Generates a clinic-blog-like site (N article pages of ~25 KB with their site furniture,
paginated listings, an RSS feed of the latest 20, a sitemap of all with lastmod, robots.txt),
serves it on 127.0.0.1 with tests/site_server.py (ETag, Last-Modified, 304 on a match), and
crawls it three times into one raw store with crawler.launch.crawl_subprocess, as the flow's
crawl task does:

1. first run: everything new;
2. rerun, default recheck interval (7 days): nothing is due, only feed, sitemap and start
   page are asked for (conditionally, so they answer 304);
3. rerun with ``--recheck-days 0``: every page is due and asked for conditionally (all 304).

It prints wall time and CPU time (process start included), Scrapy's own crawl time, requests, bytes received and
raw-store bytes written per run, and each rerun's ratio to the first. Loopback with no
politeness delay by default, so wall time is mostly process start; ``--polite`` keeps the
shipped delays (1 s per request per host), where the first run takes minutes.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.launch import crawl_subprocess
from flows.settings import RUN
from tests.site_server import NO_DELAY, SiteServer

PER_LISTING = 20
TOPICS = ["psilocybin", "MDMA", "ketamine", "esketamine", "ibogaine", "LSD", "DMT", "ayahuasca"]
CONDITIONS = ["depression", "PTSD", "anxiety", "alcohol use disorder", "anorexia", "OCD", "smoking cessation"]

FURNITURE = """<header><nav>{nav}</nav></header>
<aside class="sidebar">{sidebar}</aside>
<footer><p>Harbor Mind Clinic, 12 Quay Street. Call us to book a consultation.</p>
<form><input name="email"><button>Subscribe to our newsletter</button></form><p>{legal}</p></footer>"""


def furniture() -> str:
    nav = "".join(f'<a href="/blog/">{t} news</a> ' for t in TOPICS)
    sidebar = "".join(f"<div class='widget'><h3>{t}</h3><p>{' '.join([t] * 40)}</p></div>" for t in TOPICS * 4)
    return FURNITURE.format(nav=nav, sidebar=sidebar, legal="All rights reserved. " * 60)


def article(i: int, total: int, chrome: str) -> str:
    topic, condition = TOPICS[i % len(TOPICS)], CONDITIONS[i % len(CONDITIONS)]
    title = f"Study {i}: {topic} for {condition}"
    paragraphs = "".join(
        f"<p>In study {i}, researchers gave {topic} to {20 + i % 80 + k} adults with {condition}. Paragraph {k} "
        f"describes the dosing, the therapy sessions, the measures at week {k + 2} and the side effects the team "
        f"recorded, with a note on what the results mean for clinics offering {topic}.</p>"
        for k in range(12)
    )
    neighbours = "".join(f'<a href="/blog/study-{j}/">Study {j}</a> ' for j in (i - 1, i + 1) if 0 <= j < total)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:type" content="article"></head><body>{chrome}'
        f"<main><article><h1>{title}</h1>{paragraphs}</article><nav>{neighbours}</nav></main></body></html>"
    )


def listing(page: int, total: int, chrome: str) -> str:
    pages = (total + PER_LISTING - 1) // PER_LISTING
    items = range(total - 1 - (page - 1) * PER_LISTING, max(total - 1 - page * PER_LISTING, -1), -1)
    links = "".join(f'<li><a href="/blog/study-{i}/">Study {i}</a></li>' for i in items)
    more = f'<a href="/blog/page/{page + 1}/">Older posts</a>' if page < pages else ""
    return f"<html><body>{chrome}<h1>Blog</h1><ul>{links}</ul>{more}</body></html>"


def build_site(root: Path, total: int) -> None:
    chrome = furniture()
    published = [datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=i) for i in range(total)]
    for i in range(total):
        (root / "blog" / f"study-{i}").mkdir(parents=True)
        (root / "blog" / f"study-{i}" / "index.html").write_text(article(i, total, chrome))
    (root / "blog" / "index.html").write_text(listing(1, total, chrome))
    for page in range(2, (total + PER_LISTING - 1) // PER_LISTING + 1):
        (root / "blog" / "page" / str(page)).mkdir(parents=True)
        (root / "blog" / "page" / str(page) / "index.html").write_text(listing(page, total, chrome))
    (root / "index.html").write_text(f'<html><body>{chrome}<a href="/blog/">Blog</a></body></html>')
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n\nSitemap: {BASE}/sitemap.xml\n")
    urls = "".join(
        f"<url><loc>{{BASE}}/blog/study-{i}/</loc><lastmod>{published[i]:%Y-%m-%d}</lastmod></url>"
        for i in range(total)
    )
    (root / "sitemap.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )
    items = "".join(
        f"<item><title>Study {i}</title><link>{{BASE}}/blog/study-{i}/</link>"
        f"<pubDate>{published[i]:%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>"
        for i in range(total - 1, max(total - 21, -1), -1)
    )
    (root / "feed.xml").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>{items}</channel></rss>'
    )


def cpu_seconds() -> float:
    """User + system CPU of finished child processes (less sensitive than wall time to a busy machine)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def crawl(site: SiteServer, data: Path, run_id: str, total: int, recheck_days: float, polite: bool) -> dict:
    source = {"name": "bench", "feeds": [f"{site.base}/feed.xml"], "sitemaps": [f"{site.base}/robots.txt"],
              "start_urls": [f"{site.base}/"], "max_pages": total * 2}  # fmt: skip
    site.hits.clear()
    started, cpu_before = time.perf_counter(), cpu_seconds()
    stats = crawl_subprocess(json.dumps(source), data / "raw", run_id, data / f"{run_id}.stats.json",
                             data / f"{run_id}.log", recheck_days=recheck_days, settings={} if polite else NO_DELAY,
                             timeout=RUN.crawl_timeout)  # fmt: skip
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
    stored = sum(p.stat().st_size for p in (data / "raw" / "bench").glob(f"{run_id}-*.parquet"))
    statuses = {}
    for hit in site.hits:
        statuses[hit.status] = statuses.get(hit.status, 0) + 1
    return {"wall_s": wall, "cpu_s": cpu, "crawl_s": stats["elapsed_seconds"], "requests": len(site.hits),
            "bytes_in": stats["bytes"], "stored_bytes": stored, "statuses": statuses}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--polite", action="store_true", help="keep the shipped politeness delays")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="psynews-rerun-") as tmp:
        root, data = Path(tmp) / "site", Path(tmp) / "data"
        root.mkdir()
        data.mkdir()
        build_site(root, args.pages)
        with SiteServer(root=root) as site:
            runs = {
                "first run": crawl(site, data, "r1", args.pages, RUN.recheck_days, args.polite),
                "rerun (nothing due)": crawl(site, data, "r2", args.pages, RUN.recheck_days, args.polite),
                "rerun --recheck-days 0": crawl(site, data, "r3", args.pages, 0, args.polite),
            }
    first = runs["first run"]
    print(f"{args.pages} article pages on 127.0.0.1, {'shipped delays' if args.polite else 'no politeness delay'}")
    header = (
        f"{'':24} {'wall s':>7} {'cpu s':>6} {'crawl s':>8} {'requests':>9} {'bytes in':>10} {'stored B':>10}  statuses"
    )
    print(header)
    for name, run in runs.items():
        print(f"{name:24} {run['wall_s']:7.2f} {run['cpu_s']:6.2f} {run['crawl_s']:8.2f} {run['requests']:9d} {run['bytes_in']:10d} "
              f"{run['stored_bytes']:10d}  {dict(sorted(run['statuses'].items()))}")  # fmt: skip
    for name, run in list(runs.items())[1:]:
        ratios = {
            key: run[key] / first[key] for key in ("wall_s", "cpu_s", "crawl_s", "requests", "bytes_in", "stored_bytes")
        }
        print(f"{name} / first run: " + ", ".join(f"{k} {v:.3f}" for k, v in ratios.items()))


if __name__ == "__main__":
    main()
