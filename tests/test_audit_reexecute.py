"""``--reexecute``: a fresh kernel runs the notebook top to bottom; saved crashes are compared."""
from __future__ import annotations

import json
import os

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from nbcrash_kernel.audit.reexecute import ran_out_of_order
from nbcrash_kernel.cli import main


def _error(ename, evalue):
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def _notebook():
    return new_notebook(cells=[
        new_code_cell("y = 2", execution_count=3),
        # Ran before the cell above defined y: crashed then, but not top to bottom.
        new_code_cell("print(y + 1)", execution_count=2,
                      outputs=[_error("NameError", "name 'y' is not defined")]),
        new_code_cell("1 / 0", execution_count=4, outputs=[_error("ZeroDivisionError", "division by zero")]),
        # Reads a file next to the notebook: only works when the kernel runs in its folder.
        new_code_cell("text = open('data.txt').read()\nint(text)"),
    ])


def test_ran_out_of_order_reads_the_saved_counts():
    nb = _notebook()
    assert ran_out_of_order(nb, 1)        # a cell above has a higher count
    assert ran_out_of_order(nb, 0)        # a cell below ran before it
    assert not ran_out_of_order(nb, 2)    # every cell above ran before it
    assert ran_out_of_order(nb, 3)        # never ran


@pytest.mark.slow
def test_reexecution_compares_saved_crashes_and_reports_new_ones(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "data.txt").write_text("not a number")
    nbformat.write(_notebook(), str(folder / "analysis.ipynb"))
    before = sorted(os.listdir(folder))
    monkeypatch.chdir(tmp_path)  # the kernel must still run in the notebook's folder
    code = main(["audit", "--reexecute", "--timeout", "60", "-f", "json", "--no-progress",
                 str(folder / "analysis.ipynb")])
    assert code == 1
    report = json.loads(capsys.readouterr().out)["notebooks"][0]
    run = report["reexecution"]
    assert run["status"] == "ok", run
    by_cell = {c["cell_index"]: c for c in report["crashes"]}
    name_error, zero = by_cell[1], by_cell[2]
    assert name_error["reexecution"] == {"reproduced": False, "evidence_for_nb": True}
    assert name_error["root_cause"] == "NB"
    assert any("fresh kernel" in e for e in name_error["evidence"])
    assert zero["reexecution"]["reproduced"] is True
    assert run["reproduced"] == 1 and run["not_reproduced"] == 1
    (new,) = run["new_crashes"]
    # int('not a number'): a ValueError, so the file was found in the notebook's folder.
    assert new["cell_index"] == 3 and new["ename"] == "ValueError"
    assert new["root_cause"] and new["exception_type"]
    assert sorted(os.listdir(folder)) == before  # the notebook file is not rewritten
