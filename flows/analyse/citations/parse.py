"""Citations in an article's sentences and links: reference entries, in-text mentions, identifiers, links."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import unquote, urlsplit

from flows.analyse.citations import entry
from flows.analyse.citations.journals import (
    COMMON_WORD_JOURNALS,
    JOURNAL_TEXT_RE,
    JOURNALS,
    fold,
    journals_match,
    normalize_journal,
    surname_key,
)
from flows.text.sentences import Sentence

KINDS = ("reference", "author-year", "venue", "identifier", "link")
YEAR_SLACK = 1  # print against online-first year

# --- the citation record and its patterns --------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    sentence_index: int | None  # the sentence (from split_sentences) it occurs in; None for links
    kind: str  # "reference", "author-year", "venue", "identifier", "link"
    raw: str  # the matched text
    first_author: str | None
    year: int | None
    journal: str | None
    title: str | None
    doi: str | None  # lower-cased, trailing punctuation stripped
    pmid: str | None
    pmcid: str | None
    nct_id: str | None
    other_id: str | None  # ISRCTN..., arXiv:..., EudraCT:...; medRxiv/bioRxiv ids (10.1101/...) are DOIs


def _citation(sentence_index: int | None, kind: str, raw: str, **fields) -> Citation:
    values = dict.fromkeys(
        ("first_author", "year", "journal", "title", "doi", "pmid", "pmcid", "nct_id", "other_id"), None
    )
    values.update(fields)
    return Citation(sentence_index=sentence_index, kind=kind, raw=raw, **values)


UPPER = "A-ZÀ-ÖØ-Þ"
NAME = rf"[{UPPER}][^\W\d_]+(?:['’](?!s\b)[^\W\d_]+|[‐-][^\W\d_]+)*"  # O'Donnell, Carhart-Harris; not Herbert's
PARTICLE = r"(?:(?:[Vv]an\s+[Dd]e[rn]|[Vv]an|[Vv]on|[Dd]e|[Dd]a|[Dd]os|[Dd]el|[Dd]i|[Ll]e|[Ll]a)\s+)"
SURNAME = rf"{PARTICLE}?{NAME}"
YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
INITIALS = rf"(?:[{UPPER}]\.?[\s-]?){{1,3}}"  # "M. C." / "M.C." / "J.-P."

# Identifiers in text. The DOI pattern is Crossref's recommended one.
DOI_RE = re.compile(r"\b10\.\d{4,9}/[-._;()/:A-Z0-9]+", re.IGNORECASE)
PMID_RE = re.compile(r"\b(?:PMID|PubMed\s+ID)\s*:?\s*(\d{1,9})\b", re.IGNORECASE)
PMCID_RE = re.compile(r"\bPMC\d{4,9}\b")
NCT_RE = re.compile(r"\bNCT\d{8}\b")
ISRCTN_RE = re.compile(r"\bISRCTN\s?(\d{8})\b")
ARXIV_RE = re.compile(r"\barXiv\s*:\s*(\d{4}\.\d{4,5})(?:v\d+)?", re.IGNORECASE)
EUDRACT_RE = re.compile(r"\bEudraCT(?:\s+(?:No\.?|[Nn]umber))?\s*:?\s*(\d{4}-\d{6}-\d{2})\b")
URL_RE = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
DIGIT_RE = re.compile(r"\d")
ID_HINT_RE = re.compile(r"10\.\d|PMID|PubMed|PMC\d|NCT\d|ISRCTN|arxiv|EudraCT", re.IGNORECASE)
COLLEAGUES_HINT_RE = re.compile(
    r"\bet\s+al\b|\band\s+(?:(?:her|his|their)\s+)?(?:colleagues|co-?workers|co-?authors|team)"
)
YEAR_RE = re.compile(rf"(?<![\d.,/$-]){YEAR}(?![\d%]|[.,]\d)")
DOI_TRAILING = ".,;:'\"]}>"
PREPRINT_VERSION_RE = re.compile(r"(?:v\d+)?(?:\.full)?(?:\.pdf)?(?:\+html)?$", re.IGNORECASE)
DOI_URL_TAIL_RE = re.compile(
    r"(?:/(?:full|abstract|abs|pdf|epdf|pdfdirect|fulltext|full-text|html|references|figures|meta|summary|suppl)/?)+$"
    r"|\.(?:full|pdf|abstract)$",
    re.IGNORECASE,
)

# In-text author-year forms.
PAREN_GROUP_RE = re.compile(rf"\(([^()]{{0,300}}?{YEAR}[a-z]?[^()]{{0,300}}?)\)")
PAREN_PART_RE = re.compile(
    rf"(?P<author>{SURNAME})(?:\s+et\s+al\.?|\s+(?:and|&)\s+{SURNAME})?,?\s+(?P<year>{YEAR})(?P<suffix>[a-z])?\b"
)
NARRATIVE_RE = re.compile(
    rf"(?P<author>{SURNAME})(?P<etal>\s+et\s+al\.?|\s+and\s+(?:colleagues|co-?workers|co-?authors)|\s+(?:and|&)\s+{SURNAME})?"
    rf"(?:['’]s?)?\s*\((?P<year>{YEAR})(?P<suffix>[a-z])?(?:[,;][^()]{{0,80}})?\)"
)
COLLEAGUES_RE = re.compile(
    rf"(?P<author>{SURNAME})(?:\s+et\s+al\b\.?|\s+and\s+(?:(?:her|his|their)\s+)?(?:colleagues|co-?workers|co-?authors|team))"
)
LED_BY_RE = re.compile(
    r"\b(?:study|studies|trial|paper|research|analysis|report|review|team|group|work|publication"
    r"|[Rr]esearchers|[Ss]cientists|[Ii]nvestigators|[Aa]uthors)"
    r"\s+(?:(?:led|conducted|authored|published|run|headed|carried\s+out|written)\s+)?by\s+"
    rf"(?:(?:Dr|Drs|Prof|Professor)\.?\s+)?(?P<name>(?:{NAME}\s+(?:[{UPPER}]\.\s+)?){{0,2}}{SURNAME})(?![\w'’])"
)
VENUE_CUE_BEFORE_RE = re.compile(
    rf"(?:\b(?:in|published\s+in|appeared\s+in|reported\s+in|appearing\s+in|from|by|of)\s+(?:the\s+)?(?:journal\s+)?"
    rf"|\bjournal\s+|\b{YEAR}\s+|\b(?:a|an|the)\s+)$",
    re.IGNORECASE,
)
VENUE_NOUN_AFTER_RE = re.compile(
    r"^(?:['’]s)?\s+(?:study|studies|trial|paper|article|report|analysis|publication|review|research)\b"
)
BOUND_BEFORE_RE = re.compile(rf"\b(?P<year>{YEAR})\b[^.,;:()]{{0,40}}$")
BOUND_AFTER_RE = re.compile(rf"^[^.,;:()]{{0,15}}?\b(?:in|from)\s+(?P<year>{YEAR})\b")
PREVIOUS_WORD_RE = re.compile(r"([^\W\d_][\w'’.-]*)\s+$")
EXTENSION_WORD_RE = re.compile(r"\s+(?:(?:of|for|in)\s+)?(?P<word>[A-Z][A-Za-z]+)")
STRONG_CUE_RE = re.compile(
    r"(?:\b(?:in|published\s+in|appeared\s+in|reported\s+in|appearing\s+in)\s+(?:the\s+)?(?:journal\s+)?|\bjournal\s+|\(\s*)$",
    re.IGNORECASE,
)

# A DOI cut at a line end (after "10.", its slash, or a - . _ inside the suffix) and the line that goes on with it.
DOI_CUT_RE = re.compile(r"(10\.(?:\d{4,9}/(?:\S*[-._/(])?)?)$")
DOI_REST_RE = re.compile(r"^[-._;()/:A-Za-z0-9]+?(?=[.,;]?(?:\s|$))")
# Words that end a journal name read on from a catalogued one ("The Lancet Global Health| study").
NOT_EXTENSIONS = frozenset(
    """study studies trial trials paper papers report reports research researchers scientists authors team journal
    the this that in on at by for from with and but or said says found finds showed shows published online today
    january february march april may june july august september october november december monday tuesday wednesday
    thursday friday saturday sunday""".split()  # noqa: SIM905
)
JOURNAL_CONNECTORS = frozenset({"of", "and", "the", "in", "for", "&", "on"})
JOURNAL_NAME = r"(?:[A-Z][\w&'’.-]*|of|and|the|for|in|on|&)"
# "published in Psychedelic Medicine", "in the journal Drug Science, Policy and Law", "appeared in PLOS ONE"
NAMED_VENUE_RE = re.compile(
    rf"(?:\b(?:published|appear(?:s|ed|ing)?|reported|described)\s+(?:online\s+|today\s+|this\s+\w+\s+)?in\s+"
    rf"(?:the\s+)?(?P<journal>(?:[\w-]+\s+){{0,2}}?journal\s+)?|\bin\s+the\s+(?:[\w-]+\s+)?journal\s+)"
    rf"(?P<name>[A-Z][\w&'’.-]*(?:,?\s+{JOURNAL_NAME}){{0,10}})"
)
JOURNAL_WORD_RE = re.compile(
    r"\b(?:Journal|J|Medicine|Med|Psychiatry|Psychiatric|Psychology|Psychopharmacology|Pharmacology|Neuroscience"
    r"|Neurology|Research|Reports?|Review|Letters|Science|Sciences|Nature|Lancet|JAMA|BMJ|PLOS|PLoS|Cell|Frontiers"
    r"|Annals|Archives|Proceedings|Bulletin|Medical|Clinical|Therapeutics|Addiction|Health|Communications"
    r"|Neuropsychopharmacology|eLife|Brain|Biological|Molecular|Translational|Open)\b"
)
VENUE_HINT_RE = re.compile(r"\b(?:published|appear\w*|reported|described)\s+(?:\w+\s+)?in\b|[Jj]ournal")
# A year the data come from, not the paper: "data from 2019", "surveyed in 2021", "between 2015 and 2018".
DATA_YEAR_BEFORE_RE = re.compile(
    r"\b(?:data|collected|surveyed|recruited|enrolled|conducted|treated|followed|between|from|since|during|through"
    r"|until|cohort|survey|period)\s+(?:(?:in|from|between|of|up\s+to)\s+)?(?:\w+\s+)?(?:\d{4}\s+(?:and|to)\s+)?$",
    re.IGNORECASE,
)

NOT_SURNAMES = frozenset(
    """the this that these those there their then than in on at by for from with a an and but or nor so yet however
    according after before during since while when where which who whose what why how all both each every some many
    most more several other another such no not only also even study studies trial trials research researchers
    review analysis paper report data table figure fig phase part section chapter volume issue page pages published
    updated accessed retrieved online source sources reference references journal medicine psychiatry science nature
    lancet university institute center centre hospital college school department foundation association society
    administration agency government court congress senate house state states county city copyright posted edited
    reviewed written image photo credit news times post health press january february march april may june july
    august september october november december monday tuesday wednesday thursday friday saturday sunday spring summer
    autumn fall winter see eg ie cf also dr prof professor mr mrs ms""".split()  # noqa: SIM905
)
REF_LABEL_RE = re.compile(
    r"^\s*(?:References?|Sources?|Bibliography|Citations?|Further\s+reading|Literature(?:\s+cited)?|Works\s+cited)"
    r"\s*:?\s*",
    re.IGNORECASE,
)
ENTRY_MARK_RE = re.compile(r"(?:^|(?<=\s))(?:\[\d{1,3}\]|\d{1,3}[.)]|[-–—•*·▪])\s+(?=[A-ZÀ-ÖØ-Þ])")
ENTRY_LEAD_RE = re.compile(r"^\s*(?:\[\d{1,3}\]|\d{1,3}[.)]|[-–—•*·▪])\s+")
AUTHOR_INITIALS = rf"{SURNAME},\s+{INITIALS}"
APA_HEAD_RE = re.compile(
    rf"^(?P<first>{SURNAME}),\s+{INITIALS}(?P<others>[^()]{{0,400}}?)\s*"
    rf"\((?P<year>{YEAR})(?P<suffix>[a-z])?(?:,\s*[A-Za-z]+\.?(?:\s+\d{{1,2}})?)?\)\.?\s*(?P<rest>.*)$"
)
NATURE_HEAD_RE = re.compile(
    rf"^(?P<first>{SURNAME}),\s+{INITIALS}(?:,?\s+(?:&\s+)?{AUTHOR_INITIALS})*(?:,?\s+et\s+al\.)?\s+(?P<rest>[A-Z0-9].*)$"
)
NATURE_TAIL_RE = re.compile(rf"\s\d+[,:]\s*[A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?\s*\((?P<year>{YEAR})\)\.?")
VANCOUVER_INITIALS = rf"[{UPPER}]{{1,3}}(?:\s+(?:Jr|Sr|II|III|2nd|3rd)\.?)?"  # "Zarate CA Jr"
VANCOUVER_HEAD_RE = re.compile(
    rf"^(?P<first>{SURNAME})\s+{VANCOUVER_INITIALS}(?:,\s+{SURNAME}\s+{VANCOUVER_INITIALS})*"
    rf"(?:,?\s+(?:et\s+al|and\s+{SURNAME}\s+{VANCOUVER_INITIALS}))?"
    rf"\.\s+(?P<rest>.+)$"
)
VANCOUVER_YEAR_RE = re.compile(rf"(?:^|[.\s])\s*(?P<year>{YEAR})(?:\s+[A-Z][a-z]{{2}}(?:\s+\d{{1,2}})?)?\s*[;:.]")
APA_JOURNAL_RE = re.compile(r"(?:^|[.?!]\s+)(?P<journal>[A-Z][A-Za-z&.:'’ -]{1,120}?),\s*\d+")
TITLE_END_RE = re.compile(r"[.?!]\s+")
ANY_YEAR_RE = re.compile(YEAR)


def _clean_doi(doi: str) -> str:
    doi = doi.strip()
    while doi:
        if doi[-1] in DOI_TRAILING or (doi[-1] == ")" and doi.count(")") > doi.count("(")):
            doi = doi[:-1]
        else:
            break
    doi = doi.lower()
    if doi.startswith("10.1101/"):
        doi = PREPRINT_VERSION_RE.sub("", doi)
    return doi


def _identifier_fields(text: str) -> tuple[dict[str, str], list[tuple[int, int, str, str]]]:
    """Identifiers in `text`: the first of each kind, and every occurrence as (start, end, field, value)."""
    found: list[tuple[int, int, str, str]] = []
    for match in DOI_RE.finditer(text):
        doi = _clean_doi(match.group())
        if "/" in doi and len(doi.split("/", 1)[1]) >= 2:
            found.append((match.start(), match.start() + len(doi), "doi", doi))
    for match in PMID_RE.finditer(text):
        found.append((match.start(), match.end(), "pmid", match.group(1)))
    for match in PMCID_RE.finditer(text):
        found.append((match.start(), match.end(), "pmcid", match.group()))
    for match in NCT_RE.finditer(text):
        found.append((match.start(), match.end(), "nct_id", match.group()))
    for match in ISRCTN_RE.finditer(text):
        found.append((match.start(), match.end(), "other_id", "ISRCTN" + match.group(1)))
    for match in ARXIV_RE.finditer(text):
        found.append((match.start(), match.end(), "other_id", "arXiv:" + match.group(1)))
    for match in EUDRACT_RE.finditer(text):
        found.append((match.start(), match.end(), "other_id", "EudraCT:" + match.group(1)))
    found.sort()
    first: dict[str, str] = {}
    for _, _, field, value in found:
        first.setdefault(field, value)
    return first, found


def _good_surname(name: str) -> bool:
    bare = name.split()[-1]
    if bare.isupper() or fold(bare).replace("'", "") in NOT_SURNAMES:
        return False
    return normalize_journal(name) not in JOURNALS  # "Nature Medicine, 2021" is a venue, not an author


def _surname_of(name: str) -> str:
    """The surname of "Jennifer Mitchell" / "Dr. Rick Doblin" / "von Rotz": the last name with its particle."""
    match = re.search(rf"{SURNAME}$", name.strip())
    return match.group() if match else name.strip()


# --- reference entries ---------------------------------------------------------------------------


def _split_title_journal(rest: str) -> tuple[str | None, str | None, int]:
    """(title, journal, end of journal) from what follows the authors (and year) of an entry."""
    best = None
    for match in JOURNAL_TEXT_RE.finditer(rest):
        before = rest[: match.start()]
        after = rest[match.end() :]
        if before.strip() and not re.search(r"[.?!]\s*$", before):
            continue
        if not re.match(r"\s*[.,;:]?\s*(?:\d|\(|$|https?:|doi|Advance|Published|Epub|\[)", after, re.IGNORECASE):
            continue
        best = match
    if best is not None:
        title = rest[: best.start()].strip().rstrip(".").strip() or None
        return title, normalize_journal(best.group()), best.end()
    match = APA_JOURNAL_RE.search(rest)
    if match:
        journal = match.group("journal")
        title = rest[: match.start("journal")].strip()
        if ". " in journal:  # a dot inside: the title ran on
            head, journal = journal.rsplit(". ", 1)
            title = f"{title} {head}".strip()
        return title.rstrip(".").strip() or None, normalize_journal(journal), match.end("journal")
    return None, None, 0


def _parse_entry(text: str) -> dict | None:
    """Author, year, title, journal and identifiers of one reference entry, or None if it is not one.

    The styles whose journal is a catalogued one are read first (they cut title and journal best);
    any other entry is read by ``entry.parse``, which needs no journal list.
    """
    styled = _styled_entry(text)
    if styled and styled["journal"]:
        return styled
    body = entry.normalise(ENTRY_LEAD_RE.sub("", text, count=1))
    generic = entry.parse(body)
    if generic is None or not _good_surname(generic["first_author"]):
        return styled
    ids, _ = _identifier_fields(body)
    return {**generic, "journal": normalize_journal(generic["journal"]), **ids}


def _styled_entry(text: str) -> dict | None:
    """An entry in APA, Vancouver or Nature style with a journal of journals.csv (or an identifier)."""
    body = ENTRY_LEAD_RE.sub("", text, count=1).strip()
    if not body:
        return None
    ids, _ = _identifier_fields(body)
    stripped = URL_RE.sub(" ", body)
    candidates = []  # (first author, year, title, journal) per style that fits
    match = APA_HEAD_RE.match(stripped)
    if match:
        candidates.append(
            (match.group("first"), int(match.group("year")), *_split_title_journal(match.group("rest"))[:2])
        )
    match = VANCOUVER_HEAD_RE.match(stripped)
    if match:
        title, journal, end = _split_title_journal(match.group("rest"))
        found = VANCOUVER_YEAR_RE.search(match.group("rest"), end) if journal else None
        if found:  # the year right after the journal is what makes it Vancouver
            candidates.append((match.group("first"), int(found.group("year")), title, journal))
    match = NATURE_HEAD_RE.match(stripped)
    tail = NATURE_TAIL_RE.search(match.group("rest")) if match else None
    if match and tail:
        title, journal, _ = _split_title_journal(match.group("rest")[: tail.start() + 1])
        candidates.append((match.group("first"), int(tail.group("year")), title, journal))
    if not candidates:
        return None
    first, year, title, journal = next((c for c in candidates if c[3]), candidates[0])
    if not first or not _good_surname(first) or not (journal or ids.get("doi") or ids.get("pmid")):
        return None
    if year is None:
        found = ANY_YEAR_RE.search(stripped)
        year = int(found.group()) if found else None
    if year is None:
        return None
    return {"first_author": first, "year": year, "journal": journal, "title": title, **ids}


def _paragraph_text(sentences: Sequence[Sentence]) -> tuple[str, int]:
    """A paragraph rebuilt from its sentences at their own offsets, and the paragraph's start offset."""
    base = sentences[0].start
    parts: list[str] = []
    at = base
    for sentence in sentences:
        parts.append(" " * max(0, sentence.start - at))
        parts.append(sentence.text)
        at = sentence.end
    return "".join(parts), base


