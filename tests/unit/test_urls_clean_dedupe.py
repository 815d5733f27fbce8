"""URL identity, boilerplate cleaning and exact deduplication, as pure functions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from crawler.urls import clean_url, resolve_canonical, url_key
from flows.clean import boilerplate_hashes, clean_text, sightings
from flows.dedupe import PageKeys, article_id, assign_stories
from flows.main_text import drop_stuffing
from flows.neardup import signature


def test_url_variants_share_a_key():
    variants = [
        "https://www.clinic.example/Blog/MDMA-Trial/",
        "http://clinic.example/blog/mdma-trial?utm_source=newsletter&utm_medium=email",
        "https://clinic.example/blog/mdma-trial#comments",
        "https://clinic.example:443/blog/mdma-trial/?fbclid=abc",
    ]
    assert {url_key(u) for u in variants} == {"clinic.example/blog/mdma-trial"}
    assert url_key("https://clinic.example/blog/mdma-trial?p=2") != url_key("https://clinic.example/blog/mdma-trial")


def test_clean_url_keeps_meaningful_query():
    assert clean_url("https://a.example/post?id=7&utm_campaign=x#top") == "https://a.example/post?id=7"


def test_canonical_only_trusted_on_same_host_and_not_root():
    page = "https://a.example/blog/x/?utm_source=y"
    assert resolve_canonical(page, "/blog/x/") == "https://a.example/blog/x/"
    assert resolve_canonical(page, "https://evil.example/blog/x/") == "https://a.example/blog/x/"
    assert resolve_canonical(page, "https://a.example/") == "https://a.example/blog/x/"


def test_keyword_stuffing_lines_are_dropped():
    lines = ["Intro paragraph about MDMA trials and what they found.", "mdma study ptsd", "Section two text here.",
             "MDMA Study PTSD", "A short line", "Conclusion."]  # fmt: skip
    kept, removed = drop_stuffing(lines)
    assert removed == 2
    assert "mdma study ptsd" not in " ".join(kept).lower()
    assert "A short line" in kept  # said once, it stays


def test_paragraph_recurring_on_three_pages_of_a_source_is_boilerplate():
    cta = "Book your free consultation today with our caring team."
    texts = [f"Story {n} has its own body text, different each time.\n{cta}" for n in range(3)]
    seen = [(s.source, s.paragraph_hash, s.page_text_hash) for t in texts for s in sightings("clinic", t)]
    found = boilerplate_hashes(seen)
    assert clean_text(texts[0], found["clinic"]) == "Story 0 has its own body text, different each time."
    # Two pages are not enough, and another source is not affected.
    assert not boilerplate_hashes(seen[:4]).get("clinic")
    assert "other" not in found


def test_exact_copies_do_not_make_their_own_text_boilerplate():
    text = "The same syndicated story.\nWith a second paragraph."
    seen = [(s.source, s.paragraph_hash, s.page_text_hash) for _ in range(5) for s in sightings("wire", text)]
    assert not boilerplate_hashes(seen)


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
