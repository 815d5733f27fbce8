"""The psynews command line: run, crawl, reprocess, sources check, query."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from flows.cli.options import (
    DATA_DIR,
    CatalogOpt,
    CrawlOptions,
    DataDirOpt,
    DbOpt,
    OnlyOpt,
    RawOpt,
    RunnerOpt,
    SourcesOpt,
    with_crawl_options,
)
from flows.store.db import database_path

app = typer.Typer(
    help="psynews watches psychedelic-research news: it crawls the configured sources, extracts clean "
    "article text, collapses duplicates and loads everything into a DuckDB file.\n\n"
    'Start with `psynews run`, then `psynews query "select title, url from articles"`.',
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
sources_app = typer.Typer(help="Work with sources files.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")


def make_console(**options) -> Console:
    """The CLI's console. Markup and emoji codes are off: what it prints (source names, URLs, titles, error
    messages, query cells) comes from outside and shows exactly as it is. Colour is given with style=."""
    return Console(markup=False, emoji=False, **options)


console = make_console()
CRAWL_WAIT = 6 * 3600  # seconds `crawl --pool` waits for its shards


def _prepare(data_dir: Path) -> None:
    """Keep Prefect's state under the data directory and quiet offline; must run before Prefect is imported."""
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str((data_dir / "prefect").resolve()))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
    # The first start on a new PREFECT_HOME migrates its database: slower than the 20 s default.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


def _flow_server() -> Callable[[], AbstractContextManager]:
    """Start Prefect's temporary server now when no PREFECT_API_URL is set, so that its start-up overlaps the
    pipeline's imports; return the context to run the flow in (flows.cli.server.start_temporary_server)."""
    from flows.cli.server import start_temporary_server

    return start_temporary_server(Path(os.environ["PREFECT_HOME"]))


def _check_sources(path: Path | None):
    from crawler.config import SourcesError, load_sources

    try:
        return load_sources(path)
    except SourcesError as exc:
        console.print(Text.assemble(("Invalid sources file", "red"), "\n", str(exc)))
        raise typer.Exit(2) from None


def _settings(pairs: list[str] | None) -> dict[str, str]:
    settings = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            console.print(f"--set expects NAME=VALUE, got {pair!r}", style="red")
            raise typer.Exit(2)
        settings[name] = value
    return settings


def _published(data_dir: Path, db: Path | None) -> Path:
    """The published database file; exit with status 2 when there is none yet."""
    path = database_path(data_dir, db)
    if not path.exists():
        console.print(f"{path}: no database yet; run `psynews run` first", style="red")
        raise typer.Exit(2)
    return path


@contextmanager
def _fatal_errors():
    """A database psynews must not touch, or a runner or catalogue it cannot use, ends the command with status 1."""
    from flows.runner import RunnerError
    from flows.store.catalog import CatalogError
    from flows.store.db import DatabaseError

    try:
        yield
    except (DatabaseError, RunnerError, CatalogError) as exc:
        console.print(str(exc), style="red")
        raise typer.Exit(1) from None


def _on_runner(flow, runner: str | None):
    from flows.runner import task_runner

    return flow.with_options(task_runner=task_runner(runner)) if runner else flow


def _ran(result) -> bool:
    """False when the flow found another run in progress and did nothing."""
    if result is None:
        console.print("Another psynews run is in progress on this data directory; nothing done.", style="yellow")
        return False
    return True


def _health_warnings(db: Path) -> None:
    """Warn about sources that are failing or have gone stale."""
    import duckdb

    try:
        with duckdb.connect(str(db), read_only=True) as con:
            rows = con.execute(
                "select source, status, days_since_new_article from source_health where status in ('failing', 'stale')"
                " order by source"
            ).fetchall()
    except duckdb.Error:
        return
    for source, status, days in rows:
        since = f"no new story for {days} days" if days is not None else "no story yet"
        console.print(Text.assemble(("warning:", "yellow"), f" {source} is {status} ({since})"))


