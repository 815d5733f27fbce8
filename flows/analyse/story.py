"""Analysis of a story's text: topics, claims and cited studies.

A pure function of the stored text (plus the reference data in sql/reference),
so `psynews reprocess`, or a change of rules or reference data, re-analyses
all history. Runs in a process pool: one Analyser per worker.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flows.analyse import reference
from flows.analyse.citations import Citation, Resolution, Resolver, find_citations, load_studies
from flows.analyse.claims import Claim, extract_claims
from flows.analyse.models import MODELS_DIR
from flows.analyse.reference import REFERENCE_DIR
from flows.analyse.topics import TopicMatcher, load_taxonomy
from flows.settings import RUN
from flows.text.sentences import split_sentences

NEARBY = 1  # sentences before or after a claim that still count as its evidence


# The code whose output is stored: the analysis package and the sentence splitter it reads text with.
RULE_MODULES = (Path(__file__).resolve().parent, Path(__file__).resolve().parents[1] / "text")


def rules_fingerprint(reference_dir: Path = REFERENCE_DIR) -> str:
    """Changes whenever a rule module's source, a shipped model or a reference file changes, so stored analyses are redone.

    No version to bump by hand: editing a cue list, a journal or a rule re-analyses history.
    """
    digest = hashlib.sha1()
    modules = sorted(p for folder in RULE_MODULES for p in folder.rglob("*.py"))
    for path in [*modules, *sorted(MODELS_DIR.glob("*.npz")), *reference.files(reference_dir)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class StoryText:
    article_id: str
    text_hash: str
    title: str | None
    text: str
    links: tuple[str, ...] = ()
    published: date | None = None  # the story's date: the year of a journal cited without one


@dataclass(frozen=True)
class CitedStudy:
    citation: Citation
    resolution: Resolution


@dataclass(frozen=True)
class Analysis:
    article_id: str
    text_hash: str
    relevance: float
    topics: dict[str, int]  # topic_id -> mentions
    title_topics: frozenset[str]
    claims: list[tuple[Claim, str]]  # with its evidence: same_sentence, nearby, elsewhere, none
    citations: list[CitedStudy]


def evidence(claim: Claim, cited_sentences: set[int], any_citation: bool) -> str:
    """How closely a citation backs the claim: in its sentence, next to it, elsewhere in the article, or nowhere."""
    if claim.sentence_index in cited_sentences:
        return "same_sentence"
    if any(abs(claim.sentence_index - i) <= NEARBY for i in cited_sentences):
        return "nearby"
    return "elsewhere" if any_citation else "none"


class Analyser:
    def __init__(self) -> None:
        self.matcher = TopicMatcher(load_taxonomy())
        self.resolver = Resolver(load_studies())

    def analyse(self, story: StoryText) -> Analysis:
        sentences = split_sentences(story.text)
        topics = self.matcher.mentions(f"{story.title}\n{story.text}" if story.title else story.text)
        citations = [
            CitedStudy(c, self.resolver.resolve(c, topics))
            for c in find_citations(sentences, list(story.links), story.published)
        ]
        cited = {c.citation.sentence_index for c in citations if c.citation.sentence_index is not None}

        def topics_in(sentence: str) -> dict[str, str]:
            # ambiguous words ("ecstasy") are judged on the whole story, not the sentence alone
            found = self.matcher.find(sentence, context=story.text)
            return {topic_id: self.matcher.kind(topic_id) for _, _, topic_id in found}

        claims = [(claim, evidence(claim, cited, bool(citations))) for claim in extract_claims(sentences, topics_in)]
        return Analysis(
            article_id=story.article_id,
            text_hash=story.text_hash,
            relevance=self.matcher.relevance(story.title, story.text),
            topics=topics,
            title_topics=frozenset(self.matcher.mentions(story.title or "")),
            claims=claims,
            citations=citations,
        )


_worker: Analyser | None = None  # one per worker process, made at its first chunk


def _analyse_chunk(stories: list[StoryText]) -> list[Analysis]:
    global _worker
    if _worker is None:
        _worker = Analyser()
    return [_worker.analyse(story) for story in stories]


CpuMap = Callable[[Callable, list], Iterator | None]


def analyse_all(
    stories: list[StoryText], workers: int | None = None, cpu_map: CpuMap | None = None
) -> Iterator[list[Analysis]]:
    """Analyse stories in chunks, in parallel when there are many; yields each chunk's results.

    ``cpu_map`` (flows.runner.cluster_map) sends the chunks to a Dask cluster when the flow runs on one.
    """
    chunks = [stories[i : i + 100] for i in range(0, len(stories), 100)]
    if cpu_map is not None and (results := cpu_map(_analyse_chunk, chunks)) is not None:
        yield from results
        return
    if len(stories) < RUN.parallel_stories:
        analyser = Analyser()
        yield [analyser.analyse(story) for story in stories]
        return
    with ProcessPoolExecutor(workers or os.cpu_count()) as pool:
        yield from pool.map(_analyse_chunk, chunks)


def flatten(analyses: Iterable[Analysis]) -> dict[str, list[dict]]:
    """Rows for the internal analysis tables."""
    rows: dict[str, list[dict]] = {"analysed": [], "topics": [], "claims": [], "citations": []}
    for a in analyses:
        rows["analysed"].append({"article_id": a.article_id, "text_hash": a.text_hash, "relevance": a.relevance})
        for topic_id, mentions in sorted(a.topics.items()):
            rows["topics"].append({"article_id": a.article_id, "topic_id": topic_id, "mentions": mentions,
                                   "in_title": topic_id in a.title_topics})  # fmt: skip
        for number, (claim, backing) in enumerate(a.claims):
            rows["claims"].append({
                "article_id": a.article_id, "claim_no": number, "sentence_index": claim.sentence_index,
                "sentence": claim.sentence, "claim_type": claim.claim_type, "secondary_type": claim.secondary_type,
                "substance": claim.substance, "condition": claim.condition, "polarity": claim.polarity,
                "strength": claim.strength, "confidence": claim.confidence, "hedge_level": claim.hedge_level, "hedge_cues": list(claim.hedge_cues),
                "hype_cues": list(claim.hype_cues), "attributed": claim.attributed, "evidence": backing, "substance_phrase": claim.substance_phrase,
            })  # fmt: skip
        for number, cited in enumerate(a.citations):
            c, r = cited.citation, cited.resolution
            rows["citations"].append({
                "article_id": a.article_id, "citation_no": number, "sentence_index": c.sentence_index,
                "kind": c.kind, "raw": c.raw, "first_author": c.first_author, "year": c.year, "journal": c.journal,
                "title": c.title, "doi": c.doi, "pmid": c.pmid, "pmcid": c.pmcid, "nct_id": c.nct_id,
                "other_id": c.other_id, "study_key": r.study_key, "resolved_by": r.method, "match_score": r.score,
            })  # fmt: skip
    return rows
