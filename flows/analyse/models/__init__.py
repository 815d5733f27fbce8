"""The shipped linear models (claim, claim type, strength, hedge), scored with numpy.

Each model is one ``<name>.npz`` file beside this module, written by ``bench/train.py`` (which fits
it with scikit-learn and checks that this scorer gives the same decision values): blocks of
features, then a weight matrix, intercepts and a temperature for the probabilities. A block is
- ``word``: TF-IDF word n-grams of the sentence (scikit-learn's ``TfidfVectorizer``, ``sublinear_tf``, L2 norm);
- ``char_wb``: the same over character n-grams inside words (the sentence's n-grams pooled);
- ``char_wb_words``: each word's own TF-IDF vector of character n-grams inside it, summed over the
  sentence's words and divided by the square root of their number (``bench/train.py``'s ``WordChars``);
- ``dense``: named features computed by the caller (the rule cues, the strength cues).
Loading is ``numpy.load`` without pickle; scoring is a sparse dot product, and only claim candidates
are scored. Character n-grams never cross a word, so a block keeps what it learnt of every word it
has seen: the known columns (``char_wb``), or the word's whole score (``char_wb_words``, whose
sentence score is a sum over words): a sentence costs one look-up per word, not ~500 per sentence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

MODELS_DIR = Path(__file__).resolve().parent
TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
SPACES = re.compile(r"\s\s+")
WORD_CACHE = 200_000  # words remembered per character block (a few tens of MB at most)


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    tokens = TOKEN.findall(text.lower())
    grams: list[str] = []
    for n in range(low, high + 1):
        grams += map(" ".join, zip(*(tokens[i:] for i in range(n)), strict=False))  # n-grams in order, joined in C
    return grams


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside space-padded words, exactly as scikit-learn's ``char_wb`` analyzer."""
    grams = []
    for word in SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) <= n:  # a short word counts once, whatever the n
                grams.append(padded)
                break
            grams += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return grams


ANALYZERS = {"word": word_ngrams, "char_wb": char_wb_ngrams}


