"""A database built from every fixture page, through the real extract, clean, dedupe, load, analyse and refresh steps."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.raw_store import RawRecord
from flows.analyse.stage import analyse_stories
from flows.clean.stage import clean_pages
from flows.dedupe.stage import assign
from flows.extract.page import extract_page
from flows.report import RunReport
from flows.store.stage import Store
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


def load_records(store: Store, records: list[RawRecord], run_id: str) -> None:
    """One run over the given records through the flow's stage entry points, not yet published."""
    pages = [extract_page(r) for r in records]
    cleaned = clean_pages(pages, store)
    reports = {s: RunReport(s, pages_fetched=sum(p.source == s for p in pages)) for s in {p.source for p in pages}}
    store.load_run(run_id=run_id, command="run", started_at=datetime.now(UTC), pages=pages, cleaned=cleaned,
                   stories=assign(pages, cleaned.updates, store), files=[f"{run_id}.parquet"], reports=reports,
                   rebuild=False)  # fmt: skip
    analyse_stories(store)


def build(db: Path) -> Path:
    """Every fixture page through the same stage entry points as the flow's tasks; return the published file."""
    store = Store(db).open()
    load_records(store, fixture_records(), "r1")
    store.publish()
    return db


@pytest.fixture(scope="session")
def models_db(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("models") / "fixture.duckdb")
