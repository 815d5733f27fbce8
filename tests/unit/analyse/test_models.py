"""The shipped models: features built exactly as in training, and predictions on sentences written for these tests."""

from __future__ import annotations

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from flows.analyse import models
from flows.analyse.claims import cue_features, extract_claims
from flows.analyse.topics import default_matcher
from flows.text.sentences import split_sentences

TRICKY = "MDMA-assisted   therapy: a 3-arm, 'open-label' trial of I.V. ketamine (n=12) in Zürich; ok?"


@pytest.mark.parametrize(("analyzer", "ngram"), [("word", (1, 3)), ("char_wb", (2, 5)), ("char_wb", (3, 5))])
def test_ngrams_are_those_the_models_were_fitted_on(analyzer, ngram):
    reference = TfidfVectorizer(analyzer=analyzer, ngram_range=ngram).build_analyzer()
    ours = models.ANALYZERS[analyzer]
    for text in (TRICKY, "a I", "", "Psilocybin may reduce depression."):
        assert ours(text, *ngram) == reference(text)


def test_strength_model_reads_correlational_conditional_and_causal():
    strength = models.load("strength")
    cases = {
        "Higher ketamine doses were associated with larger drops in depression scores.": "correlational",
        "Psilocybin may reduce heavy drinking in some patients.": "conditional",
        "Esketamine reduced depressive symptoms compared with placebo.": "causal",
    }
    for sentence, expected in cases.items():
        label, probability = strength.predict(sentence, cue_features(sentence))
        assert label == expected, sentence
        assert 0.25 < probability <= 1.0


def test_hedge_model_reads_speculation():
    hedge = models.load("hedge")
    hedged = "These findings suggest that the receptor might be involved in the response."
    plain = "The receptor binds the ligand in the cortex."
    assert hedge.predict(hedged, cue_features(hedged))[0] == "hedged"
    assert hedge.predict(plain, cue_features(plain))[0] == "certain"


def claims_of(text: str):
    matcher = default_matcher()
    return extract_claims(split_sentences(text), lambda s: {t: matcher.kind(t) for _, _, t in matcher.find(s)})


def test_claims_carry_model_strength_and_confidence():
    (claim,) = claims_of("Psilocybin may ease depression in people with cancer, a pilot study suggests.")
    assert claim.strength == "conditional"
    assert 0.0 < claim.confidence <= 1.0
    assert claim.hedge_level == "high"
    (rules,) = extract_claims(split_sentences("Ketamine reduces suicidal thoughts within hours."),
                              lambda s: {"ketamine": "substance"}, learned=False)  # fmt: skip
    assert (rules.strength, rules.confidence) == ("causal", None)


def test_this_may_is_a_hedge_and_in_may_the_month():
    (modal,) = claims_of("This may mean that psilocybin helps patients with depression.")
    assert modal.hedge_cues == ("may",)
    (month,) = claims_of("In May the FDA approved esketamine for a new use.")
    assert month.hedge_cues == ()


def test_new_hedge_cues():
    for sentence, cue in (
        ("It is unclear whether ketamine reduces suicide deaths.", "unclear"),
        ("The data indicate that MDMA improves sleep in PTSD.", "indicate"),
        ("Psilocybin probably reduces depressive symptoms a little.", "probably"),
    ):
        (claim,) = claims_of(sentence)
        assert cue in claim.hedge_cues, sentence
