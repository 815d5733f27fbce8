"""The export for other dashboard tools: every public view and table as one Parquet file each."""

from __future__ import annotations

from pathlib import Path

import duckdb

from crawler.atomic import atomic_path

PUBLIC_TABLES = ("runs", "run_sources")


def public_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The public API: every view of schema main, plus the runs and run_sources tables."""
    views = con.execute(
        "select view_name from duckdb_views()"
        " where database_name = current_database() and schema_name = 'main' and not internal order by view_name"
    ).fetchall()
    tables = con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() and schema_name = 'main'"
    ).fetchall()
    present = {t for (t,) in tables}
    return [v for (v,) in views] + [t for t in PUBLIC_TABLES if t in present]


def export_views(db_path: Path, out_dir: Path, fmt: str = "parquet") -> list[Path]:
    """Write every public view and table (runs, run_sources) to ``out_dir/<name>.parquet``; return the files."""
    if fmt != "parquet":
        raise ValueError(f"unsupported export format {fmt!r}: only 'parquet'")
    db_path, out_dir = Path(db_path), Path(out_dir)
    if not db_path.exists():
        raise FileNotFoundError(f"{db_path}: no database yet; run `psynews run` first")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with duckdb.connect(str(db_path), read_only=True) as con:
        for name in public_relations(con):
            target = out_dir / f"{name}.parquet"
            with atomic_path(target) as tmp:
                quoted = str(tmp).replace("'", "''")
                con.execute(f"copy (select * from main.\"{name}\") to '{quoted}' (format parquet, compression zstd)")
            written.append(target)
    return written
