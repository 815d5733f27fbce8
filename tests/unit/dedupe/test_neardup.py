"""Signatures and the LSH banding: what stored signatures and band rows depend on."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash, MinHashLSH

from flows.dedupe.neardup import BANDS, LSH_THRESHOLD, NUM_PERM, ROWS, SCHEME, SEED, shingle_hashes, signatures


def test_banding_is_the_one_datasketch_picks_for_the_threshold():
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (BANDS, ROWS)


def test_signatures_in_bulk_are_each_texts_own_minhash():
    texts = ["Psilocybin eased depression in a trial of 233 adults, the authors reported.",
             "Ketamine clinics raise prices as demand grows in three states.", "", "one"]  # fmt: skip
    for text, sig in zip(texts, signatures(texts), strict=True):
        alone = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int, scheme=SCHEME)
        alone.update_batch(shingle_hashes(text))
        assert sig.dtype == np.uint32
        assert np.array_equal(sig, alone.hashvalues.astype(np.uint32))
    assert not np.array_equal(*signatures(texts[:2]))
