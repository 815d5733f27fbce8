"""Site-level boilerplate: what trafilatura keeps that is not the story.

(In-page noise such as keyword stuffing is removed earlier, in flows.extract.main_text.)

Every paragraph of every article is recorded as a sighting (its source, its page, how
far from the page's end it sits and its cue from flows.clean.promotional). A
paragraph is removed from all the source's articles, with the reason kept in
``boilerplate_paragraphs``, when:

- ``repeated``: it is on BOILERPLATE_MIN_PAGES or more different pages of the
  source (exact copies of a story counted once): a call to action, newsletter box,
  author bio or disclaimer written once and pasted everywhere;
- one of its sightings has a strong cue (``call_to_action``, ``contact_block``,
  ``about_block``, ``author_bio``, ``press_release_end``);
- ``near_repeat``: it is a closing pitch and closing pitches of BOILERPLATE_MIN_PAGES - 1
  other pages of the source say nearly the same (rapidfuzz token-set similarity of
  NEAR_REPEAT_SIMILARITY or more): one template, different words on each post.

A source with ``keep_promotional = true`` (crawler.config) keeps everything but the
exact repeats: for sources where the pitch is the content. Sightings are kept in the
database, so a new page is cleaned with what earlier crawls of its source taught, and
older pages are cleaned again when the source's boilerplate changes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from flows.clean.promotional import CLOSING, STRONG_CUES, PageContext, paragraph_cues
from flows.text.tokens import WORD, paragraphs, words_of

BOILERPLATE_MIN_PAGES = 3  # pages of one source (exact copies counted once) a paragraph must recur on
NEAR_REPEAT_SIMILARITY = 50  # token-set similarity (0-100) of two closing pitches cut from one template
NEAR_REPEAT_MIN_WORDS = 8  # shorter closing lines are labels, handled as exact repeats
PITCHES = ("pitch", "call_to_action")  # the cues near repeats are compared among


def paragraph_hash(paragraph: str) -> str:
    return hashlib.sha1(words_of(paragraph).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Sighting:
    """A paragraph seen on one story of a source."""

    source: str
    paragraph_hash: str
    page_text_hash: str  # exact copies of a story count once
    paragraph: str
    from_end: int = 0  # paragraphs after it on its page: 0 is the last
    cue: str | None = None  # flows.clean.promotional's finding


@dataclass(frozen=True)
class TextUpdate:
    """An article page loaded earlier whose cleaned text changed."""

    page_id: str
    text: str
    word_count: int
    text_hash: str


def page_context(page, shared_site_names: set[str] = frozenset()) -> PageContext:
    """What the classifier needs of an extracted page (flows.extract.page.Page)."""
    names = {page.site_name, *shared_site_names} - {None, ""}
    return PageContext(tuple(sorted(names)), page.author)


def sightings(source: str, text: str, context: PageContext | None = None) -> Iterable[Sighting]:
    lines = text.split("\n")
    cues = paragraph_cues(lines, context or PageContext())
    page = hashlib.sha1(words_of(text).encode()).hexdigest()
    found = [(line.strip(), cue) for line, cue in zip(lines, cues, strict=True) if WORD.search(line)]
    seen = set()
    for at, (line, cue) in enumerate(found):
        if line not in seen:
            seen.add(line)
            yield Sighting(source, paragraph_hash(line), page, line, len(found) - 1 - at, cue)


def _near_repeats(pitches: list[tuple[str, str, str]]) -> set[str]:
    """Hashes of closing pitches whose near repeats close enough other pages: [(hash, page, paragraph)]."""
    if len(pitches) < BOILERPLATE_MIN_PAGES:
        return set()
    texts = [words_of(p) for _, _, p in pitches]
    scores = process.cdist(texts, texts, scorer=fuzz.token_set_ratio, score_cutoff=NEAR_REPEAT_SIMILARITY)
    found = set()
    for i, (digest, page, _) in enumerate(pitches):
        others = {pitches[j][1] for j in scores[i].nonzero()[0] if pitches[j][1] != page}
        if len(others) >= BOILERPLATE_MIN_PAGES - 1:
            found.add(digest)
    return found


def boilerplate_reasons(
    seen: Iterable[Sighting], keep_promotional: set[str] = frozenset()
) -> dict[str, dict[str, str]]:
    """source -> {paragraph hash: why it is boilerplate}, from every sighting of the sources."""
    pages: dict[tuple[str, str], set[str]] = defaultdict(set)
    cues: dict[tuple[str, str], str] = {}
    pitches: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for s in seen:
        pages[s.source, s.paragraph_hash].add(s.page_text_hash)
        if s.source in keep_promotional or not s.cue:
            continue
        if s.cue in STRONG_CUES:
            old = cues.get((s.source, s.paragraph_hash))
            if old is None or STRONG_CUES.index(s.cue) < STRONG_CUES.index(old):
                cues[s.source, s.paragraph_hash] = s.cue
        if s.cue in PITCHES and s.from_end < CLOSING and len(WORD.findall(s.paragraph)) >= NEAR_REPEAT_MIN_WORDS:
            pitches[s.source].append((s.paragraph_hash, s.page_text_hash, s.paragraph))
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for source, candidates in pitches.items():
        for digest in _near_repeats(candidates):
            found[source][digest] = "near_repeat"
    for (source, digest), keys in pages.items():
        if len(keys) >= BOILERPLATE_MIN_PAGES:
            found[source][digest] = "repeated"
    for (source, digest), cue in cues.items():
        found[source][digest] = cue
    return dict(found)


def clean_text(text: str, boilerplate: Iterable[str]) -> str:
    boilerplate = set(boilerplate)
    return "\n".join(line for line in paragraphs(text) if paragraph_hash(line) not in boilerplate)
