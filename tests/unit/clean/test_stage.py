"""The clean stage's entry point with a real work database: earlier pages are cleaned again."""

from __future__ import annotations

from datetime import UTC, datetime

from flows.clean.stage import clean_pages
from flows.dedupe.stage import assign
from flows.extract.page import extract_page
from flows.report import RunReport
from flows.store.stage import Store
from tests.fixtures.site_facts import CTA_SLUGS, CTA_TEXT
from tests.site_server import site_record

# The call to action is also a classified pitch; a source that keeps its pitches shows the
# exact-repeat rule alone, which applies to every source.
REPEATS_ONLY = frozenset({"harbor"})


def extracted(slugs: list[str]):
    return [extract_page(site_record(f"/blog/{slug}/")) for slug in slugs]


def test_paragraph_turning_boilerplate_cleans_the_pages_loaded_earlier(tmp_path):
    store = Store(tmp_path / "p.duckdb")
    earlier = extracted(CTA_SLUGS[:2])
    cleaned = clean_pages(earlier, store, REPEATS_ONLY)
    assert not cleaned.updates
    assert all(CTA_TEXT in p.text for p in earlier)  # on two pages only: not boilerplate yet
    store.load_run(run_id="r1", command="run", started_at=datetime.now(UTC), pages=earlier, cleaned=cleaned,
                   stories=assign(earlier, cleaned.updates, store), files=[], reports={"harbor": RunReport("harbor")},
                   rebuild=False)  # fmt: skip

    third = extracted(CTA_SLUGS[2:3])
    cleaned = clean_pages(third, store, REPEATS_ONLY)

    assert CTA_TEXT not in third[0].text
    assert CTA_TEXT in third[0].extracted_text
    assert sorted(u.page_id for u in cleaned.updates) == sorted(p.page_id for p in earlier)
    assert all(CTA_TEXT not in u.text for u in cleaned.updates)
    assert list(cleaned.boilerplate["harbor"].values()) == ["repeated"]


def test_without_a_store_only_the_given_pages_count(tmp_path):
    pages = extracted(CTA_SLUGS[:3])
    cleaned = clean_pages(pages, keep_promotional=REPEATS_ONLY)
    assert all(CTA_TEXT not in p.text for p in pages)
    assert not cleaned.updates
    assert not clean_pages(extracted(CTA_SLUGS[:2]), keep_promotional=REPEATS_ONLY).boilerplate["harbor"]


def test_a_pitch_goes_from_the_first_page_it_is_on():
    [page] = extracted(CTA_SLUGS[:1])
    cleaned = clean_pages([page])
    assert CTA_TEXT not in page.text
    assert list(cleaned.boilerplate["harbor"].values()) == ["call_to_action"]
