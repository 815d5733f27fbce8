"""Command-line options shared by several commands, each defined once."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, get_type_hints

import typer

from flows.settings import RUN

DATA_DIR = Path("data")  # the --data-dir default
RECHECK_DAYS = RUN.recheck_days  # the --recheck-days default

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
RecheckDaysOpt = Annotated[
    float,
    typer.Option("--recheck-days",
                 help="Days before a stored page is checked again, conditionally (If-None-Match / If-Modified-Since)."
                 " A source's recheck_days overrides it; the interval doubles per unchanged check, up to 8x;"
                 " 0 checks everything now."),
]  # fmt: skip
RawOpt = Annotated[
    str | None,
    typer.Option("--raw", help="The raw store: a folder or a URL (file://..., s3://bucket/prefix). Default: DATA_DIR/raw.",
                 envvar="PSYNEWS_RAW"),
]  # fmt: skip
RunnerOpt = Annotated[
    str | None,
    typer.Option("--runner", help="Where tasks run: local (default), dask://HOST:PORT (a Dask cluster) or dask-local:N.",
                 envvar="PSYNEWS_RUNNER"),
]  # fmt: skip
CatalogOpt = Annotated[
    str | None,
    typer.Option("--catalog", help="Also publish to a DuckLake: 'ducklake:postgres:<libpq keywords> data_path=<URL>'."
                 " Default: the DuckDB file alone.", envvar="PSYNEWS_CATALOG"),
]  # fmt: skip


@dataclass(frozen=True)
class CrawlOptions:
    """The options of every command that crawls (run, crawl, serve)."""

    sources: Path | None
    data_dir: Path
    set_: list[str] | None
    recheck_days: float


def _crawl_options(sources: SourcesOpt = None, data_dir: DataDirOpt = DATA_DIR, set_: SetOpt = None,
                   recheck_days: RecheckDaysOpt = RECHECK_DAYS) -> CrawlOptions:  # fmt: skip
    return CrawlOptions(sources, data_dir, set_, recheck_days)


def with_crawl_options(command: Callable) -> Callable:
    """Give a command the crawl options, declared once (in ``_crawl_options``) instead of in each signature.

    The command's first parameter receives them as one CrawlOptions; on the command line they come
    first, then the command's own options.
    """
    shared = inspect.signature(_crawl_options).parameters
    own = list(inspect.signature(command).parameters.values())[1:]
    hints = get_type_hints(_crawl_options, include_extras=True) | get_type_hints(command, include_extras=True)
    parameters = [p.replace(annotation=hints[p.name]) for p in [*shared.values(), *own]]

    @functools.wraps(command)
    def with_options(**kwargs):
        return command(_crawl_options(**{name: kwargs.pop(name) for name in shared}), **kwargs)

    with_options.__signature__ = inspect.Signature(parameters, return_annotation=None)
    with_options.__annotations__ = {p.name: p.annotation for p in parameters}
    return with_options
