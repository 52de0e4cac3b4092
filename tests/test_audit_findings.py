"""Notebook findings: out-of-order counts, names defined below or nowhere, cells never run,
saved outputs a top-to-bottom run cannot reproduce."""
from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from nbcrash_kernel.audit.notebook import audit_notebook


def _stream(text="ok\n"):
    return new_output("stream", name="stdout", text=text)


def _findings(cells):
    nb = new_notebook(cells=cells)
    report = audit_notebook("mem.ipynb", nbformat.writes(nb).encode())
    assert report.error is None
    return report.findings


def _kinds(findings):
    return sorted(f["kind"] for f in findings)


def _cells_of(finding):
    return [c["index"] for c in finding["cells"]]


def test_a_clean_top_to_bottom_notebook_has_no_findings():
    findings = _findings([
        new_code_cell("import numpy as np", execution_count=1),
        new_code_cell("x = np.arange(3)\ndef f(v):\n    return v + later", execution_count=2),
        new_code_cell("later = 1\nprint(f(x), len(x))", execution_count=3, outputs=[_stream()]),
    ])
    assert findings == []


def test_out_of_order_counts_give_one_finding_per_drop():
    findings = _findings([
        new_code_cell("a = 1", execution_count=1),
        new_code_cell("b = a", execution_count=9),
        new_code_cell("c = b", execution_count=10),
        new_code_cell("d = c", execution_count=3),
        new_code_cell("e = d", execution_count=4),
    ])
    assert _kinds(findings) == ["out-of-order"]
    assert _cells_of(findings[0]) == [2, 3]
    assert "In [3] ran before In [10]" in findings[0]["message"]
    assert [[a["index"], b["index"]] for a, b in findings[0]["pairs"]] == [[2, 3]]


def test_cells_never_run_above_a_cell_that_ran():
    findings = _findings([
        new_code_cell("a = 1", execution_count=1),
        new_code_cell("b = 2"),
        new_code_cell("   "),
        new_code_cell("c = a", execution_count=2),
        new_code_cell("d = 4"),  # below the last run cell: not reported
    ])
    assert _kinds(findings) == ["never-ran"]
    assert _cells_of(findings[0]) == [1, 3]


def test_use_above_the_only_definition_and_irreproducible_output():
    findings = _findings([
        new_code_cell("print(model)", execution_count=2, outputs=[_stream()]),
        new_code_cell("model = 'svm'", execution_count=1),
    ])
    assert _kinds(findings) == ["defined-below", "irreproducible-output", "out-of-order"]
    below = next(f for f in findings if f["kind"] == "defined-below")
    assert below["names"] == ["model"] and _cells_of(below) == [0, 1]
    irreproducible = next(f for f in findings if f["kind"] == "irreproducible-output")
    assert _cells_of(irreproducible) == [0, 1]
    assert "'model' is first defined below" in irreproducible["message"]


def test_names_defined_nowhere_skip_builtins_ipython_names_and_star_imports():
    findings = _findings([
        new_code_cell("print(len(In), get_ipython(), _1)\nresult = compute(data)", execution_count=1),
        new_code_cell("pwd\npip install xgboost", execution_count=2),  # IPython automagics
        new_code_cell("xmode Plain\ndhist\ncolors nocolor", execution_count=3),  # the full analysis' list too
    ])
    assert _kinds(findings) == ["undefined-name"]
    assert findings[0]["names"] == ["compute", "data"]
    starred = _findings([
        new_code_cell("from pylab import *", execution_count=1),
        new_code_cell("plot(x)", execution_count=2),
    ])
    assert "undefined-name" not in _kinds(starred)
    for dynamic in ("%pylab inline", "%run helpers.py", "exec(open('setup.py').read())"):
        found = _findings([new_code_cell(dynamic, execution_count=1),
                           new_code_cell("plot(x)", execution_count=2)])
        assert "undefined-name" not in _kinds(found), dynamic


def test_a_function_body_may_read_a_name_defined_later():
    findings = _findings([
        new_code_cell("def f():\n    return threshold", execution_count=1),
        new_code_cell("threshold = 3\nf()", execution_count=2, outputs=[_stream()]),
    ])
    assert findings == []


def test_findings_carry_cell_ids_counts_and_file_lines():
    nb = new_notebook(cells=[new_code_cell("y = x", execution_count=1)])
    text = nbformat.writes(nb)
    report = audit_notebook("mem.ipynb", text.encode())
    (finding,) = report.findings
    (cell,) = finding["cells"]
    assert cell["cell_id"] == nb.cells[0].id and cell["execution_count"] == 1
    assert '"cell_type"' in text.splitlines()[cell["line"] - 1]


def _error(ename="ValueError"):
    return new_output("error", ename=ename, evalue="boom", traceback=[f"{ename}: boom"])



@pytest.mark.parametrize("crash", [False, True], ids=["no crash", "with a crash (graph facts)"])
@pytest.mark.parametrize("dynamic, expected", [
    ("exec('ghost = 1')", []),
    ("globals()['ghost'] = 1", []),
    ("%run helpers.py", []),
    ("import import_ipynb", []),
    ("executor('ghost')", ["ghost"]),      # a name ending in 'exec' is not exec()
    ("rate = 5 % 3", ["ghost"]),            # a '%' that is not a magic
])
def test_cells_that_may_define_any_name_silence_defined_nowhere(dynamic, expected, crash):
    cells = [
        new_code_cell(dynamic, execution_count=1, outputs=[_stream()]),
        new_code_cell("print(ghost)", execution_count=2,
                      outputs=[_error()] if crash else [_stream()]),
    ]
    undefined = [f for f in _findings(cells) if f["kind"] == "undefined-name"]
    names = [n for f in undefined for n in f["names"] if n == "ghost"]
    assert names == expected
