"""Start one source's crawl as a subprocess (``python -m crawler.crawl``) and return its stats.

A process per crawl because Twisted's reactor cannot restart in-process; the
flow's crawl task and the rerun benchmark both crawl through here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def crawl_subprocess(source_json: str, raw_dir: Path, run_id: str, stats_file: Path, log_file: Path, *,
                     recheck_days: float, settings: dict[str, str], timeout: float) -> dict:  # fmt: skip
    """Crawl into ``raw_dir``; raise RuntimeError (with the end of stderr) when the crawl exits non-zero."""
    command = [sys.executable, "-m", "crawler.crawl", source_json, str(raw_dir), run_id, str(stats_file),
               "--recheck-days", str(recheck_days), "-s", f"LOG_FILE={log_file}"]  # fmt: skip
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        name = json.loads(source_json).get("name")
        raise RuntimeError(f"crawl of {name} exited {result.returncode}: {result.stderr.strip()[-500:]}")
    return json.loads(Path(stats_file).read_text())
