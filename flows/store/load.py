"""Load one run's pages, story assignments and summary into DuckDB, in one transaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime

import duckdb
import numpy as np
import pyarrow as pa

from flows.clean.boilerplate import PITCHES, Sighting, TextUpdate
from flows.clean.promotional import CLOSING
from flows.dedupe.neardup import band_hashes, from_bytes, signatures, to_bytes
from flows.dedupe.stories import Assignment, PageKeys, assign_stories
from flows.extract.page import Page
from flows.report import RunReport
from flows.store.db import transaction
from flows.store.faults import crash_point
from flows.store.materialise import mark_dirty

PAGE_COLUMNS = [
    "page_id", "source", "url", "fetched_at", "status", "url_key", "is_article", "skip_reason",
    "canonical_url", "canonical_key", "syndicated_from", "title", "author", "published_date", "date_source", "updated_date",
    "spam_score", "language", "site_name",
    "description", "tags", "links", "extracted_text", "word_count", "text", "text_hash",
    "raw_title", "encoding", "declared_encoding", "is_encoding_overridden",
]  # fmt: skip


def existing_keys(con: duckdb.DuckDBPyConnection) -> list[PageKeys]:
    """Dedupe keys of the article pages already loaded."""
    rows = con.execute(
        "select page_id, fetched_at, url_key, canonical_key, text_hash, published_date, syndicated_from is not null"
        " from internal.pages where is_article"
    ).fetchall()
    return [PageKeys(*row) for row in rows]


def existing_signatures(con: duckdb.DuckDBPyConnection, text_hashes: list[str] | None = None) -> dict[str, np.ndarray]:
    """Stored MinHash signatures: of the given texts, or all."""
    sql = "select text_hash, signature from internal.text_signatures"
    if text_hashes is None:
        rows = con.execute(sql).fetchall()
    elif text_hashes:
        # A list of constants, not a parameter or a semi-join: DuckDB then looks each text up in the primary key's
        # index (milliseconds) instead of scanning every stored signature (a second at a million).
        rows = con.execute(f"{sql} where text_hash in ({', '.join(_literal(h) for h in text_hashes)})").fetchall()
    else:
        rows = []
    return {text_hash: from_bytes(blob) for text_hash, blob in rows}


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def band_rows(signatures: dict[str, np.ndarray]) -> pa.Table:
    """(band, bucket, text_hash) rows of the LSH index for the given signatures."""
    hashes = list(signatures)
    buckets = band_hashes(np.stack([signatures[h] for h in hashes])) if hashes else np.zeros((0, 0), np.uint64)
    bands = buckets.shape[1] if hashes else 0
    return pa.table({
        "band": pa.array(np.tile(np.arange(bands, dtype=np.uint8), len(hashes))),
        "bucket": pa.array(buckets.reshape(-1)),
        "text_hash": pa.array(np.repeat(np.array(hashes, dtype=object), bands), pa.string()),
    })  # fmt: skip


def index_signatures(con: duckdb.DuckDBPyConnection, signatures: dict[str, np.ndarray]) -> None:
    """Store new signatures and their LSH band rows (texts already stored are skipped)."""
    rows = pa.table({"text_hash": list(signatures), "signature": [to_bytes(s) for s in signatures.values()]})
    con.register("new_signatures", rows)
    fresh = [h for (h,) in con.execute(
        "select text_hash from new_signatures where text_hash not in (select text_hash from internal.text_signatures)"
    ).fetchall()]  # fmt: skip
    con.execute(
        "insert into internal.text_signatures select text_hash, signature from new_signatures"
        " where text_hash in (select unnest(?))",
        [fresh],
    )
    con.unregister("new_signatures")
    con.register("new_bands", band_rows({h: signatures[h] for h in fresh}))
    con.execute("insert into internal.lsh_bands select band, bucket, text_hash from new_bands")
    con.unregister("new_bands")


def index_stored_signatures(con: duckdb.DuckDBPyConnection, chunk: int = 100_000) -> None:
    """Band rows for every stored signature: fills the LSH index of a database made before it existed."""
    stored = con.sql("select text_hash, signature from internal.text_signatures").to_arrow_table()
    for batch in stored.to_batches(chunk):
        rows = zip(batch.column(0).to_pylist(), batch.column(1).to_pylist(), strict=True)
        con.register("new_bands", band_rows({h: from_bytes(blob) for h, blob in rows}))
        con.execute("insert into internal.lsh_bands select band, bucket, text_hash from new_bands")
        con.unregister("new_bands")


def related_keys(
    con: duckdb.DuckDBPyConnection, keys: list[PageKeys], new_signatures: dict[str, np.ndarray], page_ids: list[str]
) -> tuple[list[PageKeys], dict[str, np.ndarray]]:
    """Keys and signatures of every stored page in a story that the given pages may join.

    A page joins a story through a shared URL or canonical key, the same text, a
    near-duplicate text (a stored signature sharing an LSH band with one of
    ``new_signatures``), or by being one of ``page_ids`` (pages whose text
    changed). Stories are closed under these links, so deduping these pages
    alone gives what deduping everything would; the cost follows the run, not
    the history.
    """
    with _registered(con, "probe_bands", band_rows(new_signatures)):
        near = [h for (h,) in con.execute("""
            select distinct lsh_bands.text_hash
            from internal.lsh_bands
            inner join probe_bands on lsh_bands.band = probe_bands.band and lsh_bands.bucket = probe_bands.bucket
        """).fetchall()]  # fmt: skip
    probe_keys = sorted({k.url_key for k in keys} | {k.canonical_key for k in keys})
    probe_texts = sorted({k.text_hash for k in keys} | set(new_signatures) | set(near))
    links = {"url_key": probe_keys, "canonical_key": probe_keys, "text_hash": probe_texts, "page_id": page_ids}
    # One semi-join per link against a registered table, each scanning one column of the pages: a list parameter
    # (list_contains, or unnest) is searched row by row and costs seconds at a million pages.
    probes = pa.table({"link": pa.array([c for c, values in links.items() for _ in values], pa.string()),
                       "value": pa.array([v for values in links.values() for v in values], pa.string())})  # fmt: skip
    linked = " union ".join(f"select article_id from internal.pages where is_article"
                            f" and {c} in (select value from probes where link = '{c}')" for c in links)  # fmt: skip
    with _registered(con, "probes", probes):
        found = [a for (a,) in con.execute(linked).fetchall() if a is not None]
    with _registered(con, "stories", pa.table({"article_id": pa.array(found, pa.string())})):
        rows = con.execute(
            "select page_id, fetched_at, url_key, canonical_key, text_hash, published_date, syndicated_from is not null"
            " from internal.pages where is_article and article_id in (select article_id from stories)"
        ).fetchall()
    related = [PageKeys(*row) for row in rows]
    return related, existing_signatures(con, sorted({k.text_hash for k in related}))


def dedupe_with_stored(
    con: duckdb.DuckDBPyConnection, keys: list[PageKeys], texts: dict[str, str], changed: dict[str, str]
) -> tuple[dict[str, Assignment], dict[str, np.ndarray]]:
    """Stories of a run's article pages (``keys``, texts by hash) and of the stored pages they touch.

    ``changed`` maps stored pages whose text changed to their new text hash.
    Returns the assignments (page_id -> story) of those pages only (the other
    stored pages keep theirs) and the signatures of texts not stored yet.
    """
    known = existing_signatures(con, list(texts))
    todo = [text_hash for text_hash in texts if text_hash not in known]
    new = dict(zip(todo, signatures([texts[h] for h in todo]), strict=True))
    related, stored = related_keys(con, keys, new, list(changed))
    related = [dataclasses.replace(k, text_hash=changed[k.page_id]) if k.page_id in changed else k for k in related]
    return assign_stories(keys + related, stored | known | new), new


def existing_sightings(con: duckdb.DuckDBPyConnection, sources: list[str]) -> list[Sighting]:
    """The sources' paragraphs already seen; the text only of closing pitches (what near repeats compare)."""
    rows = con.execute(
        "select source, paragraph_hash, page_text_hash,"
        " case when cue in (select unnest(?)) and from_end < ? then paragraph else '' end,"
        " coalesce(from_end, 0), cue from internal.paragraph_sightings where source in (select unnest(?))",
        [list(PITCHES), CLOSING, sources],
    ).fetchall()
    return [Sighting(*row) for row in rows]


