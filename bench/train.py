"""Fit the shipped analysis models and write them to flows/analyse/models/ (``make train``).

    uv run python bench/train.py [--only strength,hedge] [--out DIR]

Each model is a scikit-learn linear classifier over TF-IDF word n-grams, character n-grams inside
words and the rule cues of flows/analyse/claims.py (``cue_features``, the cue lists of
sql/reference), exported as plain arrays (``flows.analyse.models.save``) and checked against the
numpy scorer the pipeline uses. ``bench/models.py`` cross-validates the same recipes.

- strength:   causal-language (Yu et al. 2019, GPL-3.0), 4 classes, logistic regression;
- hedge:      BioScope abstracts (CC-BY-2.0) plus the hedged labels of bench/data, linear SVM;
- claim, claim_type (not shipped): bench/data/psychedelic_claims.csv, claim or not and the claim
  type, given the rules' verdict as features. bench/models.py cross-validates them against the rules;
  they gained little on that set and lost on tests/fixtures/analysis, so claims come from the rules.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

sys.path.insert(0, str(Path(__file__).resolve().parent))
import datasets

from flows.analyse import models
from flows.analyse.claims import CLAIM_TYPES, cue_features, extract_claims
from flows.analyse.topics import default_matcher
from flows.text.sentences import split_sentences

MODELS = Path(models.__file__).resolve().parent
SHIPPED = ("strength", "hedge")  # claim and claim_type lost to the rules on the labelled articles (bench/models.py)


@dataclass(frozen=True)
class Recipe:
    """How one model is fitted: its n-gram blocks, whether the rule cues are features, the classifier."""

    blocks: tuple[tuple[str, tuple[int, int], int], ...]  # (analyzer, ngram range, min_df)
    classifier: Callable[[], object]
    probabilistic: bool
    dense_scale: float = 1.0


RECIPES = {
    "strength": Recipe(
        (("word", (1, 3), 2), ("char_wb", (2, 5), 2)),
        lambda: LogisticRegression(C=20, max_iter=3000, class_weight="balanced"),
        probabilistic=True,
    ),
    "hedge": Recipe((("word", (1, 2), 2), ("char_wb", (3, 5), 3)), lambda: LinearSVC(C=0.5), probabilistic=False),
    "claim": Recipe(
        (("word", (1, 2), 1), ("char_wb", (3, 5), 2)),
        lambda: LogisticRegression(C=10, max_iter=3000, class_weight="balanced"),
        probabilistic=True,
    ),
    "claim_type": Recipe(
        (("word", (1, 2), 1), ("char_wb", (3, 5), 2)),
        lambda: LogisticRegression(C=10, max_iter=3000, class_weight="balanced"),
        probabilistic=True,
    ),
}


class Fitted:
    """A recipe fitted on texts (with their dense rule features): predicts like the shipped model."""

    def __init__(self, recipe: Recipe, texts: Sequence[str], dense: Sequence[dict[str, float]], labels: Sequence[str]):
        self.recipe = recipe
        self.vectorizers = [
            TfidfVectorizer(analyzer=analyzer, ngram_range=ngram, min_df=min_df, sublinear_tf=True, dtype=np.float64)
            for analyzer, ngram, min_df in recipe.blocks
        ]
        self.dense_names = sorted({name for row in dense for name in row})
        matrices = [v.fit_transform(texts) for v in self.vectorizers]
        self.classifier = recipe.classifier().fit(sparse.hstack([*matrices, self._dense(dense)]).tocsr(), labels)

    def _dense(self, rows: Sequence[dict[str, float]]) -> sparse.csr_matrix:
        matrix = np.array([[row.get(name, 0.0) for name in self.dense_names] for row in rows]) * self.recipe.dense_scale
        return sparse.csr_matrix(matrix.reshape(len(rows), len(self.dense_names)))

    def matrix(self, texts: Sequence[str], dense: Sequence[dict[str, float]]) -> sparse.csr_matrix:
        return sparse.hstack([*(v.transform(texts) for v in self.vectorizers), self._dense(dense)]).tocsr()

    def predict(self, texts: Sequence[str], dense: Sequence[dict[str, float]]) -> list[str]:
        return [str(label) for label in self.classifier.predict(self.matrix(texts, dense))]

    def save(self, path: Path, name: str) -> None:
        blocks = []
        for (analyzer, ngram, _), vectorizer in zip(self.recipe.blocks, self.vectorizers, strict=True):
            terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
            blocks.append((analyzer, ngram, terms, vectorizer.idf_, 1.0))
        blocks.append(("dense", (0, 0), self.dense_names, None, self.recipe.dense_scale))
        clf = self.classifier
        models.save(path, name, clf.classes_, clf.coef_, clf.intercept_, blocks, self.recipe.probabilistic)


def fit(name: str, texts: Sequence[str], labels: Sequence[str], dense: Sequence[dict[str, float]] | None = None):
    dense = dense if dense is not None else [cue_features(t) for t in texts]
    return Fitted(RECIPES[name], texts, dense, labels)


def check(path: Path, fitted: Fitted, texts: Sequence[str], dense: Sequence[dict[str, float]]) -> float:
    """Largest gap between scikit-learn's decision values and the shipped scorer's; must be tiny."""
    shipped = models.LinearModel(path)
    sample = list(range(0, len(texts), max(1, len(texts) // 300)))
    expected = fitted.classifier.decision_function(
        fitted.matrix([texts[i] for i in sample], [dense[i] for i in sample])
    )
    expected = expected.reshape(len(sample), -1)
    got = np.array([shipped.decision(texts[i], dense[i]) for i in sample])
    gap = float(np.abs(expected - got).max())
    if gap > 1e-3:
        raise SystemExit(f"{path}: the numpy scorer differs from scikit-learn by {gap}")
    return gap


def rule_type(text: str) -> str | None:
    """The claim type the rules alone give a one-sentence text, None when they see no claim."""
    matcher = default_matcher()

    def topics_in(sentence: str) -> dict[str, str]:
        return {topic: matcher.kind(topic) for _, _, topic in matcher.find(sentence)}

    found = extract_claims(split_sentences(text), topics_in, learned=False)
    return found[0].claim_type if found else None


def rule_features(text: str, rule: str | None) -> dict[str, float]:
    """``cue_features`` plus the rules' verdict on the sentence (a claim, of which type): the claim models' input."""
    features = cue_features(text)
    if rule is not None:
        features["rule_claim"] = 1.0
        features[f"rule_type_{rule}"] = 1.0
    return features


def training_data(name: str) -> tuple[list[str], list[str], list[dict[str, float]]]:
    if name == "strength":
        texts, labels = datasets.causal_language()
        return texts, labels, [cue_features(t) for t in texts]
    if name == "hedge":
        texts, labels = datasets.bioscope()
        own = [r for r in datasets.own_claims() if r["is_claim"]]
        texts += [r["sentence"] for r in own]
        labels += ["hedged" if r["hedged"] else "certain" for r in own]
        return texts, labels, [cue_features(t) for t in texts]
    rows = datasets.own_claims()
    if name == "claim_type":
        rows = [r for r in rows if r["is_claim"]]
    texts = [r["sentence"] for r in rows]
    labels = [("claim" if r["is_claim"] else "none") if name == "claim" else r["claim_type"] for r in rows]
    assert name == "claim" or set(labels) <= set(CLAIM_TYPES)
    return texts, labels, [rule_features(t, rule_type(t)) for t in texts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(SHIPPED), help=f"comma-separated, of {', '.join(RECIPES)}")
    parser.add_argument("--out", type=Path, default=MODELS)
    args = parser.parse_args()
    for name in args.only.split(","):
        texts, labels, dense = training_data(name)
        fitted = fit(name, texts, labels, dense)
        path = args.out / f"{name}.npz"
        fitted.save(path, name)
        gap = check(path, fitted, texts, dense)
        size = path.stat().st_size / 1024
        print(f"{name}: {len(texts)} sentences, classes {sorted(set(labels))}, {path} ({size:.0f} KiB), gap {gap:.1e}")


if __name__ == "__main__":
    main()