@dataclass(frozen=True)
class _Block:
    analyzer: str  # "word", "char_wb", "char_wb_words" or "dense"
    low: int
    high: int
    index: dict[str, int]  # term (or dense feature name) -> column within the block
    idf: np.ndarray | None
    scale: float  # dense features are multiplied by this
    weights: np.ndarray  # (terms, classes or 1): this block's rows of the weight matrix
    word_cache: dict[str, object]  # char_wb: word -> its known columns; char_wb_words: word -> its score

    def score(self, text: str, dense: dict[str, float]) -> np.ndarray | float:
        """This block's share of the decision values."""
        if self.analyzer == "dense":
            at = [(j, value) for name, value in dense.items() if (j := self.index.get(name)) is not None]
            if not at:
                return 0.0
            columns, values = zip(*at, strict=True)
            return (np.asarray(values) * self.scale) @ self.weights[list(columns)]
        if self.analyzer == "char_wb_words":
            words = text.lower().split()
            if not words:
                return 0.0
            return np.sum([self._word_score(word) for word in words], axis=0) / math.sqrt(len(words))
        columns, counts = self._char_counts(text) if self.analyzer == "char_wb" else self._word_counts(text)
        return self._tfidf_score(columns, counts)

    def _tfidf_score(self, columns: np.ndarray, counts: np.ndarray) -> np.ndarray | float:
        """Score of a TF-IDF vector (sublinear tf, L2 norm, as scikit-learn builds it) given its counts."""
        if not len(columns):
            return 0.0
        values = (1.0 + np.log(counts)) * self.idf[columns]
        return (values / math.sqrt(values @ values)) @ self.weights[columns]

    def _word_counts(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        get = self.index.get
        counts = Counter([j for j in map(get, word_ngrams(text, self.low, self.high)) if j is not None])
        return np.fromiter(counts, dtype=np.int64, count=len(counts)), np.fromiter(
            counts.values(), dtype=np.float64, count=len(counts)
        )

    def _known(self, word: str) -> list[int]:
        get = self.index.get
        return [j for j in map(get, char_wb_ngrams(word, self.low, self.high)) if j is not None]

    def _char_counts(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Known columns of a text's character n-grams and their counts, word by word."""
        columns: list[int] = []
        for word in text.lower().split():
            known = self.word_cache.get(word)
            if known is None:
                known = self._known(word)
                if len(self.word_cache) < WORD_CACHE:
                    self.word_cache[word] = known
            columns += known
        at, counts = np.unique(np.asarray(columns, dtype=np.int64), return_counts=True)
        return at, counts.astype(np.float64)

    def _word_score(self, word: str) -> np.ndarray:
        """A word's own TF-IDF vector of character n-grams, scored: the same in every sentence, so kept."""
        score = self.word_cache.get(word)
        if score is None:
            at, counts = np.unique(np.asarray(self._known(word), dtype=np.int64), return_counts=True)
            score = self._tfidf_score(at, counts.astype(np.float64)) + np.zeros(self.weights.shape[1])
            if len(self.word_cache) < WORD_CACHE:
                self.word_cache[word] = score
        return score


class LinearModel:
    """A fitted linear classifier over TF-IDF blocks and named dense features."""

    def __init__(self, path: Path):
        with np.load(path, allow_pickle=False) as data:
            self.name = str(data["name"])
            self.classes = tuple(str(c) for c in data["classes"])
            # (features, classes or 1), transposed from the file's layout so a term's weights are contiguous
            weights = np.ascontiguousarray(data["coef"].astype(np.float64).T)
            self.intercept = data["intercept"].astype(np.float64)
            self.temperature = float(data["temperature"])  # probabilities are a softmax of temperature * decision
            self.blocks: list[_Block] = []
            offset = 0
            for i, analyzer in enumerate(str(a) for a in data["analyzers"]):
                terms = [str(t) for t in data[f"terms{i}"]]
                low, high = (int(v) for v in data[f"ngram{i}"])
                idf = data[f"idf{i}"].astype(np.float64) if analyzer != "dense" else None
                index = {term: j for j, term in enumerate(terms)}
                rows = weights[offset : offset + len(terms)]
                self.blocks.append(_Block(analyzer, low, high, index, idf, float(data[f"scale{i}"]), rows, {}))
                offset += len(terms)
        if offset != weights.shape[0]:
            raise ValueError(f"{path}: {offset} features in the vocabularies, {weights.shape[0]} weights")

    @property
    def dense_names(self) -> list[str]:
        return [name for block in self.blocks if block.analyzer == "dense" for name in block.index]

    def decision(self, text: str, dense: dict[str, float] | None = None) -> np.ndarray:
        """Decision values: one per class, or one for a binary model (positive class when > 0)."""
        return self.intercept + sum(block.score(text, dense or {}) for block in self.blocks)

    def probabilities(self, text: str, dense: dict[str, float] | None = None) -> dict[str, float]:
        """Class -> probability: a softmax (binary: logistic) of the decision values times the temperature
        fitted on held-out folds (1 for a logistic regression, whose decision values are log-odds)."""
        scores = (self.decision(text, dense) * self.temperature).tolist()
        if len(scores) == 1:
            p = 1.0 / (1.0 + math.exp(-scores[0]))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        top = max(scores)
        exp = [math.exp(score - top) for score in scores]  # a few classes: plain floats beat numpy here
        total = sum(exp)
        return {label: value / total for label, value in zip(self.classes, exp, strict=True)}

    def predict(self, text: str, dense: dict[str, float] | None = None) -> tuple[str, float]:
        """The most probable class and its probability."""
        probabilities = self.probabilities(text, dense)
        best = max(probabilities, key=probabilities.__getitem__)
        return best, probabilities[best]


@cache
def load(name: str) -> LinearModel:
    """A shipped model by name (``strength``, ``hedge``, ``claim``, ``claim_type``), loaded once per process."""
    return LinearModel(MODELS_DIR / f"{name}.npz")


def save(path: Path, name: str, classes, coef, intercept, blocks, temperature: float) -> None:
    """Write a model; ``blocks``: (analyzer, (low, high), terms, idf or None, scale) in column order."""
    arrays: dict[str, np.ndarray] = {
        "name": np.asarray(name),
        "classes": np.asarray([str(c) for c in classes]),
        "coef": np.asarray(coef, dtype=np.float32),
        "intercept": np.asarray(intercept, dtype=np.float32),
        "temperature": np.asarray(temperature, dtype=np.float64),
        "analyzers": np.asarray([b[0] for b in blocks]),
    }
    for i, (_, ngram, terms, idf, scale) in enumerate(blocks):
        arrays[f"terms{i}"] = np.asarray(list(terms), dtype=str)
        arrays[f"ngram{i}"] = np.asarray(ngram, dtype=np.int64)
        arrays[f"idf{i}"] = np.asarray(idf if idf is not None else [], dtype=np.float32)
        arrays[f"scale{i}"] = np.asarray(scale, dtype=np.float64)
    np.savez_compressed(path, **arrays)