def existing_boilerplate(con: duckdb.DuckDBPyConnection, sources: list[str]) -> dict[str, dict[str, str]]:
    """source -> {paragraph hash: reason} removed from the sources' articles so far."""
    found: dict[str, dict[str, str]] = {}
    rows = con.execute(
        "select source, paragraph_hash, coalesce(reason, 'repeated') from internal.boilerplate"
        " where source in (select unnest(?))",
        [sources],
    ).fetchall()
    for source, digest, reason in rows:
        found.setdefault(source, {})[digest] = reason
    return found


def existing_titles(con: duckdb.DuckDBPyConnection, sources: list[str]) -> list[tuple[str, str]]:
    """(source, raw <title>) of the sources' article pages."""
    return con.execute(
        "select source, raw_title from internal.pages where is_article and raw_title is not null"
        " and source in (select unnest(?))",
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
    boilerplate: dict[str, dict[str, str]] | None = None,
    updates: list[TextUpdate] = (),
    rebuild: bool = False,
) -> dict[str, RunReport]:
    """Write everything of one run, or nothing. ``stories`` maps page_id -> its story; ``signatures`` are new."""
    with transaction(con):
        before = _story_states(con)
        if rebuild:
            mark_dirty(con, "select article_id from internal.pages")
            for table in ("pages", "loaded_files", "paragraph_sightings", "boilerplate", "text_signatures",
                          "lsh_bands"):  # fmt: skip
                con.execute(f"delete from internal.{table}")
        if pages:
            _write_pages(con, pages)
            crash_point("load")
        _write_cleaning(con, sightings, boilerplate or {}, updates)
        if signatures:
            index_signatures(con, signatures)
        _write_stories(con, stories)
        _count_stories(reports, before, _story_states(con), pages, stories)
        if files:
            con.executemany(
                "insert or replace into internal.loaded_files values (?, ?)", [[path, run_id] for path in files]
            )
        _record_run(con, run_id, command, started_at, reports)
    return reports


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> Iterator[None]:
    """``table`` visible to SQL as ``name`` inside the block."""
    con.register(name, table)
    try:
        yield
    finally:
        con.unregister(name)


