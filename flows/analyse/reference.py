"""The analysis lexicons an analyst edits, read from ``sql/reference/`` (documented in its README).

One loader for the word lists the rules use, so a new cue, journal or stop phrase is a data change:

- ``claim_cues.toml``: the claim-type cues, strength and attribution cues, and the substance rules
  (narrower topics, substances not FDA-approved, words that locate a substance in a sentence);
- ``hedge_cues.toml``: hedging and overclaiming (hype) cues;
- ``strength_cues.toml``: how a sentence words a relation, features of the strength model;
- ``topic_rules.toml``: stop phrases and the checks on ambiguous synonyms;
- ``journals.csv``: journal names and their abbreviations, found in prose;
- ``journal_abbreviations.csv``: JabRef's list of journal titles and ISO 4 abbreviations, to expand
  an abbreviated journal (never to find one in text).

The taxonomy (``taxonomy.csv``) and the study catalogue (``studies.csv``) have their own loaders in
``flows.analyse.topics`` and ``flows.analyse.citations.catalogue``; their paths are defined here.
A bad file raises ReferenceError naming the file, the table or line, and the field.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "sql" / "reference"
TAXONOMY = REFERENCE_DIR / "taxonomy.csv"
STUDIES = REFERENCE_DIR / "studies.csv"
CLAIM_CUES = REFERENCE_DIR / "claim_cues.toml"
HEDGE_CUES = REFERENCE_DIR / "hedge_cues.toml"
STRENGTH_CUES = REFERENCE_DIR / "strength_cues.toml"
TOPIC_RULES = REFERENCE_DIR / "topic_rules.toml"
JOURNALS = REFERENCE_DIR / "journals.csv"
JOURNAL_ABBREVIATIONS = REFERENCE_DIR / "journal_abbreviations.csv"


class ReferenceError(ValueError):
    """A reference file that cannot be used; the message names the file, the table or line, and the field."""


@dataclass(frozen=True)
class CueList:
    """One named list of cues: each a phrase or a regular expression, matched on lower-cased text."""

    name: str
    cues: tuple[str, ...]
    word_end: bool  # the cue must end at a word boundary

    def pattern(self) -> str:
        """The list as one verbose-mode regex starting at a word boundary: ``\\b(?:cue|cue)\\b``.

        Verbose mode ignores spaces, so the spaces of a phrase are escaped here (the cue files are
        written with plain spaces).
        """
        body = "|".join(cue.replace(" ", "\\ ").replace("#", "\\#") for cue in self.cues)
        return f"\\b(?:{body})" + ("\\b" if self.word_end else "")


@cache
def _toml(path: Path) -> dict:
    try:
        with Path(path).open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ReferenceError(f"{path}: cannot read: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ReferenceError(f"{path}: not valid TOML: {error}") from error


def _table(path: Path, name: str) -> dict:
    table = _toml(path).get(name)
    if not isinstance(table, dict):
        raise ReferenceError(f"{path}, table [{name}]: missing")
    return table


def _strings(path: Path, where: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ReferenceError(f"{path}, {where}: must be a list of non-empty strings")
    return tuple(value)


def cue_list(path: Path, name: str) -> CueList:
    """The cue list ``[name]`` of a cue file, each cue checked to compile."""
    table = _table(path, name)
    cues = _strings(path, f"table [{name}], field 'cues'", table.get("cues"))
    seen: set[str] = set()
    for cue in cues:
        if cue in seen:
            raise ReferenceError(f"{path}, table [{name}], field 'cues': {cue!r} is listed twice")
        seen.add(cue)
        try:
            re.compile(cue)
        except re.error as error:
            raise ReferenceError(
                f"{path}, table [{name}], field 'cues': {cue!r} is not a valid pattern: {error}"
            ) from None
    word_end = table.get("word_end", True)
    if not isinstance(word_end, bool):
        raise ReferenceError(f"{path}, table [{name}], field 'word_end': must be true or false")
    return CueList(name, cues, word_end)


def topic_map(path: Path, name: str) -> dict[str, str]:
    """A table of topic id -> topic id (or word): ``[narrower]``."""
    table = _table(path, name)
    for key, value in table.items():
        if not isinstance(value, str) or not value:
            raise ReferenceError(f"{path}, table [{name}], field '{key}': must be a non-empty string")
    return dict(table)


def topic_words(path: Path, name: str) -> dict[str, tuple[str, ...]]:
    """A table of topic id -> list of words: ``[probes]``."""
    return {key: _strings(path, f"table [{name}], field '{key}'", value) for key, value in _table(path, name).items()}


def topic_set(path: Path, table: str, field: str) -> frozenset[str]:
    """A list field of a table as a set of ids: ``[regulatory_status] not_fda_approved``."""
    return frozenset(_strings(path, f"table [{table}], field '{field}'", _table(path, table).get(field)))


@dataclass(frozen=True)
class Ambiguous:
    """How an ambiguous synonym is checked (see flows.analyse.topics.Rule)."""

    synonym: str  # lower-case
    needs: str | None  # "drug", "substance" or None
    reject: str | None  # name of a check in flows.analyse.topics.REJECTS


NEEDS = ("drug", "substance")


def stop_phrases(path: Path = TOPIC_RULES) -> tuple[str, ...]:
    """Stop phrases in file order; case-sensitive ones carry a leading "="."""
    table = _table(path, "stop_phrases")
    exact = _strings(path, "table [stop_phrases], field 'case_sensitive'", table.get("case_sensitive", []))
    loose = _strings(path, "table [stop_phrases], field 'any_case'", table.get("any_case", []))
    phrases = [f"={p}" for p in exact] + list(loose)
    for number, family in enumerate(table.get("family", []), 1):
        where = f"table [[stop_phrases.family]] #{number}"
        templates = _strings(path, f"{where}, field 'templates'", family.get("templates"))
        for template in templates:
            if template.count("{}") != 1:
                raise ReferenceError(f"{path}, {where}, field 'templates': {template!r} needs exactly one {{}}")
        words = _strings(path, f"{where}, field 'words'", family.get("words"))
        phrases += [template.replace("{}", word) for template in templates for word in words]
    return tuple(phrases)


def ambiguous_synonyms(path: Path = TOPIC_RULES, checks: frozenset[str] = frozenset()) -> tuple[Ambiguous, ...]:
    """The ``[ambiguous]`` table; ``checks`` are the reject names the code knows."""
    found = []
    for synonym, rule in _table(path, "ambiguous").items():
        where = f"{path}, table [ambiguous], field '{synonym}'"
        if not isinstance(rule, dict) or set(rule) - {"needs", "reject"}:
            raise ReferenceError(f"{where}: must be {{ needs = ..., reject = ... }}")
        needs, reject = rule.get("needs"), rule.get("reject")
        if needs is not None and needs not in NEEDS:
            raise ReferenceError(f"{where}: needs must be one of {', '.join(NEEDS)}, not {needs!r}")
        if reject is not None and reject not in checks:
            raise ReferenceError(f"{where}: reject must be one of {', '.join(sorted(checks))}, not {reject!r}")
        found.append(Ambiguous(synonym.lower(), needs, reject))
    return tuple(found)


JOURNAL_COLUMNS = ("journal", "abbreviations", "common_word")
ABBREVIATION_COLUMNS = ("journal", "abbreviation")


def _csv_rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV file whose header must be `columns`; every field stripped."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ReferenceError(f"{path}: cannot read: {error}") from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if tuple(reader.fieldnames or ()) != columns:
        raise ReferenceError(f"{path}, line 1: the header must be {','.join(columns)}")
    for row in reader:
        yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}


def journals(path: Path = JOURNALS) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """Canonical journal name -> other ways of writing it, and the names that are ordinary words too."""
    names: dict[str, tuple[str, ...]] = {}
    common: set[str] = set()
    for line, row in _csv_rows(path, JOURNAL_COLUMNS):
        name = row["journal"]
        if not name:
            raise ReferenceError(f"{path}, line {line}, field 'journal': empty")
        if name in names:
            raise ReferenceError(f"{path}, line {line}, field 'journal': {name!r} is listed twice")
        flag = row["common_word"].lower()
        if flag not in ("true", "false", ""):
            raise ReferenceError(f"{path}, line {line}, field 'common_word': must be true or false")
        aliases = (a.strip() for a in row["abbreviations"].split("|"))
        names[name] = tuple(a for a in aliases if a)
        if flag == "true":
            common.add(name)
    return names, frozenset(common)


def journal_abbreviations(path: Path = JOURNAL_ABBREVIATIONS) -> list[tuple[str, str]]:
    """(title, ISO 4 abbreviation) pairs of the shipped journal list (built by bench/journal_list.py)."""
    pairs = []
    for line, row in _csv_rows(path, ABBREVIATION_COLUMNS):
        for field in ABBREVIATION_COLUMNS:
            if not row[field]:
                raise ReferenceError(f"{path}, line {line}, field {field!r}: empty")
        pairs.append((row["journal"], row["abbreviation"]))
    return pairs


def files(directory: Path = REFERENCE_DIR) -> list[Path]:
    """Every reference file the analysis reads, for the rules fingerprint."""
    return sorted(p for p in Path(directory).iterdir() if p.suffix in (".csv", ".toml", ".json"))
