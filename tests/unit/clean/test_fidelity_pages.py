"""Extraction and cleaning over the fidelity pages (tests/fixtures/fidelity): what a reader would keep."""

from __future__ import annotations

import pytest

from flows.clean.stage import clean_pages
from flows.extract.page import extract_page
from tests.fixtures import fidelity_facts as facts


@pytest.fixture(scope="module")
def cleaned():
    pages = {record.fetch_id: extract_page(record) for record in facts.records()}
    cleaned = clean_pages(list(pages.values()))
    reasons = cleaned.boilerplate
    removed = {(s.source, s.paragraph): reasons[s.source][s.paragraph_hash] for s in cleaned.sightings
               if s.paragraph_hash in reasons.get(s.source, {})}  # fmt: skip
    return pages, removed


@pytest.mark.parametrize("key", facts.PAGES)
def test_page_keeps_its_story_and_nothing_else(cleaned, key):
    page, expected = cleaned[0][key], facts.PAGES[key]
    assert page.is_article, page.skip_reason
    for sentence in expected["sentences"]:
        assert sentence in page.text, sentence
    for boilerplate in expected["boilerplate"]:
        assert boilerplate not in page.text + "\n", boilerplate
    assert page.title == expected["title"]
    assert page.author == expected["author"]
    published = page.published_date.isoformat() if page.published_date else None
    assert (published, page.date_source) == (expected["date"], expected["date_source"])
    assert (page.spam_score > 0) == expected.get("stuffed", False)


def test_latin1_page_declared_utf8_is_recorded_as_overridden(cleaned):
    pages = cleaned[0]
    german = pages["gesundheitsblick/psilocybin-studie-depression"]
    assert (german.encoding, german.declared_encoding, german.is_encoding_overridden) == ("cp1252", "utf-8", True)
    assert "\ufffd" not in german.text
    assert german.language == "de"
    others = [p for key, p in pages.items() if not key.startswith("gesundheitsblick/")]
    assert all(p.encoding == "utf-8" and not p.is_encoding_overridden for p in others)


def test_each_removal_is_listed_with_its_reason(cleaned):
    reasons = {(source, paragraph[:40]): reason for (source, paragraph), reason in cleaned[1].items()}
    assert reasons == {
        ("stillwater", "If you are wondering whether ketamine in"): "call_to_action",
        ("stillwater", "Curious whether psychedelic-assisted car"): "call_to_action",
        ("stillwater", "Helen Marsh is the medical director of S"): "author_bio",
        ("stillwater", "Wondering whether esketamine could help "): "call_to_action",
        ("stillwater", "Still wondering whether this treatment c"): "near_repeat",
        ("harborstate", "About Harbor State University: Harbor St"): "press_release_end",
        ("harborstate", "Media contact: Dana Whitfield, Office of"): "press_release_end",
    }


def test_source_that_keeps_promotional_text_keeps_its_pitches():
    pages = [extract_page(r) for r in facts.records() if r.source == "stillwater"]
    cleaned = clean_pages(pages, keep_promotional=frozenset({"stillwater"}))
    assert not cleaned.boilerplate["stillwater"]
    assert "Stillwater Ketamine Clinic is here for you" in pages[0].text
