"""Stale state in a real kernel: crashes on values a re-run or an out-of-order run changed.

Each scenario is a small notebook run the way JupyterLab runs it (cellId, JPY_SESSION_NAME):
the crash must be NB (execution order) naming the cell that changed the value and the change
in words; the controls (the same crash with no stale state) must not be.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from nbcrash_kernel.live.driver import KernelDriver
from nbcrash_kernel.record.taxonomy import NB_EXECUTION_ORDER

pytestmark = pytest.mark.slow

LOAD = ("load", "import pandas as pd\nimport numpy as np\n"
                "df = pd.DataFrame({'sex': ['male', 'female', 'male', 'female'], 'age': [20, 30, 40, 50],\n"
                "                   'fare': [1.0, 2.0, 3.0, 4.0]})")
CELLS = [
    LOAD,
    ("encode", "df['sex'] = df['sex'].map({'male': 0, 'female': 1})"),
    ("use-sex", "total = df['sex'].astype(int).sum()"),
    ("dummies", "df = pd.get_dummies(df, columns=['sex'])"),
    ("read-age", "mean_age = df['age'].mean()"),
    ("drop-age", "df.drop('age', axis=1, inplace=True)"),
    ("typo", "df['agee'].mean()"),
    ("fit", "from sklearn.linear_model import LinearRegression\n"
            "X = df[['age', 'fare']].to_numpy()\nmodel = LinearRegression().fit(X, [1, 2, 3, 4])"),
    ("slice", "X = X[:, 1:]"),
    ("predict", "pred = model.predict(X)"),
]
SOURCE = dict(CELLS)


@pytest.fixture(scope="module")
def notebook(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("stale") / "stale.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(src, id=cid) for cid, src in CELLS]), path)
    return path


@pytest.fixture(scope="module")
def kernel(notebook):
    driver = KernelDriver(notebook=notebook)
    yield driver
    driver.shutdown()


def run_all(kernel, cell_ids: list[str]) -> dict:
    """Run the cells in order after a fresh namespace; the last one's crash record."""
    kernel.run("%reset -f", cell_id="reset")
    run = None
    for cell_id in cell_ids:
        run = kernel.run(SOURCE[cell_id], cell_id=cell_id)
        if cell_id != cell_ids[-1]:
            assert run.status == "ok", (cell_id, run.error)
    assert run is not None and run.crashes, f"no crash card for {cell_ids[-1]}: {run.error}"
    return run.crashes[-1]


def changed_by(record: dict) -> list[dict]:
    return [c for c in record.get("related_cells", []) if c.get("role") == "changed-by"]


def assert_stale(record: dict, cell_id: str, kind: str, words: str) -> None:
    assert record["root_cause"] == "NB" and record["root_cause_detail"] == NB_EXECUTION_ORDER, record["summary"]
    assert [c["cell_id"] for c in changed_by(record)] == [cell_id]
    assert record["stale_state"]["kind"] == kind
    assert words in record["summary"], record["summary"]


def test_a_cell_run_twice_reencodes_a_column(kernel):
    record = run_all(kernel, ["load", "encode", "encode", "use-sex"])
    assert_stale(record, "encode", "rerun", "`df['sex']` now holds float64, not int64")
    assert "ran twice (first as In [" in record["summary"]
    assert record["related_cells"][0]["execution_count"] is not None


def test_the_crashing_cell_itself_ran_before(kernel):
    record = run_all(kernel, ["load", "dummies", "dummies"])
    assert_stale(record, "dummies", "rerun-self", "`df` no longer has column 'sex'")
    assert "already ran as In [" in record["summary"]


def test_an_inplace_drop_run_twice(kernel):
    record = run_all(kernel, ["load", "drop-age", "drop-age"])
    assert_stale(record, "drop-age", "rerun-self", "no longer has column 'age'")
    assert "dropped `df['age']`" in record["summary"]


def test_a_cell_changed_the_frame_after_the_reader_last_ran(kernel):
    record = run_all(kernel, ["load", "read-age", "drop-age", "read-age"])
    assert_stale(record, "drop-age", "changed-after", "`df` no longer has column 'age'")


def test_a_cell_below_ran_first(kernel):
    record = run_all(kernel, ["load", "drop-age", "read-age"])
    assert_stale(record, "drop-age", "below", "`df` no longer has column 'age'")


def test_a_feature_slice_run_twice_breaks_predict(kernel):
    record = run_all(kernel, ["load", "fit", "slice", "slice", "predict"])
    assert_stale(record, "slice", "rerun", "`X` now has shape (4, 0), not (4, 1)")


def test_the_warning_before_the_run_names_the_cell_that_removed_the_column(kernel):
    run_all(kernel, ["load", "read-age", "drop-age", "read-age"])
    kernel.run("%reset -f", cell_id="reset")
    for cell_id in ["load", "read-age", "drop-age"]:
        kernel.run(SOURCE[cell_id], cell_id=cell_id)
    run = kernel.run(SOURCE["read-age"], cell_id="read-age")
    warning = run.warnings[0]
    assert warning["kind"] == "missing-column" and warning["key"] == "age"
    assert "removed it (dropped `df['age']`)" in warning["message"]
    assert warning["changed_by"]["cell_id"] == "drop-age" and warning["changed_by"]["execution_count"] is not None
    assert not warning["cells"]  # the Lab's "Run cells" must not offer to run the cell that dropped it


def test_rerunning_get_dummies_is_warned_before_it_runs(kernel):
    run_all(kernel, ["load", "dummies", "dummies"])
    kernel.run("%reset -f", cell_id="reset")
    for cell_id in ["load", "dummies"]:
        kernel.run(SOURCE[cell_id], cell_id=cell_id)
    run = kernel.run(SOURCE["dummies"], cell_id="dummies")
    warning = run.warnings[0]
    assert warning["kind"] == "missing-column" and warning["key"] == "sex"
    assert warning["changed_by"]["cell_id"] == "dummies" and "removed it" in warning["message"]


def test_a_typo_is_not_stale_state(kernel):
    record = run_all(kernel, ["load", "encode", "encode", "typo"])
    assert "stale_state" not in record
    assert not changed_by(record)


def test_a_first_run_in_order_is_not_stale(kernel):
    record = run_all(kernel, ["load", "fit", "slice", "predict"])
    assert "stale_state" not in record


def test_nbcrash_had_no_internal_error(kernel):
    run = kernel.run("from nbcrash_kernel.live.extension import active_extension\n"
                     "print(len(active_extension(get_ipython()).internal_errors))")
    assert run.text.strip() == "0"
