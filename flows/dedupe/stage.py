"""The dedupe stage's entry point: every article page, new or loaded earlier, gets its story.

``store`` (flows.store.stage.Store) gives the keys and MinHash signatures of
the pages loaded earlier; None on a rebuild from the raw store alone.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from flows.analyse.story import CpuMap
from flows.clean.boilerplate import TextUpdate
from flows.dedupe.neardup import signature, signatures
from flows.dedupe.stories import Assignment, PageKeys, assign_stories
from flows.extract.page import Page

if TYPE_CHECKING:
    from flows.store.stage import Store


SIGNATURE_CHUNK = 200  # texts per MinHash task on a Dask cluster


@dataclass
class Stories:
    assignments: dict[str, Assignment]  # page_id -> story
    signatures: dict[str, np.ndarray]  # new MinHash signatures, by text hash


def page_keys(page: Page) -> PageKeys:
    return PageKeys(page.page_id, page.fetched_at, page.url_key, page.canonical_key, page.text_hash,
                    page.published_date, page.syndicated_from is not None)  # fmt: skip


def assign(pages: list[Page], updates: list[TextUpdate] = (), store: Store | None = None,
           cpu_map: CpuMap | None = None) -> Stories:  # fmt: skip
    """Assign every article page to a story, together with those already loaded (with ``updates`` applied).

    ``cpu_map`` (flows.runner.cluster_map) computes the new MinHash signatures on a Dask cluster when there is one.
    """
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
    todo = [(text_hash, text) for text_hash, text in texts.items() if text_hash not in known]
    chunks = [[text for _, text in todo[i : i + SIGNATURE_CHUNK]] for i in range(0, len(todo), SIGNATURE_CHUNK)]
    if cpu_map is None or (computed := cpu_map(signatures, chunks)) is None:
        computed = ([signature(text) for text in chunk] for chunk in chunks)
    new = dict(zip([h for h, _ in todo], (s for chunk in computed for s in chunk), strict=True))
    return Stories(assign_stories(keys, known | new), new)
