"""Append every fetched response to the raw store."""

from __future__ import annotations

import uuid

from crawler.items import FetchedPage
from crawler.raw_store import RawRecord, RawWriter


class RawStorePipeline:
    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler) -> RawStorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.source = spider.source.name
        self.writer = RawWriter(spider.raw_dir, self.source, spider.run_id)
        # For what no callback yields: dropped duplicates, an unreachable robots.txt.
        spider.write_record = self.process_item
        # For crawler.crawl, which writes what is buffered when the crawl is stopped by a signal.
        spider.flush_records = self.writer.flush

    def process_item(self, item: FetchedPage) -> FetchedPage:
        self.writer.write(
            RawRecord(
                fetch_id=uuid.uuid4().hex,
                source=self.source,
                kind=item.kind,
                url=item.url,
                request_url=item.request_url,
                status=item.status,
                headers=item.headers,
                body=item.body,
                error=item.error,
            )
        )
        return item

    def close_spider(self) -> None:
        self.writer.close()
