"""The psynews command line: run, crawl, reprocess, sources check, query."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    help="psynews watches psychedelic-research news: it crawls the configured sources, extracts clean "
    "article text, collapses duplicates and loads everything into a DuckDB file.\n\n"
    'Start with `psynews run`, then `psynews query "select title, url from articles"`.',
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
sources_app = typer.Typer(help="Work with sources files.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")
console = Console()

SourcesOpt = Annotated[
    Path | None,
    typer.Option("--sources", help="Sources file (TOML). Default: the list shipped in crawler/sources.toml.",
                 envvar="PSYNEWS_SOURCES"),
]  # fmt: skip
DataDirOpt = Annotated[
    Path,
    typer.Option("--data-dir", help="Where everything a run writes goes: database, raw store, logs.",
                 envvar="PSYNEWS_DATA_DIR"),
]  # fmt: skip
DbOpt = Annotated[
    Path | None,
    typer.Option("--db", help="The DuckDB file. Default: DATA_DIR/psynews.duckdb.", envvar="PSYNEWS_DB"),
]
OnlyOpt = Annotated[list[str] | None, typer.Option("--only", help="Crawl only this source (repeatable).")]
SetOpt = Annotated[
    list[str] | None,
    typer.Option("--set", "-s", help="Override a Scrapy setting for the crawl, NAME=VALUE (repeatable).",
                 metavar="NAME=VALUE"),
]  # fmt: skip


def _prepare(data_dir: Path) -> None:
    """Keep Prefect's state under the data directory and quiet offline; must run before Prefect is imported."""
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str((data_dir / "prefect").resolve()))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
    # The first start on a new PREFECT_HOME migrates its database: slower than the 20 s default.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


def _check_sources(path: Path | None):
    from crawler.config import SourcesError, load_sources

    try:
        return load_sources(path)
    except SourcesError as exc:
        console.print(f"[red]Invalid sources file[/red]\n{exc}")
        raise typer.Exit(2) from None


def _settings(pairs: list[str] | None) -> dict[str, str]:
    settings = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            console.print(f"[red]--set expects NAME=VALUE, got {pair!r}[/red]")
            raise typer.Exit(2)
        settings[name] = value
    return settings


def _summary(reports: dict, title: str) -> None:
    table = Table(title=title)
    for column in ("source", "pages fetched", "new", "updated", "duplicates", "errors", "status"):
        table.add_column(column, justify="left" if column in ("source", "status") else "right")
    for report in sorted(reports.values(), key=lambda r: r.source):
        status = "[red]failed[/red]" if report.failed else "ok"
        table.add_row(report.source, str(report.pages_fetched), str(report.new_articles),
                      str(report.updated_articles), str(report.duplicates), str(report.errors), status)  # fmt: skip
    console.print(table)
    for report in reports.values():
        if report.failed:
            detail = report.error_detail[0] if report.error_detail else "no page could be fetched"
            console.print(f"[red]{report.source} failed:[/red] {detail}")


@app.command()
def run(
    sources: SourcesOpt = None,
    data_dir: DataDirOpt = Path("data"),
    db: DbOpt = None,
    only: OnlyOpt = None,
    set_: SetOpt = None,
    recheck_days: Annotated[float, typer.Option(help="Refetch an article page after this many days.")] = 7.0,
) -> None:
    """Crawl every source, then extract, deduplicate and load new articles (the main job).

    Failing sources are reported and the others still load; the exit status is 0 when the run
    completed, non-zero when it could not run at all (bad sources file, unusable database).
    """
    _check_sources(sources)
    _prepare(data_dir)
    from flows import progress
    from flows.pipeline import run_flow

    with progress.shown():
        reports = run_flow(str(sources) if sources else None, str(data_dir), str(db) if db else None,
                           _settings(set_), recheck_days, only)  # fmt: skip
    _summary(reports, "psynews run")


@app.command()
def crawl(
    sources: SourcesOpt = None,
    data_dir: DataDirOpt = Path("data"),
    only: OnlyOpt = None,
    set_: SetOpt = None,
    recheck_days: Annotated[float, typer.Option(help="Refetch an article page after this many days.")] = 7.0,
) -> None:
    """Crawl into the raw store only (DATA_DIR/raw); `run` or `reprocess` loads it later."""
    _check_sources(sources)
    _prepare(data_dir)
    from flows import progress
    from flows.pipeline import crawl_flow

    with progress.shown():
        outcomes = crawl_flow(str(sources) if sources else None, str(data_dir), _settings(set_), recheck_days, only)
    for outcome in outcomes.values():
        console.print(f"{outcome.source}: " + ("ok" if outcome.ok else f"[red]failed[/red] {outcome.detail}"))


@app.command()
def reprocess(data_dir: DataDirOpt = Path("data"), db: DbOpt = None) -> None:
    """Rebuild all pages and stories from the raw store, with no network.

    Run it after improving extraction or deduplication: history improves too.
    """
    _prepare(data_dir)
    from flows import progress
    from flows.pipeline import reprocess_flow

    with progress.shown():
        reports = reprocess_flow(str(data_dir), str(db) if db else None)
    _summary(reports, "psynews reprocess")


@sources_app.command("check")
def sources_check(path: Annotated[Path | None, typer.Argument(help="Sources file; default: the shipped list.")] = None,
                  sources: SourcesOpt = None) -> None:  # fmt: skip
    """Validate a sources file; every mistake names the file, the source and the field."""
    found = _check_sources(path or sources)
    table = Table(title=f"{len(found)} sources")
    for column in ("name", "hosts", "feeds", "sitemaps", "start pages", "max pages"):
        table.add_column(column)
    for s in found:
        table.add_row(s.name, ", ".join(s.hosts), str(len(s.feeds)), str(len(s.sitemaps)), str(len(s.start_urls)),
                      str(s.max_pages))  # fmt: skip
    console.print(table)


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help='SQL to run, e.g. "select title, url from articles limit 5".')],
    data_dir: DataDirOpt = Path("data"),
    db: DbOpt = None,
    limit: Annotated[int, typer.Option(help="Rows to print at most.")] = 50,
) -> None:
    """Run SQL against the database, read-only, and print the result as a table."""
    import duckdb

    path = db or data_dir / "psynews.duckdb"
    if not path.exists():
        console.print(f"[red]{path}: no database yet; run `psynews run` first[/red]")
        raise typer.Exit(2)
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            result = con.execute(sql)
            columns = [d[0] for d in result.description or []]
            rows = result.fetchmany(limit)
    except duckdb.Error as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    table = Table(*columns)
    for row in rows:
        table.add_row(*("" if v is None else str(v)[:120] for v in row))
    console.print(table)
