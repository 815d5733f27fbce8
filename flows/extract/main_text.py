"""Main text of a page: trafilatura, then the in-page noise it lets through removed.

Scored by bench/extraction.py against bare trafilatura on a human-labelled set.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from typing import NamedTuple
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from trafilatura.settings import Document

from flows.text.tokens import WORD, words_of

EARLIEST_DATE = "1990-01-01"  # psychedelic-research news online starts well after this
STUFFING_MAX_WORDS = 8  # a repeated line this short is a keyword, not a sentence
STUFFING_MIN_WORDS = 2  # keyword stuffing is a phrase; a lone repeated word is usually a label ("Pros")
# A keyword line is bare words: no sentence punctuation, no list bullet, no table pipe, no brackets.
KEYWORD_LINE = re.compile(r"\w+(?:[-'’, ]+\w+)*")
# Said once, a keyword line is all lower case, bare words and hyphens, and made of the page's
# slug or title words (small joining words aside): "mdma study ptsd" on "/mdma-study-ptsd/".
LOWER_KEYWORD_LINE = re.compile(r"[^\W\d_A-Z]+(?:[ -]+[^\W\d_A-Z]+)*")
JOINING_WORDS = frozenset("a an and the of for in on to with vs or".split())  # noqa: SIM905
# Precision mode sometimes over-prunes to a fragment; below this many characters its text is
# checked against the balanced extraction (a short news story is ~1,000 characters).
SHORT_TEXT_CHARS = 1000
MIN_KEPT_SHARE = 0.5  # precision output must keep at least this share of the balanced text
LEAD_LINES = 3  # the headline trafilatura copies into the body sits in the first lines
BOILERPLATE_MAX_WORDS = 25  # calls to action and section labels are short; longer lines are prose
# Whole lines that are page furniture in any news/blog template (share bars, ad slots, comment
# counters, newsletter and follow prompts, "related"/"read more" teasers, copyright footers),
# with the common equivalents in a few other languages.
BOILERPLATE_LINE = re.compile(
    r"""^\W*(?:
    advertisements?|sponsored(?:\ content)?|anzeige|werbung|publicidade|publicidad|pubblicità|реклама|광고
    |(?:share|tweet|email|print)(?:\ this)?(?:\ (?:article|story|post|page))?
    |\d*\ ?comments?|leave\ a\ (?:comment|reply)
    |related(?:\ (?:articles?|stories|posts?|content|reading|news|links?|coverage))?(?::.*)?
    |(?:read|see)\ (?:more|also)(?:\W.*)?|also\ (?:read|see)\W.*|don['’]?t\ miss
    |you\ (?:may|might)\ also\ (?:like|enjoy)\b.*|recommended(?:\ for\ you)?|(?:most\ (?:read|popular)|popular\ on)\b.*
    |(?:sign\ up|subscribe)\b.*|.*\b(?:sign\ up|subscrib\w*)\b.*\bnewsletters?\b.*|(?:\w+\ ){0,3}newsletter
    |follow\ (?:us|@\w+|\w+(?:\ \w+)?\ on)\b.*|.*\bclick\ here\b.*|\[\w+\b[^]]*\].*\[/\w+\]
    |(?:leia|veja)\ (?:também|mais)\b.*|leggi\ anche\b.*|lesen\ sie\ (?:auch|mehr)\b.*|mehr\ zum\ thema\b.*
    |читайте\ также\b.*|baca\ juga\b.*|lee\ también\b.*|lire\ aussi\b.*
    |copyright\b.*|©.*|.*\ball\ rights\ reserved\b.*
    |tags?|(?:last\ )?updated(?:\ (?:at|on))?\ [\w\ .:,/-]{0,40}|(?:order\ )?reprints?|tell\ us\ what\ you\ think\b.*
    |write\ to\ .{0,80}\ at\ \S+@\S+|this\ (?:copy|article)\ (?:is\ for\ your\ personal|has\ been\ sent)\b.*
    |(?:\w+(?:-feira)?,?\ )?(?:\d{1,2}\.?\ (?:de\ )?\w+\.?\ (?:de\ )?\d{4}|\w+\.?\ \d{1,2},?\ \d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})
     (?:,?\ (?:at\ |às\ |um\ |à\ )?\d{1,2}[:.h]\d{2}(?:\ ?[ap]\.?m\.?)?)?
    |filed\ under\b.*|more|(?:tempo\ de\ leitura|reading\ time|lesezeit|temps\ de\ lecture)\b.*|\d+\ min(?:ute)?s?\ read
    |an\ error\ has\ occurred\b.*|thank\ you|like\ this\ (?:story|article|post)\?.*|also\ on\ \w+\.\w+\b.*
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_keyword_line(line: str, keywords: set[str]) -> bool:
    """A short lower-case line of bare words, every one of them a slug or title keyword."""
    if not LOWER_KEYWORD_LINE.fullmatch(line) or line != line.lower():
        return False
    words = [w for w in words_of(line).split() if w not in JOINING_WORDS]
    return STUFFING_MIN_WORDS <= len(words) <= STUFFING_MAX_WORDS and all(w in keywords for w in words)


def page_keywords(url: str | None, titles: set[str]) -> set[str]:
    """Words of the URL's last path segment and of the page's headlines."""
    slug = [s for s in urlsplit(url or "").path.split("/") if s][-1:]
    return {w for text in [*slug, *titles] for w in words_of(text.replace("_", " ")).split()} - JOINING_WORDS


