"""Extraction: raw response bytes in, an article or a reasoned non-article out.

A pure function of the raw record (no network, no database), shared by the
flow, ``psynews reprocess``, the tests and the benchmarks.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urljoin

import lxml.etree
import lxml.html
import py3langid
from trafilatura import external as trafilatura_external
from trafilatura.utils import is_dubious_html, repair_faulty_html

from crawler.raw_store import RawRecord
from crawler.urls import foreign_canonical, resolve_canonical, url_key
from flows.extract.classify import is_marked_article, layout_reason, url_reason
from flows.extract.dates import find_dates
from flows.extract.encoding import decode_page
from flows.extract.main_text import main_text
from flows.extract.metadata import byline, page_metadata
from flows.extract.titles import page_title
from flows.text.tokens import WORD

# Below this a page is a stub, teaser or form, not a story; unless it is marked up as an
# article (classify.is_marked_article): news briefs of 20-50 words are stories.
MIN_WORDS = 50


@dataclass
class Page:
    """What extraction makes of one fetched page; ``skip_reason`` says why it is no article."""

    page_id: str
    source: str
    url: str
    fetched_at: datetime
    status: int | None
    url_key: str  # identity of the fetched URL
    is_article: bool = False
    skip_reason: str | None = None
    canonical_url: str | None = None
    canonical_key: str | None = None  # identity of the page's canonical URL
    syndicated_from: str | None = None  # a canonical URL on another host: the original
    title: str | None = None  # the headline as a reader sees it (flows.extract.titles)
    raw_title: str | None = None  # the page's <title>, site name and all
    author: str | None = None
    published_date: date | None = None
    date_source: str | None = None  # json-ld, meta, url, text (see flows.extract.dates)
    updated_date: date | None = None
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # links to papers and trial registries
    spam_score: float = 0.0  # share of the page's lines that were keyword stuffing
    extracted_text: str | None = None  # main text before flows.clean.boilerplate
    word_count: int = 0  # of text, once cleaned
    text: str | None = None
    text_hash: str | None = None
    encoding: str | None = None  # the charset the body was decoded with (flows.extract.encoding)
    declared_encoding: str | None = None  # what Content-Type or <meta> said
    is_encoding_overridden: bool = False  # the bytes contradicted the declaration

    def set_text(self, text: str) -> None:
        self.text = text
        self.word_count = len(WORD.findall(text))
        self.text_hash = text_hash(text)


def text_hash(text: str) -> str:
    """Hash of the words alone, so whitespace, punctuation and case edits don't matter."""
    words = " ".join(WORD.findall(text.lower()))
    return hashlib.sha1(words.encode()).hexdigest()


SCHOLARLY = re.compile(
    r"https?://(?:dx\.)?doi\.org/|pubmed\.ncbi\.nlm\.nih\.gov/\d|ncbi\.nlm\.nih\.gov/pmc/articles/"
    r"|pmc\.ncbi\.nlm\.nih\.gov/articles/|clinicaltrials\.gov/(?:study|ct2/show)/|/doi/(?:full/|abs/|pdf/)?10\.\d",
    re.IGNORECASE,
)


# Every SCHOLARLY match contains one of these words, in the href or in the page URL it is joined to:
# joining only the hrefs that can match is what makes the scan cheap (most links are navigation).
SCHOLARLY_HINT = re.compile(r"doi|pubmed|pmc|clinicaltrials", re.IGNORECASE)
LANGUAGE_PREFIX_CHARS = 1000  # py3langid reads byte by byte in Python; a few paragraphs decide the language


def scholarly_links(tree: lxml.html.HtmlElement, page_url: str) -> list[str]:
    """Links to papers and trial registries (doi.org, PubMed, PMC, ClinicalTrials.gov, publisher DOIs)."""
    every = SCHOLARLY_HINT.search(page_url) is not None
    hrefs = (
        urljoin(page_url, href.strip())
        for href in tree.xpath("//body//a/@href")
        if every or SCHOLARLY_HINT.search(href)
    )
    return sorted({href for href in hrefs if SCHOLARLY.search(href)})


def canonical_link(tree: lxml.html.HtmlElement) -> str | None:
    """The page's rel=canonical, else og:url."""
    found = tree.xpath('//link[@rel="canonical"]/@href') or tree.xpath('//meta[@property="og:url"]/@content')
    return found[0] if found else None


