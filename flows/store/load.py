"""Load one run's pages, story assignments and summary into DuckDB, in one transaction."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

import duckdb
import numpy as np
import pyarrow as pa

from flows.clean.boilerplate import Sighting, TextUpdate
from flows.dedupe.neardup import from_bytes, to_bytes
from flows.dedupe.stories import Assignment, PageKeys
from flows.extract.page import Page
from flows.report import RunReport
from flows.store.db import transaction
from flows.store.faults import crash_point

PAGE_COLUMNS = [
    "page_id", "source", "url", "fetched_at", "status", "url_key", "is_article", "skip_reason",
    "canonical_url", "canonical_key", "syndicated_from", "title", "author", "published_date", "date_source", "updated_date",
    "spam_score", "language", "site_name",
    "description", "tags", "links", "extracted_text", "word_count", "text", "text_hash",
]  # fmt: skip


def existing_keys(con: duckdb.DuckDBPyConnection) -> list[PageKeys]:
    """Dedupe keys of the article pages already loaded."""
    rows = con.execute(
        "select page_id, fetched_at, url_key, canonical_key, text_hash, published_date, syndicated_from is not null"
        " from internal.pages where is_article"
    ).fetchall()
    return [PageKeys(*row) for row in rows]


def existing_signatures(con: duckdb.DuckDBPyConnection) -> dict[str, np.ndarray]:
    rows = con.execute("select text_hash, signature from internal.text_signatures").fetchall()
    return {text_hash: from_bytes(blob) for text_hash, blob in rows}


def existing_sightings(con: duckdb.DuckDBPyConnection, sources: list[str]) -> list[tuple[str, str, str]]:
    """(source, paragraph_hash, page_text_hash) of the sources' paragraphs already seen."""
    return con.execute(
        "select source, paragraph_hash, page_text_hash from internal.paragraph_sightings"
        " where source in (select unnest(?))",
        [sources],
    ).fetchall()


def extracted_texts(con: duckdb.DuckDBPyConnection, sources: list[str]) -> list[tuple[str, str, str, str]]:
    """(page_id, source, extracted_text, text_hash) of the sources' article pages."""
    return con.execute(
        "select page_id, source, extracted_text, text_hash from internal.pages"
        " where is_article and source in (select unnest(?))",
        [sources],
    ).fetchall()


