"""A notebook in each state a user saves it in: no false finding where nothing is wrong.

Never run, partly run (top cells only), run out of order, stripped of its outputs
(nbstripout, ``jupyter nbconvert --clear-output``), and the shipped pre-commit hook
on a stripped notebook; the repository's own notebooks/ audit clean unless they
hold a real finding.
"""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from nbcrash_kernel.audit.notebook import audit_notebook

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["import math", "radius = 2.0", "area = math.pi * radius ** 2", "print(area)"]


def _notebook(counts, outputs=True):
    cells = [new_markdown_cell("# Circle")]
    for source, count in zip(SOURCES, counts):
        out = [new_output("stream", name="stdout", text="12.56\n")] if outputs and count else []
        cells.append(new_code_cell(source, execution_count=count, outputs=out))
    return new_notebook(cells=cells)


def _audit(nb):
    report = audit_notebook("state.ipynb", nbformat.writes(nb).encode())
    assert report.error is None
    return report


def test_a_notebook_that_never_ran_has_no_finding():
    assert _audit(_notebook([None, None, None, None])).findings == []


def test_a_fresh_two_cell_notebook_has_no_finding():
    nb = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("print(x)")])
    assert _audit(nb).findings == []


def test_a_partly_run_notebook_has_no_finding():
    assert _audit(_notebook([1, 2, None, None])).findings == []


def test_a_notebook_run_out_of_order_has_one_out_of_order_finding():
    findings = _audit(_notebook([1, 4, 2, 3])).findings
    assert [f["kind"] for f in findings] == ["out-of-order"]
    assert "In [2] ran before In [4]" in findings[0]["message"]


def test_a_skipped_cell_above_one_that_ran_is_still_reported():
    findings = _audit(_notebook([1, None, 2, 3])).findings
    assert "never-ran" in [f["kind"] for f in findings]
    message = next(f["message"] for f in findings if f["kind"] == "never-ran")
    assert message == "cell #3 never ran, yet In [3] below did"  # #3: the markdown cell is #1


def _stripped(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.execution_count, cell.outputs = None, []
    return nb


def test_a_stripped_notebook_has_no_finding():
    assert _audit(_stripped(_notebook([1, 4, 2, 3]))).findings == []


def _hook_entry() -> list[str]:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    entry = re.search(r"(?m)^\s*entry:\s*(.+)$", text).group(1).strip()
    words = shlex.split(entry)
    assert words[0] == "nbcrash"
    return [sys.executable, "-m", "nbcrash_kernel", *words[1:]]


def test_the_shipped_pre_commit_hook_passes_on_stripped_notebooks(tmp_path):
    paths = []
    for i, counts in enumerate(([1, 2, 3, 4], [1, 4, 2, 3], [None] * 4)):
        path = tmp_path / f"nb{i}.ipynb"
        nbformat.write(_stripped(_notebook(counts)), str(path))
        paths.append(str(path))
    run = subprocess.run(_hook_entry() + paths, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_repositorys_notebooks_have_only_real_findings():
    found = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        report = audit_notebook(str(path))
        assert report.error is None
        found[path.name] = sorted(f["kind"] for f in report.findings)
    # impl_typo.ipynb demonstrates a typo: its misspelt name is defined in no cell.
    assert found.pop("impl_typo.ipynb") == ["undefined-name"]
    assert all(kinds == [] for kinds in found.values()), found
