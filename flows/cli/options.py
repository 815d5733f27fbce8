"""Command-line options shared by several commands, each defined once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
