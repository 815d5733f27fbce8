"""One reference-list entry in any of the common styles, read without a list of journals.

APA and Harvard ("Ferguson, N., & Leach, S. (2003). Title. Journal, 42(1), 24-26."), Vancouver/NLM
and AMA ("Kessler RC, Barber C, et al. Title. J Occup Environ Med. 2003;45:156-74."), the BMC and
Springer variants ("Duan M, Borg E: Title. Acta Otolaryngol 2008, 128:277-83."; "Mainster MA (2006)
Title. Br J Ophthalmol 90:784-792"), Chicago author-date ("Smith, John, and Jane Doe. 2010. Title.
Journal 3: 1-10.") and Nature ("Mitchell, J. M. et al. Title. Nat. Med. 27, 1025-1033 (2021).").

The parts are found from the ends inward: the first author at the start (a surname followed by
initials, or by a comma and initials or a given name), the locator at the end (volume, optional
issue, pages, with the year before it in Vancouver and BMC styles), the year (beside the locator,
else in parentheses, else the first after the authors), and the journal: the words between the
title's last full stop and the locator, extended over abbreviations cut by dots (J. Occup. Environ. Med.).
"""

from __future__ import annotations

import re

UPPER = "A-ZÀ-ÖØ-Þ"
NAME = rf"[{UPPER}][^\W\d_]*(?:['’][^\W\d_]+|[‐-][^\W\d_]+)*"
PARTICLE = r"(?:(?:[Vv]an\s+[Dd]e[rn]|[Vv]an|[Vv]on|[Dd]e|[Dd]a|[Dd]os|[Dd]el|[Dd]i|[Ll]e|[Ll]a|[Dd]u)\s+)"
YEAR = r"(?:1[89]\d\d|20[0-4]\d)"

FIRST_AUTHOR_RE = re.compile(
    rf"""^(?:
      (?P<nlm>{PARTICLE}?{NAME}(?:\s{NAME})?)\s+[{UPPER}]{{1,4}}\b(?!\.\s*[{UPPER}][a-z])   # Kessler RC / de Pamphilis CW
      |(?P<apa>{PARTICLE}?{NAME}(?:\s{NAME})?),\s+(?:[{UPPER}]\.\s*-?\s*){{1,4}}           # Ferguson, N. / Mitchell, J. M.
      |(?P<given>{PARTICLE}?{NAME}),\s+[{UPPER}][a-z]+\b                                   # Smith, John
      |(?:[{UPPER}]{{1,3}}|(?:[{UPPER}]\.\s*-?\s*){{1,3}})\s+(?P<initials_first>{PARTICLE}?{NAME}),  # KH Park, / D. Dumas,
    )""",
    re.VERBOSE,
)
# volume, optional issue or supplement, then pages or an article number; maybe "YEAR;" or "YEAR, " before.
LOCATOR_RE = re.compile(
    rf"(?:(?P<year>{YEAR})[a-z]?\s*[;,]?\s*)?(?<![\w.-])(?P<volume>\d{{1,5}})\s*(?:\((?P<issue>[^()]{{1,20}})\))?"
    rf"\s*[:,]\s*(?P<pages>[A-Za-z]{{0,2}}\d+(?:\s*[-–]\s*[A-Za-z]{{0,2}}\d+)?)\b"
)
QUOTED_TITLE_RE = re.compile(r"(?:^|,\s*)[\"“]([^\"”]{10,}?)[,.]?[\"”]?$")
PAREN_YEAR_TAIL_RE = re.compile(rf"^.*\(\s*{YEAR}[a-z]?\s*\)")
PAREN_YEAR_RE = re.compile(rf"\(\s*(?P<year>{YEAR})[a-z]?\s*[,)]")
BARE_YEAR_RE = re.compile(rf"(?<![\d/.:-])(?P<year>{YEAR})[a-z]?(?![\d%])")
# A sentence end, or the comma and closing quote after a quoted title ("Title," Phys. Med. Biol. 51).
BOUNDARY_RE = re.compile(r"(?:[.?!:]|,[\"”])\s+(?=[\w\"“(\[])")
DOI_SPLIT_RE = re.compile(r"\b(10\.\s?\d{4,9}\s?/)\s*(\S+)")
URL_OR_DOI_RE = re.compile(r"(?:https?://\S+|www\.\S+|\bdoi\s*:?\s*10\.\S+|\b10\.\d{4,9}/\S+)", re.IGNORECASE)
# One or two pieces of a dotted journal abbreviation: "J.", "N Y Acad.", "Electromyogr."
ABBREVIATION_PIECE_RE = re.compile(rf"(?:[{UPPER}][a-z]{{0,5}}\s+){{0,2}}[{UPPER}][a-z]{{0,12}}\.")
# Initials ("Pindborg JJ,", "Lee, D. A.,") or "et al": a piece of an author list, not of a title.
AUTHORISH_RE = re.compile(rf"\b[{UPPER}]{{1,3}}(?:,|$)|\b[{UPPER}]\.\s*(?:[{UPPER}]\.\s*)*(?:,|$)|\bet\s+al\b")
CONNECTORS = frozenset({"of", "and", "the", "in", "for", "on", "de", "la", "und", "der", "fur", "für", "&", "y", "et"})
JOURNAL_MAX_WORDS = 14


