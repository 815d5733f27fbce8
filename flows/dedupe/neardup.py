"""Near-duplicates: syndicated copies with small edits, found by MinHash LSH (datasketch).

Texts become sets of 5-word shingles; two texts are near-duplicates when the
Jaccard similarity of those sets is at least SIMILARITY (0.6). A copy with a
new intro line, a sentence cut or a few words changed stays above it (0.65-0.95
for an 800-word story with 1-3% of words changed); two different stories on
the same subject sit below 0.1. LSH is tuned to a looser 0.5 so that pairs just
above 0.6 are not missed, and each candidate is confirmed on its signature, so the cost grows
with the number of texts, not their square.

The index persists between runs as band hashes (``band_hashes``: datasketch's
banding, BANDS bands of ROWS values, each band hashed to 64 bits) in
``internal.lsh_bands``; a run looks up its new signatures' bands there, so its
cost grows with its new pages, not with the stored history.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

import numpy as np

from flows.text.tokens import WORD

# datasketch is imported where it is used: importing it imports scipy, a third of the time a psynews process
# (the CLI, a worker's crawl) takes to start, most of which never hash a text.

SHINGLE_WORDS = 5
NUM_PERM = 128  # estimate's standard error ~0.04 at these similarities
SIMILARITY = 0.6
LSH_THRESHOLD = 0.5
SEED = 1
SCHEME = "affine32"  # fixed: stored signatures must stay comparable across datasketch versions
# The banding datasketch's MinHashLSH picks for this threshold and NUM_PERM (a unit test checks it), fixed here
# because the stored band rows depend on it.
BANDS, ROWS = 25, 5


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the text's distinct 5-word shingles.

    Each word is hashed once (crc32: deterministic across processes, since
    signatures are stored), and a shingle's hash is a polynomial of its words'
    hashes computed for all shingles at once with numpy.
    """
    tokens = WORD.findall(text.lower())
    if not tokens:
        return np.zeros(1, dtype=np.uint64)
    codes = {t: zlib.crc32(t.encode()) for t in set(tokens)}  # each distinct word hashed once
    words = np.fromiter(map(codes.__getitem__, tokens), dtype=np.uint64, count=len(tokens))
    width = min(SHINGLE_WORDS, len(words))
    combined = np.zeros(len(words) - width + 1, dtype=np.uint64)
    for offset in range(width):  # uint64 arithmetic wraps: a deterministic mix
        combined = combined * np.uint64(1_000_003) + words[offset : offset + len(combined)]
    return np.unique(combined & np.uint64(0xFFFFFFFF))


def signatures(texts: Iterable[str]) -> list[np.ndarray]:
    """128 uint32 MinHash values of each text's 5-word shingles; a chunk of texts is the unit of work sent to a
    Dask worker.

    MinHash.bulk draws the permutations once for all the texts (drawing them is most of a lone MinHash's cost).
    """
    from datasketch import MinHash

    shingles = (shingle_hashes(text) for text in texts)
    minhashes = MinHash.bulk(shingles, num_perm=NUM_PERM, seed=SEED, hashfunc=int, scheme=SCHEME)
    return [m.hashvalues.astype(np.uint32) for m in minhashes]


def signature(text: str) -> np.ndarray:
    """The signature of one text (``signatures`` for many)."""
    return signatures([text])[0]


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4")


def band_hashes(signatures: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint64 hashes of the bands of n signatures: equal exactly when a band's values are equal
    (up to 64-bit collisions), as in datasketch's LSH buckets."""
    bands = signatures[:, : BANDS * ROWS].astype(np.uint64).reshape(len(signatures), BANDS, ROWS)
    combined = np.zeros((len(signatures), BANDS), dtype=np.uint64)
    for row in range(ROWS):  # uint64 arithmetic wraps: a deterministic mix, as in shingle_hashes
        combined = combined * np.uint64(0x100000001B3) + bands[:, :, row] + np.uint64(1)
    return combined


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def near_duplicate_pairs(signatures: Iterable[tuple[str, np.ndarray]]) -> Iterator[tuple[str, str, float]]:
    """(key_a, key_b, similarity) for every pair at or above SIMILARITY, each pair once."""
    from datasketch import LeanMinHash, MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    kept: dict[str, np.ndarray] = {}
    for key, sig in signatures:
        kept[key] = sig
        lsh.insert(key, LeanMinHash(seed=SEED, hashvalues=sig, scheme=SCHEME), check_duplication=False)
    for key, sig in kept.items():
        for other in lsh.query(LeanMinHash(seed=SEED, hashvalues=sig, scheme=SCHEME)):
            if other > key and (score := similarity(sig, kept[other])) >= SIMILARITY:
                yield key, other, score
