"""Shared fixtures: the fixture website on 127.0.0.1 and one Prefect test harness per session."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

# Prefect reads its settings at import: keep its state out of ~/.prefect and quiet offline.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="psynews-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

import io
from dataclasses import dataclass

import pytest

from tests.site_server import NO_DELAY, SiteServer

FAST_CRAWL = [arg for name, value in NO_DELAY.items() for arg in ("-s", f"{name}={value}")]


@pytest.fixture(scope="session")
def prefect_harness():
    """Prefect's test server for the session; yields its API URL, for subprocesses to use too."""
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with (
        prefect_test_harness(server_startup_timeout=180),
        temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        yield PREFECT_API_URL.value()


@pytest.fixture(scope="session")
def site():
    with SiteServer() as server:
        yield server


def write_sources(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def harbor_sources(site: SiteServer, *, extra: str = "") -> str:
    """The fixture clinic site through all three entry points, plus what a test adds."""
    return f"""
[[sources]]
name = "harbor"
feeds = ["{site.base}/feed.xml"]
sitemaps = ["{site.base}/robots.txt"]
start_urls = ["{site.base}/"]
{extra}
"""


def crawl_command(source, raw_dir: Path, *settings: str, run_id: str = "20260101T000000Z-test00") -> list[str]:
    """The crawl subprocess as the flow starts it (flows.pipeline.crawl_source), without politeness delays.

    Its stats land in RAW_DIR/stats.json and its log in RAW_DIR/crawl.log.
    """
    return [sys.executable, "-m", "crawler.crawl", source.model_dump_json(), str(raw_dir), run_id,
            str(raw_dir / "stats.json"), *FAST_CRAWL, "-s", f"LOG_FILE={raw_dir / 'crawl.log'}", *settings]  # fmt: skip


def raw_records(raw_dir: Path) -> list:
    """Every record in a raw store, oldest part first."""
    from crawler.raw_store import list_files, locate, read_file

    return [record for part in list_files(raw_dir) for record in read_file(locate(raw_dir, part))]


@dataclass
class CliResult:
    exit_code: int
    output: str


def run_cli(*args: str) -> CliResult:
    """Run the psynews CLI in this process (so flows use the test harness) and capture what it prints.

    Typer's CliRunner swaps sys.stdout and closes it afterwards, which breaks
    Prefect's log handler on the next flow run; the CLI's own console is
    swapped instead, for one made the same way (markup off).
    """
    from flows.cli import app as cli

    out = io.StringIO()
    saved, cli.console = cli.console, cli.make_console(file=out, width=200)
    try:
        code = cli.app(list(args), standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
    except Exception as exc:  # typer.Exit outside standalone mode
        if not hasattr(exc, "exit_code"):
            raise
        code = exc.exit_code
    finally:
        cli.console = saved
    return CliResult(code or 0, out.getvalue())
