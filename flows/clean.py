"""Boilerplate that trafilatura keeps: keyword stuffing and a site's recurring paragraphs.

- Keyword stuffing: a short line repeated within one page (an SEO phrase
  between every section) is no content; every copy of it goes.
- Site boilerplate: a paragraph found on BOILERPLATE_MIN_PAGES or more
  different pages of the same source (a clinic's call to action, a
  newsletter box, an author bio, a disclaimer) is furniture. Sightings are
  kept in the database, so a new page is cleaned with what earlier crawls of
  its source taught, and older pages are cleaned again when a paragraph
  crosses the line.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

WORD = re.compile(r"\w+")
STUFFING_MAX_WORDS = 8  # a repeated line this short is a keyword, not a sentence
BOILERPLATE_MIN_PAGES = 3  # pages of one source (exact copies counted once) a paragraph must recur on


def words_of(text: str) -> str:
    return " ".join(WORD.findall(text.lower()))


def paragraph_hash(paragraph: str) -> str:
    return hashlib.sha1(words_of(paragraph).encode()).hexdigest()[:16]


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip() and WORD.search(line)]


def drop_stuffing(lines: list[str]) -> tuple[list[str], int]:
    """Remove short lines that occur more than once in the page; return what is left and how many went."""
    counts = Counter(words_of(line) for line in lines if len(WORD.findall(line)) <= STUFFING_MAX_WORDS)
    stuffed = {key for key, n in counts.items() if n > 1}
    kept = [line for line in lines if words_of(line) not in stuffed]
    return kept, len(lines) - len(kept)


@dataclass(frozen=True)
class Sighting:
    """A paragraph seen on one story of a source."""

    source: str
    paragraph_hash: str
    page_text_hash: str  # exact copies of a story count once
    paragraph: str


def sightings(source: str, text: str) -> Iterable[Sighting]:
    lines, _ = drop_stuffing(paragraphs(text))
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
    lines, _ = drop_stuffing(paragraphs(text))
    return "\n".join(line for line in lines if paragraph_hash(line) not in boilerplate)
