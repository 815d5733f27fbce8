"""Content checks for flows.analyse.claims: the 15 labelled examples of claims.md and a detection set."""

from __future__ import annotations

import re

import pytest

from flows.analyse.claims import CLAIM_TYPES, Claim, _cue_name, _scanner, extract_claims
from flows.text.sentences import split_sentences

# A small stand-in for the taxonomy matcher: synonyms per topic, longest match first.
SYNONYMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "mdma": ("substance", ("MDMA", "ecstasy", "molly", "MDMA-assisted therapy")),
    "psilocybin": ("substance", ("psilocybin", "magic mushrooms", "psilocybin mushrooms")),
    "lsd": ("substance", ("LSD", "lysergic acid diethylamide")),
    "ketamine": ("substance", ("ketamine", "ketamine infusion", "ketamine infusions")),
    "esketamine": ("substance", ("esketamine", "Spravato", "esketamine nasal spray")),
    "ibogaine": ("substance", ("ibogaine", "iboga")),
    "psychedelics_class": ("substance", ("psychedelic", "psychedelics", "psychedelic therapy", "natural medicine")),
    "ptsd": ("condition", ("PTSD", "post-traumatic stress disorder")),
    "mdd": ("condition", ("depression", "major depression", "major depressive disorder")),
    "trd": ("condition", ("treatment-resistant depression",)),
    "anxiety": ("condition", ("anxiety",)),
    "tbi": ("condition", ("traumatic brain injury", "TBI")),
    "aud": ("condition", ("alcohol use disorder", "alcoholism", "heavy drinking")),
    "anorexia_nervosa": ("condition", ("anorexia",)),
    "end_of_life_distress": ("condition", ("life-threatening illness", "terminal illness")),
    "lykos": ("organization", ("Lykos Therapeutics", "Lykos")),
}
_LOOKUP = {syn.lower(): (topic, kind) for topic, (kind, syns) in SYNONYMS.items() for syn in syns}
_MATCHER = re.compile(
    r"\b(?:" + "|".join(re.escape(s) for s in sorted(_LOOKUP, key=len, reverse=True)) + r")\b", re.IGNORECASE
)


