"""Title, author, site name, description and tags: trafilatura's metadata rules, run once per article.

trafilatura's own ``extract_metadata`` also dates the page with htmldate's
extensive search and reads its licence; psynews dates pages itself, with the
date's source (flows.extract.dates), and keeps no licence, so both are skipped.
"""

from __future__ import annotations

from contextlib import suppress

import lxml.html
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_author,
    extract_catstags,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document


def page_metadata(tree: lxml.html.HtmlElement, url: str) -> Document:
    """The same fields as trafilatura's metadata for title, author, site name, description, categories, tags."""
    doc = examine_meta(tree)
    if doc.author and " " not in doc.author:  # a lone word is a handle or a label, as trafilatura judges
        doc.author = None
    # trafilatura's JSON-LD reader fails on odd markup; the meta tags then stand, as in trafilatura.
    with suppress(Exception):
        doc = extract_meta_json(tree, doc)
    doc.title = doc.title or extract_title(tree)
    doc.author = doc.author or extract_author(tree)
    doc.sitename = doc.sitename or extract_sitename(tree)
    if doc.sitename:
        doc.sitename = doc.sitename.lstrip("@")
        if doc.sitename and "." not in doc.sitename and not doc.sitename[0].isupper():
            doc.sitename = doc.sitename.title()
    elif match := META_URL.match(doc.url or extract_url(tree, url) or ""):
        doc.sitename = match[1]
    doc.categories = doc.categories or extract_catstags("category", tree)
    doc.tags = doc.tags or extract_catstags("tag", tree)
    doc.clean_and_trim()
    return doc
