"""Paragraphs recurring across a source's pages are boilerplate."""

from __future__ import annotations

from flows.clean.boilerplate import boilerplate_hashes, clean_text, sightings


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
