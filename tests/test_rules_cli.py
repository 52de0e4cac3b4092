"""`nbcrash rules`, `nbcrash classify --explain` and docs/rules.md, which is generated from the registry."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from nbcrash_kernel.cli import main

ROOT = Path(__file__).resolve().parents[1]
DIMENSIONS = ("exception_type", "root_cause", "origin", "stage")


def _run(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_rules_json_lists_every_rule_that_decides_a_dev_record(capsys, tmp_path):
    listed = {r["id"]: r for r in json.loads(_run(capsys, "rules", "--format", "json"))}
    assert {r["dimension"] for r in listed.values()} == set(DIMENSIONS)
    assert all(r["examples"] >= 1 and r["summary"] for r in listed.values())
    out = tmp_path / "out.jsonl"
    _run(capsys, "classify", str(ROOT / "tests" / "data" / "crash_labels_dev.csv"), "-o", str(out))
    records = [json.loads(line) for line in out.read_text().splitlines()]
    for record in records:
        for dimension in DIMENSIONS:
            decided = record["trace"][dimension]
            assert listed[decided["rule"]]["dimension"] == dimension
            assert decided["candidates"][0]["verdict"] == record[dimension]


def test_rules_text_names_each_dimension_and_rule(capsys):
    text = _run(capsys, "rules")
    for title in ("Exception type", "Root cause", "Origin", "Stage"):
        assert title in text
    assert "RC-NAME-TYPO" in text and "ST-CALL-VOCAB" in text


def test_docs_rules_md_is_generated_from_the_registry(capsys):
    generated = _run(capsys, "rules", "--format", "markdown")
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == generated, \
        "docs/rules.md is stale: run `nbcrash rules --format markdown > docs/rules.md`"


def test_classify_explain_prints_the_deciding_rule_of_each_dimension(tmp_path):
    source = tmp_path / "crashes.jsonl"
    source.write_text(json.dumps({"crash_id": "k1", "ename": "KeyError", "evalue": "'price'", "traceback": ""}) + "\n"
                      + json.dumps({"crash_id": "m1", "ename": "ModuleNotFoundError",
                                    "evalue": "No module named 'xgboost'", "traceback": ""}) + "\n")
    done = subprocess.run([sys.executable, "-m", "nbcrash_kernel", "classify", str(source), "--explain"],
                          capture_output=True, text=True, check=True)
    out = done.stdout
    assert "k1: KeyError: 'price'" in out and "m1: ModuleNotFoundError" in out
    assert "root_cause      DATA     RC-KEY-DATA" in out
    assert "exception_type  MODULE   ET-MODULE-NOT-FOUND" in out
    assert "'xgboost' is not installed in this environment" in out
    assert not out.lstrip().startswith("{")  # explanations, not JSONL


def test_classify_explain_with_output_still_writes_the_records(tmp_path):
    source = tmp_path / "crashes.jsonl"
    source.write_text(json.dumps({"ename": "KeyError", "evalue": "'price'", "traceback": ""}) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["classify", str(source), "--explain", "-o", str(out)]) == 0
    record = json.loads(out.read_text())
    assert record["trace"]["exception_type"]["rule"] == "ET-KEY"


def test_explain_weighs_the_rules_after_the_deciding_one(tmp_path):
    from nbcrash_kernel.classify.records import classify_row

    row = {"ename": "ValueError", "evalue": "could not convert string to float: 'abc'", "traceback": ""}
    plain = classify_row(row)["trace"]["exception_type"]["candidates"]
    weighed = classify_row(row, weigh_all=True)["trace"]["exception_type"]["candidates"]
    assert [c["rule"] for c in plain] == ["ET-CAST-MESSAGE"]
    assert [c["rule"] for c in weighed][0] == "ET-CAST-MESSAGE"
    assert {"ET-VALUE", "ET-OTHER"} <= {c["rule"] for c in weighed}  # they fire too, but later in order
    assert classify_row(row, weigh_all=True)["exception_type"] == classify_row(row)["exception_type"]


def test_csv_and_parquet_outputs_keep_the_trace_as_json(tmp_path):
    import pandas as pd

    source = tmp_path / "crashes.jsonl"
    source.write_text(json.dumps({"ename": "KeyError", "evalue": "'price'", "traceback": ""}) + "\n")
    for suffix, read in ((".csv", pd.read_csv), (".parquet", pd.read_parquet)):
        out = tmp_path / f"out{suffix}"
        assert main(["classify", str(source), "-o", str(out)]) == 0
        trace = json.loads(read(out)["trace"][0])
        assert trace["root_cause"]["rule"] == "RC-KEY-DATA"
