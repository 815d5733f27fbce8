"""Site-level boilerplate: the recurring paragraphs trafilatura keeps.

(In-page noise such as keyword stuffing is removed earlier, in flows.extract.main_text.)

- Site boilerplate: a paragraph found on BOILERPLATE_MIN_PAGES or more
  different pages of the same source (a clinic's call to action, a
  newsletter box, an author bio, a disclaimer) is furniture. Sightings are
  kept in the database, so a new page is cleaned with what earlier crawls of
  its source taught, and older pages are cleaned again when a paragraph
  crosses the line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from flows.text.tokens import paragraphs, words_of

BOILERPLATE_MIN_PAGES = 3  # pages of one source (exact copies counted once) a paragraph must recur on


def paragraph_hash(paragraph: str) -> str:
    return hashlib.sha1(words_of(paragraph).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Sighting:
    """A paragraph seen on one story of a source."""

    source: str
    paragraph_hash: str
    page_text_hash: str  # exact copies of a story count once
    paragraph: str


@dataclass(frozen=True)
class TextUpdate:
    """An article page loaded earlier whose cleaned text changed."""

    page_id: str
    text: str
    word_count: int
    text_hash: str


def sightings(source: str, text: str) -> Iterable[Sighting]:
    lines = paragraphs(text)
    page = hashlib.sha1(words_of(text).encode()).hexdigest()
    for line in dict.fromkeys(lines):
        yield Sighting(source, paragraph_hash(line), page, line)


def boilerplate_hashes(seen: Iterable[tuple[str, str, str]]) -> dict[str, set[str]]:
    """source -> hashes of paragraphs on enough distinct pages, from (source, hash, page_text_hash)."""
    stories: dict[tuple[str, str], set[str]] = {}
    for source, digest, key in seen:
        stories.setdefault((source, digest), set()).add(key)
    found: dict[str, set[str]] = {}
    for (source, digest), keys in stories.items():
        if len(keys) >= BOILERPLATE_MIN_PAGES:
            found.setdefault(source, set()).add(digest)
    return found


def clean_text(text: str, boilerplate: set[str]) -> str:
    lines = paragraphs(text)
    return "\n".join(line for line in lines if paragraph_hash(line) not in boilerplate)