def _summary(reports: dict, title: str) -> None:
    table = Table(title=title)
    for column in ("source", "pages fetched", "new", "updated", "duplicates", "errors", "status"):
        table.add_column(column, justify="left" if column in ("source", "status") else "right")
    for report in sorted(reports.values(), key=lambda r: r.source):
        status = Text("failed", style="red") if report.failed else "ok"
        table.add_row(report.source, str(report.pages_fetched), str(report.new_articles),
                      str(report.updated_articles), str(report.duplicates), str(report.errors), status)  # fmt: skip
    console.print(table)
    for report in reports.values():
        if report.failed:
            detail = report.error_detail[0] if report.error_detail else "no page could be fetched"
            console.print(Text.assemble((f"{report.source} failed:", "red"), f" {detail}"))
        for note in report.quarantined:  # unreadable raw-store parts moved aside (crawler.raw_store)
            console.print(Text.assemble(("quarantined:", "yellow"), f" {note}"))


@app.command()
@with_crawl_options
def run(
    crawl: CrawlOptions,
    db: DbOpt = None,
    only: OnlyOpt = None,
    raw: RawOpt = None,
    runner: RunnerOpt = None,
    catalog: CatalogOpt = None,
    fetch: Annotated[
        bool,
        typer.Option("--crawl/--no-crawl", help="--no-crawl: load what `crawl --pool` shards wrote, fetch nothing."),
    ] = True,
) -> None:
    """Crawl every source, then extract, deduplicate and load new articles (the main job).

    Failing sources are reported and the others still load; the exit status is 0 when the run
    completed, non-zero when it could not run at all (bad sources file, unusable database).
    """
    _check_sources(crawl.sources)
    _prepare(crawl.data_dir)
    server_ready = _flow_server()
    from flows.cli import progress
    from flows.pipeline import run_flow

    with server_ready(), progress.shown(), _fatal_errors():
        reports = _on_runner(run_flow, runner)(str(crawl.sources) if crawl.sources else None, str(crawl.data_dir),
                                               str(db) if db else None, _settings(crawl.set_), crawl.recheck_days,
                                               only, raw, catalog, fetch)  # fmt: skip
    if _ran(reports):
        _summary(reports, "psynews run")
        _health_warnings(database_path(crawl.data_dir, db))


@app.command("crawl")
@with_crawl_options
def crawl_only(
    crawl: CrawlOptions,
    only: OnlyOpt = None,
    raw: RawOpt = None,
    runner: RunnerOpt = None,
    shard: Annotated[
        str | None, typer.Option(help="Crawl only shard I/N of the sources (by a hash of their names), e.g. 2/4.")
    ] = None,
    pool: Annotated[
        str | None,
        typer.Option(
            help="Crawl on the workers of this Prefect work pool (`prefect worker start --pool NAME` on each"
            " machine), --shards flow runs; needs PREFECT_API_URL and a shared --raw store."
        ),
    ] = None,
    shards: Annotated[
        int, typer.Option(help="With --pool: how many shards (flow runs) to split the sources into.")
    ] = 2,
) -> None:
    """Crawl into the raw store only (DATA_DIR/raw, or --raw); `run --no-crawl` or `reprocess` loads it later."""
    _check_sources(crawl.sources)
    _prepare(crawl.data_dir)
    if pool:
        _crawl_on_pool(pool, shards, crawl, only, raw)
        return
    server_ready = _flow_server()
    from flows.cli import progress
    from flows.pipeline import crawl_flow

    with server_ready(), progress.shown(), _fatal_errors():
        reports = _on_runner(crawl_flow, runner)(str(crawl.sources) if crawl.sources else None, str(crawl.data_dir),
                                                 _settings(crawl.set_), crawl.recheck_days, only, raw,
                                                 shard)  # fmt: skip
    for report in (reports or {}).values() if _ran(reports) else ():
        result = Text.assemble(("failed", "red"), f" {report.error_detail[0]}") if report.failed else "ok"
        console.print(Text.assemble(f"{report.source}: ", result))


