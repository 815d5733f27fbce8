"""The shipped linear models (claim, claim type, strength, hedge), scored with numpy.

Each model is one ``<name>.npz`` file beside this module, written by ``bench/train.py`` (which fits
it with scikit-learn and checks that this scorer gives the same decision values): blocks of
features, each a TF-IDF vocabulary (word n-grams or character n-grams inside words, as
scikit-learn's ``TfidfVectorizer`` with ``sublinear_tf`` and L2 norm builds them) or a list of
named dense features (the rule cues, computed by the caller), then a weight matrix and intercepts.
Loading is ``numpy.load`` without pickle; scoring a sentence is a few hundred dict look-ups and a
sparse dot product (~50-150 us), and only claim candidates are scored.
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


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    tokens = TOKEN.findall(text.lower())
    grams = []
    for n in range(low, high + 1):
        grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
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
    analyzer: str  # "word", "char_wb" or "dense"
    low: int
    high: int
    offset: int  # first column of this block in the weight matrix
    index: dict[str, int]  # term (or dense feature name) -> column within the block
    idf: np.ndarray | None
    scale: float  # dense features are multiplied by this


class LinearModel:
    """A fitted linear classifier over TF-IDF blocks and named dense features."""

    def __init__(self, path: Path):
        with np.load(path, allow_pickle=False) as data:
            self.name = str(data["name"])
            self.classes = tuple(str(c) for c in data["classes"])
            self.coef = data["coef"].astype(np.float64)  # (classes or 1, features)
            self.intercept = data["intercept"].astype(np.float64)
            self.probabilistic = bool(data["probabilistic"])
            self.blocks: list[_Block] = []
            offset = 0
            for i, analyzer in enumerate(str(a) for a in data["analyzers"]):
                terms = [str(t) for t in data[f"terms{i}"]]
                low, high = (int(v) for v in data[f"ngram{i}"])
                idf = data[f"idf{i}"].astype(np.float64) if analyzer != "dense" else None
                index = {term: j for j, term in enumerate(terms)}
                self.blocks.append(_Block(analyzer, low, high, offset, index, idf, float(data[f"scale{i}"])))
                offset += len(terms)
        if offset != self.coef.shape[1]:
            raise ValueError(f"{path}: {offset} features in the vocabularies, {self.coef.shape[1]} weights")

    @property
    def dense_names(self) -> list[str]:
        return [name for block in self.blocks if block.analyzer == "dense" for name in block.index]

    def features(self, text: str, dense: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and values of one text's feature vector."""
        columns: list[int] = []  # dense features
        values: list[float] = []
        blocks: list[tuple[np.ndarray, np.ndarray]] = []  # n-gram blocks
        for block in self.blocks:
            if block.analyzer == "dense":
                for name, j in block.index.items():
                    value = (dense or {}).get(name, 0.0)
                    if value:
                        columns.append(block.offset + j)
                        values.append(value * block.scale)
                continue
            counts = Counter(ANALYZERS[block.analyzer](text, block.low, block.high))
            get = block.index.get
            at = np.fromiter((get(term, -1) for term in counts), dtype=np.int64, count=len(counts))
            known = at >= 0
            if not known.any():
                continue
            at = at[known]
            weights = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))[known])
            weights *= block.idf[at]
            blocks.append((at + block.offset, weights / np.sqrt(weights @ weights)))
        if columns:
            blocks.append((np.asarray(columns, dtype=np.int64), np.asarray(values, dtype=np.float64)))
        if not blocks:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate([b[0] for b in blocks]), np.concatenate([b[1] for b in blocks])

    def decision(self, text: str, dense: dict[str, float] | None = None) -> np.ndarray:
        """Decision values: one per class, or one for a binary model (positive class when > 0)."""
        columns, values = self.features(text, dense)
        return self.coef[:, columns] @ values + self.intercept

    def probabilities(self, text: str, dense: dict[str, float] | None = None) -> dict[str, float]:
        """Class -> probability (softmax of the decision values; a logistic model's own probabilities)."""
        scores = self.decision(text, dense)
        if len(scores) == 1:
            p = 1.0 / (1.0 + math.exp(-scores[0]))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        exp = np.exp(scores - scores.max())
        return dict(zip(self.classes, (exp / exp.sum()).tolist(), strict=True))

    def predict(self, text: str, dense: dict[str, float] | None = None) -> tuple[str, float]:
        """The most probable class and its probability."""
        probabilities = self.probabilities(text, dense)
        best = max(probabilities, key=probabilities.__getitem__)
        return best, probabilities[best]


@cache
def load(name: str) -> LinearModel:
    """A shipped model by name (``strength``, ``hedge``, ``claim``, ``claim_type``), loaded once per process."""
    return LinearModel(MODELS_DIR / f"{name}.npz")


def save(path: Path, name: str, classes, coef, intercept, blocks, probabilistic: bool) -> None:
    """Write a model; ``blocks``: (analyzer, (low, high), terms, idf or None, scale) in column order."""
    arrays: dict[str, np.ndarray] = {
        "name": np.asarray(name),
        "classes": np.asarray([str(c) for c in classes]),
        "coef": np.asarray(coef, dtype=np.float32),
        "intercept": np.asarray(intercept, dtype=np.float32),
        "probabilistic": np.asarray(probabilistic),
        "analyzers": np.asarray([b[0] for b in blocks]),
    }
    for i, (_, ngram, terms, idf, scale) in enumerate(blocks):
        arrays[f"terms{i}"] = np.asarray(list(terms), dtype=str)
        arrays[f"ngram{i}"] = np.asarray(ngram, dtype=np.int64)
        arrays[f"idf{i}"] = np.asarray(idf if idf is not None else [], dtype=np.float32)
        arrays[f"scale{i}"] = np.asarray(scale, dtype=np.float64)
    np.savez_compressed(path, **arrays)
