"""Titles cleaned with what a source's pages share: the site name no single page gave away."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from flows.extract.titles import shared_site_names, strip_site_name


def source_site_names(raw_titles: Iterable[tuple[str, str | None]]) -> dict[str, set[str]]:
    """source -> the end segments its <title>s share, from (source, raw title) pairs."""
    titles: dict[str, list[str]] = defaultdict(list)
    for source, title in raw_titles:
        if title:
            titles[source].append(title)
    return {source: shared_site_names(found) for source, found in titles.items()}


def retitle(pages: list, names: dict[str, set[str]]) -> None:
    """Strip the source's shared site name from each page's headline, where one is left."""
    for page in pages:
        if page.title and names.get(page.source):
            page.title = strip_site_name(page.title, names[page.source])
