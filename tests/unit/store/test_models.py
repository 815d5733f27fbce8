"""The SQL models: build order, settings, and every public view's documented grain checked on the fixture data."""

from __future__ import annotations

import re

import duckdb
import pytest

from flows.store.db import MODELS_DIR, SQL_DIR, models, public_models, reference_types, render, settings

README = (SQL_DIR / "README.md").read_text()


def test_the_manifest_lists_every_model_file_once_in_layer_order():
    files = [m.path for m in models()]
    assert len(files) == len(set(files)) == len(list(MODELS_DIR.rglob("*.sql")))
    layers = [m.layer for m in models()]
    assert layers == sorted(layers, key=["staging", "intermediate", "marts"].index)
    assert {m.schema for m in models() if m.layer == "staging"} == {"staging"}
    assert {m.schema for m in models() if m.layer == "intermediate"} == {"internal"}


def test_a_model_reads_only_models_built_before_it():
    built: set[str] = set()
    names = {f"{m.schema}.{m.name}" for m in models()}
    for model in models():
        read = set(re.findall(r"\b((?:staging|internal|main)\.\w+)", model.sql)) & names
        assert read <= built | {f"{model.schema}.{model.name}"}, (
            f"{model.path}: reads {read - built} before it is built"
        )
        built.add(f"{model.schema}.{model.name}")


def test_thresholds_are_rendered_from_the_settings():
    assert settings()["relevance_threshold"] == 0.3
    [facts] = [m for m in models() if m.name == "int_story_facts"]
    assert "relevance >= 0.3" in facts.sql
    assert "{{" not in "".join(m.sql for m in models())
    with pytest.raises(KeyError, match=r"x\.sql: unknown setting"):
        render("select {{ no_such_setting }}", MODELS_DIR / "x.sql")


def test_every_public_view_states_its_grain_in_file_comment_and_readme():
    assert public_models()
    for model in public_models():
        assert model.grain, f"{model.path}: no '-- grain:' line"
        stated = ", ".join(model.grain)
        grain = stated if len(model.grain) == 1 else f"({stated})"
        assert f"Grain: {grain}." in model.sql, f"{model.path}: the view comment does not say 'Grain: {grain}.'"
        assert f"### `{model.name}` " in README, f"sql/README.md: no section for {model.name}"


@pytest.mark.parametrize("model", public_models(), ids=lambda m: m.name)
def test_public_view_is_unique_on_its_grain_and_documented_column_by_column(models_db, model):
    with duckdb.connect(str(models_db), read_only=True) as con:
        columns = [c[0] for c in con.execute(f"select * from main.{model.name} limit 0").description]
        key = ", ".join(model.grain)
        any_null = " or ".join(f"{c} is null" for c in model.grain)
        rows, keys, null_keys = con.execute(
            f"select count(*), count(distinct ({key})), count(*) filter (where {any_null}) from main.{model.name}"
        ).fetchone()
    assert rows > 0, f"{model.name}: the fixture data gives no rows, so its grain is untested"
    assert set(model.grain) <= set(columns)
    assert (keys, null_keys) == (rows, 0), f"{model.name}: {rows} rows but {keys} distinct ({key})"
    section = README.split(f"### `{model.name}` ")[1].split("\n### ")[0]
    missing = [c for c in columns if not re.search(rf"\b{c}\b", section)]
    assert not missing, f"sql/README.md, {model.name}: columns not documented: {missing}"


def test_claim_label_enums_hold_every_label_the_analysis_gives_in_text_order():
    # A label missing here would fail the refresh; text order keeps `order by claim_type` as before.
    from flows.analyse.claims import CLAIM_TYPES

    for name, labels in (("claim_type", CLAIM_TYPES), ("polarity", ("positive", "negative"))):
        with duckdb.connect() as con:
            [(values,)] = con.execute(f"select enum_range(null::{settings()[name]})").fetchall()
        assert values == sorted(labels), name


def test_the_topic_enum_holds_the_taxonomy_in_text_order():
    from flows.analyse.topics import load_taxonomy

    with duckdb.connect() as con:
        [(values,)] = con.execute(f"select enum_range(null::{reference_types()['topic_id']})").fetchall()
    assert values == sorted(t.topic_id for t in load_taxonomy())


def test_claims_keep_the_words_that_stand_for_an_unnamed_substance(models_db):
    with duckdb.connect(str(models_db), read_only=True) as con:
        rows = con.execute("select sentence, substance, substance_phrase from main.claims").fetchall()
    phrased = [(sentence, phrase) for sentence, substance, phrase in rows if phrase]
    assert phrased, "the fixture stories give no claim about 'the drug' or 'the spray'"
    assert all(phrase in sentence.lower() for sentence, phrase in phrased)
    spray = next(row for row in rows if row[0].startswith("Patients give themselves the spray"))
    assert spray[1:] == ("esketamine", "the spray")
    assert all(substance for _, substance, _ in rows)
