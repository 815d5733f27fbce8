"""Claims whose sentence does not name the substance: "the drug", "the treatment", "it".

Short stories written for these tests, read with the shipped taxonomy. Each labelled sentence gives
the substance its claim is about (None: no claim) and the words that stand for it.
"""

from __future__ import annotations

import pytest

from flows.analyse.claims import Claim, extract_claims, referring_phrase
from flows.analyse.topics import default_matcher
from flows.text.sentences import split_sentences


def topics_in(text: str) -> dict[str, str]:
    matcher = default_matcher()
    return {topic: matcher.kind(topic) for _, _, topic in matcher.find(text)}


def claims_by_sentence(story: str) -> dict[str, Claim]:
    return {claim.sentence: claim for claim in extract_claims(split_sentences(story), topics_in)}


# (story, [(sentence, substance or None, subject)]): every sentence of a story that refers back is labelled.
STORIES = [
    (
        (
            "A Danish team gave psilocybin to 40 adults with anorexia in an open-label study.\n"
            "The drug was well tolerated, with headaches the most common complaint.\n"
            "Three months later, the treatment had lifted weight in about a third of the group."
        ),
        [
            ("The drug was well tolerated, with headaches the most common complaint.", "psilocybin", "the drug"),
            (
                "Three months later, the treatment had lifted weight in about a third of the group.",
                "psilocybin",
                "the treatment",
            ),
        ],
    ),
    (
        (
            "Veterans in Texas are asking lawmakers to fund ibogaine research.\n"
            "The state set aside money for trials last year.\n"
            "Supporters point to clinics abroad. Doctors there report long waiting lists.\n"
            "Many families have paid out of pocket. Costs often exceed $10,000.\n"
            "Cardiologists warn that the compound can cause dangerous heart rhythms."
        ),
        # six sentences after ibogaine was named, but it is the only substance of the story
        [("Cardiologists warn that the compound can cause dangerous heart rhythms.", "ibogaine", "the compound")],
    ),
    (
        (
            "Ketamine clinics have spread across the country, and esketamine is now sold as a nasal spray.\n"
            "This medication must be taken under supervision because it can cause dissociation."
        ),
        [
            (
                "This medication must be taken under supervision because it can cause dissociation.",
                "esketamine",
                "this medication",
            ),
        ],
    ),
    (
        (
            "Researchers tested MDMA in people with PTSD.\n"
            "It reduced symptoms more than placebo after three sessions.\n"
            "It is too early to say whether the gains will last."
        ),
        [
            ("It reduced symptoms more than placebo after three sessions.", "mdma", "it"),
            ("It is too early to say whether the gains will last.", None, None),  # an "it" that is no drug
        ],
    ),
    (
        (
            "Psilocybin and MDMA were both moved to a less restrictive schedule this year.\n"
            "Regulators met twice in the spring. A report was published in June.\n"
            "Clinics prepared staff training over the summer. Insurers have said little.\n"
            "Hospitals are still drafting protocols.\n"
            "The therapy may ease symptoms for some patients, experts said."
        ),
        # two substances and seven sentences back: the subject is not guessed
        [("The therapy may ease symptoms for some patients, experts said.", None, None)],
    ),
    (
        (
            "A trial compared psilocybin with niacin in adults with depression.\n"
            "The placebo group also improved after the treatment sessions, though less.\n"
            "Those in the psilocybin arm reported larger drops in depression scores."
        ),
        [("The placebo group also improved after the treatment sessions, though less.", None, None)],  # control arm
    ),
    (
        (
            "Ketamine has been used as an anaesthetic for decades.\n"
            "The drug war has filled prisons, the senator said.\n"
            "The standard treatment for depression helps about half of patients.\n"
            "The study enrolled 60 adults and reported improvements after four weeks.\n"
            "The Food and Drug Administration approved the clinic's new building permit."
        ),
        [
            ("The drug war has filled prisons, the senator said.", None, None),
            ("The standard treatment for depression helps about half of patients.", None, None),  # a comparator
            ("The study enrolled 60 adults and reported improvements after four weeks.", None, None),
            ("The Food and Drug Administration approved the clinic's new building permit.", None, None),
        ],
    ),
    (
        (
            "LSD is being tested for generalized anxiety.\n"
            "In the trial, the 100 microgram group improved most, and its benefits lasted 12 weeks."
        ),
        [
            (
                "In the trial, the 100 microgram group improved most, and its benefits lasted 12 weeks.",
                "lsd",
                "100 microgram",
            ),
        ],
    ),
    (
        (
            "A biotech firm reported psilocybin results in depression.\n"
            "Investors have poured money into psychedelics this year.\n"
            "The drug was generally well tolerated, the company said.\n"
            "Some analysts believe these medicines will transform psychiatry."
        ),
        [
            # a singular "the drug" after a class word is the drug named before it; a plural, the class
            ("The drug was generally well tolerated, the company said.", "psilocybin", "the drug"),
            (
                "Some analysts believe these medicines will transform psychiatry.",
                "psychedelics_class",
                "these medicines",
            ),
        ],
    ),
]
LABELLED = [(story, *item) for story, items in STORIES for item in items]


@pytest.mark.parametrize(("story", "sentence", "substance", "subject"), LABELLED)
def test_reference_resolves_to_the_substance_named_before(story, sentence, substance, subject):
    claims = claims_by_sentence(story)
    assert sentence in story  # the label names a sentence of its story
    found = claims.get(sentence)
    assert ((found.substance, found.substance_phrase) if found else (None, None)) == (substance, subject)


def test_labelled_set_scores():
    """Claims about a referred substance: right substance on every labelled claim, no false claim."""
    right = wrong = 0
    for story, sentence, substance, _ in LABELLED:
        found = claims_by_sentence(story).get(sentence)
        right += bool(found) and found.substance == substance
        wrong += bool(found) and found.substance != substance
    assert (right, wrong) == (sum(s is not None for _, _, s, _ in LABELLED), 0)


def test_a_sentence_naming_its_substance_has_no_phrase():
    (claim,) = extract_claims(split_sentences("Psilocybin eased depression in the trial."), topics_in)
    assert (claim.substance, claim.substance_phrase) == ("psilocybin", None)


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("the drug lowered cravings.", "the drug"),
        ("in the trial, it cut drinking days.", "it"),
        ("the experimental compound was safe.", "the experimental compound"),
        ("benefits faded after treatment.", "after treatment"),
        ("the drug's maker raised prices.", None),
        ("drug policy experts disagree.", None),
        ("it remains unclear whether insurers will pay.", None),
        ("the placebo effect was large.", None),
        ("the effects of the pandemic lingered.", None),
        ("people seeking treatment centres wait months.", None),
        ("older options such as therapy help some people.", None),
        ("it is characterised by flashbacks and nightmares.", None),  # the condition, not the drug
        ("symptoms kept improving after the end of treatment.", "the end of treatment"),
    ],
)
def test_referring_phrases(sentence, phrase):
    match = referring_phrase(sentence)
    assert (match.group("phrase") if match else None) == phrase