def _write_pages(con: duckdb.DuckDBPyConnection, pages: list[Page]) -> None:
    rows = [{k: v for k, v in asdict(page).items() if k in PAGE_COLUMNS} for page in pages]
    columns = ", ".join(PAGE_COLUMNS)
    with _registered(con, "new_pages", pa.Table.from_pylist(rows)):
        con.execute(f"insert or replace into internal.pages ({columns}) select {columns} from new_pages")


def _write_cleaning(con: duckdb.DuckDBPyConnection, sightings: list[Sighting], boilerplate: dict[str, dict[str, str]],
                    updates: list[TextUpdate]) -> None:  # fmt: skip
    """Paragraph sightings, each source's boilerplate (hash -> reason), and the new text of pages cleaned again."""
    if sightings:
        with _registered(con, "new_sightings", pa.Table.from_pylist([asdict(s) for s in sightings])):
            con.execute(
                "insert or ignore into internal.paragraph_sightings"
                " (source, paragraph_hash, page_text_hash, paragraph, from_end, cue)"
                " select source, paragraph_hash, page_text_hash, paragraph, from_end, cue from new_sightings"
            )
    for source, reasons in boilerplate.items():
        con.execute("delete from internal.boilerplate where source = ?", [source])
        if reasons:
            con.executemany(
                "insert into internal.boilerplate (source, paragraph_hash, reason) values (?, ?, ?)",
                [[source, h, reasons[h]] for h in sorted(reasons)],
            )
    if updates:
        with _registered(con, "text_updates", pa.Table.from_pylist([asdict(u) for u in updates])):
            con.execute(
                "update internal.pages set text = u.text, word_count = u.word_count, text_hash = u.text_hash"
                " from text_updates u where pages.page_id = u.page_id"
            )
            mark_dirty(con, "select article_id from internal.pages where page_id in (select page_id from text_updates)")


def _write_stories(con: duckdb.DuckDBPyConnection, stories: dict[str, Assignment]) -> None:
    """Each article page's story; rows whose story did not change are left alone."""
    assignments = pa.Table.from_pylist(
        [{"page_id": page_id, **asdict(story)} for page_id, story in stories.items()],
        schema=pa.schema([("page_id", pa.string()), ("article_id", pa.string()), ("match", pa.string()),
                          ("similarity", pa.float64())]),
    )  # fmt: skip
    with _registered(con, "assignments", assignments):
        # The stories each changed page leaves and joins both need their aggregates recomputed.
        mark_dirty(
            con,
            "select unnest([p.article_id, a.article_id]) as article_id from internal.pages p"
            " join assignments a on p.page_id = a.page_id where p.article_id is distinct from a.article_id"
            " or p.story_match is distinct from a.match or p.similarity is distinct from a.similarity",
        )
        con.execute(
            "update internal.pages set article_id = a.article_id, story_match = a.match, similarity = a.similarity"
            " from assignments a where pages.page_id = a.page_id and ("
            " pages.article_id is distinct from a.article_id or pages.story_match is distinct from a.match"
            " or pages.similarity is distinct from a.similarity)"
        )


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
            " errors, failed, error_detail, not_modified, skipped, empty_extractions, errors_by_kind, quarantined_parts)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, map(?, ?), ?)",
            [
                run_id, r.source, r.pages_fetched, r.new_articles, r.updated_articles, r.duplicates,
                r.errors, r.failed, "\n".join([*r.quarantined, *r.error_detail][:10]) or None, r.not_modified,
                r.skipped, r.empty_extractions, list(r.errors_by_kind), list(r.errors_by_kind.values()),
                len(r.quarantined),
            ],
        )  # fmt: skip


ANALYSIS_TABLES = {
    "analysed": "internal.analysed_articles",
    "topics": "internal.article_topics",
    "claims": "internal.article_claims",
    "citations": "internal.article_citations",
}


def stories_to_analyse(con: duckdb.DuckDBPyConnection, rules: str) -> list[tuple]:
    """(article_id, text_hash, title, text, links, published_date) of stories whose text or rules changed since
    their analysis."""
    return con.execute(
        "select s.article_id, p.text_hash, p.title, p.text, coalesce(p.links, []), p.published_date"
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
    with _registered(con, "incoming", data):
        con.execute(f"insert into {table} select {', '.join(columns)} from incoming")


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
        mark_dirty(con, "select unnest(?) as article_id", [analysed])
