"""Words and paragraphs: the one definition every stage counts and compares text by."""

from __future__ import annotations

import re

WORD = re.compile(r"\w+")


def words_of(text: str) -> str:
    """The text's words, lower-cased and single-spaced: what hashes and shingles compare."""
    return " ".join(WORD.findall(text.lower()))


def paragraphs(text: str) -> list[str]:
    """Non-empty lines that hold at least one word."""
    return [line.strip() for line in text.split("\n") if line.strip() and WORD.search(line)]
