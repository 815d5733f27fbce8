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
