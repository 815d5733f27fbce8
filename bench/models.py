"""The learned analysis models against the rules, on data the rules were not written from (issue 12).

    uv run python bench/models.py [--folds 5] [--only strength,hedge,claims]

Every figure is printed beside the rules baseline measured in the same run. Where a data set also
trains a model, the model's figure is k-fold cross-validated (stratified, fixed seed): fitted on
k-1 folds with the recipe of bench/train.py, scored on the held-out one.

- strength: causal-language (Yu et al. 2019), 4-class macro-F1 (none, causal, conditional,
  correlational); rules = the claim rules' strength with claim detection forced on (never "none").
- hedge: BioScope abstracts, sentence F1 of "hedged"; rules = any hedge cue of sql/reference.
- claims: bench/data/psychedelic_claims.csv, claim-sentence F1 and type accuracy of the rules
  (what ships) and of the claim and claim-type models given the rules' verdict as features; hedge
  agreement on the claims found, by the cues alone, the hedge model, and the shipped hybrid.
- references: references-glutton, share of strings read as a reference entry, and of those, the
  share whose first author and journal match the gold fields (NLM's; a few gold alignments are
  wrong), and whose title is the gold title (rapidfuzz ratio >= 90, case aside). The set has no gold year: the year is checked only to be written in the string.
  Baseline: the style parsers that need a journal of journals.csv, the parser before issue 12.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
import datasets
import train
from train import rule_features

from flows.analyse.citations.journals import fold, journals_match
from flows.analyse.citations.parse import _parse_entry, _styled_entry
from flows.analyse.claims import HEDGE_KINDS, STRONG_HEDGES, cue_features, rule_strength


def folds(labels: list[str], k: int):
    return StratifiedKFold(k, shuffle=True, random_state=0).split(np.zeros(len(labels)), labels)


def cross_validated(name: str, texts: list[str], labels: list[str], dense: list[dict], k: int) -> list[str]:
    predicted = [""] * len(texts)
    for train_at, test_at in folds(labels, k):
        fitted = train.fit(
            name, [texts[i] for i in train_at], [labels[i] for i in train_at], [dense[i] for i in train_at]
        )
        for i, label in zip(
            test_at, fitted.predict([texts[i] for i in test_at], [dense[i] for i in test_at]), strict=True
        ):
            predicted[i] = label
    return predicted


def per_class(truth: list[str], predicted: list[str], classes) -> str:
    scores = f1_score(truth, predicted, labels=list(classes), average=None)
    return " ".join(f"{c}={s:.3f}" for c, s in zip(classes, scores, strict=True))


def strength(k: int) -> None:
    texts, labels = datasets.causal_language()
    dense = [train.dense_features("strength", t) for t in texts]
    rules = [rule_strength(t) for t in texts]
    model = cross_validated("strength", texts, labels, dense, k)
    print(f"strength, causal-language ({len(texts)} sentences), 4-class macro-F1 (goal >= 0.80):")
    for name, predicted in (("rules", rules), (f"model ({k}-fold)", model)):
        macro = f1_score(labels, predicted, average="macro")
        print(f"  {name:<16} {macro:.3f}  [{per_class(labels, predicted, datasets.STRENGTHS)}]")


def shipped_hedge(features: dict[str, float], model_says: bool) -> bool:
    """The pipeline's sentence hedge: a strong cue, or an epistemic cue the hedge model agrees with."""
    if any(features.get(kind) for kind in STRONG_HEDGES):
        return True
    return bool(features.get("epistemic")) and model_says


def hedge(k: int) -> None:
    texts, labels = datasets.bioscope()
    dense = [cue_features(t) for t in texts]
    rules = ["hedged" if any(dense[i].get(kind) for kind in HEDGE_KINDS) else "certain" for i in range(len(texts))]
    model = cross_validated("hedge", texts, labels, dense, k)
    hybrid = ["hedged" if shipped_hedge(d, m == "hedged") else "certain" for d, m in zip(dense, model, strict=True)]
    print(f"hedge, BioScope abstracts ({len(texts)} sentences), sentence F1 of hedged (goal >= 0.85):")
    for name, predicted in (("rules (cues)", rules), (f"model ({k}-fold)", model), ("shipped hybrid", hybrid)):
        print(f"  {name:<16} {f1_score(labels, predicted, pos_label='hedged'):.3f}")


