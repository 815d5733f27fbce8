"""Near-duplicates: syndicated copies with small edits, found by MinHash LSH (datasketch).

Texts become sets of 5-word shingles; two texts are near-duplicates when the
Jaccard similarity of those sets is at least SIMILARITY (0.7). A copy with a
new intro line, a sentence cut or a few words changed stays well above it
(0.8-0.95 for an 800-word story); two different stories on the same subject
sit near 0. LSH is tuned to a looser 0.5 so that pairs just above 0.7 are not
missed, and each candidate is confirmed on its signature, so the cost grows
with the number of texts, not their square.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from flows.main_text import WORD

SHINGLE_WORDS = 5
NUM_PERM = 128  # estimate's standard error ~0.04 at these similarities
SIMILARITY = 0.7
LSH_THRESHOLD = 0.5
SEED = 1
SCHEME = "affine32"  # fixed: stored signatures must stay comparable across datasketch versions


def _crc32(data: bytes) -> int:
    # Deterministic across processes (signatures are stored), and faster than sha1.
    return zlib.crc32(data)


def signature(text: str) -> np.ndarray:
    """128 uint32 MinHash values of the text's 5-word shingles."""
    tokens = WORD.findall(text.lower())
    shingles = {" ".join(tokens[i : i + SHINGLE_WORDS]).encode() for i in range(max(1, len(tokens) - 4))}
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_crc32, scheme=SCHEME)
    minhash.update_batch(list(shingles))
    return minhash.hashvalues.astype(np.uint32)


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4")


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def near_duplicate_pairs(signatures: Iterable[tuple[str, np.ndarray]]) -> Iterator[tuple[str, str, float]]:
    """(key_a, key_b, similarity) for every pair at or above SIMILARITY, each pair once."""
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    kept: dict[str, np.ndarray] = {}
    for key, sig in signatures:
        kept[key] = sig
        lsh.insert(key, LeanMinHash(seed=SEED, hashvalues=sig, scheme=SCHEME), check_duplication=False)
    for key, sig in kept.items():
        for other in lsh.query(LeanMinHash(seed=SEED, hashvalues=sig, scheme=SCHEME)):
            if other > key and (score := similarity(sig, kept[other])) >= SIMILARITY:
                yield key, other, score
