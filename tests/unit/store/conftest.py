"""A database built from every fixture page, through the real extract, clean, dedupe, load, analyse and refresh steps."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.raw_store import RawRecord
from flows.analyse.citations import load_studies
from flows.analyse.story import StoryText, analyse_all, flatten, rules_fingerprint
from flows.analyse.topics import load_taxonomy
from flows.clean.boilerplate import boilerplate_hashes, clean_text, sightings
from flows.dedupe.stories import PageKeys
from flows.extract.page import extract_page
from flows.store.db import connect, refresh
from flows.store.load import (
    SourceReport,
    dedupe_with_stored,
    existing_sightings,
    load_analysis,
    load_run,
    stories_to_analyse,
)
from tests.site_server import SITE

SYNDICATION = SITE.parent / "syndication"


def fixture_records() -> list[RawRecord]:
    """Every fixture page at its URL: the clinic site (source harbor), the three syndication hosts, and one
    clinic page again under a URL variant, so that every public view has rows."""
    pages = [("harbor", "harbor.example", SITE, p) for p in SITE.rglob("index.html")]
    pages += [
        (host.name, f"{host.name}.example", host, p) for host in SYNDICATION.iterdir() for p in host.rglob("index.html")
    ]
    records = []
    for source, host, root, path in pages:
        url = f"https://{host}/{path.parent.relative_to(root).as_posix()}/".replace("/./", "/")
        records.append(_record(source, url, path.read_bytes()))
    variant = SITE / "blog" / "ketamine-clinic-access" / "index.html"
    records.append(
        _record("harbor", "https://harbor.example/Blog/ketamine-clinic-access/?utm_source=x", variant.read_bytes())
    )
    records.append(_record("harbor", "https://harbor.example/blog/lab-notes/", LAB_NOTES.encode()))
    return records


# A story citing a paper in no catalogue (unresolved_citations) and a retracted one (retracted_citations).
LAB_NOTES = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lab notes: a small ketamine pilot</title>
<meta property="article:published_time" content="2024-03-05"></head><body><main><article>
<h1>Lab notes: a small ketamine pilot</h1>
<p>A pilot study of ketamine for treatment-resistant depression enrolled twenty adults at a university clinic
and followed them for eight weeks after four infusions given over two weeks in a quiet treatment room.</p>
<p>The authors report that ketamine reduced depression scores in most participants, although the trial had no
placebo arm and the sample was small, so the result needs a larger controlled study before anyone relies on it.</p>
<p>The work appeared as Okonkwo et al. (2023) in the Journal of Quiet Results, doi:10.5555/jqr.2023.0142, and
the team says a follow-up with an active placebo is planned for next year at two more sites in the region.
Its design leans on the pooled phase 2 analysis of MDMA therapy, doi:10.1007/s00213-019-05249-5.</p>
<p>Clinic staff said patients asked most about cost, travel and how long any benefit might last after the last
session, questions the pilot was not designed to answer and that the next study will try to address.</p>
</article></main></body></html>"""


def _record(source: str, url: str, body: bytes) -> RawRecord:
    return RawRecord(
        uuid.uuid4().hex, source, "page", url, url, 200, {"content-type": "text/html; charset=utf-8"}, body
    )


def load_records(con, records: list[RawRecord], run_id: str) -> None:
    """One run over the given records, on top of what the database holds; aggregates not yet refreshed."""
    pages = [extract_page(r) for r in records]
    articles = [p for p in pages if p.is_article]
    sources = sorted({p.source for p in pages})
    seen = [s for p in articles for s in sightings(p.source, p.extracted_text)]
    earlier = existing_sightings(con, sources)
    boilerplate = boilerplate_hashes(earlier + [(s.source, s.paragraph_hash, s.page_text_hash) for s in seen])
    for page in articles:
        page.set_text(clean_text(page.extracted_text, boilerplate.get(page.source, set())))
    keys = [PageKeys(p.page_id, p.fetched_at, p.url_key, p.canonical_key, p.text_hash, p.published_date,
                     p.syndicated_from is not None) for p in articles]  # fmt: skip
    stories, new = dedupe_with_stored(con, keys, {p.text_hash: p.text for p in articles}, {})
    reports = {s: SourceReport(s, pages_fetched=sum(p.source == s for p in pages)) for s in sources}
    load_run(con, run_id=run_id, command="run", started_at=datetime.now(UTC), pages=pages,
             stories=stories, signatures=new,
             files=[f"{run_id}.parquet"], reports=reports, sightings=seen,
             boilerplate={s: boilerplate.get(s, set()) for s in sources})  # fmt: skip
    rules = rules_fingerprint()
    todo = [StoryText(a, h, t, x, tuple(links)) for a, h, t, x, links in stories_to_analyse(con, rules)]
    analyses = [a for chunk in analyse_all(todo) for a in chunk]
    topics = [{"topic_id": t.topic_id, "kind": t.kind, "label": t.label, "synonyms": list(t.synonyms)}
              for t in load_taxonomy()]  # fmt: skip
    studies = [{"study_key": s.key, "first_author": s.first_author, "year": s.year, "title": s.title,
                "journal": s.journal, "doi": s.doi, "pmid": s.pmid, "nct_id": s.nct_id, "substance": s.substance,
                "condition": s.condition, "retracted": s.retracted, "retraction_date": s.retraction_date}
               for s in load_studies()]  # fmt: skip
    load_analysis(con, flatten(analyses), rules, topics, studies)


def build(db: Path) -> Path:
    with connect(db) as con:
        load_records(con, fixture_records(), "r1")
        refresh(con)
    return db


@pytest.fixture(scope="session")
def models_db(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("models") / "fixture.duckdb")
