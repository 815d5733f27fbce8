"""The clean stage's entry point: new pages' text without each source's recurring paragraphs.

Pages loaded earlier are cleaned again when a paragraph of their source has
just become boilerplate; ``store`` (flows.store.stage.Store) holds what earlier
runs saw, None on a rebuild from the raw store alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flows.clean.boilerplate import Sighting, TextUpdate, boilerplate_hashes, clean_text, sightings
from flows.extract.page import Page, text_hash
from flows.text.tokens import WORD

if TYPE_CHECKING:
    from flows.store.stage import Store


@dataclass
class Cleaned:
    sightings: list[Sighting]
    updates: list[TextUpdate]
    boilerplate: dict[str, set[str]]  # source -> paragraph hashes removed, for the sources of this run


def clean_pages(pages: list[Page], store: Store | None = None) -> Cleaned:
    """Set the cleaned text of every article page; return what the store must record."""
    articles = [p for p in pages if p.is_article]
    sources = sorted({p.source for p in articles})
    new = [s for p in articles for s in sightings(p.source, p.extracted_text)]
    earlier = store.sightings(sources) if store is not None and sources else []
    before = boilerplate_hashes(earlier)
    after = boilerplate_hashes(earlier + [(s.source, s.paragraph_hash, s.page_text_hash) for s in new])
    for page in articles:
        page.set_text(clean_text(page.extracted_text, after.get(page.source, set())))
    changed = sorted(source for source in after if after[source] != before.get(source, set()))
    old_pages = store.extracted_texts(changed) if store is not None and changed else []
    updates = []
    for page_id, source, extracted, digest in old_pages:
        cleaned = clean_text(extracted, after[source])
        if text_hash(cleaned) != digest:
            updates.append(TextUpdate(page_id, cleaned, len(WORD.findall(cleaned)), text_hash(cleaned)))
    return Cleaned(new, updates, {source: after.get(source, set()) for source in sources})
