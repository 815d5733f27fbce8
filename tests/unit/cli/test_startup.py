"""The everyday commands start fast: they import neither Prefect, Scrapy, trafilatura nor scipy."""

from __future__ import annotations

import json
import subprocess
import sys

from flows.store.db import connect

HEAVY = ("prefect", "scrapy", "twisted", "trafilatura", "scipy", "datasketch")

# A fresh interpreter: this test process has imported everything already.
SCRIPT = """
import json, sys
from pathlib import Path
from typer.testing import CliRunner
from flows.cli.app import app

heavy = {}
def check(name):
    heavy[name] = sorted(m for m in HEAVY if m in sys.modules)

check("import")
tmp = Path(sys.argv[1])
runner = CliRunner()
for name, args in [("--help", ["--help"]), ("query", ["query", "select count(*) from runs", "--data-dir", str(tmp)]),
                   ("sources check", ["sources", "check"]),
                   ("export", ["export", str(tmp / "out"), "--data-dir", str(tmp)])]:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, (name, result.output)
    check(name)
print(json.dumps(heavy))
"""


def test_everyday_commands_import_no_heavy_package(tmp_path):
    connect(tmp_path / "psynews.duckdb").close()  # here: upgrading a database imports the pipeline's stages
    script = f"HEAVY = {HEAVY!r}\n{SCRIPT}"
    command = [sys.executable, "-c", script, str(tmp_path)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    heavy = json.loads(out.strip().splitlines()[-1])
    assert set(heavy) == {"import", "--help", "query", "sources check", "export"}
    assert heavy == {key: [] for key in heavy}
