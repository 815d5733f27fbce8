"""The dedupe stage's entry point: every article page, new or loaded earlier, gets its story.

``store`` (flows.store.stage.Store) gives the keys and MinHash signatures of
the pages loaded earlier; None on a rebuild from the raw store alone.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from flows.clean.boilerplate import TextUpdate
from flows.dedupe.neardup import signature
from flows.dedupe.stories import Assignment, PageKeys, assign_stories
from flows.extract.page import Page

if TYPE_CHECKING:
    from flows.store.stage import Store


@dataclass
class Stories:
    assignments: dict[str, Assignment]  # page_id -> story
    signatures: dict[str, np.ndarray]  # new MinHash signatures, by text hash


def page_keys(page: Page) -> PageKeys:
    return PageKeys(page.page_id, page.fetched_at, page.url_key, page.canonical_key, page.text_hash,
                    page.published_date, page.syndicated_from is not None)  # fmt: skip


def assign(pages: list[Page], updates: list[TextUpdate] = (), store: Store | None = None) -> Stories:
    """Assign every article page to a story, together with those already loaded (with ``updates`` applied)."""
    keys = [page_keys(p) for p in pages if p.is_article]
    texts = {p.text_hash: p.text for p in pages if p.is_article} | {u.text_hash: u.text for u in updates}
    known: dict[str, np.ndarray] = {}
    if store is not None:
        changed = {u.page_id: u.text_hash for u in updates}
        keys += [
            dataclasses.replace(k, text_hash=changed[k.page_id]) if k.page_id in changed else k
            for k in store.page_keys()
        ]
        known = store.signatures()
    new = {text_hash: signature(text) for text_hash, text in texts.items() if text_hash not in known}
    return Stories(assign_stories(keys, known | new), new)
