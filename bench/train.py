"""Fit the shipped analysis models and write them to flows/analyse/models/ (``make train``).

    uv run python bench/train.py [--only strength,hedge] [--out DIR]

Each model is a scikit-learn linear classifier over TF-IDF word n-grams, character n-grams inside
words and the rule cues of flows/analyse/claims.py (``cue_features``, the cue lists of
sql/reference), exported as plain arrays (``flows.analyse.models.save``) and checked against the
numpy scorer the pipeline uses. ``bench/models.py`` cross-validates the same recipes.

- strength:   causal-language (Yu et al. 2019, GPL-3.0), 4 classes, NBSVM (one linear SVM per class
              over features scaled by their naive-Bayes log-count ratio, Wang and Manning 2012) blended
              with a logistic regression (``Blend``, one linear model) over
              word 1-3-grams, each word's character 2-5-grams and the rule and strength cues
              (``claims.strength_features``, sql/reference/strength_cues.toml); the softmax temperature is fitted on 5 held-out folds;
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
from scipy.optimize import minimize_scalar
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

sys.path.insert(0, str(Path(__file__).resolve().parent))
import datasets

from flows.analyse import models
from flows.analyse.claims import CLAIM_TYPES, cue_features, extract_claims, strength_features
from flows.analyse.topics import default_matcher
from flows.text.sentences import split_sentences

MODELS = Path(models.__file__).resolve().parent
SHIPPED = ("strength", "hedge")  # claim and claim_type lost to the rules on the labelled articles (bench/models.py)


@dataclass(frozen=True)
class Recipe:
    """How one model is fitted: its n-gram blocks, whether the rule cues are features, the classifier."""

    blocks: tuple[tuple[str, tuple[int, int], int], ...]  # (analyzer, ngram range, min_df)
    classifier: Callable[[], object]
    calibrate: bool = False  # fit a softmax temperature on held-out folds (an SVM's margins are no log-odds)
    dense_scale: float = 1.0


class Linear:
    """Decision values and predictions of a fitted ``coef_``, ``intercept_`` and ``classes_``."""

    def decision_function(self, X: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(X @ self.coef_.T) + self.intercept_

    def predict(self, X: sparse.csr_matrix) -> np.ndarray:
        return self.classes_[self.decision_function(X).argmax(1)]


class NBSVM(Linear):
    """One linear SVM per class (one against the rest) over the features scaled by their naive-Bayes
    log-count ratio for that class (Wang and Manning 2012): still one linear model, ``coef_`` folding the
    ratios in. Balanced class weights, as the rare classes (conditional) weigh as much in the macro-F1."""

    def __init__(self, C: float = 0.3, alpha: float = 1.0):
        self.C, self.alpha = C, alpha

    def fit(self, X: sparse.csr_matrix, y: Sequence[str]) -> NBSVM:
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        present = (X != 0).astype(np.float64)
        coefs, intercepts = [], []
        for label in self.classes_:
            positive = y == label
            p = self.alpha + np.asarray(present[positive].sum(0)).ravel()
            q = self.alpha + np.asarray(present[~positive].sum(0)).ravel()
            ratio = np.log(p / p.sum()) - np.log(q / q.sum())
            svm = LinearSVC(C=self.C, class_weight="balanced").fit(X @ sparse.diags(ratio), positive)
            coefs.append(svm.coef_.ravel() * ratio)
            intercepts.append(svm.intercept_[0])
        self.coef_, self.intercept_ = np.vstack(coefs), np.asarray(intercepts)
        return self


class Blend(Linear):
    """An NBSVM and a logistic regression fitted on the same features, their decision values added with
    the regression's weighted by ``lr_weight``: still one linear model (``coef_`` is the weighted sum).
    The weight was chosen on the 5 folds of bench/models.py (0.150 of the regression's log-odds beside
    the NBSVM's margins: macro-F1 0.787 against 0.780 for the NBSVM alone and 0.762 for the regression)."""

    def __init__(self, lr_weight: float = 0.15):
        self.lr_weight = lr_weight

    def fit(self, X: sparse.csr_matrix, y: Sequence[str]) -> Blend:
        nbsvm = NBSVM(C=0.3).fit(X, y)
        regression = LogisticRegression(C=10, max_iter=500, class_weight="balanced").fit(X, y)
        assert list(nbsvm.classes_) == list(regression.classes_)
        self.classes_ = nbsvm.classes_
        self.coef_ = nbsvm.coef_ + self.lr_weight * regression.coef_
        self.intercept_ = nbsvm.intercept_ + self.lr_weight * regression.intercept_
        return self


class WordChars:
    """Character n-grams inside words, one TF-IDF vector per word (IDF over the training sentences), summed
    over a sentence's words and divided by the square root of their number. A word scores the same in
    every sentence, so the pipeline keeps each word's score (flows.analyse.models, ``char_wb_words``)."""

    def __init__(self, ngram_range: tuple[int, int], min_df: int):
        self.inner = TfidfVectorizer(analyzer="char_wb", ngram_range=ngram_range, min_df=min_df, sublinear_tf=True)

    @property
    def vocabulary_(self) -> dict[str, int]:
        return self.inner.vocabulary_

    @property
    def idf_(self) -> np.ndarray:
        return self.inner.idf_

    def fit_transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        self.inner.fit(texts)
        return self.transform(texts)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        sentences = [text.lower().split() for text in texts]
        vocabulary = {word: j for j, word in enumerate(sorted({w for words in sentences for w in words}))}
        rows = [i for i, words in enumerate(sentences) for _ in words]
        columns = [vocabulary[w] for words in sentences for w in words]
        values = [1 / np.sqrt(len(words)) for words in sentences for _ in words]
        pooling = sparse.csr_matrix((values, (rows, columns)), shape=(len(texts), len(vocabulary)))
        return (pooling @ self.inner.transform(list(vocabulary))).tocsr()


def vectorizer(analyzer: str, ngram: tuple[int, int], min_df: int):
    if analyzer == "char_wb_words":
        return WordChars(ngram, min_df)
    return TfidfVectorizer(analyzer=analyzer, ngram_range=ngram, min_df=min_df, sublinear_tf=True, dtype=np.float64)


RECIPES = {
    "strength": Recipe((("word", (1, 3), 2), ("char_wb_words", (2, 5), 2)), Blend, calibrate=True),
    "hedge": Recipe((("word", (1, 2), 2), ("char_wb", (3, 5), 3)), lambda: LinearSVC(C=0.5)),
    "claim": Recipe(
        (("word", (1, 2), 1), ("char_wb", (3, 5), 2)),
        lambda: LogisticRegression(C=10, max_iter=3000, class_weight="balanced"),
    ),
    "claim_type": Recipe(
        (("word", (1, 2), 1), ("char_wb", (3, 5), 2)),
        lambda: LogisticRegression(C=10, max_iter=3000, class_weight="balanced"),
    ),
}


class Fitted:
    """A recipe fitted on texts (with their dense rule features): predicts like the shipped model."""

    def __init__(self, recipe: Recipe, texts: Sequence[str], dense: Sequence[dict[str, float]], labels: Sequence[str]):
        self.recipe = recipe
        self.vectorizers = [vectorizer(*block) for block in recipe.blocks]
        self.dense_names = sorted({name for row in dense for name in row})
        matrices = [v.fit_transform(texts) for v in self.vectorizers]
        self.classifier = recipe.classifier().fit(sparse.hstack([*matrices, self._dense(dense)]).tocsr(), labels)
        self.temperature = 1.0

    def _dense(self, rows: Sequence[dict[str, float]]) -> sparse.csr_matrix:
        matrix = np.array([[row.get(name, 0.0) for name in self.dense_names] for row in rows]) * self.recipe.dense_scale
        return sparse.csr_matrix(matrix.reshape(len(rows), len(self.dense_names)))

    def matrix(self, texts: Sequence[str], dense: Sequence[dict[str, float]]) -> sparse.csr_matrix:
        return sparse.hstack([*(v.transform(texts) for v in self.vectorizers), self._dense(dense)]).tocsr()

    def decision(self, texts: Sequence[str], dense: Sequence[dict[str, float]]) -> np.ndarray:
        return self.classifier.decision_function(self.matrix(texts, dense)).reshape(len(texts), -1)

    def predict(self, texts: Sequence[str], dense: Sequence[dict[str, float]]) -> list[str]:
        return [str(label) for label in self.classifier.predict(self.matrix(texts, dense))]

    def save(self, path: Path, name: str) -> None:
        blocks = []
        for (analyzer, ngram, _), vectorizer in zip(self.recipe.blocks, self.vectorizers, strict=True):
            terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
            blocks.append((analyzer, ngram, terms, vectorizer.idf_, 1.0))
        blocks.append(("dense", (0, 0), self.dense_names, None, self.recipe.dense_scale))
        clf = self.classifier
        models.save(path, name, clf.classes_, clf.coef_, clf.intercept_, blocks, self.temperature)


def temperature(name: str, texts: Sequence[str], labels: Sequence[str], dense: Sequence[dict[str, float]]) -> float:
    """The factor on the decision values whose softmax best fits the labels of held-out folds (log loss)."""
    labels = np.asarray(labels)
    scores = np.zeros((len(texts), len(set(labels))))
    for train_at, test_at in StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(labels)), labels):
        fitted = fit(name, [texts[i] for i in train_at], labels[train_at], [dense[i] for i in train_at])
        scores[test_at] = fitted.decision([texts[i] for i in test_at], [dense[i] for i in test_at])
    truth = np.searchsorted(np.unique(labels), labels)

    def log_loss(t: float) -> float:
        z = scores * t
        z -= z.max(1, keepdims=True)
        return float(np.mean(np.log(np.exp(z).sum(1)) - z[np.arange(len(z)), truth]))

    return float(minimize_scalar(log_loss, bounds=(0.1, 50), method="bounded").x)


