"""One run report per source: merged from the crawl, each raw file and the load."""

from __future__ import annotations

from flows.report import RunReport, flag_silent, merge_reports


def test_merge_adds_every_count_and_keeps_every_error():
    crawl = RunReport.crawl_failed("harbor", "crawl of harbor exited 1: boom")
    fetched = RunReport("harbor", responses=3, pages_fetched=2, not_modified=1, skipped=4, empty_extractions=1,
                        errors=2, errors_by_kind={"http_5xx": 1, "timeout": 1},
                        error_detail=["https://harbor.example/a: http 503", "https://harbor.example/b: timed out"])  # fmt: skip
    loaded = RunReport("harbor", new_articles=5, updated_articles=1, duplicates=2)

    total = RunReport("harbor").merge(crawl).merge(fetched).merge(loaded)

    assert (total.responses, total.pages_fetched, total.not_modified, total.skipped, total.empty_extractions) == (
        3, 2, 1, 4, 1)  # fmt: skip
    assert (total.new_articles, total.updated_articles, total.duplicates) == (5, 1, 2)
    assert total.errors == 3
    assert total.failed
    assert dict(total.errors_by_kind) == {"crawl_failed": 1, "http_5xx": 1, "timeout": 1}
    assert total.error_detail == ["crawl of harbor exited 1: boom", "https://harbor.example/a: http 503",
                                  "https://harbor.example/b: timed out"]  # fmt: skip


def test_merge_reports_adds_per_source_and_changes_no_input():
    first = {"harbor": RunReport("harbor", responses=1, pages_fetched=1)}
    second = {"harbor": RunReport("harbor", responses=2, pages_fetched=2), "quay": RunReport("quay", responses=1)}

    merged = merge_reports(first, second)

    assert list(merged) == ["harbor", "quay"]
    assert (merged["harbor"].responses, merged["harbor"].pages_fetched) == (3, 3)
    assert first["harbor"].responses == 1
    assert second["harbor"].responses == 2


def test_a_source_that_answered_nothing_has_failed():
    reports = flag_silent({
        "silent": RunReport("silent"),
        "answered": RunReport("answered", responses=1),
        "crashed": RunReport.crawl_failed("crashed", None),
    })  # fmt: skip
    assert reports["silent"].failed
    assert reports["silent"].error_detail == ["no response from the source"]
    assert not reports["answered"].failed
    assert reports["crashed"].error_detail == ["crawl failed"]  # not flagged a second time