def _crawl_on_pool(pool: str, shards: int, crawl: CrawlOptions, only: list[str] | None, raw: str | None) -> None:
    if not os.environ.get("PREFECT_API_URL"):
        console.print("--pool needs a Prefect server its workers also reach: set PREFECT_API_URL", style="red")
        raise typer.Exit(2)
    from flows.cli.pool import crawl_on_pool

    parameters = {"sources_file": str(crawl.sources.resolve()) if crawl.sources else None,
                  "data_dir": str(crawl.data_dir.resolve()), "crawl_settings": _settings(crawl.set_),
                  "recheck_days": crawl.recheck_days, "only": only, "raw": raw}  # fmt: skip
    outcomes = crawl_on_pool(pool, shards, parameters, timeout=CRAWL_WAIT)
    for outcome in outcomes:
        detail = "" if outcome.state == "Completed" else f" {outcome.message or ''}"
        console.print(f"shard {outcome.shard}: {outcome.state}{detail}")
    if any(outcome.state != "Completed" for outcome in outcomes):
        raise typer.Exit(1)


@app.command()
@with_crawl_options
def serve(
    crawl: CrawlOptions,
    db: DbOpt = None,
    raw: RawOpt = None,
    runner: RunnerOpt = None,
    catalog: CatalogOpt = None,
    cron: Annotated[str, typer.Option(help="When to run, as a cron expression (UTC).")] = "0 5 * * *",
    interval: Annotated[
        float | None, typer.Option(help="Run every this many seconds instead of on the cron schedule.")
    ] = None,
) -> None:
    """Run the main job on a schedule, as the Prefect deployment `psynews-run/psynews`.

    With PREFECT_API_URL set, it serves against that Prefect server (a team's, or `prefect server start`);
    without it, it starts a local Prefect server on 127.0.0.1 (state in DATA_DIR/prefect-server), serves
    against it and stops it on exit. The deployment and its runs show in the Prefect UI. Stop with Ctrl-C.
    """
    _check_sources(crawl.sources)
    _prepare(crawl.data_dir)
    from flows.cli.server import local_server

    # SIGTERM (a service manager stopping us) unwinds like Ctrl-C, so the local server is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    with ExitStack() as stack:
        if not os.environ.get("PREFECT_API_URL"):
            os.environ["PREFECT_API_URL"] = stack.enter_context(local_server(crawl.data_dir / "prefect-server"))
            console.print(f"Prefect UI: {os.environ['PREFECT_API_URL'].removesuffix('/api')}")
        if runner:  # each served run is a new process: it reads the runner when it imports the flows
            os.environ["PSYNEWS_RUNNER"] = runner
        from flows.pipeline import run_flow

        parameters = {"sources_file": str(crawl.sources.resolve()) if crawl.sources else None,
                      "data_dir": str(crawl.data_dir.resolve()), "db": str(db.resolve()) if db else None,
                      "crawl_settings": _settings(crawl.set_), "recheck_days": crawl.recheck_days, "raw": raw,
                      "catalog": catalog}  # fmt: skip
        schedule = {"interval": interval} if interval else {"cron": cron}
        # limit=1: a run that outlasts the interval delays the next instead of piling up beside it.
        run_flow.serve(name="psynews", parameters=parameters, pause_on_shutdown=False, limit=1, **schedule)


@app.command()
def reprocess(data_dir: DataDirOpt = DATA_DIR, db: DbOpt = None, sources: SourcesOpt = None, raw: RawOpt = None,
              runner: RunnerOpt = None, catalog: CatalogOpt = None) -> None:  # fmt: skip
    """Rebuild all pages and stories from the raw store, with no network.

    Run it after improving extraction or deduplication: history improves too. The sources
    file is read for per-source cleaning settings only (keep_promotional).
    """
    _check_sources(sources)
    _prepare(data_dir)
    server_ready = _flow_server()
    from flows.cli import progress
    from flows.pipeline import reprocess_flow

    with server_ready(), progress.shown(), _fatal_errors():
        reports = _on_runner(reprocess_flow, runner)(str(data_dir), str(db) if db else None,
                                                     str(sources) if sources else None, raw, catalog)  # fmt: skip
    if _ran(reports):
        _summary(reports, "psynews reprocess")


