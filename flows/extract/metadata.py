"""Title, author, site name, description and tags: trafilatura's metadata rules, run once per article.

trafilatura's own ``extract_metadata`` also dates the page with htmldate's
extensive search and reads its licence; psynews dates pages itself, with the
date's source (flows.extract.dates), and keeps no licence, so both are skipped.
Its two costly searches of the whole page are made only when they can find
something: categories and tags only on pages with such links, the byline in the
page (``byline``) only when the meta tags name no author, and without copying
the page.
"""

from __future__ import annotations

from contextlib import suppress

import lxml.etree
import lxml.html
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.metadata import (
    AUTHOR_DISCARD_XPATHS,
    AUTHOR_XPATHS,
    META_URL,
    examine_meta,
    extract_catstags,
    extract_meta_json,
    extract_metainfo,
    extract_sitename,
    extract_title,
    extract_url,
    normalize_authors,
)
from trafilatura.settings import Document

# What extract_catstags can return anything from: links whose href holds "/categor..." or "/tag..."
# (it keeps only those), and for categories the meta tags it falls back to.
MAY_HAVE = {
    "category": lxml.etree.XPath(
        "boolean(//a[contains(@href, '/categor')]"
        ' | //head//meta[@property="article:section" or contains(@name, "subject")][@content])'
    ),
    "tag": lxml.etree.XPath("boolean(//a[contains(@href, '/tag')])"),
}


def catstags(kind: str, tree: lxml.html.HtmlElement) -> list[str]:
    return extract_catstags(kind, tree) if MAY_HAVE[kind](tree) else []


def page_metadata(tree: lxml.html.HtmlElement, url: str) -> Document:
    """The same fields as trafilatura's metadata for title, author, site name, description, categories, tags.

    The author is the meta tags' or JSON-LD's; when they name none, ``byline(tree)`` finds it in the page.
    """
    doc = examine_meta(tree)
    if doc.author and " " not in doc.author:  # a lone word is a handle or a label, as trafilatura judges
        doc.author = None
    # trafilatura's JSON-LD reader fails on odd markup; the meta tags then stand, as in trafilatura.
    with suppress(Exception):
        doc = extract_meta_json(tree, doc)
    doc.title = doc.title or extract_title(tree)
    doc.sitename = doc.sitename or extract_sitename(tree)
    if doc.sitename:
        doc.sitename = doc.sitename.lstrip("@")
        if doc.sitename and "." not in doc.sitename and not doc.sitename[0].isupper():
            doc.sitename = doc.sitename.title()
    elif match := META_URL.match(doc.url or extract_url(tree, url) or ""):
        doc.sitename = match[1]
    doc.categories = doc.categories or catstags("category", tree)
    doc.tags = doc.tags or catstags("tag", tree)
    doc.clean_and_trim()
    return doc


def byline(tree: lxml.html.HtmlElement) -> str | None:
    """The author as trafilatura's ``extract_author`` finds it in the page, pruning the tree itself.

    trafilatura prunes a copy of the whole page; this prunes the page in place, so call it last.
    """
    prune_unwanted_nodes(tree, AUTHOR_DISCARD_XPATHS)
    found = extract_metainfo(tree, AUTHOR_XPATHS, len_limit=120)
    doc = Document()
    doc.author = normalize_authors(None, found) if found else None
    doc.clean_and_trim()  # as page_metadata trims its fields
    return doc.author
