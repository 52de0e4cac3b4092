"""Large and odd inputs: multi-megabyte outputs, 10,000-cell notebooks, a mix of bad files."""
from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from nbcrash_kernel.audit.runner import audit_paths


@pytest.mark.slow
def test_multi_megabyte_outputs_and_ten_thousand_cells(tmp_path):
    big = new_notebook(cells=[
        new_code_cell("print('x' * 5_000_000)", execution_count=1,
                      outputs=[new_output("stream", name="stdout", text="x" * 5_000_000)]),
        new_code_cell("y", execution_count=2, outputs=[new_output(
            "error", ename="NameError", evalue="name 'y' is not defined", traceback=["NameError"])]),
    ])
    nbformat.write(big, str(tmp_path / "big.ipynb"))
    # Plain dicts: nbformat's constructors validate each cell, too slow for 10,000.
    cells = [{"cell_type": "code", "id": f"c{i}", "metadata": {}, "outputs": [],
              "execution_count": i + 1, "source": f"v{i} = v{i - 1} + 1" if i else "v0 = 0"}
             for i in range(10_000)]
    cells[-1]["outputs"] = [{"output_type": "error", "ename": "ValueError", "evalue": "bad",
                             "traceback": ["ValueError"]}]
    long_nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}
    (tmp_path / "long.ipynb").write_text(json.dumps(long_nb))
    result = audit_paths([str(tmp_path)], jobs=1, progress=False)
    reports = {r.path.rsplit("/", 1)[-1]: r for r in result.reports}
    assert reports["big.ipynb"].error is None and len(reports["big.ipynb"].crashes) == 1
    assert reports["long.ipynb"].error is None and reports["long.ipynb"].cells == 10_000
    assert reports["long.ipynb"].crashes[0]["cell_index"] == 9_999
    assert reports["long.ipynb"].findings == []


def test_a_mix_of_bad_files_each_gets_its_error_and_the_good_ones_their_crashes(tmp_path):
    good = new_notebook(cells=[new_code_cell("1/0", execution_count=1, outputs=[new_output(
        "error", ename="ZeroDivisionError", evalue="division by zero", traceback=[])])])
    nbformat.write(good, str(tmp_path / "a_good.ipynb"))
    bad = {
        "b_json.ipynb": b"{",
        "c_list.ipynb": b"[]",
        "d_bin.ipynb": b"\x00\x01\x02PK",
        "e_empty.ipynb": b"",
        "f_cells.ipynb": json.dumps({"nbformat": 4, "cells": [{"cell_type": "code", "source": {"x": 1},
                                                              "outputs": [7, None]}]}).encode(),
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    nbformat.write(good, str(tmp_path / "z_good.ipynb"))
    result = audit_paths([str(tmp_path)], jobs=1, progress=False)
    by_name = {r.path.rsplit("/", 1)[-1]: r for r in result.reports}
    for name in ("b_json.ipynb", "c_list.ipynb", "d_bin.ipynb", "e_empty.ipynb"):
        assert by_name[name].error and name in by_name[name].error
    handled = by_name["f_cells.ipynb"]
    assert handled.error is None and handled.warnings  # repaired, with a warning
    assert len(by_name["a_good.ipynb"].crashes) == len(by_name["z_good.ipynb"].crashes) == 1
    assert result.exit_code("never") == 2
