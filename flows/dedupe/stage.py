"""The dedupe stage's entry point: every article page, new or loaded earlier, gets its story.

``store`` (flows.store.stage.Store) finds the stored stories the pages touch;
None on a rebuild from the raw store alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from flows.analyse.story import CpuMap
from flows.clean.boilerplate import TextUpdate
from flows.dedupe.neardup import signatures
from flows.dedupe.stories import Assignment, PageKeys, assign_stories

if TYPE_CHECKING:
    from flows.extract.page import Page
    from flows.store.stage import Store


SIGNATURE_CHUNK = 200  # texts per MinHash task on a Dask cluster


@dataclass
class Stories:
    assignments: dict[str, Assignment]  # page_id -> story
    signatures: dict[str, np.ndarray]  # new MinHash signatures, by text hash


def page_keys(page: Page) -> PageKeys:
    return PageKeys(page.page_id, page.fetched_at, page.url_key, page.canonical_key, page.text_hash,
                    page.published_date, page.syndicated_from is not None)  # fmt: skip


def sign_all(texts: dict[str, str], cpu_map: CpuMap | None = None) -> dict[str, np.ndarray]:
    """MinHash signatures by text hash; on a Dask cluster (``cpu_map``, flows.runner.cluster_map) when there is one."""
    todo = list(texts.items())
    chunks = [[text for _, text in todo[i : i + SIGNATURE_CHUNK]] for i in range(0, len(todo), SIGNATURE_CHUNK)]
    if cpu_map is None or (computed := cpu_map(signatures, chunks)) is None:
        computed = map(signatures, chunks)
    return dict(zip([h for h, _ in todo], (s for chunk in computed for s in chunk), strict=True))


def assign(pages: list[Page], updates: list[TextUpdate] = (), store: Store | None = None,
           cpu_map: CpuMap | None = None) -> Stories:  # fmt: skip
    """Stories of the article pages, and of the stored pages they touch (with ``updates`` applied).

    Without a store (a rebuild), the pages are all there is, and their signatures are computed
    on the flow's Dask cluster when it has one (``cpu_map``). With one, only the stored stories
    the pages may join are read (through the persisted LSH index), so the cost follows the run,
    not the history.
    """
    keys = [page_keys(p) for p in pages if p.is_article]
    texts = {p.text_hash: p.text for p in pages if p.is_article} | {u.text_hash: u.text for u in updates}
    if store is None:
        new = sign_all(texts, cpu_map)
        return Stories(assign_stories(keys, new), new)
    return Stories(*store.dedupe(keys, texts, {u.page_id: u.text_hash for u in updates}))
