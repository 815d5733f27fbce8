"""Deduplication: pages that are one story get one article_id.

Pages join when they share the fetched URL's identity, a same-host
rel=canonical, the same words (exact copies), or near-duplicate words
(syndicated copies with edits; see flows.dedupe.neardup). Each story then gets a
home: the URL its original publisher gave it. The home is the earliest
published of the story's URLs, preferring pages that don't declare a
canonical on another host (syndicated copies usually do), then the URL most
of its pages name as canonical. The story's id comes from its earliest
fetched page, so it stays put as copies and new versions arrive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from flows.dedupe.neardup import near_duplicate_pairs, similarity


@dataclass(frozen=True)
class PageKeys:
    page_id: str
    fetched_at: datetime
    url_key: str
    canonical_key: str
    text_hash: str
    published_date: date | None = None
    syndicated: bool = False  # the page names a canonical URL on another host


@dataclass(frozen=True)
class Assignment:
    article_id: str
    match: str  # home, url variant, same text, near duplicate
    similarity: float | None  # to the story's current text, when known


def article_id(canonical_key: str) -> str:
    return hashlib.sha1(canonical_key.encode()).hexdigest()[:16]


class _Clusters:
    """Union-find over string keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:  # path compression
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _home_key(pages: list[PageKeys]) -> str:
    groups: dict[str, list[PageKeys]] = {}
    for page in pages:
        groups.setdefault(page.canonical_key, []).append(page)

    def rank(key: str):
        group = groups[key]
        published = min((p.published_date for p in group if p.published_date), default=None)
        return (
            any(p.syndicated for p in group),
            published is None,
            published or date.max,
            -len(group),
            min(p.fetched_at for p in group),
            key,
        )

    return min(groups, key=rank)


def assign_stories(pages: Iterable[PageKeys], signatures: dict[str, np.ndarray] | None = None) -> dict[str, Assignment]:
    """page_id -> Assignment for every article page; ``signatures`` (text_hash -> MinHash) enables near-duplicates."""
    pages = sorted(pages, key=lambda p: (p.fetched_at, p.page_id))
    clusters = _Clusters()
    for page in pages:
        node = f"p:{page.page_id}"
        for key in (f"u:{page.url_key}", f"u:{page.canonical_key}", f"t:{page.text_hash}"):
            clusters.union(node, key)
    if signatures:
        hashes = {page.text_hash for page in pages}
        for a, b, _ in near_duplicate_pairs((h, s) for h, s in signatures.items() if h in hashes):
            clusters.union(f"t:{a}", f"t:{b}")

    members: dict[str, list[PageKeys]] = {}
    for page in pages:
        members.setdefault(clusters.find(f"p:{page.page_id}"), []).append(page)

    assignments: dict[str, Assignment] = {}
    for story in members.values():
        story_id = article_id(story[0].canonical_key)
        home_key = _home_key(story)
        home = [p for p in story if p.canonical_key == home_key and p.url_key == home_key]
        home = home or [p for p in story if p.canonical_key == home_key]
        current = max(home, key=lambda p: (p.fetched_at, p.page_id))
        home_ids = {p.page_id for p in home}
        home_hashes = {p.text_hash for p in home}
        for page in story:
            if page.page_id in home_ids:
                match = "home"
            elif home_key in (page.canonical_key, page.url_key):
                match = "url variant"
            elif page.text_hash in home_hashes:
                match = "same text"
            else:
                match = "near duplicate"
            if page.text_hash == current.text_hash:
                score = 1.0
            elif signatures and page.text_hash in signatures and current.text_hash in signatures:
                score = similarity(signatures[page.text_hash], signatures[current.text_hash])
            else:
                score = None
            assignments[page.page_id] = Assignment(story_id, match, score)
    return assignments
