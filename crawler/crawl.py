"""Crawl one source in this process and write the raw store; run as a subprocess.

    python -m crawler.crawl SOURCE_JSON RAW_DIR RUN_ID STATS_FILE [-s NAME=VALUE ...]

Each crawl gets a process of its own because Twisted's reactor cannot be
restarted: the flow can then run many crawls, in tests, loops and schedules.
The stats file gets a JSON summary of what was fetched.

Stopping: SIGTERM or SIGINT writes the raw records held in memory at once, then
stops the crawl gracefully (a second signal stops it at once, and what was
buffered meanwhile is written before the process exits); CLOSESPIDER_TIMEOUT
(crawler/settings.py) stops it the same way. Only SIGKILL loses buffered records,
and the next run fetches those pages again.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
from pathlib import Path

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from twisted.internet import task

from crawler import settings as default_settings
from crawler.config import Source
from crawler.middlewares import NETWORKS_SETTING
from crawler.scope import private_networks
from crawler.spiders.generic import GenericSpider


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source_json")
    parser.add_argument("raw_dir")
    parser.add_argument("run_id")
    parser.add_argument("stats_file")
    parser.add_argument("--recheck-days", default="7")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()

    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    for pair in args.set:
        name, _, value = pair.partition("=")
        settings.set(name, value, priority="cmdline")
    # Read by the DNS resolver, which Scrapy builds before any spider exists.
    networks = private_networks(Source.model_validate_json(args.source_json))
    settings.set(NETWORKS_SETTING, [str(n) for n in networks], priority="cmdline")

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(GenericSpider)
    # If the flow that started this crawl dies (kill -9), stop instead of crawling on as an orphan.
    parent = os.getppid()

    def check_parent() -> None:
        if os.getppid() != parent and crawler.engine is not None:
            crawler.engine.close_spider(crawler.spider, "parent_died")

    def flush() -> None:
        if (spider := crawler.spider) is not None and spider.flush_records is not None:
            spider.flush_records()

    def flush_on_signals() -> None:
        """Before Scrapy's own shutdown handler (installed at reactor startup) runs, write what is buffered."""
        from twisted.internet import reactor

        for signum in (signal.SIGTERM, signal.SIGINT):
            scrapy_handler = signal.getsignal(signum)

            def handler(signum, frame, scrapy_handler=scrapy_handler):
                reactor.callFromThread(flush)  # in the reactor's turn: never in the middle of a write
                scrapy_handler(signum, frame)

            signal.signal(signum, handler)

    def start_watchdog() -> None:
        # Made here, not earlier: LoopingCall() imports the reactor, which would install the default
        # one before Scrapy installs the asyncio reactor it asks for.
        crawler.watchdog = task.LoopingCall(check_parent)
        crawler.watchdog.start(1.0, now=False)
        flush_on_signals()

    crawler.signals.connect(start_watchdog, signal=signals.engine_started, weak=False)
    process.crawl(
        crawler, source=args.source_json, raw_dir=args.raw_dir, run_id=args.run_id, recheck_days=args.recheck_days
    )
    process.start()
    flush()  # a forced stop (second signal) closes nothing: write what the pipeline still holds

    stats = crawler.stats.get_stats()
    summary = {
        "finish_reason": stats.get("finish_reason"),
        "responses": stats.get("response_received_count", 0),
        "items": stats.get("item_scraped_count", 0),
        "robots_forbidden": stats.get("robotstxt/forbidden", 0),
        "offsite_filtered": stats.get("offsite/filtered", 0),  # refused by scheme, host or port (crawler.scope)
        "refused_address": stats.get("psynews/refused_address", 0),  # hosts resolving to non-public addresses
        "not_modified": stats.get("downloader/response_status_count/304", 0),
        "not_due": stats.get("psynews/not_due", 0),  # stored pages not requested: their recheck is not due
        "bytes": stats.get("downloader/response_bytes", 0),
        "elapsed_seconds": stats.get("elapsed_time_seconds"),
    }
    Path(args.stats_file).write_text(json.dumps(summary))


if __name__ == "__main__":
    main()
