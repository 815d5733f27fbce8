"""Clean a batch of extracted articles with what their sources' other pages teach."""

from __future__ import annotations

from collections.abc import Iterable

from flows.clean.boilerplate import Sighting, boilerplate_reasons, clean_text, page_context, sightings
from flows.clean.titles import retitle, source_site_names


def clean_pages(
    articles: list,
    earlier: Iterable[Sighting] = (),
    earlier_titles: Iterable[tuple[str, str]] = (),
    keep_promotional: frozenset[str] = frozenset(),
) -> tuple[list[Sighting], dict[str, dict[str, str]]]:
    """Retitle and clean the articles (flows.extract.page.Page) in place.

    Returns their paragraph sightings and, per source, the boilerplate found from
    these and the earlier sightings: {paragraph hash: reason}.
    """
    site_names = source_site_names([*earlier_titles, *((p.source, p.raw_title) for p in articles)])
    retitle(articles, site_names)
    new = [
        s
        for p in articles
        for s in sightings(p.source, p.extracted_text, page_context(p, site_names.get(p.source, set())))
    ]
    found = boilerplate_reasons([*earlier, *new], keep_promotional)
    for page in articles:
        page.set_text(clean_text(page.extracted_text, found.get(page.source, {})))
    return new, found
