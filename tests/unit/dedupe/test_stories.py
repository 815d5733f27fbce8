"""Exact and near-duplicate pages join one story."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flows.dedupe.neardup import signature
from flows.dedupe.stories import PageKeys, article_id, assign_stories


def test_stories_join_on_url_canonical_and_text():
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    pages = [
        PageKeys("p1", t0, "a.example/story", "a.example/story", "h1"),
        PageKeys("p2", t0 + timedelta(1), "a.example/story/amp", "a.example/story", "h2"),  # canonical
        PageKeys("p3", t0 + timedelta(2), "b.example/repost", "b.example/repost", "h1"),  # same words
        PageKeys("p4", t0 + timedelta(3), "a.example/other", "a.example/other", "h4"),
    ]
    stories = assign_stories(pages)
    assert stories["p1"].article_id == stories["p2"].article_id == stories["p3"].article_id
    assert stories["p1"].article_id == article_id("a.example/story")
    assert [stories[p].match for p in ("p1", "p2", "p3", "p4")] == ["home", "url variant", "same text", "home"]
    assert stories["p4"].article_id == article_id("a.example/other")
    # The same pages in another order give the same ids: the earliest page names the story.
    assert assign_stories(reversed(pages)) == stories


def test_syndicated_copy_with_edits_joins_the_original_which_stays_home():
    body = " ".join(f"Sentence {n} of the wire story about psilocybin trials and their results." for n in range(60))
    original = body
    copy = "Our partner reports: " + body.replace("Sentence 7 of", "Sentence seven in") + " Subscribe for more."
    other = " ".join(f"Line {n} of a different story about ketamine clinic prices." for n in range(60))
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    pages = [
        # The copy was fetched first, but the original was published first, and the copy credits it.
        PageKeys("copy", t0, "b.example/wire", "b.example/wire", "hc", date(2026, 1, 2), syndicated=True),
        PageKeys("orig", t0 + timedelta(1), "a.example/story", "a.example/story", "ho", date(2026, 1, 1)),
        PageKeys("other", t0, "a.example/other", "a.example/other", "hx", date(2026, 1, 1)),
    ]
    signatures = {"ho": signature(original), "hc": signature(copy), "hx": signature(other)}
    stories = assign_stories(pages, signatures)
    assert stories["copy"].article_id == stories["orig"].article_id != stories["other"].article_id
    assert stories["orig"].match == "home"
    assert stories["copy"].match == "near duplicate"
    assert 0.7 <= stories["copy"].similarity < 1.0
    # Without signatures the two stay apart.
    assert assign_stories(pages)["copy"].article_id != assign_stories(pages)["orig"].article_id
