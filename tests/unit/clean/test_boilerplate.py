"""Paragraphs recurring across a source's pages, or reworded on each, are boilerplate."""

from __future__ import annotations

from flows.clean.boilerplate import boilerplate_reasons, clean_text, sightings
from flows.clean.promotional import PageContext

CLINIC = PageContext(("Stillwater Ketamine Clinic",))


def test_paragraph_recurring_on_three_pages_of_a_source_is_boilerplate():
    disclaimer = "This article is for information only and is not medical advice."
    texts = [f"Story {n} has its own body text, different each time.\n{disclaimer}" for n in range(3)]
    seen = [s for t in texts for s in sightings("clinic", t)]
    found = boilerplate_reasons(seen)
    assert found["clinic"] == {sightings("clinic", disclaimer).__next__().paragraph_hash: "repeated"}
    assert clean_text(texts[0], found["clinic"]) == "Story 0 has its own body text, different each time."
    # Two pages are not enough, and another source is not affected.
    assert not boilerplate_reasons(seen[:4]).get("clinic")
    assert "other" not in found


def test_exact_copies_do_not_make_their_own_text_boilerplate():
    text = "The same syndicated story.\nWith a second paragraph."
    seen = [s for _ in range(5) for s in sightings("wire", text)]
    assert not boilerplate_reasons(seen)


BODY = [
    "Ketamine raised blood pressure for about an hour in most of the infusion studies reviewed here.",
    "Researchers followed the patients for six weeks after the last of their sessions.",
]
PITCHES = [
    "Wondering whether ketamine could be right for you? Our Stillwater nurses are happy to talk it through.",
    "Still wondering whether this could be right for you or a loved one? Our Stillwater team is happy to talk.",
    "Wondering whether infusions might be right for you this year? The Stillwater nurses are happy to talk it over.",
]


def test_reworded_closing_pitch_on_three_pages_is_a_near_repeat():
    texts = [f"{BODY[0]} ({n})\n{BODY[1]} ({n})\n{pitch}" for n, pitch in enumerate(PITCHES)]
    found = boilerplate_reasons([s for t in texts for s in sightings("stillwater", t, CLINIC)])
    assert sorted(found["stillwater"].values()) == ["near_repeat"] * 3
    assert clean_text(texts[1], found["stillwater"]) == f"{BODY[0]} (1)\n{BODY[1]} (1)"
    # On two pages only it is not a template yet; a source that keeps its pitches keeps them.
    assert not boilerplate_reasons([s for t in texts[:2] for s in sightings("stillwater", t, CLINIC)])
    kept = boilerplate_reasons([s for t in texts for s in sightings("stillwater", t, CLINIC)], {"stillwater"})
    assert not kept


def test_similar_closing_reporting_is_no_near_repeat():
    funding = [
        "The work was supported by grants from the National Institute of Mental Health and a university fund.",
        "The study was funded by the National Institute on Drug Abuse and by a university imaging fund.",
        "The trial was supported by the National Institute of Mental Health and a private foundation.",
    ]
    texts = [f"{BODY[0]} ({n})\n{BODY[1]} ({n})\n{line}" for n, line in enumerate(funding)]
    assert not boilerplate_reasons([s for t in texts for s in sightings("university", t, CLINIC)])


def test_classified_paragraph_is_removed_with_its_reason_from_one_page():
    cta = "If you are wondering whether ketamine could help, Stillwater Ketamine Clinic is here for you: book a call."
    text = f"{BODY[0]}\n{BODY[1]}\n{cta}"
    found = boilerplate_reasons(list(sightings("stillwater", text, CLINIC)))
    assert list(found["stillwater"].values()) == ["call_to_action"]
    assert clean_text(text, found["stillwater"]) == "\n".join(BODY)
    assert not boilerplate_reasons(list(sightings("stillwater", text, CLINIC)), {"stillwater"})
