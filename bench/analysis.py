"""Analysis benchmark: accuracy on the labelled set, then speed at scale.

    uv run python bench/analysis.py accuracy        # topics, claims, citations vs tests/fixtures/analysis
    uv run python bench/analysis.py speed [--docs 100000] [--workers 2] [--baseline main]

accuracy: precision, recall and F1 of (article, topic) pairs, of claim
sentences (and agreement on each field of the claims found), and of
(article, cited study) resolutions; plus the resolver alone on
tests/fixtures/citation_cases.json.

speed: builds a DuckDB file of N synthetic stories (~800 words, sentences
drawn from the labelled set and filler), analyses and stores them through the
pipeline's analyse stage (flows.analyse.stage.analyse_stories) with all
workers, and times every aggregate view. ``--baseline REF`` first times the same
analysis on git REF's code (exported to a temporary folder, run with this
environment) and prints the ratio of the two, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa

from flows.analyse.citations import Resolver, find_citations, load_studies
from flows.analyse.stage import analyse_stories
from flows.analyse.story import Analyser, StoryText
from flows.store.stage import Store
from flows.text.sentences import split_sentences

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
VIEWS = ["topics_by_month", "claims_by_month", "unsupported_claims", "studies", "studies_by_month",
         "retracted_citations", "topic_mentions", "claims", "citations"]  # fmt: skip


def prf(tp: int, predicted: int, expected: int) -> str:
    p = tp / predicted if predicted else 0.0
    r = tp / expected if expected else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f"precision={p:.3f} recall={r:.3f} f1={f1:.3f} (tp={tp} predicted={predicted} expected={expected})"


def words(text: str) -> str:
    return " ".join(text.split())


def accuracy() -> None:
    labels = json.loads((FIXTURES / "analysis" / "labels.json").read_text())
    analyser = Analyser()
    topic_tp = topic_pred = topic_exp = 0
    claim_tp = claim_pred = claim_exp = 0
    fields = Counter()
    field_total = 0
    cite_tp = cite_pred = cite_exp = 0
    relevance_right = 0
    for name, label in labels.items():
        text = (FIXTURES / "analysis" / "articles" / name).read_text()
        result = analyser.analyse(StoryText(name, "", None, text))
        predicted_topics = set(result.topics)
        expected_topics = {t for t, n in label["topics"].items() if n}
        topic_tp += len(predicted_topics & expected_topics)
        topic_pred += len(predicted_topics)
        topic_exp += len(expected_topics)
        relevance_right += (result.relevance >= 0.3) == label["relevant"]

        expected_claims = {words(c["sentence"]): c for c in label["claims"]}
        predicted_claims = {words(claim.sentence): (claim, ev) for claim, ev in result.claims}
        claim_pred += len(predicted_claims)
        claim_exp += len(expected_claims)
        for sentence, truth in expected_claims.items():
            if sentence not in predicted_claims:
                continue
            claim_tp += 1
            claim, backing = predicted_claims[sentence]
            field_total += 1
            fields["type"] += claim.claim_type == truth["claim_type"]
            fields["substance"] += claim.substance == truth["substance"]
            fields["condition"] += claim.condition == truth["condition"]
            fields["hedged"] += (claim.hedge_level != "none") == truth["hedged"]
            fields["polarity"] += claim.polarity == truth.get("polarity", "positive")
            fields["hype"] += bool(claim.hype_cues) == bool(truth.get("hype"))
            fields["evidence"] += backing == truth["evidence"]

        expected_studies = {c["study"] for c in label["citations"] if c["study"]}
        predicted_studies = {c.resolution.study_key for c in result.citations if c.resolution.study_key}
        cite_tp += len(predicted_studies & expected_studies)
        cite_pred += len(predicted_studies)
        cite_exp += len(expected_studies)

    print(f"{len(labels)} labelled articles")
    print("topics (article x topic):   ", prf(topic_tp, topic_pred, topic_exp))
    print(f"relevance (>= 0.3) right on {relevance_right}/{len(labels)} articles")
    print("claim detection (sentences):", prf(claim_tp, claim_pred, claim_exp))
    print("claim fields on detected claims: "
          + " ".join(f"{k}={v / field_total:.3f}" for k, v in fields.items()))  # fmt: skip
    print("citations (article x study):", prf(cite_tp, cite_pred, cite_exp))

    cases = json.loads((FIXTURES / "citation_cases.json").read_text())["cases"]
    resolver = Resolver(load_studies())
    tp = predicted = expected = 0
    for case in cases:
        found = [resolver.resolve(c).study_key for c in find_citations(split_sentences(case["text"]),
                                                                         case.get("links", []))]  # fmt: skip
        keys = {k for k in found if k}
        predicted += len(keys)
        expected += bool(case["expected"])
        tp += case["expected"] in keys
    print("resolver on citation_cases:  ", prf(tp, predicted, expected))


def synthetic_stories(n: int) -> list[StoryText]:
    """Stories of ~800 words mixing labelled sentences (claims, citations, topics) with neutral filler."""
    sentences = []
    for path in sorted((FIXTURES / "analysis" / "articles").glob("*.txt")):
        sentences += [s.text for s in split_sentences(path.read_text())]
    filler = "The session ended with a short discussion of next steps and the schedule for the following week."
    stories = []
    for i in range(n):
        rng = random.Random(i)
        body = [rng.choice(sentences) if rng.random() < 0.5 else filler for _ in range(50)]
        text = "\n".join(" ".join(body[j : j + 5]) for j in range(0, len(body), 5))
        stories.append(StoryText(f"a{i:06d}", f"h{i}", f"Story {i}", text))
    return stories


def baseline_speed(ref: str, n: int, workers: int) -> float:
    """Stories/s of the analysis at git ``ref``: its code exported to a temporary folder, this environment."""
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(root), "archive", ref], check=False, capture_output=True)
        if archive.returncode:
            raise SystemExit(f"baseline {ref}: git archive failed in {root}: {archive.stderr.decode().strip()}")
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        command = [sys.executable, "bench/analysis.py", "speed", "--docs", str(n), "--workers", str(workers)]
        result = subprocess.run(
            command, check=False, cwd=tmp, env={**os.environ, "PYTHONPATH": tmp}, capture_output=True, text=True
        )
    found = re.search(r"([\d.]+) stories/s", result.stdout)
    if result.returncode or not found:
        raise SystemExit(f"baseline {ref}: the speed bench failed:\n{result.stdout}{result.stderr}")
    print(f"baseline {ref}: {found.group(1)} stories/s with {workers} workers")
    return float(found.group(1))


def speed(n: int, workers: int) -> float:
    stories = synthetic_stories(n)
    words_total = sum(len(s.text.split()) for s in stories)
    print(f"{n} synthetic stories, {words_total / n:.0f} words each")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        start_day = date(2023, 1, 1)
        t0 = datetime(2025, 1, 1, tzinfo=UTC)
        pages = pa.table({
            "page_id": [uuid.uuid4().hex for _ in stories], "source": [f"s{i % 20}" for i in range(n)],
            "url": [f"https://s{i % 20}.example/{i}" for i in range(n)],
            "fetched_at": [t0 + timedelta(seconds=i) for i in range(n)], "status": [200] * n,
            "url_key": [f"s{i % 20}.example/{i}" for i in range(n)], "is_article": [True] * n,
            "canonical_url": [f"https://s{i % 20}.example/{i}" for i in range(n)],
            "canonical_key": [f"s{i % 20}.example/{i}" for i in range(n)],
            "title": [s.title for s in stories], "published_date": [start_day + timedelta(days=i % 1000) for i in range(n)],
            "spam_score": [0.0] * n, "word_count": [800] * n, "text": [s.text for s in stories],
            "text_hash": [s.text_hash for s in stories], "article_id": [s.article_id for s in stories],
            "story_match": ["home"] * n, "similarity": [1.0] * n,
        })  # fmt: skip
        with store.connect() as con:
            con.register("synthetic", pages)
            con.execute("insert into internal.pages by name select * from synthetic")
        start = time.perf_counter()
        analysed = analyse_stories(store, workers)  # the pipeline's analyse stage: read, analyse, store
        elapsed = time.perf_counter() - start
        print(f"analysis + load: {elapsed:.1f} s, {analysed / elapsed:.0f} stories/s with {workers} workers")
        rate = analysed / elapsed
        with store.connect() as con:
            counts = {t: con.execute(f"select count(*) from internal.article_{t}").fetchone()[0]
                      for t in ("claims", "citations", "topics")}  # fmt: skip
            print(f"stored {counts['claims']} claims, {counts['citations']} citations, {counts['topics']} topic rows")
            for view in VIEWS:
                start = time.perf_counter()
                count = len(con.execute(f"select * from {view}").fetchall())
                print(f"view {view:<22} {time.perf_counter() - start:6.3f} s  ({count} rows)")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["accuracy", "speed"])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline", metavar="REF", help="speed: also time git REF's analysis, print the ratio")
    args = parser.parse_args()
    if args.what == "accuracy":
        accuracy()
        return
    before = baseline_speed(args.baseline, args.docs, args.workers) if args.baseline else None
    rate = speed(args.docs, args.workers)
    if before:
        print(f"this tree / {args.baseline}: {rate / before:.2f}x ({rate:.0f} vs {before:.0f} stories/s)")


if __name__ == "__main__":
    main()
