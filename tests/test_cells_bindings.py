"""The live guard's line scan of module-level bindings: what it finds, and that it reads imports
with the same patterns as the audit's lean facts."""
from __future__ import annotations

import pytest

from nbcrash_kernel.facts.cells import analyze_cell, bindings, lines
from nbcrash_kernel.facts.cells.bindings import module_level_bindings
from nbcrash_kernel.facts.graph import defined_names

CELLS = [
    "import numpy as np, os.path\nfrom sklearn.svm import SVC as Model, LinearSVC  # svm",
    "from . import helpers\nfrom pkg.sub import (a, b as c)",
    "x, (y, *rest) = values\ntotal += x\nlabel: str = 'a'\nif (n := len(rest)) > 2:\n    big = True",
    "for i, row in enumerate(rows):\n    last = row\nwith open(p) as fh, lock as held:\n    text = fh.read()",
    "def fit(model):\n    inner = 1\n    return model\nclass Net:\n    width = 3\nresult = fit(Net)",
    "try:\n    import torch\nexcept ImportError as err:\n    torch = None",
    "café = 1\nnaïve_bayes = café * 2",
]


@pytest.mark.parametrize("source", CELLS)
def test_the_scan_covers_what_the_full_analysis_binds(source):
    assert defined_names(analyze_cell(source)) <= module_level_bindings(source)


def test_names_in_function_and_class_bodies_are_not_module_bindings():
    found = module_level_bindings(CELLS[4])
    assert {"fit", "Net", "result"} <= found
    assert not {"inner", "width"} & found


def test_magics_and_shell_lines_bind_nothing():
    assert module_level_bindings("%time x = 1\n!ls > out\ny = 2") == frozenset({"y"})


def test_the_scan_shares_the_import_patterns_of_the_lean_facts():
    assert bindings.IMPORT_LINE is lines.IMPORT_LINE and bindings.FROM_IMPORT_LINE is lines.FROM_IMPORT_LINE
    assert bindings.NAME is lines.NAME
