"""The near-duplicate index's banding is datasketch's, though the module does not import datasketch to know it."""

from __future__ import annotations

import subprocess
import sys

from datasketch import MinHashLSH

from flows.dedupe.neardup import BANDS, LSH_THRESHOLD, NUM_PERM, ROWS


def test_the_written_out_banding_is_the_one_datasketch_picks():
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (BANDS, ROWS)


def test_importing_the_pipeline_leaves_datasketch_and_scipy_for_the_dedupe_stage():
    # A fresh interpreter: this test process has imported them already. A run with no new page never needs them.
    script = "import sys, flows.pipeline; print(sorted(m for m in ('datasketch', 'scipy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
