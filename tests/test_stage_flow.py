"""The stage from the notebook's dataflow: the statement that made the values the failing line reads."""
from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from nbcrash_kernel.audit.notebook import audit_notebook
from nbcrash_kernel.classifier import classify
from nbcrash_kernel.classifier.stage_flow import last_assignment, read_names
from nbcrash_kernel.facts.context import CrashContext
from nbcrash_kernel.live.driver import KernelDriver

INDEX = ("IndexError", "index 5 is out of bounds for axis 0 with size 2")


def _traceback(count: int, line: str, lineno: int = 1) -> list[str]:
    ename, evalue = INDEX
    return ["\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
            f"\x1b[0;31m{ename}\x1b[0m                                Traceback (most recent call last)",
            f"Cell \x1b[0;32mIn[{count}], line {lineno}\x1b[0m\n\x1b[0;32m----> {lineno}\x1b[0m {line}\n",
            f"\x1b[0;31m{ename}\x1b[0m: {evalue}"]


def _crash_cell(source: str, count: int, line: str, lineno: int = 1):
    ename, evalue = INDEX
    return new_code_cell(source, execution_count=count, outputs=[
        new_output("error", ename=ename, evalue=evalue, traceback=_traceback(count, line, lineno))])


def _audit(*cells):
    report = audit_notebook("mem.ipynb", nbformat.writes(new_notebook(cells=list(cells))).encode())
    assert report.error is None
    return report.crashes[-1]


def _alone(crash: dict, source: str) -> str:
    """The same crash from its record and cell, without the notebook."""
    ename, evalue = INDEX
    return classify(CrashContext(ename=ename, evalue=evalue, traceback=_traceback(9, source.splitlines()[0]),
                                 cell_source=source)).stage


def test_predictions_made_in_an_earlier_cell_put_the_crash_at_evaluation():
    crash = _audit(new_code_cell("import numpy as np", execution_count=1),
                   new_code_cell("out = model.predict(X_test)", execution_count=4),
                   _crash_cell("top = out[5]", 5, "top = out[5]"))
    assert crash["stage"] == "EVAL"
    assert crash["trace"]["stage"]["rule"] == "ST-DATAFLOW"
    why = crash["trace"]["stage"]["why"]
    assert "`out = model.predict(X_test)`" in why and "In [4]" in why
    assert _alone(crash, "top = out[5]") != "EVAL"  # the record alone knows nothing of `out`


def test_the_last_run_binding_wins_and_a_cell_that_ran_later_is_not_read():
    crash = _audit(new_code_cell("import matplotlib.pyplot as plt\nimport pandas as pd", execution_count=1),
                   new_code_cell("grid = pd.read_csv('a.csv')", execution_count=2),
                   new_code_cell("fig, grid = plt.subplots(2)", execution_count=3),
                   _crash_cell("first = grid[5]", 4, "first = grid[5]"),
                   new_code_cell("grid = model.predict(X)", execution_count=8))
    assert crash["stage"] == "DATAV"
    assert "In [3]" in crash["trace"]["stage"]["why"]


def test_a_binding_above_the_failing_line_in_the_crashing_cell_counts():
    source = "from sklearn.metrics import confusion_matrix\ncm = confusion_matrix(a, b)\ntn = cm[5, 1]"
    crash = _audit(_crash_cell(source, 3, "tn = cm[5, 1]", lineno=3))
    assert crash["stage"] == "EVAL"


def test_a_line_that_calls_a_staged_api_keeps_its_own_stage():
    crash = _audit(new_code_cell("out = model.predict(X_test)", execution_count=1),
                   _crash_cell("frame = pd.read_csv(out[5])", 2, "frame = pd.read_csv(out[5])"))
    assert crash["stage"] == "DATAP"
    assert crash["trace"]["stage"]["rule"] != "ST-DATAFLOW"


def test_without_the_notebook_no_dataflow_evidence():
    ename, evalue = INDEX
    diagnosis = classify(CrashContext(ename=ename, evalue=evalue, traceback=_traceback(5, "top = out[5]")))
    assert all(c["rule"] != "ST-DATAFLOW" for c in diagnosis.trace["stage"]["candidates"])


def test_bindings_are_read_from_the_lines():
    source = "a = 1\n(fig, ax) = plt.subplots()\nf(x=2)\nb == 3\nout: list = model.predict(X)\nz = 4"
    assert last_assignment(source, "ax").startswith("(fig, ax) = plt.subplots()")
    assert last_assignment(source, "x") is None and last_assignment(source, "b") is None
    assert last_assignment(source, "out").endswith("model.predict(X)")
    assert last_assignment(source, "z", before=6) is None
    assert read_names("print(len(y_pred), df.shape, key='a', n=k)") == ["y_pred", "df", "k"]


@pytest.mark.slow
def test_live_kernel_follows_the_name_to_the_cell_that_made_it(tmp_path):
    cells = [("pred", "def predict(rows):\n    return [r * 2 for r in rows]\nout = predict([1, 2])"),
             ("read", "top = out[5]")]
    path = tmp_path / "flow.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(src, id=cid) for cid, src in cells]), path)
    driver = KernelDriver(notebook=path)
    try:
        assert not driver.run(cells[0][1], cell_id="pred").crashes
        card = driver.run(cells[1][1], cell_id="read").crashes[0]
    finally:
        driver.shutdown()
    assert card["ename"] == "IndexError"
    assert card["stage"] == "EVAL"
    assert any("`out = predict([1, 2])`" in e and "In [" in e for e in card["evidence"])


def test_prepared_data_does_not_place_the_line_that_reads_it():
    crash = _audit(new_code_cell("import pandas as pd\nframe = pd.read_csv('a.csv')", execution_count=1),
                   new_code_cell("from sklearn.metrics import confusion_matrix\nfrom sklearn.model_selection "
                                 "import train_test_split\nrest, held = train_test_split(frame)", execution_count=2),
                   _crash_cell("row = held[5]", 3, "row = held[5]"))
    assert all(c["rule"] != "ST-DATAFLOW" for c in crash["trace"]["stage"]["candidates"])
