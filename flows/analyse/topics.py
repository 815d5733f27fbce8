"""Topic tagging: which substances, conditions, organizations and themes an article mentions.

The taxonomy is a CSV that users edit (``sql/reference/taxonomy.csv``, documented in
``sql/reference/README.md``). Every synonym of every topic is compiled into one regular
expression built from a trie, so a text is scanned once whatever the size of the taxonomy.

Matching rules (see ``TopicMatcher``):

- Whole words only: a synonym inside a longer word does not match ("MAPS" is not in "MAPSx").
- Case-insensitive, except the synonyms the taxonomy lists as case-sensitive ("MAPS" is the
  organization, "maps" is not; "AUD" is alcohol use disorder, "aud" is not).
- Hyphens and spaces between words are interchangeable ("treatment resistant depression"
  matches "treatment-resistant depression"), and so are straight and curly apostrophes.
- Leftmost, then longest match wins: "treatment-resistant depression" is one ``trd`` mention,
  not also ``mdd``; "MDMA-assisted therapy" is one ``mdma`` mention. A phrase listed under two
  topics (e.g. "ketamine clinic": ``ketamine`` and ``clinics_retreats``) counts for both.
- A few phrases are stop phrases that match nothing (``STOP_PHRASES``: "Great Depression",
  "psychedelic rock", "suicide bombing", "opening ceremony"...), so their words are not counted.
- Ambiguous synonyms (``RULES``) are checked against their surroundings: "ecstasy", "molly",
  "special K", "San Pedro", "salvia" and "bufo" count only in an article about drugs, and never
  in "the ecstasy of victory", "Molly Ringwald", "Special K cereal"...; "VA" is not Virginia in
  "Richmond, VA", "AUD" is not the Australian dollar in "AUD 5 million", "NDA" is not a
  non-disclosure agreement in "signed an NDA", "EMA" is not a moving average in "50-day EMA".
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flows.analyse import reference
from flows.analyse.reference import TAXONOMY, TOPIC_RULES

KINDS = ("substance", "condition", "organization", "theme")
COLUMNS = ("topic_id", "kind", "label", "synonyms", "case_sensitive_synonyms")
TOPIC_ID = re.compile(r"[a-z0-9][a-z0-9_]*")


class TaxonomyError(ValueError):
    """A taxonomy file that cannot be used; the message names the file, the line and the field."""


@dataclass(frozen=True)
class Topic:
    topic_id: str
    kind: str  # substance, condition, organization, theme
    label: str
    synonyms: tuple[str, ...]  # every synonym, the case-sensitive ones included
    case_sensitive: tuple[str, ...]  # the synonyms that match only as written


# ---------------------------------------------------------------------------- loading


def _split(value: str) -> list[str]:
    """``a|b|c`` as a list; empty pieces (a trailing ``|`` left by a spreadsheet) are dropped."""
    seen: list[str] = []
    for piece in value.split("|"):
        piece = " ".join(piece.split())
        if piece and piece not in seen:
            seen.append(piece)
    return seen


def load_taxonomy(path: Path = TAXONOMY) -> list[Topic]:
    """Read and check a taxonomy CSV; raise TaxonomyError naming the file, line and field of a bad row.

    The ``case_sensitive_synonyms`` column may be left out (every synonym is then case-insensitive).
    """
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise TaxonomyError(f"{path}: no such file") from None
    topics: list[Topic] = []
    lines: dict[str, int] = {}
    with handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        if header not in (list(COLUMNS), list(COLUMNS[:4])):
            raise TaxonomyError(f"{path}, line 1: the header must be {','.join(COLUMNS)}, not {','.join(header)!r}")
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue

            def fail(field: str, problem: str, line: int = line, row: list[str] = row) -> TaxonomyError:
                topic = row[0].strip() if row else ""
                return TaxonomyError(f"{path}, line {line}, field '{field}' (topic '{topic}'): {problem}")

            if len(row) != len(header):
                missing = header[len(row)] if len(row) < len(header) else f"after {header[-1]}"
                raise fail(missing, f"{len(row)} fields, expected {len(header)} (a comma inside a field needs quotes)")
            cells = dict(zip(header, (cell.strip() for cell in row), strict=True))
            topic_id, kind, label = cells["topic_id"], cells["kind"], cells["label"]
            if not TOPIC_ID.fullmatch(topic_id):
                raise fail("topic_id", f"{topic_id!r} is not an id (lowercase letters, digits and _)")
            if topic_id in lines:
                raise fail("topic_id", f"{topic_id!r} is already defined on line {lines[topic_id]}")
            if kind not in KINDS:
                raise fail("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
            if not label:
                raise fail("label", "empty")
            synonyms = _split(cells["synonyms"])
            if not synonyms:
                raise fail("synonyms", "no synonym")
            for synonym in synonyms:
                if not re.search(r"\w", synonym):
                    raise fail("synonyms", f"{synonym!r} has no letter or digit")
            case_sensitive = _split(cells.get("case_sensitive_synonyms", ""))
            for synonym in case_sensitive:
                if synonym not in synonyms:
                    raise fail("case_sensitive_synonyms", f"{synonym!r} is not among the synonyms (spelled exactly)")
            lines[topic_id] = line
            topics.append(Topic(topic_id, kind, label, tuple(synonyms), tuple(case_sensitive)))
    if not topics:
        raise TaxonomyError(f"{path}: no topics")
    return topics


# ---------------------------------------------------------------------------- normal forms

_SEP_CHARS = "- \t\u00a0\u2010\u2011"  # hyphens and spaces inside a phrase; never a newline
_SEP = re.compile(f"[{re.escape(_SEP_CHARS)}]+")
_SEP_REGEX = f"[{re.escape(_SEP_CHARS)}]+"
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})
_APOSTROPHE_REGEX = "['\u2018\u2019\u02bc]"


def _form(text: str) -> str:
    """Spelling with hyphen/space runs as one space and curly apostrophes straight (case kept)."""
    return _SEP.sub(" ", text.translate(_APOSTROPHES)).strip()


def _key(text: str) -> str:
    """What a synonym and a matched text are compared on when case does not matter."""
    return _form(text).lower()


def _trie_regex(keys: list[str]) -> str:
    """One regex matching any of ``keys`` (normal forms) as whole words, longest first."""
    trie: dict = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = True

    def piece(char: str) -> str:
        if char == " ":
            return _SEP_REGEX
        if char == "'":
            return _APOSTROPHE_REGEX
        return re.escape(char)

    def emit(node: dict, last: str) -> str:
        alternatives = [piece(char) + emit(child, char) for char, child in sorted(node.items()) if char]
        if "" in node:  # a synonym may end here: only if no longer one matches (tried first)
            alternatives.append(r"(?!\w)" if re.match(r"\w", last) else "")
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    return r"(?<!\w)" + emit(trie, " ")


# ---------------------------------------------------------------------------- ambiguity rules


# Phrases that match no topic (sql/reference/topic_rules.toml): their words would otherwise be
# counted ("Great Depression" is no mdd mention). A taxonomy synonym with the same spelling overrides
# a stop phrase. Case-sensitive ones are marked by a leading "=".
STOP_PHRASES = reference.stop_phrases(TOPIC_RULES)


def _near(pattern: str) -> Callable[[str], re.Match | None]:
    return re.compile(pattern).search


def _at(pattern: str) -> Callable[[str], re.Match | None]:
    return re.compile(pattern).match


_I = "(?i)"
_ECSTASY_BEFORE = _near(
    _I + r"(?:\b(?:pure|sheer|religious|spiritual|mystical|divine|erotic|sexual|sublime|utter|total|blissful|"
    r"rapturous|joyful|wild)\s+"
    r"|\b(?:moments?|states?|cries|screams|shouts|tears|agony|feelings?|sense|waves?|fits?)\s+"
    r"(?:of|and(?:\s+the)?)\s+)$"
)
_ECSTASY_AFTER = _at(_I + r"\s+(?:of\b|and\s+(?:the\s+)?agony)")
_IN_BEFORE = _near(_I + r"\bin\s+$")
_FEELING_END = _at(_I + r"\s*(?:[.,;:!?)\"\u201d]|$|\s+(?:as|when|after|at|over|while)\b)")
_NAME_AFTER = _at(
    r"(?:\s+[A-Z][a-z]|['\u2019]s\b|,\s*\d|,?\s+(?:said|says|told|who|explained|added|recalled|wrote|asked|"
    r"replied|noted|smiled|laughed)\b)"
)
_NAME_BEFORE = _near(
    r"(?:\b(?:Mrs?|Ms|Dr)\.?|\b(?:Miss|Aunt|aunt|daughter|sister|wife|mother|mom|mum|niece|granddaughter)\b)\s+$"
)
_CEREAL_AFTER = _at(
    _I + r"\s+(?:cereals?|bars?|breakfast|brand|protein|diet|challenge|flakes|red\s+berries|original)\b"
)
_CEREAL_BEFORE = _near(_I + r"\bkellogg(?:['\u2019]?s)?\s+$")
_PLACE_AFTER = _at(
    r"(?:\s*,)?\s+(?:Belize|California|CA|Sula|Garza|Bay|Town|Street|St\.|Port|High|Harbor|Harbour|Square|"
    r"Cholula|Ambergris|de|del|neighborhood|neighbourhood|residents?)\b"
)
_PLACE_BEFORE = _near(_I + r"\b(?:in|near|at|from|to|visit|visited|visiting)\s+$")
_GARDEN_BEFORE = _near(
    _I + r"\b(?:garden|gardens|ornamental|perennial|blue|red|purple|flowering|planted|planting|pruning)\s+$"
)
_GARDEN_AFTER = _at(
    _I + r"\s+(?:officinalis|nemorosa|splendens|hispanica|greggii|farinacea|microphylla|flowers?|blooms?|beds?|"
    r"borders?|cuttings)\b"
)
_STATE_BEFORE = _near(r"\b[A-Z][A-Za-z.]+,\s*$")
_STATE_AFTER = _at(  # "Richmond, VA." or "Bristow, VA on June 26", but not "Richmond, VA Medical Center"
    _I + r"(?!\s+(?:medical|health|healthcare|office|secretary|department|hospitals?|centers?|centres?|clinics?"
    r"|research|police|spokes\w+|press|officials?|doctors?|clinicians?|researchers?|psychiatrists?|psychologists?"
    r"|chief|director|staff|employees?|patients?|care|funding|funded|stud(?:y|ies)|trials?|benefits?|system)\b)"
)
_MONEY_BEFORE = _near(_I + r"(?:\d\s*(?:[km]|bn|million|billion|thousand)?|\$)\s*$")
_MONEY_AFTER = _at(_I + r"(?:\s*\$|\s*\d|/|\s+(?:fell|rose|dollars?|exchange|equivalent|against)\b)")
_SIGNED_BEFORE = _near(
    _I + r"(?:\bsign(?:s|ed|ing)?\s+(?:an?\s+|the\s+|their\s+|his\s+|her\s+)?|\bunder\s+(?:an?\s+)?)$"
)
_SIGNED_AFTER = _at(_I + r"\s*(?:\(\s*)?(?:,\s*)?(?:a\s+)?non[-\s]?disclosure")
_AVERAGE_BEFORE = _near(_I + r"(?:\b\d+[-\s]?(?:day|week|period|hour|minute)|\bdaily|\bweekly|\bexponential)\s+$")
_AVERAGE_AFTER = _at(_I + r"(?:\s*\(\s*\d|\s+(?:crossover|support|resistance|line)\b)")
_SURVEY_AFTER = _at(_I + r"\s+(?:surveys?|study|studies|questionnaires?|model|scores?)\b")

_WINDOW = 48
_TWO_WORD_CHARS = re.compile(r"\w\w").match


def _before(text: str, start: int) -> str:
    return text[max(0, start - _WINDOW) : start]


def _after(text: str, end: int) -> str:
    return text[end : end + _WINDOW]


def _ecstasy_feeling(text: str, start: int, end: int) -> bool:
    before, after = _before(text, start), _after(text, end)
    return bool(_ECSTASY_BEFORE(before) or _ECSTASY_AFTER(after) or (_IN_BEFORE(before) and _FEELING_END(after)))


def _molly_person(text: str, start: int, end: int) -> bool:
    return text[start].isupper() and bool(_NAME_AFTER(_after(text, end)) or _NAME_BEFORE(_before(text, start)))


def _cereal(text: str, start: int, end: int) -> bool:
    return bool(_CEREAL_AFTER(_after(text, end)) or _CEREAL_BEFORE(_before(text, start)))


def _place(text: str, start: int, end: int) -> bool:
    return bool(_PLACE_AFTER(_after(text, end)) or _PLACE_BEFORE(_before(text, start)))


def _garden(text: str, start: int, end: int) -> bool:
    return bool(_GARDEN_BEFORE(_before(text, start)) or _GARDEN_AFTER(_after(text, end)))


def _us_state(text: str, start: int, end: int) -> bool:
    return bool(_STATE_BEFORE(_before(text, start)) and _STATE_AFTER(_after(text, end)))


def _money(text: str, start: int, end: int) -> bool:
    return bool(_MONEY_BEFORE(_before(text, start)) or _MONEY_AFTER(_after(text, end)))


def _non_disclosure(text: str, start: int, end: int) -> bool:
    return bool(_SIGNED_BEFORE(_before(text, start)) or _SIGNED_AFTER(_after(text, end)))


def _moving_average(text: str, start: int, end: int) -> bool:
    return bool(_AVERAGE_BEFORE(_before(text, start)) or _AVERAGE_AFTER(_after(text, end)))


def _survey(text: str, start: int, end: int) -> bool:
    return bool(_SURVEY_AFTER(_after(text, end)))


@dataclass(frozen=True)
class Rule:
    """How an ambiguous synonym is checked.

    ``needs``: "drug" (the article must be about drugs: another substance, or a drug word such as
    dose, drug, pill, trial, therapy, clinical), "substance" (another substance must be mentioned),
    or None. ``reject(text, start, end)``: True when the words around the match show another meaning.
    """

    needs: str | None = None
    reject: Callable[[str, int, int], bool] | None = None


# The checks an ambiguous synonym can name in sql/reference/topic_rules.toml ([ambiguous] reject = ...).
REJECTS: dict[str, Callable[[str, int, int], bool]] = {
    "ecstasy_feeling": _ecstasy_feeling,
    "molly_person": _molly_person,
    "cereal": _cereal,
    "place": _place,
    "garden": _garden,
    "us_state": _us_state,
    "money": _money,
    "non_disclosure": _non_disclosure,
    "moving_average": _moving_average,
    "survey": _survey,
}
# Keyed by synonym, case-insensitively, whatever topic lists it.
RULES: dict[str, Rule] = {
    a.synonym: Rule(a.needs, REJECTS[a.reject] if a.reject else None)
    for a in reference.ambiguous_synonyms(TOPIC_RULES, frozenset(REJECTS))
}

# Words that make an article about drugs, for the "drug" rules (with their everyday senses left out).
DRUG_WORDS = re.compile(
    r"(?i)(?<!\w)(?:"
    r"drugs?|narcotics?|medications?|psychoactive|clinical(?:ly)?|controlled\s+substances?"
    r"|(?<!bitter\s)pills?"
    r"|(?<!time\s)(?<!time-)capsules?"
    r"|(?<!time\s)(?<!time-)trials?(?!\s+and\s+tribulations)"
    r"|(?<!physical\s)therap(?:y|ies|ists?|eutic)"
    r"|dos(?:e|es|ed|ing|age|ages)(?!\s+of\s+(?:reality|humility|luck|realism|optimism|pessimism|skepticism"
    r"|scepticism|nostalgia|drama|confidence|humou?r|magic|fun|adrenaline|perspective)\b)"
    r"|overdos(?:e|es|ed|ing)|intoxicat(?:ed|ion|ing)|hallucinat\w*|prescri(?:be|bed|bes|bing|ption|ptions)"
    r"|pharmaceuticals?"
    r")(?!\w)"
)


# ---------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class _Entry:
    topic_id: str | None  # None: a stop phrase
    form: str | None  # the exact normal form a case-sensitive synonym must have; None: any case
    rule: Rule | None


class TopicMatcher:
    """Finds topic mentions in text with one compiled regex (see the module docstring for the rules).

    Build it once and reuse it: ``TopicMatcher(load_taxonomy())`` or ``default_matcher()``.
    """

    def __init__(self, topics: list[Topic]):
        self.topics = list(topics)
        self._kinds = {t.topic_id: t.kind for t in self.topics}
        entries: dict[str, list[_Entry]] = {}
        for topic in self.topics:
            case_sensitive = set(topic.case_sensitive)
            for synonym in topic.synonyms:
                key = _key(synonym)
                form = _form(synonym) if synonym in case_sensitive else None
                bucket = entries.setdefault(key, [])
                if any(e.topic_id == topic.topic_id and e.form is None for e in bucket):
                    continue  # already matched in any case
                bucket[:] = [e for e in bucket if not (e.topic_id == topic.topic_id and form is None)]
                bucket.append(_Entry(topic.topic_id, form, RULES.get(key)))
        for phrase in STOP_PHRASES:
            exact = phrase.startswith("=")
            phrase = phrase.removeprefix("=")
            key = _key(phrase)
            if key not in entries or entries[key][0].topic_id is None:
                entries.setdefault(key, []).append(_Entry(None, _form(phrase) if exact else None, None))
        self._entries = entries
        self._pattern = re.compile(_trie_regex(sorted(entries)), re.IGNORECASE)

    def kind(self, topic_id: str) -> str:
        """The kind of a topic: substance, condition, organization or theme (KeyError if unknown)."""
        try:
            return self._kinds[topic_id]
        except KeyError:
            raise KeyError(f"unknown topic {topic_id!r}") from None

    # A raw match: (start, end, topic_id, rule of the synonym or None)
    def _scan(self, text: str) -> list[tuple[int, int, str, Rule | None]]:
        found: list[tuple[int, int, str, Rule | None]] = []
        search, match, entries = self._pattern.search, self._pattern.match, self._entries
        pos = 0
        while m := search(text, pos):
            start, end = m.span()
            group = m.group()
            accepted = self._accept(text, start, end, entries.get(group.lower()) or entries[_key(group)])
            cut = end - 1
            while accepted is None and cut > start:  # every reading refused: a shorter synonym may fit
                shorter = match(text, start, cut)
                if shorter is None:
                    break
                end = shorter.end()
                cut = end - 1
                if end < len(text) and _TWO_WORD_CHARS(text, end - 1):
                    continue  # it ended inside a word only because the text was cut there
                group = shorter.group()
                accepted = self._accept(text, start, end, entries.get(group.lower()) or entries[_key(group)])
            if accepted is None:
                pos = start + 1
                continue
            found.extend((start, end, topic_id, rule) for topic_id, rule in accepted)
            pos = end
        return found

    @staticmethod
    def _accept(text: str, start: int, end: int, bucket: list[_Entry]) -> list[tuple[str, Rule | None]] | None:
        """The topics a matched span counts for ([] for a stop phrase), or None if no reading fits."""
        exact: str | None = None
        accepted: list[tuple[str, Rule | None]] = []
        stopped = False
        for entry in bucket:
            if entry.form is not None:
                if exact is None:
                    exact = _form(text[start:end])
                if exact != entry.form:
                    continue
            if entry.rule is not None and entry.rule.reject is not None and entry.rule.reject(text, start, end):
                continue
            if entry.topic_id is None:
                stopped = True
            else:
                accepted.append((entry.topic_id, entry.rule))
        if accepted:
            return accepted
        return [] if stopped else None

    def _resolve(
        self,
        found: list[tuple[int, int, str, Rule | None]],
        pool: list[tuple[int, int, str, Rule | None]],
        context: str,
    ) -> list[tuple[int, int, str]]:
        """Drop the ambiguous matches (``Rule.needs``) whose article is not about drugs.

        ``pool``: the matches of the article, ``context``: its text.
        """
        verdicts: dict[str, bool] = {}

        def other_substance() -> bool:
            if "substance" not in verdicts:
                verdicts["substance"] = any(
                    rule is None or rule.needs is None for _, _, t, rule in pool if self._kinds[t] == "substance"
                )
            return verdicts["substance"]

        def about_drugs() -> bool:
            if "drug" not in verdicts:
                verdicts["drug"] = other_substance() or DRUG_WORDS.search(context) is not None
            return verdicts["drug"]

        kept = []
        for start, end, topic_id, rule in found:
            needs = rule.needs if rule is not None else None
            if needs == "drug" and not about_drugs():
                continue
            if needs == "substance" and not other_substance():
                continue
            kept.append((start, end, topic_id))
        return kept

    def find(self, text: str, *, context: str | None = None, resolve: bool = True) -> list[tuple[int, int, str]]:
        """(start, end, topic_id) of every mention in ``text``, in order.

        Spans never overlap, except that a phrase listed under several topics gives one tuple per
        topic with the same span. The ambiguity rules that look at the whole article use
        ``context`` (e.g. the article when ``text`` is one of its sentences), else ``text`` itself;
        ``resolve=False`` skips them (case-sensitivity and the local rules still apply).
        """
        found = self._scan(text)
        if not resolve or all(rule is None or rule.needs is None for *_, rule in found):
            return [(s, e, t) for s, e, t, _ in found]
        if context is None:
            return self._resolve(found, found, text)
        return self._resolve(found, self._scan(context), context)

    def mentions(self, text: str) -> dict[str, int]:
        """topic_id -> number of mentions in ``text``, after the ambiguity rules."""
        counts: dict[str, int] = {}
        for _, _, topic_id in self.find(text):
            counts[topic_id] = counts.get(topic_id, 0) + 1
        return counts

    def relevance(self, title: str | None, text: str) -> float:
        """How much an article is about psychedelic medicine, from 0 to 1.

        With s, c and o the mentions of substances, conditions, and organizations plus themes in the
        text (ambiguity rules judged on title and text together), and w its words (at least 300, so a
        short text does not get a high density from one mention)::

            density = 1000 * (3*s + c + 0.5*o) / w       # weighted mentions per 1000 words
            body    = 1 - exp(-density / 30)             # 0.5 at ~21, 0.86 at 60 per 1000 words
            body   *= 0.4 if no substance in title or text else 1
            score   = min(1, body + 0.3 * (a substance in the title) + 0.1 * (a condition in the title))

        So a psychedelic-therapy story (MDMA 10 times, PTSD 8 times, 20 themes in 800 words) scores
        about 0.9, a sports story with a few generic theme words under 0.2, and an 800-word story
        naming "ecstasy" once among no other drug talk about 0.15.
        """
        title = (title or "").strip()
        joined = f"{title}\n{text}" if title else text
        offset = len(title) + 1 if title else 0
        s = c = o = 0
        title_substance = title_condition = False
        for start, _, topic_id in self.find(joined):
            kind = self._kinds[topic_id]
            if start < offset:
                title_substance |= kind == "substance"
                title_condition |= kind == "condition"
                continue
            if kind == "substance":
                s += 1
            elif kind == "condition":
                c += 1
            else:
                o += 1
        words = max(300, len(text.split()))
        density = 1000 * (3 * s + c + 0.5 * o) / words
        body = 1 - math.exp(-density / 30)
        if not s and not title_substance:
            body *= 0.4
        return round(min(1.0, body + 0.3 * title_substance + 0.1 * title_condition), 4)


@cache
def default_matcher() -> TopicMatcher:
    """The matcher for the shipped taxonomy, built once per process."""
    return TopicMatcher(load_taxonomy(TAXONOMY))
