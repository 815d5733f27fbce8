"""The labelled data the analysis models are fitted and measured on (read-only, see each README).

- causal-language (Yu, Li and Wang 2019, GPL-3.0): PubMed conclusion sentences, claim strength;
- hedge-bioscope (BioScope abstracts, CC-BY-2.0): speculation cues, sentence hedging;
- references-glutton (biblio-glutton, Apache-2.0): PubMed Central reference strings with gold fields;
- bench/data/psychedelic_claims.csv (written for psynews): claims, their type and hedging.

The shared data sets are looked for in ``$PSYNEWS_DATASETS``, else ``../shared/datasets`` beside the repository.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATASETS = Path(os.environ.get("PSYNEWS_DATASETS", ROOT.parent / "shared" / "datasets"))
OWN = ROOT / "bench" / "data" / "psychedelic_claims.csv"
STRENGTHS = ("none", "causal", "conditional", "correlational")  # the data set's codes 0-3


def _need(path: Path) -> Path:
    if not path.exists():
        raise SystemExit(f"{path}: not found; set PSYNEWS_DATASETS to the folder holding the shared data sets")
    return path


def causal_language() -> tuple[list[str], list[str]]:
    """Sentences and their strength: none, causal, conditional or correlational."""
    path = _need(DATASETS / "causal-language" / "pubmed_causal_language_use.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["sentence"].strip().strip('"').strip() for r in rows], [STRENGTHS[int(r["label"])] for r in rows]


def bioscope() -> tuple[list[str], list[str]]:
    """Sentences of the BioScope abstracts, "hedged" when they hold a speculation cue, else "certain"."""
    root = ET.parse(_need(DATASETS / "hedge-bioscope" / "abstracts.xml")).getroot()
    texts, labels = [], []
    for sentence in root.iter("sentence"):
        texts.append("".join(sentence.itertext()))
        hedged = any(cue.get("type") == "speculation" for cue in sentence.iter("cue"))
        labels.append("hedged" if hedged else "certain")
    return texts, labels


def references() -> list[dict]:
    """Reference strings with their gold first author, year (absent in the set), journal, DOI and PMID."""
    with gzip.open(_need(DATASETS / "references-glutton" / "references-doi-matching.json.gz"), "rt") as handle:
        return json.load(handle)


def own_claims() -> list[dict]:
    """The hand-written psychedelic-news sentences: sentence, is_claim, claim_type, hedged."""
    with OWN.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["is_claim"] = row["is_claim"] == "true"
        row["hedged"] = row["hedged"] == "true"
    return rows
