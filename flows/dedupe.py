"""Exact deduplication: pages that share a URL identity or the same words are one story.

Keys joined: the fetched URL's key, the canonical URL's key and the text hash.
A story's id comes from the canonical key of its earliest page, so it stays
put as copies and new versions arrive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PageKeys:
    page_id: str
    fetched_at: datetime
    url_key: str
    canonical_key: str
    text_hash: str


def article_id(canonical_key: str) -> str:
    return hashlib.sha1(canonical_key.encode()).hexdigest()[:16]


def assign_stories(pages: Iterable[PageKeys]) -> dict[str, str]:
    """page_id -> article_id for every article page."""
    pages = sorted(pages, key=lambda p: (p.fetched_at, p.page_id))
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        root = key
        while parent[root] != root:
            root = parent[root]
        while parent[key] != root:  # path compression
            parent[key], key = root, parent[key]
        return root

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    for page in pages:
        keys = [f"p:{page.page_id}", f"u:{page.url_key}", f"u:{page.canonical_key}", f"t:{page.text_hash}"]
        for key in keys:
            parent.setdefault(key, key)
        for key in keys[1:]:
            union(keys[0], key)

    # The earliest page of each cluster names it.
    first: dict[str, str] = {}
    for page in pages:
        first.setdefault(find(f"p:{page.page_id}"), page.canonical_key)
    return {p.page_id: article_id(first[find(f"p:{p.page_id}")]) for p in pages}
