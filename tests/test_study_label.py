"""Labelling sheet, import of reviewed sheets, agreement; automatic labels when the classifier exists."""
from __future__ import annotations

import importlib.util
import json

import pandas as pd
import pytest

from nbcrash_kernel.study.label import agreement, import_reviewed, label_notebook, labelling_sheet, write_sheet


def _crashes() -> pd.DataFrame:
    return pd.DataFrame({
        "crash_id": ["c1", "c2", "c3"], "platform": ["github", "kaggle", "github"],
        "source": ["s"] * 3, "path": ["a.ipynb", "b.ipynb", "<x>.ipynb"], "cell_index": [1, 2, 3],
        "execution_count": [1, 2, None], "ename": ["NameError", "KeyError", "ValueError"],
        "evalue": ["name 'x' is not defined", "'price'", "bad\x1b[0m"],
        "traceback": [json.dumps(["\x1b[31mNameError\x1b[0m: name 'x' is not defined"])] * 3,
        "cell_source": ["print(x)", "df['price']", "f()"], "previous_source": ["", "df = load()", ""],
    })


def _auto() -> pd.DataFrame:
    return pd.DataFrame({"crash_id": ["c1", "c2", "c3"], "platform": ["github", "kaggle", "github"],
                         "exception_type": ["VNF", "KEY", "VALUE"], "root_cause": ["NB", "DATA", "API"],
                         "origin": ["PY", "ML", "ML"], "library": ["", "pandas", ""],
                         "stage": ["EVAL", "DATAP", "TRAIN"], "summary": ["", "", ""]})


def test_sheet_has_context_auto_labels_and_empty_review_columns(tmp_path):
    sheet = labelling_sheet(_crashes(), _auto())
    row = sheet.set_index("crash_id").loc["c2"]
    assert row["previous_cell"] == "df = load()" and row["crashing_cell"] == "df['price']"
    assert row["auto_root_cause"] == "DATA" and row["root_cause"] == ""
    assert "\x1b" not in sheet.set_index("crash_id").loc["c1", "traceback"]
    write_sheet(sheet, tmp_path / "s.csv", tmp_path / "s.xlsx")
    back = pd.read_excel(tmp_path / "s.xlsx", dtype=str)
    assert list(back["crash_id"]) == ["c1", "c2", "c3"]


def test_import_reviewed_counts_unreviewed_and_invalid(tmp_path):
    sheet = labelling_sheet(_crashes(), _auto())
    sheet.loc[0, ["exception_type", "root_cause", "origin", "stage"]] = ["VNF", "IMPL", "PY", "EVAL"]
    sheet.loc[1, ["exception_type", "root_cause", "origin", "stage"]] = ["KEY", "BOGUS", "ML", "DATAP"]
    sheet.to_csv(tmp_path / "r.csv", index=False)
    human, report = import_reviewed([tmp_path / "r.csv", tmp_path / "missing.csv"])
    assert human["crash_id"].tolist() == ["c1"]
    assert report.notes["unreviewed_rows"] == 1
    reasons = " ".join(b.reason for b in report.bad_inputs)
    assert "BOGUS" in reasons and "unreadable sheet" in reasons


def test_agreement_accuracy_and_kappa():
    from sklearn.metrics import cohen_kappa_score

    human = _auto().copy()
    human.loc[0, "root_cause"] = "IMPL"
    result = agreement(_auto(), human)
    assert result["exception_type"]["accuracy"] == 1.0 and result["exception_type"]["cohen_kappa"] == 1.0
    assert result["root_cause"]["accuracy"] == pytest.approx(2 / 3)
    assert result["root_cause"]["cohen_kappa"] == pytest.approx(
        cohen_kappa_score(human["root_cause"], _auto()["root_cause"]))


def test_label_notebook_never_raises_on_unreadable_notebook():
    crash = {**_crashes().iloc[0].to_dict(), "output_index": 0, "traceback": ["NameError: x"]}
    rows = label_notebook(("{not json", [crash]))
    assert len(rows) == 1 and rows[0]["crash_id"] == "c1"
    assert rows[0]["label_context"] in {"cell", "none"}


@pytest.mark.skipif(importlib.util.find_spec("nbcrash_kernel.classifier") is None
                    or not hasattr(__import__("nbcrash_kernel.classifier", fromlist=["x"]), "classify"),
                    reason="classifier not available yet")
def test_automatic_labels_use_taxonomy_codes():
    from nbcrash_kernel.record.taxonomy import EXCEPTION_TYPES, ORIGINS, ROOT_CAUSES, STAGES

    crash = {**_crashes().iloc[0].to_dict(), "output_index": 0, "traceback": ["NameError: name 'x' is not defined"]}
    row = label_notebook(("{}", [crash]))[0]
    assert row["label_error"] == ""
    assert row["exception_type"] in EXCEPTION_TYPES and row["root_cause"] in ROOT_CAUSES
    assert row["origin"] in ORIGINS and row["stage"] in STAGES
