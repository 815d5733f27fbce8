"""Extraction benchmark: psynews' extraction against bare trafilatura, on the same pages, in one run.

    uv run python bench/extraction.py DATA_DIR      (make bench-extraction BENCH_DATA=DIR)

DATA_DIR holds ground-truth.json and html/<id>.html.gz (the Zyte article
extraction benchmark layout). The metric is the benchmark's own: 4-gram
shingles of \\w+ tokens compared as multisets per page; precision averaged over
pages with output, recall over all pages, F1 = harmonic mean of the averages.
Speed is pages per second inside the extractor calls, one process.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import trafilatura
from trafilatura.utils import load_html

from crawler.raw_store import RawRecord
from flows.extract.main_text import main_text
from flows.extract.page import extract_page

WORD = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    tokens = WORD.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def score(truth: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    precisions, recalls = [], []
    for key, expected in truth.items():
        true, pred = shingles(expected), shingles(predicted.get(key, ""))
        tp = sum((true & pred).values())
        if pred:
            precisions.append(tp / sum(pred.values()))
        if true:
            recalls.append(tp / sum(true.values()))
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def psynews_text(html: str, url: str) -> str:
    """psynews' main-text function, as the pipeline calls it (metadata aside)."""
    return main_text(load_html(html), url, with_metadata=False)[1]


def psynews_page(html: str, url: str) -> str:
    """The whole per-page extraction of the pipeline: text, metadata, date, language, page type."""
    record = RawRecord(uuid.uuid4().hex, "bench", "page", url, url, 200, {"content-type": "text/html"},
                       html.encode(), datetime.now(UTC))  # fmt: skip
    return extract_page(record).extracted_text or ""


def bare_trafilatura(html: str, url: str) -> str:
    return trafilatura.extract(html) or ""


def run(name: str, extractor: Callable[[str, str], str], pages: dict[str, tuple[str, str]], truth: dict[str, str]):
    extractor(*next(iter(pages.values())))  # warm-up: imports and caches
    predicted, elapsed = {}, 0.0
    for key, (html, url) in pages.items():
        start = time.perf_counter()
        predicted[key] = extractor(html, url)
        elapsed += time.perf_counter() - start
    result = score(truth, predicted) | {"pages_per_s": len(pages) / elapsed}
    result["empty"] = sum(1 for text in predicted.values() if not text.strip())
    print(f"{name:<20} precision={result['precision']:.4f} recall={result['recall']:.4f} f1={result['f1']:.4f} "
          f"empty={result['empty']} pages_per_s={result['pages_per_s']:.1f}")  # fmt: skip
    return result, predicted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--per-page", type=Path, help="write per-page F1 of both systems to this JSON file")
    args = parser.parse_args()

    ground = json.loads((args.data_dir / "ground-truth.json").read_text())
    truth = {key: value["articleBody"] for key, value in ground.items()}
    pages = {
        key: (gzip.decompress((args.data_dir / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8"), value["url"])
        for key, value in ground.items()
    }
    print(f"{len(pages)} pages from {args.data_dir}")
    base, base_pred = run("bare trafilatura", bare_trafilatura, pages, truth)
    ours, our_pred = run("psynews", psynews_text, pages, truth)
    run("psynews full page", psynews_page, pages, truth)  # + metadata, dates, language, page type
    print(
        f"f1 gain {ours['f1'] - base['f1']:+.4f}; speed ratio psynews/bare {ours['pages_per_s'] / base['pages_per_s']:.2f}"
    )
    if args.per_page:
        per_page = {
            key: {
                "bare": score({key: truth[key]}, {key: base_pred[key]})["f1"],
                "psynews": score({key: truth[key]}, {key: our_pred[key]})["f1"],
            }
            for key in truth
        }
        args.per_page.write_text(json.dumps(per_page, indent=1))


if __name__ == "__main__":
    main()
