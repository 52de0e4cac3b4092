"""A command loads only what it needs: ``nbcrash --help`` and ``nbcrash audit one.ipynb`` import
neither pandas nor the study, dask, networkx or a process pool (timings: benchmarks/startup_speed.py)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "pyarrow", "numpy", "dask", "networkx", "astroid", "nbformat", "IPython",
         "nbcrash_kernel.study", "nbcrash_kernel.classifier", "concurrent.futures.process")
PROBE = """import json, sys
from nbcrash_kernel.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stdout.flush()
sys.stderr.write(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def _imported(*argv: str) -> list[str]:
    run = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *argv],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    return json.loads(run.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["audit", "--help"]])
def test_help_imports_nothing_heavy(argv):
    assert _imported(*argv) == []


def test_auditing_one_notebook_imports_nothing_heavy():
    assert _imported("audit", "--no-progress", str(ROOT / "notebooks" / "impl_typo.ipynb")) == []
