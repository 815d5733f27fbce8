"""The dedupe stage's entry point: every article page, new or loaded earlier, gets its story.

``store`` (flows.store.stage.Store) finds the stored stories the pages touch;
None on a rebuild from the raw store alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from flows.clean.boilerplate import TextUpdate
from flows.dedupe.neardup import signature
from flows.dedupe.stories import Assignment, PageKeys, assign_stories

if TYPE_CHECKING:
    from flows.extract.page import Page
    from flows.store.stage import Store


@dataclass
class Stories:
    assignments: dict[str, Assignment]  # page_id -> story
    signatures: dict[str, np.ndarray]  # new MinHash signatures, by text hash


def page_keys(page: Page) -> PageKeys:
    return PageKeys(page.page_id, page.fetched_at, page.url_key, page.canonical_key, page.text_hash,
                    page.published_date, page.syndicated_from is not None)  # fmt: skip


def assign(pages: list[Page], updates: list[TextUpdate] = (), store: Store | None = None) -> Stories:
    """Stories of the article pages, and of the stored pages they touch (with ``updates`` applied).

    Without a store (a rebuild), the pages are all there is. With one, only the
    stored stories the pages may join are read (through the persisted LSH index),
    so the cost follows the run, not the history.
    """
    keys = [page_keys(p) for p in pages if p.is_article]
    texts = {p.text_hash: p.text for p in pages if p.is_article} | {u.text_hash: u.text for u in updates}
    if store is None:
        new = {text_hash: signature(text) for text_hash, text in texts.items()}
        return Stories(assign_stories(keys, new), new)
    return Stories(*store.dedupe(keys, texts, {u.page_id: u.text_hash for u in updates}))
