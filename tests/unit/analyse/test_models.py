"""The shipped models: features built exactly as in training, and predictions on sentences written for these tests."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from flows.analyse import models
from flows.analyse.claims import cue_features, extract_claims, strength_features
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
        label, probability = strength.predict(sentence, cue_features(sentence) | strength_features(sentence))
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


def test_word_char_block_scores_each_word_vector_summed_over_root_of_words(tmp_path):
    """``char_wb_words``: each word's TF-IDF vector of char n-grams, summed and divided by sqrt(words)."""
    corpus = ["ketamine may reduce pain", "psilocybin reduced pain", "pain was associated with ketamine use"]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit(corpus)
    terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    coef = np.random.default_rng(0).normal(size=(3, len(terms)))
    path = tmp_path / "tiny.npz"
    models.save(
        path,
        "tiny",
        ["a", "b", "c"],
        coef,
        [0.1, 0.0, -0.1],
        [("char_wb_words", (2, 4), terms, vectorizer.idf_, 1.0)],
        2.0,
    )
    model = models.LinearModel(path)
    sentence = "Ketamine may  reduce ketamine-use pain."
    words = sentence.lower().split()
    expected = np.asarray(vectorizer.transform(words).sum(0)).ravel() / np.sqrt(len(words)) @ coef.T + [0.1, 0.0, -0.1]
    assert np.allclose(model.decision(sentence), expected)
    assert np.allclose(model.decision(sentence), expected)  # the second time from the words' kept scores
    probabilities = model.probabilities(sentence)
    assert np.allclose(list(probabilities.values()), np.exp(2 * expected) / np.exp(2 * expected).sum())


def test_strength_features_count_modal_pairs_and_leave_zeros_out():
    assert strength_features("Psilocybin may substantially reduce heavy drinking.") == {
        "s_modal": 1.0, "s_cause": 1.0, "s_modal_cause": 1.0, "s_length": 6 / 30,
    }  # fmt: skip
    assert strength_features("Higher doses could be associated with relapse.")["s_modal_relation"] == 1.0
    assert "s_modal_cause" not in strength_features("Ketamine reduced pain; patients may go home.")
    assert strength_features("TRIAL REGISTRATION: NCT01234567.")["s_registration"] == 2.0
