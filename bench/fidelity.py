"""Extraction fidelity on the fixture pages of tests/fixtures/fidelity, against bare trafilatura.

    uv run python bench/fidelity.py        (make bench-fidelity)

For each system: body sentences kept verbatim, boilerplate strings leaked into the
text (pitches, contact blocks, stuffing, furniture, U+FFFD), headlines exactly as a
reader sees them, and publication dates exactly right (a page that states no date
must get the day it was first seen). psynews runs its whole extraction and
cleaning (flows.extract.page, flows.clean.stage); trafilatura gets the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from flows.clean.stage import clean_pages
from flows.extract.page import extract_page
from tests.fixtures import fidelity_facts as facts


@dataclass
class Result:
    text: str
    title: str | None
    date: str | None


def psynews() -> dict[str, Result]:
    pages = {record.fetch_id: extract_page(record) for record in facts.records()}
    clean_pages(list(pages.values()))
    first_seen = facts.FETCHED_AT.date().isoformat()  # what the articles view falls back to
    return {
        key: Result(p.text or "", p.title, p.published_date.isoformat() if p.published_date else first_seen)
        for key, p in pages.items()
    }


def bare_trafilatura() -> dict[str, Result]:
    found = {}
    for record in facts.records():
        doc = trafilatura.bare_extraction(record.body, url=record.url, with_metadata=True)
        found[record.fetch_id] = Result(doc.text or "", doc.title, doc.date) if doc else Result("", None, None)
    return found


def score(name: str, results: dict[str, Result]) -> None:
    sentences = kept = leaked = titles = dates = 0
    for key, expected in facts.PAGES.items():
        got = results[key]
        sentences += len(expected["sentences"])
        kept += sum(sentence in got.text for sentence in expected["sentences"])
        leaked += sum(b in got.text + "\n" for b in expected["boilerplate"])
        titles += got.title == expected["title"]
        dates += got.date == (expected["date"] or facts.FETCHED_AT.date().isoformat())
    boilerplate = sum(len(p["boilerplate"]) for p in facts.PAGES.values())
    pages = len(facts.PAGES)
    print(f"{name:<18} sentences kept {kept}/{sentences}  boilerplate leaked {leaked}/{boilerplate}  "
          f"titles exact {titles}/{pages}  dates exact {dates}/{pages}")  # fmt: skip


def main() -> None:
    print(f"{len(facts.PAGES)} pages from {len(facts.SOURCES)} sources in tests/fixtures/fidelity")
    score("bare trafilatura", bare_trafilatura())
    score("psynews", psynews())


if __name__ == "__main__":
    main()