def _reference_entries(sentences: Sequence[Sentence]) -> list[tuple[Citation, str | None]]:
    """Reference-list entries in one paragraph, each with its year suffix ("2018a")."""
    text, base = _paragraph_text(sentences)
    if not ANY_YEAR_RE.search(text) or "," not in text:
        return []
    label = REF_LABEL_RE.match(text)
    offset = label.end() if label else 0
    marks = [m.start() for m in ENTRY_MARK_RE.finditer(text, offset)]
    starts = marks if len(marks) >= 2 else [offset]
    if len(marks) >= 2 and text[offset : marks[0]].strip():
        starts = [offset, *marks]
    entries = []
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = text[begin:end].strip()
        parsed = _parse_entry(chunk) if chunk else None
        if not parsed:
            continue
        where = base + begin + (len(text[begin:end]) - len(text[begin:end].lstrip()))
        index = next((s.index for s in sentences if s.start <= where < s.end + 1), sentences[0].index)
        suffix = re.search(rf"\({YEAR}([a-z])\)", chunk)
        entries.append((_citation(index, "reference", chunk, **parsed), suffix.group(1) if suffix else None))
    return entries


# --- mentions in sentences -----------------------------------------------------------------------


@dataclass
class _Mention:
    start: int
    end: int
    author: str | None
    year: int | None
    suffix: str | None = None
    journal: str | None = None
    bound: bool = False  # a venue's year read in the same clause ("a 2021 study in X", "X in 2021")


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _nearest_year(text: str, start: int, end: int, reach: int = 120, publication: bool = False) -> int | None:
    """The year written nearest to text[start:end]; for a publication year, not one the data were gathered in."""
    best = None
    for match in YEAR_RE.finditer(text):
        if publication and DATA_YEAR_BEFORE_RE.search(text, max(0, match.start() - 40), match.start()):
            continue
        distance = start - match.end() if match.end() <= start else max(0, match.start() - end)
        if distance <= reach and (best is None or distance < best[0]):
            best = (distance, int(match.group()))
    return best[1] if best else None


