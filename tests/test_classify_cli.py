"""``nbcrash classify``: formats in and out, order, ids, bad input."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from nbcrash_kernel.cli import main

ROWS = [
    {"crash_id": "a1", "ename": "nameerror", "evalue": "name 'np' is not defined",
     "traceback": json.dumps(["NameError  Traceback (most recent call last)",
                              "Cell In[3], line 1\n----> 1 x = np.zeros(3)\n", "NameError: name 'np' is not defined"]),
     "notes": "ignored column"},
    {"crash_id": "b2", "ename": "KeyError", "evalue": "'price'",
     "traceback": "Traceback (most recent call last):\n  File \"<ipython-input-4-abc>\", line 2, in <module>\n"
                  "    df['price']\nKeyError: 'price'"},
    {"crash_id": "c3", "ename": "ModuleNotFoundError", "evalue": "No module named 'xgboost'", "traceback": "[]"},
]


def _records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_csv_to_jsonl_on_stdout_keeps_order_and_ids(tmp_path, capsys):
    path = tmp_path / "crashes.csv"
    pd.DataFrame(ROWS).to_csv(path, index=False)
    assert main(["classify", str(path)]) == 0
    records = _records(capsys.readouterr().out)
    assert [r["crash_id"] for r in records] == ["a1", "b2", "c3"]
    assert [r["exception_type"] for r in records] == ["MODULE", "KEY", "MODULE"]
    assert records[0]["ename"] == "NameError"
    assert records[2]["root_cause"] == "ENV" and "notes" not in records[0]


def test_jsonl_in_parquet_out(tmp_path):
    src = tmp_path / "crashes.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n")
    out = tmp_path / "labels.parquet"
    assert main(["classify", str(src), "-o", str(out)]) == 0
    labels = pd.read_parquet(out)
    assert list(labels.crash_id) == ["a1", "b2", "c3"]
    assert set(labels.columns) >= {"exception_type", "root_cause", "origin", "library", "stage"}


def test_parquet_in_csv_out_with_list_tracebacks(tmp_path):
    frame = pd.DataFrame(ROWS)
    frame["traceback"] = [json.loads(ROWS[0]["traceback"]), [ROWS[1]["traceback"]], []]
    src = tmp_path / "crashes.parquet"
    frame.to_parquet(src)
    out = tmp_path / "labels.csv"
    assert main(["classify", str(src), "-o", str(out)]) == 0
    labels = pd.read_csv(out)
    assert list(labels.exception_type) == ["MODULE", "KEY", "MODULE"]


def test_missing_required_column_exits_2_naming_it(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    pd.DataFrame([{"ename": "KeyError", "evalue": "'a'"}]).to_csv(path, index=False)
    assert main(["classify", str(path)]) == 2
    err = capsys.readouterr().err
    assert "traceback" in err and str(path) in err


@pytest.mark.parametrize("name,content,message", [
    ("nothing.csv", None, "no such file"),
    ("crashes.xlsx", b"PK", "unknown input format"),
    ("broken.parquet", b"not parquet at all", "cannot read"),
])
def test_unreadable_inputs_exit_2_with_a_clear_error(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert main(["classify", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_bad_rows_give_unk_records_and_the_others_continue(tmp_path, capsys):
    src = tmp_path / "crashes.jsonl"
    src.write_text(json.dumps(ROWS[1]) + "\n{not json\n[1, 2]\n" + json.dumps(ROWS[2]) + "\n")
    assert main(["classify", str(src)]) == 0
    records = _records(capsys.readouterr().out)
    assert len(records) == 4
    assert records[0]["exception_type"] == "KEY" and records[3]["exception_type"] == "MODULE"
    for bad in records[1:3]:
        assert bad["root_cause"] == "UNK" and "line" in bad["error"]


def test_console_script_runs(tmp_path):
    path = tmp_path / "crashes.csv"
    pd.DataFrame(ROWS[:1]).to_csv(path, index=False)
    result = subprocess.run([sys.executable, "-m", "nbcrash_kernel", "classify", str(path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert _records(result.stdout)[0]["crash_id"] == "a1"


def test_dev_set_classifies_completely(dev_csv, tmp_path):
    out = tmp_path / "labels.jsonl"
    assert main(["classify", str(dev_csv), "-o", str(out)]) == 0
    records = _records(out.read_text())
    assert len(records) == len(pd.read_csv(dev_csv))
    assert not any(r.get("error") for r in records)


def test_reader_closing_the_pipe_early_is_not_an_error(tmp_path):
    """`nbcrash classify big.csv | head -1`: stop quietly, no broken-pipe message."""
    path = tmp_path / "many.csv"
    pd.DataFrame(ROWS * 2000).to_csv(path, index=False)
    process = subprocess.Popen([sys.executable, "-m", "nbcrash_kernel.cli", "classify", str(path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0
    assert json.loads(first)["crash_id"] == "a1"
    assert "Broken pipe" not in stderr and "Traceback" not in stderr, stderr
