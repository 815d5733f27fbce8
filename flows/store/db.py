"""The DuckDB file: opening, versioned migrations and the SQL models.

Migrations are ``sql/migrations/NNNN_name.sql``, applied in order, each in a
transaction, and recorded in ``schema_migrations``; the models (views) in
``sql/models`` are recreated on every open, in the order
``sql/models/manifest.toml`` lists them, so a database made by an older
version upgrades in place.
"""

from __future__ import annotations

import csv
import re
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

from flows.store import materialise

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
MODELS_DIR = SQL_DIR / "models"
MANIFEST = MODELS_DIR / "manifest.toml"
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_ORDER = re.compile(r"^-- order: (.+)$", re.MULTILINE)
_CREATES = re.compile(r"create or replace (?:view|table) (\w+)\.(\w+)", re.IGNORECASE)
_GRAIN = re.compile(r"^-- grain: (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Model:
    """One file of sql/models: the object it creates and, for public marts, its grain (unique key)."""

    path: Path
    layer: str
    schema: str
    name: str
    grain: tuple[str, ...]
    scope: str | None = None  # materialised: the column(s) a refresh is scoped by, "<columns> of <model>" for groups
    order: str | None = None  # materialised: the order its table's rows are written in (`-- order:` line)

    @property
    def sql(self) -> str:
        return render(self.path.read_text(), self.path)

    @property
    def is_scoped(self) -> bool:
        text = self.path.read_text()
        return "{{ story_scope }}" in text or "{{ group_scope }}" in text

    @property
    def scope_columns(self) -> str | None:
        return self.scope.partition(" of ")[0] if self.scope else None

    @property
    def groups_from(self) -> str | None:
        """For a model refreshed by groups ("month, claim_key of int_story_claims"): the story-grain table whose
        rows for the touched stories name the groups to recompute."""
        _, of, model = (self.scope or "").partition(" of ")
        return f"internal.mat_{model.removeprefix('int_')}" if of else None

    @property
    def groups(self) -> str:
        """The temp table of the groups a refresh recomputes (filled by flows.store.materialise.refresh)."""
        return f"touched_groups_{self.name}"

    def narrowed(self) -> str:
        """The model's SQL narrowed to what a refresh recomputes: the touched stories, or its touched groups."""
        groups = (
            f"({self.scope_columns}) in (select {self.scope_columns} from {self.groups})"
            if self.groups_from
            else "true"
        )
        return render(self.path.read_text(), self.path, TOUCHED_STORIES | {"group_scope": groups})

    @property
    def view(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def table(self) -> str:
        """Where a materialised model's rows are kept."""
        return f"internal.mat_{self.name.removeprefix('int_')}"


@cache
def _manifest() -> dict:
    return tomllib.loads(MANIFEST.read_text())


def settings() -> dict[str, object]:
    """The thresholds shared by the models (manifest.toml [settings])."""
    return dict(_manifest()["settings"])


@cache
def reference_types() -> dict[str, str]:
    """ENUM types over the shipped reference ids, written into the models like the settings.

    ``topic_id``: the taxonomy's ids (sql/reference/taxonomy.csv), alphabetically so that they sort as text.
    """
    with (SQL_DIR / "reference" / "taxonomy.csv").open(encoding="utf-8-sig", newline="") as handle:
        ids = sorted({row["topic_id"] for row in csv.DictReader(handle)})
    return {"topic_id": "enum (" + ", ".join("'" + i.replace("'", "''") + "'" for i in ids) + ")"}


# Which stories (or groups of a month aggregate) the models cover: all of them, except while a refresh
# recomputes some.
ALL_STORIES = {"story_scope": "true", "group_scope": "true"}
TOUCHED_STORIES = {"story_scope": "article_id in (select article_id from touched_stories)", "group_scope": "true"}


def render(sql: str, path: Path, scope: dict[str, str] = ALL_STORIES) -> str:
    """Write the settings (and the story scope) into ``{{ name }}`` placeholders; an unknown name is an error
    naming the file."""
    values = settings() | reference_types() | scope

    def value(match: re.Match) -> str:
        if match[1] not in values:
            raise KeyError(f"{path}: unknown setting {{{{ {match[1]} }}}} (not in {MANIFEST} [settings])")
        return str(values[match[1]])

    return _PLACEHOLDER.sub(value, sql)


@cache
def models() -> tuple[Model, ...]:
    """Every model in build order; a file under sql/models missing from the manifest, or vice versa, is an error."""
    found = []
    scopes = _manifest().get("materialized", {})
    for layer, files in _manifest()["models"].items():
        for file in files:
            path = MODELS_DIR / file
            if not path.exists():
                raise FileNotFoundError(f"{MANIFEST}: lists {file}, which does not exist")
            text = path.read_text()
            created = _CREATES.search(text)
            if not created:
                raise ValueError(f"{path}: creates no view or table (expected 'create or replace view schema.name')")
            grain = _GRAIN.search(text)
            columns = tuple(c.strip() for c in grain[1].split(",")) if grain else ()
            order = _ORDER.search(text)
            scope = scopes.get(created[2])
            found.append(
                Model(path, layer, created[1], created[2], columns, scope, order[1].strip() if order else None)
            )
    listed = {m.path for m in found}
    unlisted = sorted(p.relative_to(MODELS_DIR).as_posix() for p in MODELS_DIR.rglob("*.sql") if p not in listed)
    if unlisted:
        raise ValueError(f"{MANIFEST}: does not list {', '.join(unlisted)}; add them in build order")
    return tuple(found)


def public_models() -> list[Model]:
    """The public API: models in schema main."""
    return [m for m in models() if m.schema == "main"]


def materialised() -> list[Model]:
    """Models kept as tables, in build order (the story facts first)."""
    return [m for m in models() if m.scope]


def refresh(con: duckdb.DuckDBPyConnection, changed: list[materialise.Changed] | None = None) -> int:
    """Refresh the materialised aggregates for the stories changed since the last refresh; return how many.

    ``changed`` receives the keys of the rows each table had replaced (flows.store.materialise.refresh).

    Like a dbt incremental model, the story-level models are narrowed to the touched stories while
    the refresh runs (DuckDB would not push that filter below their window functions), and restored
    before the transaction commits, so no reader ever sees them narrowed.
    """
    scoped = [m for m in models() if m.is_scoped]
    if not con.execute("select count(*) from internal.dirty_stories").fetchone()[0]:
        return 0  # a run that changed nothing
    with transaction(con):
        con.execute("create or replace temp table touched_stories as select article_id from internal.dirty_stories")
        for model in materialised():
            if model.groups_from:  # empty here, so that the narrowed view binds; the refresh fills it
                con.execute(f"create or replace temp table {model.groups} as"
                            f" select {model.scope_columns} from {model.table} with no data")  # fmt: skip
        for model in scoped:
            con.execute(model.narrowed())
        refreshed = materialise.refresh(con, materialised(), changed=changed)
        for model in scoped:
            con.execute(model.sql)
        for table in ["touched_stories", *(m.groups for m in materialised() if m.groups_from)]:
            con.execute(f"drop table {table}")
    return refreshed


def database_path(data_dir: Path | str, db: Path | str | None = None) -> Path:
    """The published database file: --db when given, else DATA_DIR/psynews.duckdb."""
    return Path(db) if db else Path(data_dir) / "psynews.duckdb"


class DatabaseError(RuntimeError):
    """A database file psynews must not touch (foreign or corrupt)."""


def _migrations() -> list[tuple[int, str, Path]]:
    found = []
    for path in sorted((SQL_DIR / "migrations").glob("*.sql")):
        number, _, name = path.stem.partition("_")
        found.append((int(number), name, path))
    return found


def connect(db_path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database, creating or upgrading it unless read_only."""
    import duckdb  # here, not at the top: the CLI's light commands import this module for database_path

    db_path = Path(db_path)
    if read_only:
        return duckdb.connect(str(db_path), read_only=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(db_path))
    except duckdb.IOException as exc:
        if "could not set lock" in str(exc).lower():  # held by another process: not the file's fault
            raise
        raise DatabaseError(f"{db_path}: cannot be opened as a DuckDB database ({exc}); not touching it") from None
    try:
        migrate(con, db_path)
    except Exception:
        con.close()
        raise
    return con


# For SQL typed by a user (psynews query): the database only. No reading or writing other files
# (read_csv, COPY ... TO, ATTACH, EXPORT), no extension installs or loads, and the statement
# cannot switch these back on (lock_configuration).
SANDBOX = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


def connect_for_query(db_path: Path, unsafe: bool = False) -> duckdb.DuckDBPyConnection:
    """A read-only connection for ad-hoc SQL, sandboxed (SANDBOX) unless ``unsafe``."""
    import duckdb

    return duckdb.connect(str(db_path), read_only=True, config={} if unsafe else SANDBOX)


def migrate(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    tables = {row[0] for row in con.execute("select table_name from duckdb_tables()").fetchall()}
    if tables and "schema_migrations" not in tables:
        raise DatabaseError(f"{db_path}: holds tables but is not a psynews database; not touching it")
    con.execute(
        "create table if not exists schema_migrations"
        " (version integer primary key, name varchar not null, applied_at timestamptz not null default now())"
    )
    applied = {row[0] for row in con.execute("select version from schema_migrations").fetchall()}
    for number, name, path in _migrations():
        if number in applied:
            continue
        with transaction(con):
            con.execute(path.read_text())
            if name == "lsh_bands":  # the index of the signatures stored before it (imported here: load imports db)
                from flows.store.load import index_stored_signatures

                index_stored_signatures(con)
            con.execute("insert into schema_migrations (version, name) values (?, ?)", [number, name])
    with transaction(con):
        rebuild = False
        for model in models():
            con.execute(model.sql)
            if model.scope:
                rebuild |= materialise.ensure_table(con, model)
        if rebuild:  # new or changed aggregate tables: fill them from everything
            materialise.refresh(con, materialised(), full=True)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """All or nothing: a crash or error inside leaves the previous state whole."""
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
