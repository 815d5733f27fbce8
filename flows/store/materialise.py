"""Publish-time materialisation: aggregates kept as tables and refreshed for what a run touched.

Each materialised model (sql/models/manifest.toml [materialized]) is a view
that computes its rows from the stories, plus a table ``internal.mat_<name>``
holding them; the public marts read the tables. Loads mark the stories they
change in ``internal.dirty_stories``; ``refresh`` recomputes only the rows of
those stories, of the months they were and are in, and of their sources, then
clears the marks. A month aggregate with many rows per month is refreshed by
group instead ("month, claim_key of int_story_claims"): only its groups the
touched stories were or are in, read from its story-grain table. A run that
changed nothing refreshes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

import duckdb

if TYPE_CHECKING:
    import pyarrow as pa

FACTS = "internal.mat_story_facts"  # story -> month and source, read by the other aggregates


class Changed(NamedTuple):
    """The rows of ``table`` a refresh replaced: those whose ``columns`` equal one of ``keys``."""

    table: str
    columns: list[str]
    keys: pa.Table


class Materialised(Protocol):
    view: str
    table: str
    scope: str
    scope_columns: str
    groups_from: str | None  # the story-grain table naming a group-scoped model's groups
    groups: str  # the temp table of those groups, created empty by the caller
    order: str | None


def _rows(model: Materialised, where: str = "true") -> str:
    """The model's rows to insert, in the order its public view is read in: a table stored in that order
    makes the readers' ``order by`` cheap (the sort finds its input in order, and fetches it in sequence)."""
    return f"select * from {model.view} where {where}" + (f" order by {model.order}" if model.order else "")


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in con.execute(f"describe select * from {relation}").fetchall()]


def ensure_table(con: duckdb.DuckDBPyConnection, model: Materialised) -> bool:
    """Create the model's table, or recreate it when its columns changed; True when it needs a full refresh."""
    schema, name = model.table.split(".")
    exists = con.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?", [schema, name]
    ).fetchone()[0]
    if exists and _columns(con, model.table) == _columns(con, model.view):
        return False
    con.execute(f"create or replace table {model.table} as select * from {model.view} with no data")
    return True


def mark_dirty(con: duckdb.DuckDBPyConnection, article_ids_sql: str, params: list | None = None) -> None:
    """Remember stories (a query giving article_id) whose aggregates the next refresh must recompute."""
    con.execute(
        f"insert or ignore into internal.dirty_stories select distinct article_id from ({article_ids_sql})"
        " where article_id is not null",
        params or [],
    )


def refresh(con: duckdb.DuckDBPyConnection, models: Sequence[Materialised], full: bool = False,
            changed: list[Changed] | None = None) -> int:  # fmt: skip
    """Bring every materialised table up to date; return how many stories were recomputed (all when ``full``).

    Call inside a transaction, with the dirty stories in temp table touched_stories (flows.store.db.refresh):
    the tables and the marks change together. ``changed`` receives, per table, the keys of the rows it
    replaced (so the other copy can take those rows instead of recomputing them).
    """
    if full:
        for model in models:
            con.execute(f"delete from {model.table}")
            con.execute(f"insert into {model.table} {_rows(model)}")
        con.execute("delete from internal.dirty_stories")
        return con.execute(f"select count(*) from {FACTS}").fetchone()[0]
    touched = con.execute("select count(*) from internal.dirty_stories").fetchone()[0]
    if not touched:
        return 0
    # Months and sources the stories were in before this refresh: a story that moved leaves one behind.
    con.execute(
        f"create or replace temp table touched_before as select month, source from {FACTS}"
        " where article_id in (select article_id from touched_stories)"
    )
    for model in models:  # the groups the stories were in, before their story-grain rows change
        if model.groups_from:
            _add_groups(con, model)
    scopes = {
        "article_id": "select article_id from touched_stories",
        "month": "select month from touched_months",
        "source": "select source from touched_sources",
    }
    for model in models:
        if model.groups_from:  # and the groups they are in now; the caller narrowed the view to them
            _add_groups(con, model)
            columns = model.scope_columns.replace(" ", "").split(",")
            keys = " and ".join(f"t.{c} = g.{c}" for c in columns)
            con.execute(f"delete from {model.table} t using {model.groups} g where {keys}")
            con.execute(f"insert into {model.table} {_rows(model)}")
            scope = f"select distinct {model.scope_columns} from {model.groups}"
        else:
            if model.scope != "article_id" and model.table != FACTS:
                _touched_groups(con)
            columns, scope = [model.scope], scopes[model.scope]
            con.execute(f"delete from {model.table} where {model.scope} in ({scope})")
            con.execute(f"insert into {model.table} {_rows(model, f'{model.scope} in ({scope})')}")
        if changed is not None:
            changed.append(Changed(model.table, columns, con.execute(scope).to_arrow_table()))
    con.execute("delete from internal.dirty_stories")
    for name in ("touched_before", "touched_months", "touched_sources"):
        con.execute(f"drop table if exists {name}")
    return touched


def _add_groups(con: duckdb.DuckDBPyConnection, model: Materialised) -> None:
    con.execute(
        f"insert into {model.groups} select distinct {model.scope_columns} from {model.groups_from}"
        " where article_id in (select article_id from touched_stories)"
    )


def _touched_groups(con: duckdb.DuckDBPyConnection) -> None:
    """Months and sources of the touched stories, before and after (once the story facts are fresh)."""
    for column in ("month", "source"):
        con.execute(
            f"create temp table if not exists touched_{column}s as"
            f" select {column} from touched_before union select {column} from {FACTS}"
            " where article_id in (select article_id from touched_stories)"
        )
