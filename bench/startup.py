"""Start-up cost of the CLI's everyday commands and of the flow, beside a bare interpreter, in one run.

    uv run python bench/startup.py [--repeat 3]

For `psynews --help`, `query`, `sources check` and `export` (on a small
database made here): wall time (best of --repeat; goal <= 1 s), import time
from ``python -X importtime``, and which heavy packages (Prefect, Scrapy,
trafilatura, scipy) the command imported (goal: none). Then the flow's own
start-up parts: importing flows.pipeline, a one-task Prefect flow with
Prefect's temporary server, and what a one-shot `psynews run` pays when
PREFECT_API_URL is not set: the pipeline's imports plus a flow run, with the
temporary server started by Prefect after the imports ("Prefect's") or by
psynews before them ("early", as `psynews run` does), side by side.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("prefect", "scrapy", "trafilatura", "scipy")
PSYNEWS = [sys.executable, "-c", "from flows.cli.app import app; app()"]
TRIVIAL_FLOW = "from prefect import flow\n@flow\ndef f():\n    return 1\nf()"
# What `psynews run` pays before its first task: the pipeline's imports, then a flow run; Prefect starts its
# temporary server when the flow starts (after the imports) ...
PIPELINE_FLOW = "import flows.pipeline\n" + TRIVIAL_FLOW
# ... or psynews starts it before the imports (flows/cli/server.py), so that they overlap.
EARLY_SERVER_FLOW = (
    "import os\nfrom pathlib import Path\nfrom flows.cli.server import start_temporary_server\n"
    "ready = start_temporary_server(Path(os.environ['PREFECT_HOME']))\nimport flows.pipeline\n"
    "from prefect import flow\n@flow\ndef f():\n    return 1\nwith ready():\n    f()"
)


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def imports(command: list[str]) -> tuple[float, list[str]]:
    """Seconds spent importing (top-level modules' cumulative times) and the heavy packages imported."""
    result = subprocess.run([command[0], "-X", "importtime", *command[1:]], check=True, capture_output=True, text=True)
    total, heavy = 0, set()
    for line in result.stderr.splitlines():
        if match := re.match(r"import time:\s+\d+ \|\s+(\d+) \| ( *)(\S+)", line):
            cumulative, indent, name = int(match[1]), match[2], match[3]
            total += cumulative if not indent else 0
            heavy |= {name.split(".")[0]} & set(HEAVY)
    return total / 1e6, sorted(heavy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from flows.store.db import connect

    tmp = Path(tempfile.mkdtemp())
    connect(tmp / "psynews.duckdb").close()
    commands = {
        "python -c pass (baseline)": [sys.executable, "-c", "pass"],
        "psynews --help": [*PSYNEWS, "--help"],
        "psynews query": [*PSYNEWS, "query", "select count(*) from runs", "--data-dir", str(tmp)],
        "psynews sources check": [*PSYNEWS, "sources", "check"],
        "psynews export": [*PSYNEWS, "export", str(tmp / "out"), "--data-dir", str(tmp)],
        "import flows.pipeline": [sys.executable, "-c", "import flows.pipeline"],
    }
    print(f"load average {os.getloadavg()[0]:.1f} (2 cores shared)")
    for name, command in commands.items():
        wall = min(timed(command) for _ in range(args.repeat))
        spent, heavy = imports(command)
        print(f"{name:<28} {wall:5.2f} s wall (best of {args.repeat}), {spent:5.2f} s importing, "
              f"heavy: {', '.join(heavy) or 'none'}")  # fmt: skip
    env = os.environ | {
        "PREFECT_HOME": str(tmp / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    }
    env.pop("PREFECT_API_URL", None)
    timed([sys.executable, "-c", EARLY_SERVER_FLOW], env)  # the first start also creates Prefect's database
    for name, script in [("one-task flow, temp server", TRIVIAL_FLOW),
                         ("pipeline + flow, Prefect's", PIPELINE_FLOW),
                         ("pipeline + flow, early", EARLY_SERVER_FLOW)]:  # fmt: skip
        wall = min(timed([sys.executable, "-c", script], env) for _ in range(args.repeat))
        print(f"{name:<28} {wall:5.2f} s wall (best of {args.repeat})")


if __name__ == "__main__":
    main()
