"""Publication and update dates, with where each came from.

Sources in order of trust: JSON-LD (``datePublished``), meta tags
(article:published_time and kin), the URL (``/2024/05/14/``), then the page
text (htmldate's extensive search). A date after the fetch or before 1990 is a
parsing accident and is rejected, not stored. When a page gives no date, the
views fall back to the day psynews first saw the story (``first_seen``).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import htmldate
import lxml.html
from htmldate.extractors import extract_url_date, try_date_expr
from htmldate.utils import Extractor

from flows.extract.main_text import EARLIEST_DATE

PUBLISHED_KEYS = ("datePublished", "dateCreated", "uploadDate")
MODIFIED_KEYS = ("dateModified",)
PUBLISHED_META = (
    '//meta[@property="article:published_time" or @property="og:published_time"'
    ' or @property="og:article:published_time" or @itemprop="datePublished"'
    ' or @name="pubdate" or @name="publishdate" or @name="publish-date" or @name="date"'
    ' or @name="dc.date" or @name="DC.date" or @name="dcterms.date" or @name="DC.date.issued"'
    ' or @name="citation_publication_date" or @name="parsely-pub-date" or @name="sailthru.date"]/@content'
    ' | //time[@itemprop="datePublished" or @pubdate]/@datetime'
)
MODIFIED_META = (
    '//meta[@property="article:modified_time" or @property="og:updated_time"'
    ' or @itemprop="dateModified" or @name="last-modified"]/@content'
    ' | //time[@itemprop="dateModified"]/@datetime'
)


@dataclass(frozen=True)
class PageDates:
    published: date | None
    source: str | None  # json-ld, meta, url, text; None when no date was found
    updated: date | None


def _bounds(fetched_at: datetime) -> tuple[datetime, datetime]:
    return datetime.fromisoformat(EARLIEST_DATE), fetched_at.replace(tzinfo=None)


def _parse(value: str | None, fetched_at: datetime) -> date | None:
    """A date string in any common form, kept only between 1990 and the fetch."""
    if not value or not isinstance(value, str):
        return None
    earliest, latest = _bounds(fetched_at)
    found = try_date_expr(value.strip(), "%Y-%m-%d", True, earliest, latest)
    return date.fromisoformat(found) if found else None


def _json_ld_values(tree: lxml.html.HtmlElement, keys: tuple[str, ...]) -> Iterator[str]:
    def walk(node) -> Iterator[str]:
        if isinstance(node, dict):
            for key in keys:
                if isinstance(node.get(key), str):
                    yield node[key]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            yield from walk(json.loads(script.text or ""))
        except ValueError:  # broken JSON-LD is common; the other sources remain
            continue


def _first(values, fetched_at: datetime) -> date | None:
    for value in values:
        if parsed := _parse(value, fetched_at):
            return parsed
    return None


def _from_url(url: str, fetched_at: datetime) -> date | None:
    earliest, latest = _bounds(fetched_at)
    return _parse(extract_url_date(url, Extractor(False, latest, earliest, True, "%Y-%m-%d")), fetched_at)


COPYRIGHT = re.compile(r"©|&copy;|\(c\)\s*\d{4}|copyright", re.IGNORECASE)
# Parts of a page whose dates belong to something else: comments, related and recent posts,
# sidebars, menus and the site footer. Their dates never date the page.
OTHER_DATES = re.compile(
    r"comment|related|recent|popular|sidebar|widget|most-read|recommend|read-next|more-from|newsletter"
)
NOT_THE_PAGE = (
    "//aside | //nav | //form | //footer[not(ancestor::article)]"
    " | //*[@class or @id][not(self::body or self::html or self::article or self::main)]"
)


def _dateline_tree(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of the page without the parts whose dates are not the page's, nor copyright lines."""
    tree = copy.deepcopy(tree)
    for element in tree.xpath(NOT_THE_PAGE):
        names = f"{element.get('class', '')} {element.get('id', '')}".lower()
        if element.getparent() is not None and (
            element.tag in ("aside", "nav", "form", "footer") or OTHER_DATES.search(names)
        ):
            element.drop_tree()
    for element in tree.xpath("//body//*[not(*)]"):  # leaf elements: the line itself, not its section
        if COPYRIGHT.search(element.text_content() or "") and element.getparent() is not None:
            element.drop_tree()
    return tree


def _from_text(tree: lxml.html.HtmlElement, fetched_at: datetime) -> date | None:
    """A visible dateline: htmldate's search of <time> elements, date and byline classes.

    Only what is left of the page once comments, related posts, sidebars, footers and
    copyright lines are gone; and no free-text search, which takes any date the story
    mentions (or htmldate's 1 January of a copyright year) for the page's.
    """
    earliest, latest = _bounds(fetched_at)
    found = htmldate.find_date(
        _dateline_tree(tree), extensive_search=False, original_date=True, min_date=earliest, max_date=latest
    )
    return _parse(found, fetched_at)


def find_dates(tree: lxml.html.HtmlElement, url: str, fetched_at: datetime) -> PageDates:
    updated = _first(_json_ld_values(tree, MODIFIED_KEYS), fetched_at) or _first(tree.xpath(MODIFIED_META), fetched_at)
    candidates = (
        ("json-ld", lambda: _first(_json_ld_values(tree, PUBLISHED_KEYS), fetched_at)),
        ("meta", lambda: _first(tree.xpath(PUBLISHED_META), fetched_at)),
        ("url", lambda: _from_url(url, fetched_at)),
        ("text", lambda: _from_text(tree, fetched_at)),
    )
    for source, find in candidates:
        if published := find():
            # A modification date equal to publication is no update.
            return PageDates(published, source, updated if updated and updated > published else None)
    return PageDates(None, None, updated)
