"""Prefect servers on 127.0.0.1 for the commands that run flows when no PREFECT_API_URL is set.

Prefect will not schedule against its ephemeral (per-process) server, so serve
starts `prefect server start` on 127.0.0.1 with its state under the data
directory, waits until it answers, and stops it on exit (``local_server``).

A one-shot run needs a server too: Prefect 3 has no server-less mode, and with
no PREFECT_API_URL it starts a temporary one in a subprocess when the flow
starts, after the pipeline's imports. ``temporary_server`` starts the same
server (Prefect's own uvicorn command, UI and services off) before those
imports, so the two overlap on the second core.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

STARTUP_TIMEOUT = 180  # seconds; the first start migrates the server's database


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _wait_until_healthy(process: subprocess.Popen, api_url: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not healthy(api_url):
        if process.poll() is not None:
            raise RuntimeError(f"the Prefect server exited with {process.returncode}; see {log}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the Prefect server did not answer in {timeout} s; see {log}")
        time.sleep(0.1)


def _stop(process: subprocess.Popen, grace: float = 30) -> None:
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# What Prefect's SubprocessASGIServer sets for its temporary server: no UI, no background services.
TEMPORARY = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
# A start-up that only confirms what the last one did: upgrade Prefect's database (alembic reads every
# migration script to find it is at head) and register block types (it first imports every installed Prefect
# integration, prefect-dask bringing dask.distributed, to see that nothing changed): seconds. After one full
# start on a PREFECT_HOME with this Prefect version, later starts skip both.
KNOWN_STATE = {
    "PREFECT_API_DATABASE_MIGRATE_ON_START": "false",
    "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
    "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
}


def _ready_marker(home: Path) -> Path:
    from importlib.metadata import version

    return home / f"psynews-server-ready-{version('prefect')}"


def start_temporary_server(home: Path) -> Callable[[], AbstractContextManager]:
    """Start Prefect's temporary server for this process's flow runs when no server is set; return the context
    to run the flows in: it waits until the server answers, and turns off flow-run heartbeats, which only a
    lasting server watches (a sync flow run otherwise ends waiting up to 1 s for the heartbeat thread).
    PREFECT_API_URL points at the server from now on; it stops when the process exits (after Prefect's own
    exit handlers, which send the last logs: they were registered after this one).

    With PREFECT_API_URL set (a running server: `psynews serve`'s, `prefect server start`, a team's),
    nothing is started and the flow runs against that server. Nor once Prefect is imported (tests): it has
    read its settings, and starts its own temporary server if it needs one.
    """
    if os.environ.get("PREFECT_API_URL") or "prefect" in sys.modules:
        return nullcontext
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    home.mkdir(parents=True, exist_ok=True)
    marker = _ready_marker(home)
    known = marker.exists() and (home / "prefect.db").exists()
    env = os.environ | TEMPORARY | (KNOWN_STATE if known else {})
    log_path = home / "temporary-server.log"
    command = [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"]  # fmt: skip
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    atexit.register(_stop, process, 5)  # as Prefect stops its own: nothing is left to save
    os.environ["PREFECT_API_URL"] = api_url

    @contextmanager
    def ready():
        from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        _wait_until_healthy(process, api_url, log_path, STARTUP_TIMEOUT)
        marker.touch()  # its database is at head and its block types registered
        with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield

    return ready


@contextmanager
def local_server(home: Path, port: int | None = None):
    """Run a Prefect server on 127.0.0.1 for the block; yield its API URL."""
    port = port or free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env |= {"PREFECT_HOME": str(home.resolve()), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    log = (home / "server.log").open("ab")
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_until_healthy(process, api_url, home / "server.log", STARTUP_TIMEOUT)
        yield api_url
    finally:
        _stop(process)
        log.close()
