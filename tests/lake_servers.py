"""Real servers on loopback for the distributed tests: PostgreSQL (DuckLake's catalogue) and an S3 server (moto).

PostgreSQL is Debian's package (``make postgresql`` installs it), started with
initdb + pg_ctl in a temporary folder on a free port. initdb refuses to run as
root, so as root the server runs as the ``postgres`` user. A server that cannot
start raises with the reason and its log: the test fails, it is never skipped.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)  # Debian keeps them off PATH


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next((str(d / name) for d in BIN_DIRS if (d / name).exists()), None)
    if found is None:
        raise RuntimeError(f"PostgreSQL's {name} is not installed: run `make postgresql` (Debian package postgresql)")
    return found


@contextmanager
def postgres() -> Iterator[str]:
    """A PostgreSQL server on 127.0.0.1; yields libpq keywords for its database ``postgres``."""
    # Its own folder directly under /tmp: the postgres user cannot enter root's private temporary folders.
    folder = Path(tempfile.mkdtemp(prefix="psynews-pg-"))
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(folder, "postgres")
    data, log, port = folder / "pgdata", folder / "postgres.log", free_port()
    run = [*as_user, _pg_tool("pg_ctl"), "-D", str(data)]
    init = subprocess.run([*as_user, _pg_tool("initdb"), "-D", str(data), "-A", "trust", "-U", "psynews"],
                          capture_output=True, text=True, check=False)  # fmt: skip
    if init.returncode != 0:
        raise RuntimeError(f"initdb failed: {init.stderr.strip()}")
    start = subprocess.run([*run, "-o", f"-h 127.0.0.1 -p {port} -k {folder}", "-l", str(log), "-w", "start"],
                           capture_output=True, text=True, check=False)  # fmt: skip
    if start.returncode != 0:
        raise RuntimeError(f"PostgreSQL did not start: {start.stderr.strip()}\n{log.read_text()[-2000:]}")
    try:
        yield f"host=127.0.0.1 port={port} dbname=postgres user=psynews"
    finally:
        subprocess.run([*run, "-m", "immediate", "stop"], capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def s3_server(bucket: str) -> Iterator[dict[str, str]]:
    """An S3-compatible server (moto) on 127.0.0.1 with one bucket; yields the AWS variables that reach it."""
    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}"}  # fmt: skip
    try:
        boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"], aws_access_key_id="testing",
                     aws_secret_access_key="testing", region_name="us-east-1").create_bucket(Bucket=bucket)  # fmt: skip
        yield env
    finally:
        server.stop()
