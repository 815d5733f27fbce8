"""Sentence segmentation for news text that survives scientific citation style.

Splits at ., ! or ? followed by a space and an upper-case letter, digit or
quote, except after abbreviations ("et al.", "Dr.", "e.g.", "vs.", "Fig."),
journal abbreviations ("J. Psychopharmacol.", "N. Engl. J. Med."), initials
("M. C. Mithoefer"), and inside parentheses, where in-text citations live.
Paragraph breaks (newlines) always end a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Lower-cased words that end with a dot without ending the sentence.
# Full journal words (Psychiatry, Lancet) are left out: they end sentences too.
ABBREVIATIONS = frozenset(
    """al e.g i.e etc vs cf approx ca fig figs no nos vol vols pp p ed eds dr drs mr mrs ms prof st jr sr inc ltd co corp
    dept univ est jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n ph.d m.d b.a m.a
    j med psychiatr psychopharmacol pharmacol neurosci engl arch clin res rev
    sci natl acad proc nat biol psychol ther eur br brit intern biochem neuropsychopharmacol""".split()  # noqa: SIM905
)
BOUNDARY = re.compile(r"[.!?]['\")\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
TRAILING_WORD = re.compile(r"([\w.]+)\.$")


@dataclass(frozen=True)
class Sentence:
    index: int  # position in the article, from 0
    paragraph: int  # the paragraph (line of text) it belongs to, from 0
    start: int  # character offsets in the article text
    end: int
    text: str


def _is_abbreviation(before: str) -> bool:
    match = TRAILING_WORD.search(before)
    if not match:
        return False
    word = match.group(1).lower()
    # single letters are initials (M. C. Mithoefer); dotted words are abbreviations (e.g., U.S.)
    return word in ABBREVIATIONS or len(word) == 1 or ("." in word and len(word) <= 6)


def _splits(paragraph: str) -> list[int]:
    """Offsets in the paragraph where a new sentence starts."""
    cuts = []
    depth = 0
    last = 0
    for match in BOUNDARY.finditer(paragraph):
        segment = paragraph[last : match.start() + 1]
        depth += segment.count("(") - segment.count(")")
        last = match.start() + 1
        if depth > 0 or _is_abbreviation(paragraph[: match.start() + 1]):
            continue
        cuts.append(match.end())
    return cuts


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    offset = 0
    for number, line in enumerate(text.split("\n")):
        starts = [0, *_splits(line)]
        for begin, end in zip(starts, [*starts[1:], len(line)], strict=True):
            chunk = line[begin:end].strip()
            if chunk:
                at = offset + begin + (len(line[begin:end]) - len(line[begin:end].lstrip()))
                sentences.append(Sentence(len(sentences), number, at, at + len(chunk), chunk))
        offset += len(line) + 1
    return sentences