@app.command()
def dashboard(
    data_dir: DataDirOpt = DATA_DIR,
    db: DbOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="The HTML file. Default: DATA_DIR/dashboard.html.")] = None,
    serve: Annotated[
        bool, typer.Option("--serve", help="Then serve it on http://127.0.0.1:PORT/ (this machine only).")
    ] = False,
    port: Annotated[int, typer.Option("--port", help="Port for --serve.")] = 8050,
) -> None:
    """Write the dashboard: one self-contained HTML file from the public views (opens from disk, no network).

    Every `psynews run` refreshes DATA_DIR/dashboard.html too.
    """
    import duckdb

    from flows.publish.dashboard import DashboardError, build_dashboard, serve_dashboard

    path, target = database_path(data_dir, db), out or data_dir / "dashboard.html"
    try:
        build_dashboard(path, target)
    except (DashboardError, duckdb.Error) as exc:
        console.print(f"{path}: {exc}", style="red")
        raise typer.Exit(1) from None
    console.print(f"Dashboard written to {target}")
    if serve:
        serve_dashboard(target, port)


@app.command()
def export(
    out_dir: Annotated[Path, typer.Argument(help="Directory for the files, one per public view or table.")],
    format_: Annotated[str, typer.Option("--format", help="File format: parquet.")] = "parquet",
    data_dir: DataDirOpt = DATA_DIR,
    db: DbOpt = None,
) -> None:
    """Write every public view (and runs, run_sources) as one file each, for other dashboard tools."""
    import duckdb

    from flows.publish.export import export_views

    path = _published(data_dir, db)
    try:
        files = export_views(path, out_dir, format_)
    except ValueError as exc:
        console.print(str(exc), style="red")
        raise typer.Exit(2) from None
    except duckdb.Error as exc:
        console.print(str(exc), style="red")
        raise typer.Exit(1) from None
    console.print(f"{len(files)} files written to {out_dir}")


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
    data_dir: DataDirOpt = DATA_DIR,
    db: DbOpt = None,
    limit: Annotated[int, typer.Option(help="Rows to print at most.")] = 50,
    unsafe: Annotated[
        bool, typer.Option("--unsafe", help="Lift the sandbox: let the SQL read and write files and load extensions.")
    ] = False,
    catalog: CatalogOpt = None,
) -> None:
    """Run SQL against the database and print the result as a table.

    Read-only and sandboxed: the SQL sees the database only. It cannot read or write other files
    (read_parquet, read_csv, COPY ... TO, ATTACH, EXPORT DATABASE) nor install or load extensions,
    and cannot switch the sandbox off. `--unsafe` lifts the sandbox (the database stays read-only),
    e.g. to read the raw store with `read_parquet('data/raw/*/*.parquet')`.
    """
    import duckdb

    from flows.store.catalog import CatalogError, connect_lake, parse
    from flows.store.db import connect_for_query

    try:
        lake = parse(catalog)
    except CatalogError as exc:
        console.print(str(exc), style="red")
        raise typer.Exit(2) from None
    path = None if lake else _published(data_dir, db)
    try:
        # The lake's session reads PostgreSQL and S3, so it is read-only but not sandboxed to one file.
        with connect_lake(lake, read_only=True) if lake else connect_for_query(path, unsafe) as con:
            result = con.execute(sql)
            columns = [d[0] for d in result.description or []]
            rows = result.fetchmany(limit)
    except duckdb.PermissionException as exc:
        console.print(f"Refused: psynews query is sandboxed to the database (no files, no extensions); "
                      f"--unsafe lifts that.\n{exc}", style="red")  # fmt: skip
        raise typer.Exit(1) from None
    except duckdb.Error as exc:
        console.print(str(exc), style="red")
        raise typer.Exit(1) from None
    table = Table()
    for column in columns:
        table.add_column(Text(column))
    for row in rows:
        table.add_row(*(Text("" if v is None else str(v)[:120]) for v in row))
    console.print(table)
