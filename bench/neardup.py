"""Near-duplicate benchmark: cluster N synthetic articles (~800 words, 10% near-duplicates).

    uv run python bench/neardup.py [--docs 100000] [--workers 2]

Each near-duplicate copies an earlier article with edits a syndicating site
makes: a new intro sentence, one sentence cut, 1-3% of words changed. The run
goes through the dedupe stage's core (flows.dedupe.neardup.signatures, in a
process pool, then flows.dedupe.stories.assign_stories, which the stage's
entry point flows.dedupe.stage.assign calls) and prints seconds per stage, peak memory, and
pair precision/recall against the known copies; run it at several sizes to see
that time grows linearly.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta

import numpy as np

from flows.dedupe.neardup import signatures
from flows.dedupe.stories import PageKeys, assign_stories

VOCABULARY = [f"w{i}" for i in range(20_000)]
WORDS = 800
SENTENCE = 16
CHUNK = 500  # documents per task


def base_text(i: int) -> list[str]:
    rng = np.random.default_rng(i)
    ranks = np.minimum(rng.zipf(1.2, WORDS), len(VOCABULARY)) - 1  # word frequencies like real text
    return [VOCABULARY[r] for r in ranks]


def near_copy(words: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    sentences = [words[i : i + SENTENCE] for i in range(0, len(words), SENTENCE)]
    del sentences[rng.randrange(1, len(sentences))]  # one sentence cut
    edited = [["syndicated", "by", "partner", f"site{seed % 97}", "today"], *sentences]  # new intro
    flat = [w for s in edited for w in s]
    for _ in range(int(len(flat) * rng.uniform(0.01, 0.03))):  # a few words changed
        flat[rng.randrange(len(flat))] = rng.choice(VOCABULARY)
    return flat


def original_of(i: int, n: int) -> int | None:
    """Every tenth document copies a random earlier original."""
    if i % 10 != 9:
        return None
    return random.Random(i).randrange(0, i - 1) // 10 * 10  # an original (never itself a copy)


def text_of(i: int, n: int) -> str:
    source = original_of(i, n)
    return " ".join(base_text(i) if source is None else near_copy(base_text(source), i))


def make_signatures(args: tuple[range, int]) -> list[tuple[int, np.ndarray]]:
    """Signatures of a chunk of documents, in one MinHash.bulk call as the dedupe stage makes them."""
    chunk, n = args
    return list(zip(chunk, signatures([text_of(i, n) for i in chunk]), strict=True))


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    n = args.docs

    start = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        chunks = ((range(i, min(i + CHUNK, n)), n) for i in range(0, n, CHUNK))
        signed = {i: sig for chunk in pool.map(make_signatures, chunks) for i, sig in chunk}
    shingle_s = time.perf_counter() - start

    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    pages = [PageKeys(f"p{i}", t0 + timedelta(seconds=i), f"site.example/{i}", f"site.example/{i}", f"h{i}")
             for i in range(n)]  # fmt: skip
    start = time.perf_counter()
    stories = assign_stories(pages, {f"h{i}": sig for i, sig in signed.items()})
    cluster_s = time.perf_counter() - start

    truth = {i: original_of(i, n) for i in range(n)}
    copies = [i for i, source in truth.items() if source is not None]
    found = sum(stories[f"p{i}"].article_id == stories[f"p{truth[i]}"].article_id for i in copies)
    story_count = len({s.article_id for s in stories.values()})
    expected = n - len(copies)
    print(f"docs={n} near_duplicates={len(copies)} stories={story_count} (expected {expected})")
    print(
        f"copy recall={found / len(copies):.4f} wrongly merged originals={expected - story_count + len(copies) - found}"
    )
    print(f"signatures: {shingle_s:.1f} s ({args.workers} workers, {n / shingle_s:.0f} docs/s)")
    print(f"lsh + clustering: {cluster_s:.1f} s ({n / cluster_s:.0f} docs/s)")
    print(f"total: {shingle_s + cluster_s:.1f} s; peak memory: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
