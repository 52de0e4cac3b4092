"""RC-NB-OWN-CALLEE: a call that does not fit the notebook's own def or class is IMPL, a library's stays API.

The notebooks are executed for real (nbclient, a python3 kernel) and audited in process.
"""
from __future__ import annotations

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from nbcrash_kernel.audit.notebook import audit_notebook


def _crashes(tmp_path, sources):
    nb = new_notebook(cells=[new_code_cell(src) for src in sources])
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()
    path = tmp_path / "own.ipynb"
    nbformat.write(nb, path)
    return audit_notebook(str(path)).crashes


def test_the_notebook_s_own_callees_make_implementation_errors(tmp_path):
    crashes = _crashes(tmp_path, [
        "class Net:\n    def __init__(self, in_dim, out_dim):\n        self.shape = (in_dim, out_dim)",
        "model = Net()",
        "def step(w):\n    return w * 0.5",
        "loss, grad = step(2.0)",
        "def scale(x, factor):\n    return x * factor",
        "scale(3, factor=2, offset=1)",
    ])
    assert [c["ename"] for c in crashes] == ["TypeError", "TypeError", "TypeError"]
    assert [c["root_cause"] for c in crashes] == ["IMPL", "IMPL", "IMPL"]
    assert "`Net` is the notebook's own" in " ".join(crashes[0]["evidence"])
    assert "does not unpack" in " ".join(crashes[1]["evidence"])


def test_a_library_callee_or_an_imported_name_is_not_the_notebook_s_own(tmp_path):
    crashes = _crashes(tmp_path, [
        "from collections import Counter as step",
        "a, b = step()",
        "import json\njson.dumps()",
    ])
    assert [c["ename"] for c in crashes] == ["ValueError", "TypeError"]
    assert all("notebook's own" not in " ".join(c["evidence"]) for c in crashes)
