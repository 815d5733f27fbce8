"""What one source did in one run: the crawl's outcome, the raw store's tally, the load's counts.

One type from crawl to ``run_sources``: the crawl stage marks a failed crawl,
extraction counts responses and errors per raw file, the store adds new,
updated and duplicate stories, and the CLI prints it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class RunReport:
    """What one source did in one run."""

    source: str
    responses: int = 0  # anything the source answered: pages, feeds, sitemaps, 304s
    pages_fetched: int = 0
    not_modified: int = 0  # conditional requests answered 304
    skipped: int = 0  # refused by robots.txt or the source's scope (crawler.scope)
    empty_extractions: int = 0  # HTML pages with no main text worth keeping
    new_articles: int = 0
    updated_articles: int = 0
    duplicates: int = 0
    errors: int = 0
    failed: bool = False
    errors_by_kind: Counter[str] = field(default_factory=Counter)
    error_detail: list[str] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)  # unreadable raw-store parts moved aside, and why

    @classmethod
    def crawl_failed(cls, source: str, detail: str | None) -> RunReport:
        return cls(source, errors=1, failed=True, errors_by_kind=Counter(crawl_failed=1),
                   error_detail=[detail or "crawl failed"])  # fmt: skip

    def merge(self, other: RunReport) -> RunReport:
        """Add another report of the same source (another raw file, another stage) to this one."""
        self.responses += other.responses
        self.pages_fetched += other.pages_fetched
        self.not_modified += other.not_modified
        self.skipped += other.skipped
        self.empty_extractions += other.empty_extractions
        self.new_articles += other.new_articles
        self.updated_articles += other.updated_articles
        self.duplicates += other.duplicates
        self.errors += other.errors
        self.failed = self.failed or other.failed
        self.errors_by_kind.update(other.errors_by_kind)
        self.error_detail += other.error_detail
        self.quarantined += other.quarantined
        return self


def merge_reports(*parts: dict[str, RunReport]) -> dict[str, RunReport]:
    """One report per source, adding up the given ones (none is changed)."""
    merged: dict[str, RunReport] = {}
    for part in parts:
        for source, report in part.items():
            merged.setdefault(source, RunReport(source)).merge(report)
    return merged


def quarantined_only(reports: dict[str, RunReport]) -> dict[str, RunReport]:
    """Each source's quarantined raw-store parts and nothing else (what a reprocess reports besides its loads)."""
    return {source: RunReport(source, quarantined=r.quarantined) for source, r in reports.items() if r.quarantined}


def flag_silent(reports: dict[str, RunReport]) -> dict[str, RunReport]:
    """A crawled source that answered nothing at all (down, misconfigured, every URL refused) has failed."""
    for report in reports.values():
        if not report.failed and report.responses == 0:
            report.failed = True
            report.error_detail.append("no response from the source")
    return reports