def _author_mentions(text: str) -> list[_Mention]:
    mentions: list[_Mention] = []

    def free(start: int, end: int) -> bool:
        return all(end <= m.start or start >= m.end for m in mentions)

    has_parenthesis = "(" in text
    for group in PAREN_GROUP_RE.finditer(text) if has_parenthesis else ():
        inner_at = group.start(1)
        for match in PAREN_PART_RE.finditer(group.group(1)):
            author = match.group("author")
            if _good_surname(author):
                start, end = inner_at + match.start(), inner_at + match.end()
                mentions.append(_Mention(start, end, author, int(match.group("year")), match.group("suffix")))
    for match in NARRATIVE_RE.finditer(text) if has_parenthesis else ():
        author = match.group("author")
        if not match.group("etal"):  # a bare "Name (1982)" inside a longer proper noun is a title or an event
            previous = PREVIOUS_WORD_RE.search(text, 0, match.start())
            if previous and previous.group(1)[0].isupper() and fold(previous.group(1)) not in NOT_SURNAMES:
                continue
        if _good_surname(author) and free(match.start(), match.end()):
            mentions.append(
                _Mention(match.start(), match.end(), author, int(match.group("year")), match.group("suffix"))
            )
    for match in COLLEAGUES_RE.finditer(text) if COLLEAGUES_HINT_RE.search(text) else ():
        author = match.group("author")
        if _good_surname(author) and free(match.start(), match.end()):
            year = _nearest_year(text, match.start(), match.end())
            if year:
                mentions.append(_Mention(match.start(), match.end(), author, year))
    for match in LED_BY_RE.finditer(text) if " by " in text else ():
        author = _surname_of(match.group("name"))
        start = match.start("name")
        if _good_surname(author) and free(start, match.end()):
            year = _nearest_year(text, match.start(), match.end())
            if year:
                mentions.append(_Mention(start, match.end(), author, year))
    return mentions