def claims(k: int) -> None:
    rows = datasets.own_claims()
    texts = [r["sentence"] for r in rows]
    rule_types = [train.rule_type(t) for t in texts]
    truth = ["claim" if r["is_claim"] else "none" for r in rows]
    dense = [rule_features(t, rt) for t, rt in zip(texts, rule_types, strict=True)]
    detected = cross_validated("claim", texts, truth, dense, k)
    claim_at = [i for i, r in enumerate(rows) if r["is_claim"]]
    types = cross_validated(
        "claim_type",
        [texts[i] for i in claim_at],
        [rows[i]["claim_type"] for i in claim_at],
        [dense[i] for i in claim_at],
        k,
    )
    model_type = dict(zip(claim_at, types, strict=True))
    print(f"claims, bench/data/psychedelic_claims.csv ({len(rows)} sentences, {len(claim_at)} claims):")
    print("  (goals: claim F1 >= 0.85, hedge agreement >= 0.90 on the claims found)")
    for name, found, typed in (
        ("rules (shipped)", [rt is not None for rt in rule_types], rule_types),
        (
            f"models ({k}-fold)",
            [d == "claim" for d in detected],
            [rule_types[i] or model_type.get(i) for i in range(len(rows))],
        ),
    ):
        tp = sum(f and r["is_claim"] for f, r in zip(found, rows, strict=True))
        p, r = tp / max(1, sum(found)), tp / len(claim_at)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        hits = [i for i in claim_at if found[i]]
        type_ok = sum(typed[i] == rows[i]["claim_type"] for i in hits) / max(1, len(hits))
        print(f"  {name:<16} claim precision={p:.3f} recall={r:.3f} f1={f1:.3f}  type accuracy={type_ok:.3f}")
    hits = [i for i in claim_at if rule_types[i] is not None]
    hedge_model = train.fit("hedge", *datasets.bioscope())  # BioScope only: no sentence of this set
    says = hedge_model.predict([texts[i] for i in hits], [cue_features(texts[i]) for i in hits])
    for name, hedged in (
        ("rules (cues)", [any(dense[i].get(kind) for kind in HEDGE_KINDS) for i in hits]),
        ("hedge model", [m == "hedged" for m in says]),
        (
            "shipped hybrid",
            [shipped_hedge(cue_features(texts[i]), m == "hedged") for i, m in zip(hits, says, strict=True)],
        ),
    ):
        agree = sum(h == rows[i]["hedged"] for h, i in zip(hedged, hits, strict=True)) / len(hits)
        print(f"  hedge agreement on the {len(hits)} claims the rules find, {name}: {agree:.3f}")


def _surname(name: str) -> str:
    return re.sub(r"[^a-z]", "", fold(name))


def references() -> None:
    refs = datasets.references()
    print(f"references, references-glutton ({len(refs)} PubMed Central reference strings):")
    print("  (goals: recognised >= 0.90; first author and journal right >= 0.95 of those recognised)")
    for name, parse in (("rules before (styles + journal list)", _styled_entry), ("shipped parser", _parse_entry)):
        recognised = author_ok = authors = journal_ok = year_seen = title_ok = titles = 0
        for ref in refs:
            found = parse(ref["reference"].replace("\n", " "))
            if not found:
                continue
            recognised += 1
            if ref.get("firstAuthor"):
                authors += 1
                author_ok += _surname(found["first_author"]).endswith(_surname(ref["firstAuthor"]))
            journal_ok += bool(found["journal"]) and (
                journals_match(found["journal"], ref["jtitle"]) or _surname(found["journal"]) == _surname(ref["jtitle"])
            )
            year_seen += str(found["year"]) in ref["reference"]
            if ref.get("atitle"):
                titles += 1
                title_ok += bool(found["title"]) and fuzz.ratio(found["title"].lower(), ref["atitle"].lower()) >= 90
        print(
            f"  {name:<38} recognised={recognised / len(refs):.3f}  first author={author_ok / max(1, authors):.3f}"
            f"  journal={journal_ok / max(1, recognised):.3f}  year written in the string={year_seen / max(1, recognised):.3f}"
            f"  title={title_ok / max(1, titles):.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", default="strength,hedge,claims,references")
    args = parser.parse_args()
    for part in args.only.split(","):
        if part == "references":
            references()
        else:
            {"strength": strength, "hedge": hedge, "claims": claims}[part](args.folds)


if __name__ == "__main__":
    main()
