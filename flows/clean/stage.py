"""The clean stage's entry point: new pages' text without each source's boilerplate, titles without site names.

Pages loaded earlier are cleaned again when their source's boilerplate changed;
``store`` (flows.store.stage.Store) holds what earlier runs saw, None on a rebuild
from the raw store alone. Sources in ``keep_promotional`` keep their pitches
(flows.clean.boilerplate).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flows.clean.boilerplate import Sighting, TextUpdate, boilerplate_reasons, clean_text, page_context, sightings
from flows.clean.titles import retitle, source_site_names
from flows.extract.page import Page, text_hash
from flows.text.tokens import WORD

if TYPE_CHECKING:
    from flows.store.stage import Store


@dataclass
class Cleaned:
    sightings: list[Sighting]
    updates: list[TextUpdate]
    boilerplate: dict[str, dict[str, str]]  # source -> {paragraph hash: reason}, for the sources of this run


def clean_pages(
    pages: list[Page], store: Store | None = None, keep_promotional: frozenset[str] = frozenset()
) -> Cleaned:
    """Set the title and cleaned text of every article page; return what the store must record."""
    articles = [p for p in pages if p.is_article]
    sources = sorted({p.source for p in articles})
    known = store is not None and bool(sources)
    earlier = store.sightings(sources) if known else []
    before = store.boilerplate(sources) if known else {}
    site_names = source_site_names(
        [*(store.titles(sources) if known else []), *((p.source, p.raw_title) for p in articles)]
    )
    retitle(articles, site_names)
    new = [
        s
        for p in articles
        for s in sightings(p.source, p.extracted_text, page_context(p, site_names.get(p.source, set())))
    ]
    after = boilerplate_reasons([*earlier, *new], keep_promotional)
    for page in articles:
        page.set_text(clean_text(page.extracted_text, after.get(page.source, {})))
    changed = sorted(s for s in {*after, *before} if after.get(s, {}).keys() != before.get(s, {}).keys())
    old_pages = store.extracted_texts(changed) if store is not None and changed else []
    updates = []
    for page_id, source, extracted, digest in old_pages:
        cleaned = clean_text(extracted, after.get(source, {}))
        if text_hash(cleaned) != digest:
            updates.append(TextUpdate(page_id, cleaned, len(WORD.findall(cleaned)), text_hash(cleaned)))
    return Cleaned(new, updates, {source: after.get(source, {}) for source in sorted({*sources, *changed})})
