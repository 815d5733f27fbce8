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
            for table in ("pages", "loaded_files", "paragraph_sightings", "boilerplate", "text_signatures"):
                con.execute(f"delete from internal.{table}")
        if pages:
            _write_pages(con, pages)
            crash_point("load")
        _write_cleaning(con, sightings, boilerplate or {}, updates)
        if signatures:
            rows = [{"text_hash": h, "signature": to_bytes(s)} for h, s in signatures.items()]
            _with_table(con, "new_signatures", pa.Table.from_pylist(rows),
                        "insert or ignore into internal.text_signatures select text_hash, signature from new_signatures")  # fmt: skip
        _write_stories(con, stories)
        _count_stories(reports, before, _story_states(con), pages, stories)
        if files:
            con.executemany(
                "insert or replace into internal.loaded_files values (?, ?)", [[path, run_id] for path in files]
            )
        _record_run(con, run_id, command, started_at, reports)
    return reports


def _with_table(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table, sql: str) -> None:
    """Run ``sql`` with ``table`` visible under ``name``."""
    con.register(name, table)
    try:
        con.execute(sql)
    finally:
        con.unregister(name)


def _write_pages(con: duckdb.DuckDBPyConnection, pages: list[Page]) -> None:
    rows = [{k: v for k, v in asdict(page).items() if k in PAGE_COLUMNS} for page in pages]
    columns = ", ".join(PAGE_COLUMNS)
    _with_table(con, "new_pages", pa.Table.from_pylist(rows),
                f"insert or replace into internal.pages ({columns}) select {columns} from new_pages")  # fmt: skip


def _write_cleaning(con: duckdb.DuckDBPyConnection, sightings: list[Sighting], boilerplate: dict[str, set[str]],
                    updates: list[TextUpdate]) -> None:  # fmt: skip
    """Paragraph sightings, each source's boilerplate, and the new text of pages cleaned again."""
    if sightings:
        _with_table(con, "new_sightings", pa.Table.from_pylist([asdict(s) for s in sightings]),
                    "insert or ignore into internal.paragraph_sightings"
                    " select source, paragraph_hash, page_text_hash, paragraph from new_sightings")  # fmt: skip
    for source, hashes in boilerplate.items():
        con.execute("delete from internal.boilerplate where source = ?", [source])
        if hashes:
            con.executemany("insert into internal.boilerplate values (?, ?)", [[source, h] for h in sorted(hashes)])
    if updates:
        _with_table(con, "text_updates", pa.Table.from_pylist([asdict(u) for u in updates]),
                    "update internal.pages set text = u.text, word_count = u.word_count, text_hash = u.text_hash"
                    " from text_updates u where pages.page_id = u.page_id")  # fmt: skip


def _write_stories(con: duckdb.DuckDBPyConnection, stories: dict[str, Assignment]) -> None:
    """Each article page's story; rows whose story did not change are left alone."""
    assignments = pa.Table.from_pylist(
        [{"page_id": page_id, **asdict(story)} for page_id, story in stories.items()],
        schema=pa.schema([("page_id", pa.string()), ("article_id", pa.string()), ("match", pa.string()),
                          ("similarity", pa.float64())]),
    )  # fmt: skip
    _with_table(con, "assignments", assignments,
                "update internal.pages set article_id = a.article_id, story_match = a.match, similarity = a.similarity"
                " from assignments a where pages.page_id = a.page_id and ("
                " pages.article_id is distinct from a.article_id or pages.story_match is distinct from a.match"
                " or pages.similarity is distinct from a.similarity)")  # fmt: skip


def _count_stories(reports: dict[str, RunReport], before: dict[str, tuple[str, str]],
                   after: dict[str, tuple[str, str]], pages: list[Page], stories: dict[str, Assignment]) -> None:  # fmt: skip
    """New and updated stories per source, and this run's article pages that copy a story, not its home."""
    for article_id, (source, digest) in after.items():
        report = reports.setdefault(source, RunReport(source))
        if article_id not in before:
            report.new_articles += 1
        elif before[article_id][1] != digest:
            report.updated_articles += 1
    for page in pages:
        if page.is_article and stories[page.page_id].match != "home":
            reports.setdefault(page.source, RunReport(page.source)).duplicates += 1


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
    _with_table(con, "incoming", data, f"insert into {table} select {', '.join(columns)} from incoming")


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