def fake_topics_in(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _MATCHER.finditer(text):
        topic, kind = _LOOKUP[match.group().lower()]
        found.setdefault(topic, kind)
    return found


def claims_of(text: str) -> list[Claim]:
    return extract_claims(split_sentences(text), fake_topics_in)


def claim_for(text: str, sentence: str) -> Claim | None:
    found = [claim for claim in claims_of(text) if claim.sentence == sentence]
    return found[0] if found else None


# ---------- the 15 examples of claims.md, each after a lead-in sentence from its imagined article
# (claims.md labels conditions the sentence does not name, e.g. example 5's ptsd; the lead-in is that context)

EXAMPLES = [
    # (lead-in, example, type, substance, condition, hedged)
    (
        "Lykos Therapeutics ran two phase 3 trials in adults with PTSD.",
        ("MDMA-assisted therapy significantly reduced PTSD symptoms compared with placebo plus therapy in a phase 3 "
        "trial (Mitchell et al., 2021)."),
        "efficacy", "mdma", "ptsd", False,
    ),
    (
        "Depression is the leading cause of disability worldwide.",
        ("Psilocybin may offer relief to people whose depression has not responded to standard antidepressants, "
        "though larger trials are needed."),
        "efficacy", "psilocybin", "trd", True,
    ),
    (
        "Researchers gave psilocybin to 27 adults with major depression.",
        "Participants were still doing better a year after their last psilocybin session.",
        "durability", "psilocybin", "mdd", False,
    ),
    (
        "Ketamine clinics market infusions to people with treatment-resistant depression.",
        "The benefits of a single ketamine infusion appear to fade within about a week for many patients.",
        "durability", "ketamine", "trd", True,
    ),
    (
        "The MDMA trials enrolled veterans and first responders with PTSD.",
        "MDMA is generally well tolerated in clinical settings, with mostly mild and temporary side effects.",
        "safety", "mdma", "ptsd", False,
    ),
    (
        "Stanford researchers gave ibogaine to 30 special-forces veterans with traumatic brain injury.",
        "Ibogaine can cause dangerous heart-rhythm problems, which is why the Stanford protocol added magnesium.",
        "safety", "ibogaine", "tbi", True,
    ),
    (
        "Imperial College has studied psilocybin for depression for a decade.",
        "Psilocybin is thought to work by loosening rigid patterns of brain activity.",
        "mechanism", "psilocybin", "mdd", True,
    ),
    (
        "Clinicians are testing MDMA as an aid to therapy for PTSD.",
        "MDMA quiets the amygdala, the brain's fear center, so patients can revisit trauma without being overwhelmed.",
        "mechanism", "mdma", "ptsd", False,
    ),
    (
        "Lykos Therapeutics asked the agency to approve MDMA for PTSD in December 2023.",
        "The FDA declined to approve MDMA-assisted therapy in August 2024 and asked for another phase 3 study.",
        "regulatory", "mdma", "ptsd", False,
    ),
    (
        "Australia took a different path from the United States.",
        ("Since July 2023, authorised psychiatrists in Australia have been able to prescribe psilocybin for "
        "treatment-resistant depression."),
        "regulatory", "psilocybin", "trd", False,
    ),
    (
        "Ketamine has been used off-label for depression for years.",
        ("Esketamine nasal spray is FDA-approved for treatment-resistant depression but must be taken under "
        "supervision in a certified clinic."),
        "regulatory", "esketamine", "trd", False,
    ),
    (
        "Some Oregon clients hope psilocybin will ease their depression.",
        "A supervised psilocybin session at an Oregon service center can cost hundreds or even thousands of dollars.",
        "access_cost", "psilocybin", None, True,
    ),
    (
        "The trial enrolled 59 adults with moderate to severe depression.",
        ("In one head-to-head trial, psilocybin performed about as well as escitalopram on the main depression "
        "measure."),
        "comparison", "psilocybin", "mdd", False,
    ),
    (
        "Ketamine and ECT were compared in 403 patients at five sites.",
        ("Ketamine infusions were at least as effective as electroconvulsive therapy for non-psychotic "
        "treatment-resistant depression."),
        "comparison", "ketamine", "trd", False,
    ),
    (
        "Veterans' groups are lobbying Congress to fund MDMA-assisted therapy.",
        "This breakthrough treatment could revolutionize PTSD care and finally cure veterans of their trauma.",
        "efficacy", "mdma", "ptsd", True,
    ),
]  # fmt: skip


def _fields(claim: Claim | None) -> tuple[str | None, str | None, str | None, bool | None]:
    if claim is None:
        return (None, None, None, None)
    return (claim.claim_type, claim.substance, claim.condition, claim.hedge_level != "none")


@pytest.mark.parametrize(
    ("lead", "sentence", "claim_type", "substance", "condition", "hedged"),
    EXAMPLES,
    ids=[f"example{n}" for n in range(1, len(EXAMPLES) + 1)],
)
def test_guide_example(lead, sentence, claim_type, substance, condition, hedged):
    claim = claim_for(f"{lead} {sentence}", sentence)
    assert _fields(claim) == (claim_type, substance, condition, hedged)


def test_guide_examples_meet_the_target():
    """At least 13 of 15 examples right on all of type, substance, condition and hedged."""
    right = sum(
        _fields(claim_for(f"{lead} {sentence}", sentence)) == tuple(expected) for lead, sentence, *expected in EXAMPLES
    )
    assert right >= 13


def test_example_details():
    """Secondary type, polarity, cues and attribution on examples where claims.md spells them out."""
    lead, sentence, *_ = EXAMPLES[0]
    first = claim_for(f"{lead} {sentence}", sentence)
    assert first is not None
    assert (first.secondary_type, first.polarity, first.strength, first.attributed) == (
        "comparison", "positive", "causal", False,
    )  # fmt: skip

    lead, sentence, *_ = EXAMPLES[1]
    relief = claim_for(f"{lead} {sentence}", sentence)
    assert relief is not None
    assert relief.hedge_cues == ("may", "larger trials are needed")
    assert (relief.hedge_level, relief.polarity, relief.strength) == ("high", "positive", "conditional")

    lead, sentence, *_ = EXAMPLES[8]
    declined = claim_for(f"{lead} {sentence}", sentence)
    assert declined is not None
    assert (declined.polarity, declined.hedge_cues, declined.hype_cues) == ("negative", (), ())

    lead, sentence, *_ = EXAMPLES[14]
    hype = claim_for(f"{lead} {sentence}", sentence)
    assert hype is not None
    assert hype.hype_cues == ("breakthrough", "revolutionize", "cure")
    assert (hype.hedge_cues, hype.hedge_level) == (("could",), "low")

    lead, sentence, *_ = EXAMPLES[7]
    amygdala = claim_for(f"{lead} {sentence}", sentence)
    assert amygdala is not None
    assert amygdala.hedge_cues == ()  # "so patients can" is a purpose clause, not a hedge on "quiets"


def test_every_claim_type_is_known():
    for lead, sentence, *_ in EXAMPLES:
        for claim in claims_of(f"{lead} {sentence}"):
            assert claim.claim_type in CLAIM_TYPES
            assert claim.secondary_type is None or claim.secondary_type in CLAIM_TYPES


# ---------- detection: is / isn't a claim, in the style of clinic blogs and news

DETECTION = [
    ("What Is Ketamine Therapy?", False),  # heading and question
    ("Ketamine was first synthesized in 1962 by Calvin Stevens at Parke-Davis.", False),  # history
    ("Ketamine is a dissociative anesthetic that has been used in hospitals since the 1970s.", False),  # definition
    ("Ketamine infusions can rapidly reduce suicidal thoughts in patients with severe depression.", True),
    ("It appears to work by blocking NMDA receptors and boosting glutamate signalling.", True),  # "it" = ketamine
    ("At our clinic, a six-infusion ketamine series costs about $3,000.", True),
    ("Is ketamine therapy covered by insurance?", False),
    ("Spravato is covered by many insurance plans, although prior authorization is usually required.", True),
    ("In 2019, the FDA approved Spravato for treatment-resistant depression in adults.", True),
    (
        (
            "Esketamine carries a risk of sedation and dissociation, so patients are monitored for two hours after each "
            "dose."
        ),
        True,
    ),
    ("Many patients say they feel better after just one Spravato session.", True),
    ("“Ketamine gave me my life back,” said one patient at the clinic.", True),  # testimonial
    ("Patients in the ketamine group improved faster than those given midazolam.", True),
    ("Call our office today to schedule your free ketamine consultation.", False),  # call to action
    ("Book an appointment to learn whether Spravato is right for you.", False),
    ("Our compassionate team creates a safe, supportive setting for every ketamine session.", False),  # marketing
    ("Dr. Sarah Lee is a board-certified psychiatrist with 15 years of experience.", False),
    ("How Psilocybin Affects the Brain", False),  # heading
    ("Psilocybin is a naturally occurring compound found in more than 200 species of mushrooms.", False),
    ("Psilocybin mushrooms have been used in religious ceremonies for centuries.", False),
    ("Psilocybin was generally well tolerated, with headaches and nausea the most common side effects.", True),
    ("Higher psilocybin doses were associated with larger reductions in depression scores.", True),
    ("The effects of a single psilocybin session lasted at least six months for most participants.", True),
    ("Compared with escitalopram, psilocybin produced greater improvements in well-being.", True),
    ("The psilocybin study enrolled 233 adults with treatment-resistant depression at 22 sites.", False),  # design
    ("The FDA has not approved psilocybin for any medical use.", True),
    ("Colorado voters decriminalized psilocybin and several other natural psychedelics in 2022.", True),
    ("Psilocybin therapy is a game-changer that cures depression for good.", True),
    ("Could psilocybin help people with anorexia?", False),
    ("Researchers believe psychedelics promote neuroplasticity, helping the brain form new connections.", True),
    ("Sign up for our newsletter to get the latest psychedelic research news.", False),
    ("MDMA, also known as ecstasy or molly, is a synthetic psychoactive substance.", False),
    ("In the phase 3 trial, 71% of participants who received MDMA no longer met the criteria for PTSD.", True),
    ("Benefits of MDMA-assisted therapy were still present at a 12-month follow-up.", True),
    ("MDMA did not outperform placebo on the secondary outcome.", True),
    ("Australia's TGA allowed psychiatrists to prescribe MDMA for PTSD starting in July 2023.", True),
    ("The drug also lowered alcohol cravings in a small pilot study.", True),  # "the drug" = MDMA
    ("Some experts warn that ibogaine can trigger fatal cardiac arrhythmias.", True),
    ("LSD reduced anxiety in people with life-threatening illness, according to a Swiss study.", True),
    ("Temperatures in Portland will climb into the 90s this weekend.", False),  # weather
    ("It will be the hottest weekend of the summer so far.", False),  # weather, with an "it"
    ("The Trail Blazers lost 112-104 to the Lakers on Tuesday night.", False),  # sports
    ("Contact us to learn more about our psilocybin retreat in Jamaica.", False),
    (
        (
            "Johnson MW, Garcia-Romeu A, Griffiths RR. Long-term follow-up of psilocybin-facilitated smoking cessation. "
            "Am J Drug Alcohol Abuse. 2017;43(1):55-60."
        ),
        False,
    ),
    (
        (
            "Mitchell, J. M., Bogenschutz, M., et al. (2021). MDMA-assisted therapy for severe PTSD: a randomized, "
            "double-blind, placebo-controlled phase 3 study. Nature Medicine, 27(6), 1025–1033."
        ),
        False,
    ),
]


# A second set, written after the rules and scored before any rule was changed for it
# (P 0.95, R 0.75, F1 0.84 then); the misses it showed were fixed with general rules.
DETECTION_SECOND = [
    ("A new study from Johns Hopkins found that two doses of psilocybin cut heavy drinking days by 83 percent.", True),
    ("Ketamine-assisted psychotherapy is now offered at more than 500 clinics across the United States.", True),
    ("Patients often describe their first ketamine session as deeply relaxing.", False),
    ("The psilocybin group showed a 12-point drop on the MADRS, versus 5 points for placebo.", True),
    ("MDMA raises heart rate and blood pressure, so people with heart disease are excluded from trials.", True),
    ("Esketamine must be administered in a certified healthcare setting under the Spravato REMS program.", True),
    ("Psilocybin increases communication between brain networks that normally operate separately.", True),
    ("Oregon's Measure 109 made it the first state to legalize supervised psilocybin use.", True),
    ("The retreat includes yoga, breathwork and three ayahuasca ceremonies.", False),
    ("Why are so many veterans turning to ibogaine clinics in Mexico?", False),
    ("Ibogaine Treatment in Mexico: What Veterans Should Know", False),
    ("Veterans who received ibogaine reported an 88% reduction in PTSD symptoms one month after treatment.", True),
    ("The findings are preliminary, and the study had no placebo group.", False),
    ("Lykos Therapeutics laid off about 75% of its staff after the FDA decision.", False),
    ("Ketamine's antidepressant effects typically wear off within one to two weeks.", True),
    ("Microdosing LSD did not improve mood or cognition more than placebo in a 2022 trial.", True),
    ("Insurance rarely covers ketamine infusions, which can cost $400 to $800 each.", True),
    ("Click here to read our complete guide to psychedelic therapy.", False),
    ("Psychedelic therapy could transform mental health care within a decade, some investors say.", True),
    ("LSD, first synthesized by Albert Hofmann in 1938, is one of the most potent psychedelics known.", False),
    ("Ayahuasca is a brew made from the Banisteriopsis caapi vine and other plants.", False),
    ("Psilocybin works by binding to serotonin 5-HT2A receptors.", True),
    ("Several states are considering bills to legalize psilocybin therapy in 2025.", True),
    ("The MAPP2 trial confirmed the results of the first phase 3 study of MDMA.", True),
    ("Side effects of ketamine include dissociation, dizziness and elevated blood pressure.", True),
    ("Our ketamine clinic is open Monday through Saturday from 8 a.m. to 6 p.m.", False),
    ("The weather in Denver was sunny during the psychedelic science conference.", False),
    ("Esketamine was approved in Europe in 2019 for adults with treatment-resistant depression.", True),
    ("Psilocybin led to rapid and sustained reductions in depression symptoms in the COMPASS trial.", True),
    ("Researchers will present the results at a meeting in Chicago next month.", False),
    ("Ketamine has a low risk of addiction when used under medical supervision.", True),
    ("Read more: The history of MDMA research.", False),
    ("The Seattle Seahawks beat the 49ers 27-20 on Sunday.", False),
    ("“Psilocybin helped me process my cancer diagnosis,” one participant wrote.", True),
    ("MDMA is the active ingredient in the street drug ecstasy.", False),
    ("Psilocybin appeared to be as effective as escitalopram for depression in a six-week trial.", True),
    ("Experts caution that mixing psychedelics with lithium may trigger seizures.", True),
    ("Schedule your free consultation with our ketamine specialists today!", False),
    ("A 2023 survey found that 8% of U.S. adults had used psychedelics in the past year.", False),
    ("Ketamine clinics are largely unregulated, and prices vary widely.", True),
    ("Psilocybin remains a Schedule I substance under U.S. federal law.", True),
]


def detection_scores(items: list[tuple[str, bool]]) -> tuple[float, float, float]:
    """Precision, recall and F1 of claim detection over the items read as one article, a line each."""
    sentences = split_sentences("\n".join(text for text, _ in items))
    found = {claim.sentence_index for claim in extract_claims(sentences, fake_topics_in)}
    labels = {s.index: items[s.paragraph][1] for s in sentences}
    true_positives = sum(1 for i in found if labels[i])
    positives = sum(labels.values())
    precision = true_positives / len(found) if found else 0.0
    recall = true_positives / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@pytest.mark.parametrize("items", [DETECTION, DETECTION_SECOND], ids=["first", "second"])
def test_detection_f1(items):
    precision, recall, f1 = detection_scores(items)
    assert f1 >= 0.8, (precision, recall, f1)


@pytest.mark.parametrize(
    "text",
    [
        "What Is Ketamine Therapy?",
        "How Psilocybin Affects the Brain",
        "Call our office today to schedule your free ketamine consultation.",
        "MDMA, also known as ecstasy or molly, is a synthetic psychoactive substance.",
        "Psilocybin is a naturally occurring compound found in more than 200 species of mushrooms.",
        "Could psilocybin help people with anorexia?",
        "Sign up for our newsletter to get the latest psychedelic research news.",
    ],
)
def test_non_claims(text):
    assert claims_of(text) == []


def test_reference_entry_is_not_a_claim():
    text = (
        "Psilocybin reduced smoking in a pilot trial.\n"
        "Johnson MW, Garcia-Romeu A, Griffiths RR. Long-term follow-up of psilocybin-facilitated smoking "
        "cessation. Am J Drug Alcohol Abuse. 2017;43(1):55-60."
    )
    assert [claim.sentence_index for claim in claims_of(text)] == [0]


# ---------- fields on single sentences


def test_substance_carried_to_the_drug_and_not_to_unrelated_it():
    claims = claims_of(
        "Researchers tested MDMA in 90 adults with PTSD. The drug also lowered alcohol cravings in a small pilot "
        "study. It rained heavily in Charleston that week."
    )
    assert [(c.sentence_index, c.claim_type, c.substance, c.condition) for c in claims] == [
        (1, "efficacy", "mdma", "ptsd")
    ]
    assert (claims[0].hedge_cues, claims[0].hedge_level) == (("small pilot study",), "high")


def test_sentence_without_substance_or_reference_is_skipped():
    assert claims_of("Symptoms improved markedly in the treated group.") == []


@pytest.mark.parametrize(
    ("sentence", "claim_type", "polarity"),
    [
        ("The FDA has not approved psilocybin for any medical use.", "regulatory", "negative"),
        ("Psilocybin is not yet approved by the FDA.", "regulatory", "negative"),
        ("In 2019, the FDA approved Spravato for treatment-resistant depression in adults.", "regulatory", "positive"),
        ("MDMA did not outperform placebo on the secondary outcome.", "efficacy", "negative"),
        ("Psilocybin failed to reduce drinking in the main analysis.", "efficacy", "negative"),
        ("No serious adverse events were linked to psilocybin in the trial.", "safety", "positive"),
        ("Ibogaine can trigger fatal cardiac arrhythmias.", "safety", "negative"),
        ("Psilocybin is not safe for people with a family history of psychosis.", "safety", "negative"),
        (
            "In the trial, 71% of participants who received MDMA no longer met the criteria for PTSD.",
            "efficacy",
            "positive",
        ),
    ],
)
def test_polarity(sentence, claim_type, polarity):
    claim = claim_for(sentence, sentence)
    assert claim is not None
    assert (claim.claim_type, claim.polarity) == (claim_type, polarity)


@pytest.mark.parametrize(
    ("sentence", "strength"),
    [
        ("Higher psilocybin doses were associated with larger reductions in depression scores.", "correlational"),
        ("Psilocybin may reduce depression in some patients.", "conditional"),
        ("Ketamine reduces suicidal thoughts within hours.", "causal"),
    ],
)
def test_strength(sentence, strength):
    claim = claim_for(sentence, sentence)
    assert claim is not None
    assert claim.strength == strength


def test_breakthrough_designation_is_not_hype_but_breakthrough_cure_is():
    label = "The FDA granted MDMA-assisted therapy breakthrough therapy designation in 2017."
    claim = claim_for(label, label)
    assert claim is not None
    assert (claim.claim_type, claim.polarity, claim.hype_cues) == ("regulatory", "positive", ())
    hype = "Psilocybin is a proven, completely safe breakthrough that cures depression."
    claim = claim_for(hype, hype)
    assert claim is not None
    assert claim.hype_cues == ("proven", "completely safe", "breakthrough", "cures")


def test_fda_approved_psilocybin_is_a_status_error():
    sentence = "FDA-approved psilocybin therapy is now offered at our clinic."
    claim = claim_for(sentence, sentence)
    assert claim is not None
    assert (claim.claim_type, claim.substance, claim.hype_cues) == ("regulatory", "psilocybin", ("fda-approved",))
    spravato = "Spravato is FDA-approved for treatment-resistant depression."
    assert claim_for(spravato, spravato).hype_cues == ()


def test_attribution():
    said = "“MDMA helped me sleep again,” said one veteran who took part in the trial."
    claim = claim_for(said, said)
    assert claim is not None
    assert (claim.claim_type, claim.attributed) == ("efficacy", True)
    plain = "Ketamine reduces suicidal thoughts within hours."
    assert claim_for(plain, plain).attributed is False


def test_may_the_month_is_not_a_hedge():
    sentence = "In May 2024, Oregon regulators approved new psilocybin training rules."
    claim = claim_for(sentence, sentence)
    assert claim is not None
    assert (claim.claim_type, claim.hedge_cues) == ("regulatory", ())


def test_regulatory_status_belongs_to_the_drug_it_is_said_of():
    sentence = "Our clinic offers ketamine-assisted psychotherapy today while we wait for MDMA to be approved."
    claim = claim_for(sentence, sentence)
    assert claim is not None
    assert (claim.claim_type, claim.substance, claim.polarity) == ("regulatory", "mdma", "negative")


def test_access_claims_and_their_negation():
    text = (
        "Ketamine infusions are used off-label for depression. Most insurance plans do not cover the infusions. "
        "A full series at our clinic costs between $2,400 and $3,600."
    )
    claims = claims_of(text)
    assert [(c.sentence_index, c.claim_type, c.substance, c.condition, c.polarity) for c in claims] == [
        (1, "access_cost", "ketamine", None, "negative"),
        (2, "access_cost", "ketamine", None, "positive"),
    ]


def test_condition_is_carried_only_where_the_article_tied_it_to_the_drug():
    text = (
        "Researchers gave psilocybin to 104 adults with major depression. "
        "Psilocybin was well tolerated. "
        "Ketamine can raise blood pressure."
    )
    claims = claims_of(text)
    assert [(c.substance, c.claim_type, c.condition) for c in claims] == [
        ("psilocybin", "safety", "mdd"),
        ("ketamine", "safety", None),  # ketamine was never discussed for depression here
    ]


def test_scanner_finds_what_the_separate_patterns_find():
    """The one-pass scanner (letter-grouped alternatives) against a search per cue list."""
    lists = (
        ("limit", re.compile(r"\b(?:(?:larger|more)\ trials\ are\ needed|open[- ]label)", re.VERBOSE)),
        ("modal", re.compile(r"\b(?:may|could(?!\ not))\b", re.VERBOSE)),
        ("status", re.compile(r"\b(?:(?:main\ |primary\ )?active\ compound|pilot)\b", re.VERBOSE)),
    )
    scanner = _scanner(lists)
    for text in (
        "psilocybin may help, though larger trials are needed",
        "an open-label pilot could not show it",
        "the main active compound of the brew",
        "nothing to see here",
    ):
        one_pass = {}
        for match in scanner.finditer(text):
            one_pass.setdefault(_cue_name(match), match.group())
        separate = {name: m.group() for name, pattern in lists if (m := pattern.search(text))}
        assert one_pass == separate, text
