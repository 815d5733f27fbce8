"""Journal names: canonical names, abbreviations, and their pattern in text.

sql/reference/journals.csv holds the journals found in prose; journal_abbreviations.csv (JabRef's
list) only writes out an abbreviated journal in full.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from flows.analyse import reference

# Canonical name -> other ways of writing it (sql/reference/journals.csv). Abbreviations are NLM/ISO
# style without dots; dotted forms ("J. Psychopharmacol.") are folded to these. Case matters in prose,
# not here. Single words that are ordinary English too are a venue only after a cue ("published in Science").
JOURNALS, COMMON_WORD_JOURNALS = reference.journals()
ONE_LETTER_ABBREVIATIONS = {"j": "journal", "n": "new"}
# Words ISO 4 drops from an abbreviation (English, and the French, German, Spanish, Italian of older titles).
JOURNAL_STOPWORDS = frozenset(
    {"of", "the", "and", "in", "for", "de", "la", "et", "und", "fur", "der", "die", "des", "du", "y", "e", "di"}
)
PARENTHETICAL_RE = re.compile(r"\s*\([^)]*\)")
NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")
TRAILING_YEAR_RE = re.compile(r"(?:1[89]|20)\d\d")


def fold(text: str) -> str:
    """Lower-case ASCII: accents dropped (Osório -> osorio)."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def surname_key(name: str) -> str:
    """A surname folded for comparison: letters only, lower-case ASCII."""
    return re.sub(r"[^a-z]", "", fold(name))


def _journal_key(name: str) -> str:
    name = PARENTHETICAL_RE.sub("", name).replace("&", " and ")
    words = NON_ALNUM_RE.sub(" ", fold(name)).split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    if len(words) > 1 and TRAILING_YEAR_RE.fullmatch(words[-1]):  # NLM's "J Acquir Immune Defic Syndr (1999)"
        words = words[:-1]
    return " ".join(words)


_JOURNAL_BY_KEY: dict[str, str] = {}
for _canonical, _aliases in JOURNALS.items():
    for _name in (_canonical, *_aliases):
        _JOURNAL_BY_KEY[_journal_key(_name)] = _canonical


@cache
def _expansions() -> dict[str, str]:
    """Key of an abbreviation of journal_abbreviations.csv -> its full title (read on first use: 14,000 rows).

    Left out: an abbreviation two journals share, and one that is also a title as written
    ("Nature (London, U. K.)" is "Nature"): only an unambiguous abbreviation is expanded.
    """
    pairs = reference.journal_abbreviations()
    titles = {_journal_key(title) for title, _ in pairs}
    found: dict[str, set[str]] = {}
    for title, abbreviation in pairs:
        key = _journal_key(abbreviation)
        if len(key) > 2 and key not in titles:
            found.setdefault(key, set()).add(title)
    return {key: next(iter(full)) for key, full in found.items() if len(full) == 1}


def normalize_journal(name: str | None) -> str | None:
    """The canonical name of a journal ("N Engl J Med." -> "New England Journal of Medicine"); unknown ones tidied.

    journals.csv first; then an ISO/NLM abbreviation of JabRef's list is written out in full
    ("J Affect Disord" -> "Journal of Affective Disorders").
    """
    if not name:
        return None
    name = " ".join(name.strip(" .,;:").split())
    if not name:
        return None
    key = _journal_key(name)
    known = _JOURNAL_BY_KEY.get(key)
    if known:
        return known
    full = _expansions().get(key)
    return _JOURNAL_BY_KEY.get(_journal_key(full), full) if full else name


def _is_abbreviation_of(short: str, full: str) -> bool:
    """ISO-4 style: each word of `short` starts the matching word of `full` (stop words ignored)."""
    a = [w for w in short.split() if w not in JOURNAL_STOPWORDS]
    b = [w for w in full.split() if w not in JOURNAL_STOPWORDS]
    if not a or len(a) != len(b):
        return False
    for word, target in zip(a, b, strict=True):
        if len(word) == 1:
            if ONE_LETTER_ABBREVIATIONS.get(word) != target:
                return False
        elif not target.startswith(word):
            return False
    return True


def journals_match(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    ka, kb = _journal_key(normalize_journal(a) or a), _journal_key(normalize_journal(b) or b)
    return ka == kb or _is_abbreviation_of(ka, kb) or _is_abbreviation_of(kb, ka)


def _journal_pattern(name: str) -> str:
    # Tokens may carry a dot (Nat. Med.) and be separated by any space; "The" is optional.
    words = name.split()
    if words[0] == "The" and len(words) > 1:
        words = words[1:]
        head = r"(?:[Tt]he\s+)?"
    else:
        head = ""
    parts = []
    for word in words:
        escaped = re.escape(word)
        parts.append(escaped + (r"\.?" if word.isalpha() and len(word) <= 12 else ""))
    return head + r"\s+".join(parts)


_SURFACES = sorted(
    {name for canonical, aliases in JOURNALS.items() for name in (canonical, *aliases)},
    key=lambda s: (-len(s), s),
)
# Case-sensitive: journal names are capitalised; "nature" and "science" in prose are not venues.
JOURNAL_TEXT_RE = re.compile(r"(?<![\w-])(?:" + "|".join(_journal_pattern(s) for s in _SURFACES) + r")(?![\w-])")
