"""The crawl subprocess (crawler.crawl): no endpoint to control it from outside, and nothing it holds in
memory is lost when it is stopped by a signal or by its time limit.

The hazard server's /slow page keeps the crawl busy (a download in flight) while the tests stop it;
by then it has fetched the quick pages, fewer than a raw-store part holds, so they are still buffered.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import time
from pathlib import Path

import pytest

from crawler.config import Source
from tests.conftest import crawl_command, raw_records
from tests.hazard_server import HazardServer

QUICK = ["/articles/psilocybin-depression", "/articles/mdma-ptsd", "/latin1", "/missing"]


@pytest.fixture(scope="module")
def site():
    with HazardServer(slow_seconds=20) as server:
        yield server


def start(site: HazardServer, raw_dir: Path, *settings: str) -> subprocess.Popen:
    """A crawl of the hazard site, returned once it has fetched the quick pages and waits on /slow."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    site.hits.clear()
    source = Source(name="hazards", start_urls=[f"{site.base}/"], max_depth=1)
    command = crawl_command(source, raw_dir, "-s", "RETRY_TIMES=0", *settings)
    crawl = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not all(site.count(path) for path in [*QUICK, "/slow"]):
        assert crawl.poll() is None, "the crawl ended before reaching /slow"
        assert time.monotonic() < deadline, "the crawl never reached /slow"
        time.sleep(0.1)
    time.sleep(1)  # their responses are in
    return crawl


def stored(raw_dir: Path) -> set[str]:
    return {r.url.split("/", 3)[3] for r in raw_records(raw_dir) if r.status is not None}


def listening_sockets(pid: int) -> set[str]:
    """Inodes of the TCP sockets the process listens on (Linux /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(FileNotFoundError):  # closed meanwhile
            inodes.add(fd.readlink().name.removeprefix("socket:[").rstrip("]"))
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":  # LISTEN
                listening.add(fields[9])
    return inodes & listening


def test_sigterm_writes_what_is_buffered_at_once(tmp_path, site):
    crawl = start(site, tmp_path, "-s", "DOWNLOAD_TIMEOUT=30")
    assert listening_sockets(crawl.pid) == set()  # no telnet console, nothing to control the crawl from outside
    crawl.send_signal(signal.SIGTERM)
    time.sleep(1)  # the graceful stop still waits for /slow; a SIGKILL now is all it gets
    crawl.kill()
    crawl.wait(10)
    assert {path.lstrip("/") for path in QUICK} <= stored(tmp_path)


def test_a_second_signal_stops_at_once_and_still_writes(tmp_path, site):
    crawl = start(site, tmp_path, "-s", "DOWNLOAD_TIMEOUT=30")
    crawl.send_signal(signal.SIGINT)
    time.sleep(0.5)
    crawl.send_signal(signal.SIGINT)
    assert crawl.wait(10) == 0  # not the 20 s /slow would take
    assert {path.lstrip("/") for path in QUICK} <= stored(tmp_path)


def test_the_time_limit_stops_the_crawl_and_writes(tmp_path, site):
    crawl = start(site, tmp_path, "-s", "CLOSESPIDER_TIMEOUT=2", "-s", "DOWNLOAD_TIMEOUT=6")
    assert crawl.wait(30) == 0  # the hung /slow is cut by the download timeout
    assert {path.lstrip("/") for path in QUICK} <= stored(tmp_path)
    [slow] = [r for r in raw_records(tmp_path) if r.url.endswith("/slow")]
    assert (slow.kind, slow.status) == ("error", None)
    assert '"finish_reason": "closespider_timeout"' in (tmp_path / "stats.json").read_text()