def _story_states(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    """article_id -> (source, text hash of its current text)."""
    rows = con.execute(
        "select s.article_id, p.source, p.text_hash from internal.int_stories s"
        " join internal.pages p on s.page_id = p.page_id"
    ).fetchall()
    return {article_id: (source, digest) for article_id, source, digest in rows}


def load_run(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    command: str,
    started_at: datetime,
    pages: list[Page],
    stories: dict[str, Assignment],
    signatures: dict[str, np.ndarray] | None = None,
    files: list[str],
    reports: dict[str, RunReport],
    sightings: list[Sighting] = (),
    boilerplate: dict[str, set[str]] | None = None,
    updates: list[TextUpdate] = (),
    rebuild: bool = False,
) -> dict[str, RunReport]:
    """Write everything of one run, or nothing. ``stories`` maps page_id -> its story; ``signatures`` are new."""
    with transaction(con):
        before = _story_states(con)
        if rebuild:
            con.execute("delete from internal.pages")
            con.execute("delete from internal.loaded_files")
            con.execute("delete from internal.paragraph_sightings")
            con.execute("delete from internal.boilerplate")
            con.execute("delete from internal.text_signatures")

        rows = [{k: v for k, v in asdict(page).items() if k in PAGE_COLUMNS} for page in pages]
        new_pages = pa.Table.from_pylist(rows) if rows else None
        if new_pages is not None:
            con.register("new_pages", new_pages)
            columns = ", ".join(PAGE_COLUMNS)
            con.execute(f"insert or replace into internal.pages ({columns}) select {columns} from new_pages")
            con.unregister("new_pages")
            crash_point("load")

        if sightings:
            con.register("new_sightings", pa.Table.from_pylist([asdict(s) for s in sightings]))
            con.execute(
                "insert or ignore into internal.paragraph_sightings"
                " select source, paragraph_hash, page_text_hash, paragraph from new_sightings"
            )
            con.unregister("new_sightings")
        for source, hashes in (boilerplate or {}).items():
            con.execute("delete from internal.boilerplate where source = ?", [source])
            if hashes:
                con.executemany("insert into internal.boilerplate values (?, ?)", [[source, h] for h in sorted(hashes)])
        if updates:
            con.register("text_updates", pa.Table.from_pylist([asdict(u) for u in updates]))
            con.execute(
                "update internal.pages set text = u.text, word_count = u.word_count, text_hash = u.text_hash"
                " from text_updates u where pages.page_id = u.page_id"
            )
            con.unregister("text_updates")

        if signatures:
            rows = [{"text_hash": h, "signature": to_bytes(s)} for h, s in signatures.items()]
            con.register("new_signatures", pa.Table.from_pylist(rows))
            con.execute(
                "insert or ignore into internal.text_signatures select text_hash, signature from new_signatures"
            )
            con.unregister("new_signatures")

        assignments = pa.Table.from_pylist(
            [{"page_id": page_id, **asdict(story)} for page_id, story in stories.items()],
            schema=pa.schema([("page_id", pa.string()), ("article_id", pa.string()), ("match", pa.string()),
                              ("similarity", pa.float64())]),
        )  # fmt: skip
        con.register("assignments", assignments)
        con.execute(
            "update internal.pages set article_id = a.article_id, story_match = a.match, similarity = a.similarity"
            " from assignments a where pages.page_id = a.page_id and ("
            " pages.article_id is distinct from a.article_id or pages.story_match is distinct from a.match"
            " or pages.similarity is distinct from a.similarity)"
        )
        con.unregister("assignments")

        after = _story_states(con)
        for article_id, (source, digest) in after.items():
            report = reports.setdefault(source, RunReport(source))
            if article_id not in before:
                report.new_articles += 1
            elif before[article_id][1] != digest:
                report.updated_articles += 1
        if new_pages is not None:
            # Article pages of this run that are a copy of a story, not its home.
            for page in pages:
                if page.is_article and stories[page.page_id].match != "home":
                    reports.setdefault(page.source, RunReport(page.source)).duplicates += 1

        if files:
            con.executemany(
                "insert or replace into internal.loaded_files values (?, ?)", [[path, run_id] for path in files]
            )
        _record_run(con, run_id, command, started_at, reports)
    return reports


def _record_run(con, run_id: str, command: str, started_at: datetime, reports: dict[str, RunReport]) -> None:
    items = list(reports.values())
    con.execute(
        "insert into runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id, command, started_at, datetime.now(UTC), len(items), sum(r.failed for r in items),
            sum(r.pages_fetched for r in items), sum(r.new_articles for r in items),
            sum(r.updated_articles for r in items), sum(r.duplicates for r in items), sum(r.errors for r in items),
        ],
    )  # fmt: skip
    for r in items:
        con.execute(
            "insert into run_sources (run_id, source, pages_fetched, new_articles, updated_articles, duplicates,"
            " errors, failed, error_detail, not_modified, skipped, empty_extractions, errors_by_kind)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, map(?, ?))",
            [
                run_id, r.source, r.pages_fetched, r.new_articles, r.updated_articles, r.duplicates,
                r.errors, r.failed, "\n".join(r.error_detail[:10]) or None, r.not_modified, r.skipped,
                r.empty_extractions, list(r.errors_by_kind), list(r.errors_by_kind.values()),
            ],
        )  # fmt: skip


ANALYSIS_TABLES = {
    "analysed": "internal.analysed_articles",
    "topics": "internal.article_topics",
    "claims": "internal.article_claims",
    "citations": "internal.article_citations",
}


def stories_to_analyse(con: duckdb.DuckDBPyConnection, rules: str) -> list[tuple]:
    """(article_id, text_hash, title, text, links) of stories whose text or rules changed since their analysis."""
    return con.execute(
        "select s.article_id, p.text_hash, p.title, p.text, coalesce(p.links, [])"
        " from internal.int_stories s join internal.pages p on p.page_id = s.page_id"
        " left join internal.analysed_articles x"
        "   on x.article_id = s.article_id and x.text_hash = p.text_hash and x.rules = ?"
        " where x.article_id is null",
        [rules],
    ).fetchall()


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    columns = [c[0] for c in con.execute(f"select * from {table} limit 0").description]
    data = pa.table({c: [row.get(c) for row in rows] for c in columns})
    con.register("incoming", data)
    con.execute(f"insert into {table} select {', '.join(columns)} from incoming")
    con.unregister("incoming")


def load_analysis(
    con: duckdb.DuckDBPyConnection, rows: dict[str, list[dict]], rules: str, topics: list[dict], studies: list[dict]
) -> None:
    """Replace the analysis of the given stories and the reference data, in one transaction."""
    analysed = [row["article_id"] for row in rows["analysed"]]
    for row in rows["analysed"]:
        row["rules"] = rules
    with transaction(con):
        con.execute("delete from internal.ref_topics")
        con.execute("delete from internal.ref_studies")
        _insert_rows(con, "internal.ref_topics", topics)
        _insert_rows(con, "internal.ref_studies", studies)
        for key, table in ANALYSIS_TABLES.items():
            # Stories analysed now, and stories that no longer exist (merged into another).
            con.execute(
                f"delete from {table} where article_id in (select unnest(?))"
                " or article_id not in (select article_id from internal.int_stories)",
                [analysed],
            )
            _insert_rows(con, table, rows[key])
            crash_point("analyse")