def dense_features(name: str, text: str) -> dict[str, float]:
    """The named features a model gets beside its n-grams (for the claim models: ``rule_features``)."""
    return cue_features(text) | strength_features(text) if name == "strength" else cue_features(text)


def fit(name: str, texts: Sequence[str], labels: Sequence[str], dense: Sequence[dict[str, float]] | None = None):
    dense = dense if dense is not None else [dense_features(name, t) for t in texts]
    return Fitted(RECIPES[name], texts, dense, labels)


def check(path: Path, fitted: Fitted, texts: Sequence[str], dense: Sequence[dict[str, float]]) -> float:
    """Largest gap between scikit-learn's decision values and the shipped scorer's; must be tiny."""
    shipped = models.LinearModel(path)
    sample = list(range(0, len(texts), max(1, len(texts) // 300)))
    expected = fitted.decision([texts[i] for i in sample], [dense[i] for i in sample])
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
        return texts, labels, [dense_features(name, t) for t in texts]
    if name == "hedge":
        texts, labels = datasets.bioscope()
        own = [r for r in datasets.own_claims() if r["is_claim"]]
        texts += [r["sentence"] for r in own]
        labels += ["hedged" if r["hedged"] else "certain" for r in own]
        return texts, labels, [dense_features(name, t) for t in texts]
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
        if fitted.recipe.calibrate:
            fitted.temperature = temperature(name, texts, labels, dense)
        path = args.out / f"{name}.npz"
        fitted.save(path, name)
        gap = check(path, fitted, texts, dense)
        size = path.stat().st_size / 1024
        print(
            f"{name}: {len(texts)} sentences, classes {sorted(set(labels))}, {path} ({size:.0f} KiB), gap {gap:.1e}, "
            f"temperature {fitted.temperature:.2f}"
        )


if __name__ == "__main__":
    main()
