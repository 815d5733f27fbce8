"""The persisted LSH index: deduping a run against it gives the stories a full rebuild gives."""

from __future__ import annotations

import duckdb

from flows.dedupe.neardup import BANDS
from flows.dedupe.stories import assign_stories
from flows.store.db import connect
from flows.store.load import existing_keys, existing_signatures
from flows.store.stage import Store
from tests.unit.store.conftest import fixture_records, load_records


def stored_stories(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    rows = con.execute("select page_id, article_id, story_match, similarity from internal.pages where is_article")
    return {page_id: (article_id, match, score) for page_id, article_id, match, score in rows.fetchall()}


def test_runs_deduped_against_the_index_match_a_full_rebuild(tmp_path):
    records = fixture_records()
    store = Store(tmp_path / "p.duckdb").open()
    # Three runs, so that syndicated copies arrive after their originals and the other way round.
    for run, part in enumerate((records[::3], records[1::3], records[2::3])):
        load_records(store, part, f"r{run}")
    with store.connect() as con:
        full = assign_stories(existing_keys(con), existing_signatures(con))
        stored = stored_stories(con)
        copies = con.execute("select count(*) from internal.pages where story_match = 'near duplicate'").fetchone()
    assert copies[0] > 0
    assert stored == {page_id: (a.article_id, a.match, a.similarity) for page_id, a in full.items()}


def test_every_stored_signature_is_indexed_and_an_older_database_gets_its_index(models_db, tmp_path):
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(models_db.read_bytes())
    query = "select band, bucket, text_hash from internal.lsh_bands order by all"
    with duckdb.connect(str(copy)) as con:
        signatures, bands = con.execute(
            "select (select count(*) from internal.text_signatures), (select count(*) from internal.lsh_bands)"
        ).fetchone()
        assert bands == signatures * BANDS > 0
        expected = con.execute(query).fetchall()
        con.execute("drop table internal.lsh_bands")  # as a database made before the index existed
        con.execute("delete from schema_migrations where name = 'lsh_bands'")
    with connect(copy) as con:
        assert con.execute(query).fetchall() == expected
