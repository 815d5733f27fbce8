"""Sales pitches and press-office furniture inside a page: calls to action, contact blocks, bios.

Each paragraph gets a cue, or none, from what it says and where it sits:

- ``call_to_action``: the reader addressed ("you", "your") and asked to act (contact,
  book, schedule, consultation, call, sign up, "here for you"...) with the site:
  naming it, giving a phone number or e-mail address, or, in the closing paragraphs,
  speaking as "we"/"our"/"us". Advice that sends the reader elsewhere ("ask your
  treatment center") stays, and words inside quotation marks don't count: a founder
  quoted in a news story stays.
- ``contact_block``: a "Media contact:"/"For more information, contact" paragraph, or
  a closing one with a phone number or e-mail that names the site or a press office.
- ``about_block``: a closing "About <the site's organisation>:" paragraph.
- ``author_bio``: a closing paragraph that starts with the author's name and describes them.
- ``press_release_end``: everything after a press release's end mark (``###``, ``-30-``).
- ``pitch``: a short closing paragraph addressed to the reader in the site's voice, but not
  enough on its own; flows.clean.boilerplate removes it when the source's other pages close with near
  repeats of it (the same template in other words).

The rules read English; other languages' paragraphs get no cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.extract.main_text import END_MARK_LINE
from flows.text.tokens import WORD, words_of

CLOSING = 3  # the last paragraphs of a page, where pitches, bios and contact blocks sit
BIO_MAX_WORDS = 80
PITCH_MAX_WORDS = 60  # a closing pitch is a few lines; longer closing paragraphs are the story's end
STRONG_CUES = ("press_release_end", "contact_block", "about_block", "call_to_action", "author_bio")

QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|„[^“”]*[“”]|«[^»]*»|‘[^’]*’(?=\W|$)")
SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself|you're|you’re|you've|you’ve|you'll|you’ll)\b", re.IGNORECASE)
FIRST_PLURAL = re.compile(r"\b(?:we|we're|we’re|we'll|we’ll|our|ours|us)\b", re.IGNORECASE)
ACTION = re.compile(
    r"\b(?:contact|call|book|booking|schedule|consultations?|sign\ up|subscribe|register|enrol|enroll"
    r"|reach\ out|get\ in\ touch|appointments?|request|visit\ us|enquire|inquire|learn\ more"
    r"|here\ (?:for|to\ help)\ you|here\ to\ help|help\ you|our\ team|talk\ to\ us)\b",
    re.IGNORECASE | re.VERBOSE,
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w,.])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,5}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,5}){1,3}(?![\w,])")
CONTACT_LABEL = re.compile(
    r"^(?:(?:media|press|news)\ (?:contacts?|inquiries|enquiries)|contacts?:|for\ (?:more\ information|media"
    r"\ inquiries|interviews)\b.*\bcontact)",
    re.IGNORECASE | re.VERBOSE,
)
PRESS_OFFICE = re.compile(
    r"\b(?:communications|press office|media relations|public affairs|news office)\b", re.IGNORECASE
)
ABOUT = re.compile(r"^About\s+[^:.]{2,80}:")  # "About Harbor State University: ..." closing a release
BIO_VERB = re.compile(r"^[\s,]*(?:is|was|has|writes|covers|leads|works|holds|serves)\b", re.IGNORECASE)


@dataclass(frozen=True)
class PageContext:
    """What the classifier knows of the page beyond its text."""

    site_names: tuple[str, ...] = ()  # og:site_name, the name <title> adds, the source's shared title segment
    author: str | None = None


def has_phone(text: str) -> bool:
    """A phone number: 7 to 15 digits in groups, not a list of years or amounts."""
    for match in PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        groups = re.findall(r"\d+", match.group())
        if 7 <= len(digits) <= 15 and not all(len(g) == 4 and g[:2] in ("19", "20") for g in groups):
            return True
    return False


def _names_site(text: str, site_names: tuple[str, ...]) -> bool:
    """The paragraph names the site: its whole name, or its distinctive first word as written ("Stillwater")."""
    words = f" {words_of(text)} "
    for name in site_names:
        own = [w for w in name.split() if w.lower() != "the"]
        key = words_of(" ".join(own))
        if key and f" {key} " in words:
            return True
        first = own[0] if len(own) >= 2 else ""
        if len(first) >= 5 and re.search(rf"\b{re.escape(first)}\b", text):
            return True
    return False


def paragraph_cue(paragraph: str, from_end: int, context: PageContext) -> str | None:
    """The cue of one paragraph (see the module doc), or None for ordinary text."""
    closing = from_end < CLOSING
    unquoted = QUOTED.sub(" ", paragraph)
    contact = bool(EMAIL.search(paragraph)) or has_phone(paragraph)
    site = _names_site(unquoted, context.site_names)
    you = bool(SECOND_PERSON.search(unquoted))
    act = bool(ACTION.search(unquoted))
    ours = site or bool(FIRST_PLURAL.search(unquoted))  # the pitch points at the site, not just anywhere
    if you and act and (site or contact or (ours and closing)):
        return "call_to_action"
    if CONTACT_LABEL.match(paragraph) or (contact and closing and (site or PRESS_OFFICE.search(paragraph))):
        return "contact_block"
    if closing and ABOUT.match(paragraph) and _names_site(paragraph[:120], context.site_names):
        return "about_block"
    author = (context.author or "").split(",")[0].strip()
    if (
        closing
        and author
        and paragraph.startswith(author)
        and BIO_VERB.match(paragraph[len(author) :])
        and len(WORD.findall(paragraph)) <= BIO_MAX_WORDS
    ):
        return "author_bio"
    return "pitch" if closing and you and ours and len(WORD.findall(paragraph)) <= PITCH_MAX_WORDS else None


def paragraph_cues(lines: list[str], context: PageContext) -> list[str | None]:
    """Cues of a page's paragraphs, given as its text lines; an end-mark line itself gets none."""
    words = [bool(WORD.search(line)) for line in lines]
    total = sum(words)
    cues: list[str | None] = []
    seen, ended = 0, False
    for line, has_words in zip(lines, words, strict=True):
        if END_MARK_LINE.match(line):
            ended = True
        if not has_words:
            cues.append(None)
            continue
        seen += 1
        cues.append("press_release_end" if ended else paragraph_cue(line, total - seen, context))
    return cues