def detect_language(text: str, tree: lxml.html.HtmlElement) -> str | None:
    """ISO 639-1 code from the text itself; the page's lang attribute only for short texts."""
    declared = (tree.get("lang") or "").split("-")[0].lower() or None
    if len(text) < 200 and declared:
        return declared
    code, _ = py3langid.classify(text[:LANGUAGE_PREFIX_CHARS])
    return code


def load_models() -> None:
    """Load what extraction otherwise loads on first use: py3langid's model (0.4 s) and justext's stoplists (0.1 s).

    Called before worker processes fork, so that they share one copy instead of each loading its own.
    """
    py3langid.classify("")
    trafilatura_external.JT_STOPLIST or trafilatura_external.jt_stoplist_init()  # as justext's first use does


# trafilatura's parser settings (trafilatura.utils.HTML_PARSER), with each element's Python class chosen in C:
# lxml.html's own choice calls back into Python for every element it wraps, to give forms and inputs
# classes of their own that extraction never uses; that is some 3% of a page's time.
PARSER = lxml.html.HTMLParser(
    collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
)
PARSER.set_element_class_lookup(
    lxml.etree.ElementDefaultClassLookup(element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment)
)


def _parse(markup: str | bytes) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.fromstring(markup, parser=PARSER)
    except (ValueError, lxml.etree.LxmlError):  # an encoding declaration in a str; an empty document
        return None


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """The page's tree as trafilatura.utils.load_html makes it from text, with PARSER; None if it is no HTML."""
    beginning = text[:50].lower()
    text = repair_faulty_html(text, beginning)
    tree = _parse(text)
    if tree is None or len(tree) < 1:
        tree = _parse(text.encode("utf8", "surrogatepass"))
    return None if tree is None or (is_dubious_html(beginning) and len(tree) < 2) else tree


def extract_page(record: RawRecord) -> Page:
    page = Page(
        page_id=record.fetch_id,
        source=record.source,
        url=record.url,
        fetched_at=record.fetched_at,
        status=record.status,
        url_key=url_key(record.url),
    )
    content_type = record.headers.get("content-type", "text/html").lower()
    if record.status != 200:
        page.skip_reason = f"http {record.status}"
        return page
    if "html" not in content_type:
        page.skip_reason = f"not html ({content_type.split(';')[0]})"
        return page
    if reason := url_reason(record.url):
        page.skip_reason = reason
        return page
    decoded = decode_page(record.body, content_type)
    page.encoding, page.declared_encoding = decoded.encoding, decoded.declared
    page.is_encoding_overridden = decoded.overridden
    tree = parse_html(decoded.text)
    if tree is None:
        page.skip_reason = "unparsable html"
        return page
    if reason := layout_reason(tree):
        page.skip_reason = reason
        return page

    _, text, stuffed = main_text(tree, record.url, with_metadata=False)
    words = len(WORD.findall(text))
    if not words or (words < MIN_WORDS and not is_marked_article(tree)):
        page.skip_reason = "no main text" if not text else "too short"
        page.word_count = words
        return page

    page.is_article = True
    canonical = canonical_link(tree)
    page.canonical_url = resolve_canonical(record.url, canonical)
    page.syndicated_from = foreign_canonical(record.url, canonical)
    page.canonical_key = url_key(page.canonical_url)
    doc = page_metadata(tree, record.url)
    page.title, page.raw_title, site_name = page_title(tree, record.url)
    page.title = page.title or doc.title
    dates = find_dates(tree, record.url, record.fetched_at)
    page.published_date, page.date_source, page.updated_date = dates.published, dates.source, dates.updated
    lines = text.count("\n") + 1 + stuffed
    page.spam_score = round(stuffed / lines, 3)
    page.site_name = site_name or doc.sitename
    page.description = doc.description
    page.tags = sorted({t.strip() for t in [*(doc.tags or []), *(doc.categories or [])] if t.strip()})
    page.language = detect_language(text, tree)
    page.links = scholarly_links(tree, record.url)
    page.author = doc.author or byline(tree)  # last: it prunes the tree
    page.extracted_text = text
    page.set_text(text)
    return page


def error_kind(record: RawRecord) -> str:
    """A coarse class of fetch error for source health: http_4xx, http_5xx, timeout, dns, connection, other."""
    if record.status:
        return f"http_{record.status // 100}xx"
    reason = (record.error or "").lower()
    for kind, words in (("timeout", ("timeout", "timed out")), ("dns", ("dns", "lookup")),
                        ("too_large", ("maxsize", "max size", "cancelled")),
                        ("connection", ("refused", "reset", "connection", "lost"))):  # fmt: skip
        if any(word in reason for word in words):
            return kind
    return "other"
