"""A local Prefect server for `psynews serve` when no PREFECT_API_URL is set.

Prefect will not schedule against its ephemeral (per-process) server, so serve
starts `prefect server start` on 127.0.0.1 with its state under the data
directory, waits until it answers, and stops it on exit.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
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
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not healthy(api_url):
            if process.poll() is not None:
                raise RuntimeError(f"the Prefect server exited with {process.returncode}; see {home / 'server.log'}")
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"the Prefect server did not answer in {STARTUP_TIMEOUT} s; see {home / 'server.log'}"
                )
            time.sleep(1)
        yield api_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