def drop_stuffing(lines: list[str], keywords: set[str] = frozenset()) -> tuple[list[str], int]:
    """Remove keyword stuffing: a short bare-words line repeated in the page, each time on its own,
    or a lower-case line of the page's own keywords (``is_keyword_line``), even once.

    A repeated line next to another repeated line belongs to a repeated block (a recipe card,
    a spec list, a table), and lines with punctuation, bullets or pipes are sentences, list
    items or table rows: those are content, so they stay. Return what is left and how many went.
    """
    keys = [words_of(line) for line in lines]
    counts = Counter(keys)
    stuffed = set()
    for line, key in zip(lines, keys, strict=True):
        if key in stuffed:
            continue
        if keywords and is_keyword_line(line, keywords):
            stuffed.add(key)
            continue
        if counts[key] < 2 or not KEYWORD_LINE.fullmatch(line):
            continue
        if not STUFFING_MIN_WORDS <= len(key.split()) <= STUFFING_MAX_WORDS:
            continue
        at = [i for i, other in enumerate(keys) if other == key]
        neighbours = {keys[j] for i in at for j in (i - 1, i + 1) if 0 <= j < len(keys)} - {key}
        if all(counts[n] == 1 for n in neighbours):
            stuffed.add(key)
    kept = [line for line, key in zip(lines, keys, strict=True) if key not in stuffed]
    return kept, len(lines) - len(kept)


# A press release's end mark: kept as a line so flows.clean can drop the boilerplate after it.
END_MARK_LINE = re.compile(r"^\s*(?:#\s?#\s?#|-\s?30\s?-|-\s?ends\s?-)\s*$", re.IGNORECASE)


def body_lines(text: str) -> list[str]:
    """The text's paragraphs, and the end mark of a press release among them."""
    return [line.strip() for line in text.split("\n") if WORD.search(line) or END_MARK_LINE.match(line)]


def headlines(tree: lxml.html.HtmlElement) -> set[str]:
    """The page's headline as its metadata and <h1> give it, as words."""
    titles = [str(t) for t in tree.xpath('//meta[@property="og:title" or @name="twitter:title"]/@content')]
    titles += [element.text_content() for element in tree.iter("title", "h1")]
    return {words_of(t) for t in titles} - {""}


def drop_headline(lines: list[str], titles: set[str]) -> list[str]:
    """Remove the headline trafilatura copies into the first lines: it is metadata, not body."""
    head = [line for line in lines[:LEAD_LINES] if words_of(line) not in titles]
    return head + lines[LEAD_LINES:]


def is_boilerplate(line: str) -> bool:
    return len(WORD.findall(line)) <= BOILERPLATE_MAX_WORDS and BOILERPLATE_LINE.match(line) is not None


class MainText(NamedTuple):
    doc: Document | None
    text: str
    stuffed: int  # keyword-stuffing lines removed from text


# Headings that open a block of teasers for other stories; the block (their parent) goes.
RELATED_HEADING = re.compile(r"related|recommend|more-stories|read-next|you-may-like")


def drop_related_blocks(tree: lxml.html.HtmlElement) -> None:
    """Remove teaser blocks that announce themselves: a heading classed "related..." and what holds it.

    trafilatura keeps them when the teasers are nested <article>s with full excerpts.
    """
    for heading in tree.xpath("//h2[@class] | //h3[@class] | //h4[@class] | //div[contains(@class, 'title')]"):
        if not RELATED_HEADING.search(heading.get("class", "").lower()):
            continue
        block = heading.getparent()
        # Never the page body, nor the article's own header, which holds its headline.
        if block is not None and block.tag not in ("body", "main") and not block.xpath(".//h1"):
            block.drop_tree()


def main_text(
    tree: lxml.html.HtmlElement, url: str | None, fetched_at: datetime | None = None, with_metadata: bool = True
) -> MainText:
    """trafilatura's main text and metadata, with what it lets through removed."""
    date_params = {"extensive_search": True, "original_date": True, "min_date": EARLIEST_DATE}
    if fetched_at:
        date_params["max_date"] = fetched_at.date().isoformat()
    drop_related_blocks(tree)
    common = {"url": url, "include_comments": False, "include_tables": True, "date_extraction_params": date_params}
    # Precision mode drops more of the links, teasers and widgets around the article; fast mode
    # skips trafilatura's readability/justext comparison, which on its own output mostly swaps in
    # a worse candidate (and is what makes the balanced run below affordable).
    doc = trafilatura.bare_extraction(tree, with_metadata=with_metadata, favor_precision=True, fast=True, **common)
    text = (doc.text or "").strip() if doc else ""
    if len(text) < SHORT_TEXT_CHARS:
        # A short precise text may be a fragment: the balanced extraction, with trafilatura's full
        # fallback cascade, wins when precision kept less than half of it.
        balanced = trafilatura.bare_extraction(tree, with_metadata=with_metadata and doc is None, **common)
        balanced_text = (balanced.text or "").strip() if balanced else ""
        if len(text) < MIN_KEPT_SHARE * len(balanced_text):
            text = balanced_text
            doc = doc or balanced
    titles = headlines(tree)
    lines = drop_headline(body_lines(text), titles)
    lines, stuffed = drop_stuffing([line for line in lines if not is_boilerplate(line)], page_keywords(url, titles))
    return MainText(doc, "\n".join(lines), stuffed)
