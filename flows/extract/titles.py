"""The headline as a reader sees it, without the site name that <title> adds.

The headline is og:title (or twitter:title), else the page's <h1>, else the
JSON-LD headline, else <title>. A site name at either end, cut off by a
separator ("Headline | Site", "Headline — Site", "Site: Headline"), is removed
when it is known: og:site_name, the JSON-LD publisher, what <title> adds around
the <h1>, a segment naming the host ("Harbor State University" on
harborstate.example), or the segment a source's titles share
(``shared_site_names``, applied by flows.clean). An unknown segment is kept:
"MDMA-Assisted Therapy - What We Know" is one headline.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

import lxml.html

from flows.text.tokens import words_of

# Spaced dashes, bars, bullets and guillemets; a colon only after the first segment ("Site: Headline").
SEPARATOR = re.compile(r"\s+[|\u2013\u2014\u00b7\u2022\u00bb~/-]+\s+|\s*::\s*|(?<=\w):\s+")
HOST_WORD_MIN = 4  # shorter host labels ("x", "abc") name nothing
SITE_MAX_WORDS = 6  # a longer end segment is part of the headline


def _text(values: Iterable) -> str | None:
    for value in values:
        value = " ".join(str(value).split())
        if value:
            return value
    return None


def _json_ld(tree: lxml.html.HtmlElement) -> list[dict]:
    found = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:  # broken JSON-LD is common; the other signals remain
            continue
        for item in data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []:
            if isinstance(item, dict):
                found.append(item)
    return found


def h1_text(tree: lxml.html.HtmlElement) -> str | None:
    """The article's <h1>: the one inside <article> or <main>, else the page's only one."""
    inside = tree.xpath("//article//h1 | //main//h1")
    h1s = inside or tree.xpath("//body//h1")
    return _text(h.text_content() for h in h1s[:1]) if len(h1s) == 1 or inside else None


def declared_site_names(tree: lxml.html.HtmlElement) -> set[str]:
    """Site names the page declares: og:site_name, application-name, JSON-LD publisher or WebSite name."""
    names = {str(v) for v in tree.xpath('//meta[@property="og:site_name" or @name="application-name"]/@content')}
    for item in _json_ld(tree):
        publisher = item.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.add(publisher["name"])
        if item.get("@type") == "WebSite" and isinstance(item.get("name"), str):
            names.add(item["name"])
    return {" ".join(n.split()) for n in names if n.strip()}


def _key(name: str) -> str:
    """Compare names by their words, without a leading article ("The Tidewater Courier")."""
    return re.sub(r"^the ", "", words_of(name))


def _names_host(segment: str, host: str) -> bool:
    labels = [label for label in host.split(".")[:-1] if label not in ("www", "news", "blog")]
    words = [w for label in labels for w in label.split("-") if len(w) >= HOST_WORD_MIN]
    compact = words_of(segment).replace(" ", "")
    return bool(words) and all(word in compact for word in words)


def strip_site_name(title: str, site_names: Iterable[str], url: str | None = None) -> str:
    """The title without a known site name at either end."""
    keys = {_key(n) for n in site_names} - {""}
    host = (urlsplit(url).hostname or "") if url else ""

    def is_site(segment: str) -> bool:
        if not segment.strip() or len(segment.split()) > SITE_MAX_WORDS:
            return False
        return _key(segment) in keys or bool(host and _names_host(segment, host))

    while cuts := list(SEPARATOR.finditer(title)):
        head, last = title[: cuts[-1].start()].strip(), title[cuts[-1].end() :]
        first, rest = title[: cuts[0].start()], title[cuts[0].end() :].strip()
        if head and is_site(last):
            title = head
        elif rest and is_site(first):
            title = rest
        else:
            break
    return title


def _around(raw: str, headline: str) -> str | None:
    """What <title> adds before or after the headline ("Headline | Site" -> "Site")."""
    for cut in SEPARATOR.finditer(raw):
        before, after = raw[: cut.start()].strip(), raw[cut.end() :].strip()
        if _key(before) == _key(headline):
            return after
        if _key(after) == _key(headline):
            return before
    return None


def page_title(tree: lxml.html.HtmlElement, url: str | None) -> tuple[str | None, str | None, str | None]:
    """(headline, raw <title>, site name) of a page."""
    raw = _text(t.text_content() for t in tree.xpath("//head/title | //title")[:1])
    social = _text(tree.xpath('//meta[@property="og:title" or @name="twitter:title"]/@content'))
    h1 = h1_text(tree)
    ld = _text(i["headline"] for i in _json_ld(tree) if isinstance(i.get("headline"), str))
    names = declared_site_names(tree)
    headline = social or h1 or ld
    if raw and headline and (around := _around(raw, headline)) and len(around.split()) <= SITE_MAX_WORDS:
        names.add(around)
    headline = headline or raw
    site = min(sorted(names), key=len) if names else None  # sorted: ties go the same way in every process
    return (strip_site_name(headline, names, url) if headline else None), raw, site


def shared_site_names(raw_titles: Iterable[str], min_pages: int = 2) -> set[str]:
    """End segments of <title> that several different titles of one source share: its site name."""
    ends: Counter[str] = Counter()
    for title in set(raw_titles):
        parts = [p.strip() for p in SEPARATOR.split(title)]
        if len(parts) >= 2:
            ends.update({parts[0], parts[-1]})
    return {end for end, count in ends.items() if count >= min_pages and len(end.split()) <= SITE_MAX_WORDS}
