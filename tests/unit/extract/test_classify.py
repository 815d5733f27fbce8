"""A page marked up as an article is kept however short; listings are still skipped."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.raw_store import RawRecord
from flows.extract.page import extract_page

BRIEF = (
    "Regulators have postponed a decision on MDMA-assisted therapy for PTSD by three months, asking the "
    "sponsor for more safety data from its two late-stage trials."
)


def page(html: str, url: str = "https://courier.example/health/mdma-ruling-delayed/"):
    record = RawRecord("p1", "courier", "page", url, url, 200, {"content-type": "text/html"}, html.encode(),
                       datetime(2025, 1, 15, tzinfo=UTC))  # fmt: skip
    return extract_page(record)


def test_news_brief_marked_up_as_an_article_is_kept():
    html = (
        '<html><head><meta property="og:type" content="article"><title>Ruling Delayed</title></head><body>'
        f'<article><h1>Ruling Delayed</h1><time datetime="2024-08-09">9 August 2024</time><p>{BRIEF}</p></article>'
        "</body></html>"
    )
    found = page(html)
    assert found.is_article, found.skip_reason
    assert found.text == BRIEF
    assert found.word_count < 30


def test_short_page_without_article_signals_is_too_short():
    # No date: a teaser or stub, not a story.
    html = f"<html><head><title>Ruling Delayed</title></head><body><article><h1>Ruling Delayed</h1><p>{BRIEF}</p></article></body></html>"
    assert page(html).skip_reason == "too short"
    # No headline and no article markup.
    html = f'<html><body><div><time datetime="2024-08-09">9 August</time><p>{BRIEF}</p></div></body></html>'
    assert page(html).skip_reason == "too short"


def test_listing_and_tag_pages_are_still_skipped():
    teaser = f'<article><h1>Ruling Delayed</h1><time datetime="2024-08-09">9 Aug</time><p>{BRIEF}</p></article>'
    assert page(f"<html><body>{teaser * 3}</body></html>", "https://courier.example/health/list/").skip_reason == (
        "listing page"
    )
    assert page(f"<html><body>{teaser}</body></html>", "https://courier.example/tag/mdma/").skip_reason == (
        "tag or category index"
    )
