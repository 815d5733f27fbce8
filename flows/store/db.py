"""The DuckDB file: opening, versioned migrations and the public views.

Migrations are ``sql/migrations/NNNN_name.sql``, applied in order, each in a
transaction, and recorded in ``schema_migrations``; views in ``sql/views`` are
recreated on every open, so a database made by an older version upgrades in
place.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


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
    db_path = Path(db_path)
    if read_only:
        return duckdb.connect(str(db_path), read_only=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(db_path))
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
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
            con.execute("insert into schema_migrations (version, name) values (?, ?)", [number, name])
    with transaction(con):
        for path in sorted((SQL_DIR / "views").glob("*.sql")):
            con.execute(path.read_text())


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