def normalise(text: str) -> str:
    """One line: words broken at a line end rejoined ("Endo-\\nscopic"), DOIs cut by a break made whole."""
    text = re.sub(r"(?<=[a-z])-\s*\n\s*(?=[a-z])", "", text)
    text = re.sub(r"(10\.\d{0,9})\s*\n\s*(?=[\d./])", r"\1", text)  # "doi:10.\n1038/nature02007"
    text = re.sub(r"(10\.\d{4,9}/[^\s]*[-./_(])\s*\n\s*(?=[\w(])", r"\1", text)  # "10.1016/S0016-\n5107(74)"
    return " ".join(text.split())


def _journal_like(words: list[str]) -> bool:
    if not words or len(words) > JOURNAL_MAX_WORDS:
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in CONNECTORS for w in words) and words[0][0].isupper()


def _journal_before(text: str, end: int) -> str | None:
    """The journal name ending at `end`: from the last sentence end before it, over dotted abbreviations."""
    head = text[:end].rstrip(" ,.;:")
    cuts = [m.end() for m in BOUNDARY_RE.finditer(head)]
    if not cuts:
        return None
    start = cuts[-1]
    if not _journal_like(head[start:].split()):
        return None
    # "J. Occup. Environ. Med.", "Proc. Natl Acad. Sci.": pieces cut off by an abbreviation's dot
    for cut in reversed(cuts[:-1]):
        if not ABBREVIATION_PIECE_RE.fullmatch(head[cut:start].strip()):
            break
        start = cut
    journal = head[start:].strip(" .,;:")
    return journal or None


def parse(text: str) -> dict | None:
    """First author, year, journal and title of a reference entry, or None when it does not read as one."""
    body = URL_OR_DOI_RE.sub(" ", normalise(text)).strip()
    author = FIRST_AUTHOR_RE.match(body)
    if not author:
        return None
    first = author.group("nlm") or author.group("apa") or author.group("given") or author.group("initials_first")
    locators = list(LOCATOR_RE.finditer(body, author.end()))
    locator = locators[-1] if locators else None
    year = None
    journal = None
    if locator is not None:
        journal_end = locator.start()
        if locator.group("year"):
            year = int(locator.group("year"))
        journal = _journal_before(body, journal_end)
    if year is None:
        found = PAREN_YEAR_RE.search(body, author.end()) or BARE_YEAR_RE.search(body, author.end())
        year = int(found.group("year")) if found else None
    if year is None or journal is None:
        return None
    title_end = body.rfind(journal, 0, locator.start()) if locator else -1
    title = _title(body, author.end(), title_end)
    return {"first_author": first.strip(), "year": year, "journal": journal, "title": title}


def _title(body: str, start: int, end: int) -> str | None:
    """The sentences before the journal: the title, once the authors and a leading year are cut off.

    It starts after the boundary before its own last one, reaching back over a subtitle's colon or
    a question mark ("Hydrogen peroxide: a signalling messenger") as long as what comes before
    does not read as authors.
    """
    if end <= start:
        return None
    # endpos one past `end`: the boundary's lookahead must see the journal's first letter
    cuts = list(BOUNDARY_RE.finditer(body, start, end + 1))
    if not cuts:
        return None
    i = len(cuts) - 2
    while i >= 0 and body[cuts[i].start()] in ":?":
        before = body[cuts[i - 1].end() if i else start : cuts[i].start()]
        before = PAREN_YEAR_TAIL_RE.sub("", before)  # "Laux V (2010) Rivaroxaban": the title starts after the year
        if not before.strip() or AUTHORISH_RE.search(before):
            break
        i -= 1
    title = body[cuts[i].end() if i >= 0 else start : cuts[-1].end()].strip(' .,"”')
    if i < 0:  # no boundary after the authors: "Varga T, Olsen K (2019) Title."
        title = re.sub(rf"^[^()]*\({YEAR}[a-z]?\)[.:]?\s*", "", title)
    title = re.sub(rf"^\(?{YEAR}[a-z]?\)?[.:]?\s*", "", title)
    quoted = QUOTED_TITLE_RE.search(title)  # IEEE and AIP styles: A. Ruiz, B. Chen, "Title," J. Sleep Res.
    return (quoted.group(1) if quoted else title) or None
