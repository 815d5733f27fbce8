"""Calls to action, contact blocks and bios found by what a paragraph says and where it sits."""

from __future__ import annotations

import pytest

from flows.clean.promotional import PageContext, has_phone, paragraph_cue, paragraph_cues

CLINIC = PageContext(("Stillwater Ketamine Clinic",), "Helen Marsh")
PRESS = PageContext(("Harbor State University",))
NEWS = PageContext(("The Tidewater Courier",), "Ruth Penhaligon")
LAST, MIDDLE = 0, 6  # paragraphs after it on the page


@pytest.mark.parametrize(
    ("paragraph", "context", "cue"),
    [
        ("If you are wondering whether ketamine could help you, Stillwater Ketamine Clinic is here for you.", CLINIC,
         "call_to_action"),
        ("For anyone curious how these treatments can work for you, our team is here to help.", CLINIC,
         "call_to_action"),
        ("Ready to take the first step? Call (503) 555-0187 to book your visit.", CLINIC, "call_to_action"),
        ("Media contact: Dana Whitfield, dwhitfield@harborstate.example, 503-555-0142", PRESS, "contact_block"),
        ("Dana Whitfield, Office of University Communications, 503-555-0142", PRESS, "contact_block"),
        ("About Harbor State University: a public research university in Salem, Oregon.", PRESS, "about_block"),
        ("Helen Marsh is the medical director of the clinic and writes about ketamine care.", CLINIC, "author_bio"),
    ],
)  # fmt: skip
def test_closing_pitch_and_furniture_are_found(paragraph, context, cue):
    assert paragraph_cue(paragraph, LAST, context) == cue


@pytest.mark.parametrize(
    ("paragraph", "context"),
    [
        # A clinic's founder quoted in a news story: the "you" and "call" are hers, inside quotes.
        (("\u201cPeople call us every week asking whether we can see you sooner,\u201d said Maria Lopes, founder of "
         "Bayside Psychedelic Clinic."), NEWS),
        ("Bayside Psychedelic Clinic said it offers a reduced rate to patients referred by their doctor.", NEWS),
        ("Prices at the three clinics contacted by the Courier ranged from 350 to 600 pounds per session.", NEWS),
        # Reporting in the second person without asking anything of the reader.
        ("If you are living with depression, the results may sound hopeful, but the trial was small.", NEWS),
        # A press release that ends with its funding line.
        ("The work was supported by grants from the National Institute of Mental Health.", PRESS),
        ('"If you had told me ten years ago, I would not have believed you," said Professor Lina Okoro.', PRESS),
        # German: the formal "Sie" in a quotation, a clinic named in reporting.
        (("Dr. Henrike Brandt sagt: \u201eWenn Sie uns heute anrufen, bekommen Sie frühestens im Frühjahr einen "
         "Termin.\u201c"), PageContext(("Nordlicht Gesundheit",))),
        # The author named in a closing sentence that is not a bio.
        ("Ruth Penhaligon contributed reporting from Salem.", PageContext((), "Jane Doe")),
        ("At our clinic, most patients tell us the second week is when they notice a change.", CLINIC),
        # Advice that sends the reader elsewhere, in a clinic blog's closing section.
        (("If you are considering esketamine, ask the treatment center whether they will handle the prior "
         "authorization, and request a written estimate of your costs."), CLINIC),
    ],
)  # fmt: skip
def test_reporting_gets_no_strong_cue(paragraph, context):
    assert paragraph_cue(paragraph, LAST, context) in (None, "pitch")


def test_position_matters_for_a_pitch_without_contact_details():
    pitch = "Curious whether this care might be right for you? Schedule a free consultation with us today."
    assert paragraph_cue(pitch, LAST, PageContext()) == "call_to_action"
    assert paragraph_cue(pitch, MIDDLE, PageContext()) is None


def test_everything_after_a_press_release_end_mark_goes():
    lines = ["SALEM, Ore. — The trial opens today.", "It enrolls 120 adults.", "###", "About the office.", "More."]
    assert paragraph_cues(lines, PRESS) == [None, None, None, "press_release_end", "press_release_end"]
    assert paragraph_cues(lines[:2] + lines[3:], PRESS)[-1] != "press_release_end"


def test_phone_numbers_but_not_years_or_counts():
    for text in ["Call (503) 555-0187", "503-555-0142", "+44 20 7946 0958", "tel. 0800 123 4567"]:
        assert has_phone(text), text
    for text in ["between 2019 2020 and 2021", "28,000 students", "from 350 to 600 pounds", "in 2024 and 2025"]:
        assert not has_phone(text), text
