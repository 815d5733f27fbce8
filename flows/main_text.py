"""Main text of a page: trafilatura, then the in-page noise it lets through removed.

Scored by bench/extraction.py against bare trafilatura on a human-labelled set.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

import lxml.html
import trafilatura
from trafilatura.settings import Document

WORD = re.compile(r"\w+")
EARLIEST_DATE = "1990-01-01"  # psychedelic-research news online starts well after this
STUFFING_MAX_WORDS = 8  # a repeated line this short is a keyword, not a sentence


def words_of(text: str) -> str:
    return " ".join(WORD.findall(text.lower()))


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip() and WORD.search(line)]


def drop_stuffing(lines: list[str]) -> tuple[list[str], int]:
    """Remove short lines that occur more than once in the page; return what is left and how many went."""
    counts = Counter(words_of(line) for line in lines if len(WORD.findall(line)) <= STUFFING_MAX_WORDS)
    stuffed = {key for key, n in counts.items() if n > 1}
    kept = [line for line in lines if words_of(line) not in stuffed]
    return kept, len(lines) - len(kept)


def main_text(
    tree: lxml.html.HtmlElement, url: str | None, fetched_at: datetime | None = None, with_metadata: bool = True
) -> tuple[Document | None, str]:
    """trafilatura's main text and metadata, with what it lets through removed."""
    date_params = {"extensive_search": True, "original_date": True, "min_date": EARLIEST_DATE}
    if fetched_at:
        date_params["max_date"] = fetched_at.date().isoformat()
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=with_metadata,
        include_comments=False,
        include_tables=True,
        date_extraction_params=date_params,
    )
    text = (doc.text or "").strip() if doc else ""
    lines, _ = drop_stuffing(paragraphs(text))
    return doc, "\n".join(lines)
