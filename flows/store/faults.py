"""Crash points for the crash-safety tests: ``PSYNEWS_CRASH_AT=<point>`` kills the run there with SIGKILL.

A real kill -9 at a known moment (mid-crawl, mid-extraction, inside the load
transaction, before publishing), so the tests can prove the next run recovers.
Unset, it costs one environment lookup.
"""

from __future__ import annotations

import os
import signal


def crash_point(name: str) -> None:
    if os.environ.get("PSYNEWS_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