def _journal_extension(after: str) -> int:
    """How far capitalised words after a journal name carry it on ("Nature| Astronomy"), 0 if not at all."""
    end = 0
    for match in EXTENSION_WORD_RE.finditer(after):
        if match.start() != end or fold(match.group("word")) in NOT_EXTENSIONS:
            break
        end = match.end()
    return end


def _in_dated_parenthesis(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] sits in parentheses that also hold a year: "(Anderson et al., 2020, EClinicalMedicine)"."""
    opening, closing = text.rfind("(", 0, start), text.find(")", end)
    if opening < 0 or closing < 0 or ")" in text[opening:start] or "(" in text[end:closing]:
        return False
    return bool(YEAR_RE.search(text, opening, closing))


def _venue_mentions(text: str) -> list[_Mention]:
    venues = []
    for match in JOURNAL_TEXT_RE.finditer(text):
        name = match.group()
        before, after = text[max(0, match.start() - 40) : match.start()], text[match.end() :]
        strong = bool(STRONG_CUE_RE.search(before)) or _in_dated_parenthesis(text, match.start(), match.end())
        cued = strong or (VENUE_CUE_BEFORE_RE.search(before) and VENUE_NOUN_AFTER_RE.match(after))
        if not cued:
            continue
        extension = _journal_extension(after)
        if extension:  # "Nature Astronomy", "BMJ Case Reports": another journal than the one matched
            name += after[:extension]
        journal = normalize_journal(name)
        if journal in COMMON_WORD_JOURNALS and not strong:
            continue
        bound = BOUND_BEFORE_RE.search(before) or BOUND_AFTER_RE.match(after)
        year = int(bound.group("year")) if bound else _nearest_year(text, match.start(), match.end(), 80, True)
        venues.append(_Mention(match.start(), match.end() + extension, None, year, journal=journal, bound=bool(bound)))
    return venues + [v for v in _named_venues(text) if all(v.end <= w.start or v.start >= w.end for w in venues)]


def _named_venues(text: str) -> list[_Mention]:
    """Journals not in journals.csv, named after "published in" or "in the journal": kept whole, any name."""
    venues = []
    for match in NAMED_VENUE_RE.finditer(text):
        words = match.group("name").rstrip(".").split()
        while words and words[-1].lower() in JOURNAL_CONNECTORS:
            words.pop()
        name = " ".join(words)
        if not name or (not match.group("journal") and not JOURNAL_WORD_RE.search(name)):
            continue  # "published in the United States": a journal must be called one or look like one
        end = match.start("name") + len(name)
        bound = BOUND_AFTER_RE.match(text[end:])
        year = int(bound.group("year")) if bound else _nearest_year(text, match.start(), end, 80, True)
        venues.append(
            _Mention(match.start("name"), end, None, year, journal=normalize_journal(name), bound=bool(bound))
        )
    return venues


def _sentence_citations(sentence: Sentence, story_year: int | None = None) -> list[tuple[Citation, str | None]]:
    """Identifiers, author-year and venue mentions of one sentence, each with its year suffix ("2018a").

    A venue named with no year ("published in JAMA Psychiatry") takes ``story_year``, the year of the
    story's date: news reports papers as they come out.
    """
    text = sentence.text
    out: list[tuple[Citation, str | None]] = []
    ids = _identifier_fields(text)[1] if ID_HINT_RE.search(text) else []
    seen: set[tuple[str, str]] = set()
    for start, end, field, value in ids:
        if (field, value) not in seen:
            seen.add((field, value))
            out.append((_citation(sentence.index, "identifier", text[start:end], **{field: value}), None))
    # Years inside identifiers and URLs (10.1001/jamapsychiatry.2020.3285) are not publication years.
    masked = _mask(text, [(s, e) for s, e, _, _ in ids] + [m.span() for m in URL_RE.finditer(text)])
    authors = _author_mentions(masked) if YEAR_RE.search(masked) else []  # an author-year citation has one
    venues = _venue_mentions(masked)
    for venue in venues:
        if venue.year is None:
            venue.year = story_year
    # A venue near an author mention completes it ("Mitchell and colleagues ... in Nature Medicine").
    pairs = sorted(
        (min(abs(v.start - a.end), abs(a.start - v.end)), i, j)
        for i, a in enumerate(authors)
        for j, v in enumerate(venues)
        if not v.bound or v.year is None or a.year is None or abs(v.year - a.year) <= YEAR_SLACK
    )
    used_a: set[int] = set()
    used_v: set[int] = set()
    for distance, i, j in pairs:
        if distance <= 150 and i not in used_a and j not in used_v:
            used_a.add(i)
            used_v.add(j)
            a, v = authors[i], venues[j]
            a.journal = v.journal
            a.start, a.end = min(a.start, v.start), max(a.end, v.end)
    # A journal with no year and no author names too much to be worth a citation.
    mentions = [(m, "author-year") for m in authors]
    mentions += [(v, "venue") for j, v in enumerate(venues) if j not in used_v and v.year is not None]
    for mention, kind in sorted(mentions, key=lambda pair: pair[0].start):
        citation = _citation(
            sentence.index,
            kind,
            text[mention.start : mention.end],
            first_author=mention.author,
            year=mention.year,
            journal=mention.journal,
        )
        out.append((citation, mention.suffix))
    return out


# --- links ---------------------------------------------------------------------------------------

PUBMED_PATH_RE = re.compile(r"^/(?:pubmed/)?(\d{1,9})(?:/|$)")
PMC_PATH_RE = re.compile(r"/(PMC\d{4,9})\b", re.IGNORECASE)
NATURE_PATH_RE = re.compile(r"^/articles/([a-z][\w.-]*\d[\w.-]*)/?$", re.IGNORECASE)
LANCET_PII_RE = re.compile(r"PII(S\d{4}-\d{3}[\dX]\(\d{2}\)\d{5}-[\dX])", re.IGNORECASE)
SCIENCEDIRECT_PII_RE = re.compile(r"/pii/(S[\dX]{16})\b", re.IGNORECASE)
ARXIV_PATH_RE = re.compile(r"^/(?:abs|pdf)/(\d{4}\.\d{4,5})")


def _link_fields(url: str) -> dict[str, str]:
    """Identifiers named by one URL (empty when it names none)."""
    try:
        parts = urlsplit(url.strip() if "://" in url else "https://" + url.strip())
    except ValueError:
        return {}
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = unquote(parts.path)
    query = unquote(parts.query)
    if host in ("doi.org", "dx.doi.org"):
        match = DOI_RE.match(path.lstrip("/"))
        return {"doi": _clean_doi(match.group())} if match else {}
    if host == "pubmed.ncbi.nlm.nih.gov" or (host == "ncbi.nlm.nih.gov" and path.startswith("/pubmed")):
        match = PUBMED_PATH_RE.match(path)
        return {"pmid": match.group(1)} if match else {}
    if host in ("pmc.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov", "europepmc.org"):
        match = PMC_PATH_RE.search(path)
        if match:
            return {"pmcid": match.group(1).upper()}
        match = re.search(r"/(?:article|abstract)/MED/(\d{1,9})", path)
        return {"pmid": match.group(1)} if match else {}
    if host.endswith("clinicaltrials.gov"):
        match = NCT_RE.search(path + "?" + query)
        return {"nct_id": match.group()} if match else {}
    if host.endswith("isrctn.com"):
        match = ISRCTN_RE.search(path)
        return {"other_id": "ISRCTN" + match.group(1)} if match else {}
    if host.endswith("arxiv.org"):
        match = ARXIV_PATH_RE.match(path)
        return {"other_id": "arXiv:" + match.group(1)} if match else {}
    if host.endswith("thelancet.com"):
        match = LANCET_PII_RE.search(path)
        if match:
            return {"doi": "10.1016/" + match.group(1).lower()}
    match = DOI_RE.search(path) or DOI_RE.search(query)
    if match:
        doi = DOI_URL_TAIL_RE.sub("", match.group())
        return {"doi": _clean_doi(doi)}
    if host.endswith("nature.com"):
        match = NATURE_PATH_RE.match(path)
        if match:
            return {"doi": "10.1038/" + match.group(1).lower()}
    if host.endswith("sciencedirect.com"):
        match = SCIENCEDIRECT_PII_RE.search(path)
        if match:
            return {"other_id": "pii:" + match.group(1).upper()}
    return {}


# --- the article ---------------------------------------------------------------------------------


def _same_author(a: str | None, b: str | None) -> bool:
    return bool(a and b) and surname_key(a) == surname_key(b)


def find_citations(
    sentences: list[Sentence], links: Sequence[str] = (), published: date | None = None
) -> list[Citation]:
    """Every citation in an article's sentences and links, in text order, links last.

    ``published``: the story's date, whose year a journal named without one is given.
    """
    story_year = published.year if published else None
    by_paragraph: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        by_paragraph.setdefault(sentence.paragraph, []).append(sentence)
    found: list[tuple[Citation, str | None]] = []
    references: list[tuple[Citation, str | None]] = []
    for paragraph in by_paragraph.values():
        entries = _reference_entries(paragraph) if any(DIGIT_RE.search(s.text) for s in paragraph) else []
        if entries:
            references.extend(entries)
            found.extend(entries)
            continue
        for sentence in paragraph:
            # no digit and no journal: no year, no identifier, no venue
            if DIGIT_RE.search(sentence.text) or VENUE_HINT_RE.search(sentence.text):
                found.extend(_sentence_citations(sentence, story_year))
    citations: list[Citation] = []
    for citation, suffix in found:
        if citation.kind == "author-year" and references:
            citation = _with_reference(citation, suffix, references)
        citations.append(citation)
    citations = _with_rejoined_dois(citations, sentences)
    seen: set[str] = set()
    for url in links:
        fields = _link_fields(url)
        if fields and url not in seen:
            seen.add(url)
            citations.append(_citation(None, "link", url, **fields))
    return citations


def _with_rejoined_dois(citations: list[Citation], sentences: list[Sentence]) -> list[Citation]:
    """DOIs cut by a line break ("10.1016/S0016-" | "5107(74)73914-1") made whole in the citations of their line."""
    for before, after in itertools.pairwise(sentences):
        cut = DOI_CUT_RE.search(before.text) if before.paragraph != after.paragraph else None
        rest = DOI_REST_RE.match(after.text) if cut else None
        if rest and cut.group().endswith(".") and not rest.group()[0].isdigit():
            continue  # a sentence's full stop, not a DOI cut after a dot
        whole = DOI_RE.fullmatch(cut.group(1) + rest.group()) if cut and rest else None
        if not whole:
            continue
        doi = _clean_doi(whole.group())
        line = {x.index for x in sentences if x.paragraph == before.paragraph}
        mine = [i for i, c in enumerate(citations) if c.sentence_index in line and c.doi]
        for i in mine:
            if doi.startswith(citations[i].doi):
                citations[i] = replace(citations[i], doi=doi)
        if not mine:
            citations.append(_citation(before.index, "identifier", cut.group() + rest.group(), doi=doi))
    return citations


def _with_reference(citation: Citation, suffix: str | None, references: list[tuple[Citation, str | None]]) -> Citation:
    """An in-text mention completed from the one entry of the article's reference list it points to."""
    matches = [
        entry
        for entry, entry_suffix in references
        if entry.year == citation.year
        and _same_author(entry.first_author, citation.first_author)
        and (suffix is None or entry_suffix is None or suffix == entry_suffix)
        and (citation.journal is None or journals_match(citation.journal, entry.journal))
    ]
    if len(matches) != 1:
        return citation
    entry = matches[0]
    fields = ("journal", "title", "doi", "pmid", "pmcid", "nct_id", "other_id")
    return replace(citation, **{f: getattr(citation, f) or getattr(entry, f) for f in fields})
