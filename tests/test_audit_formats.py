"""The report formats: text, json, sarif 2.1.0, html (escaped, self-contained), markdown."""
from __future__ import annotations

import json
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from nbcrash_kernel.audit.formats import FORMAT_NAMES, render
from nbcrash_kernel.audit.report import AuditResult, NotebookReport
from nbcrash_kernel.audit.runner import audit_paths

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture()
def result(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nbs").mkdir()
    nb = new_notebook(cells=[
        new_code_cell("import pandas as pd", execution_count=1),
        new_code_cell("df = pd.DataFrame()"),
        new_code_cell("df['price']", execution_count=2, outputs=[new_output(
            "error", ename="KeyError", evalue=XSS, traceback=[f"KeyError: {XSS}"])]),
    ])
    nbformat.write(nb, str(tmp_path / "nbs" / "my notebook.ipynb"))
    (tmp_path / "nbs" / "bad.ipynb").write_text("{not json")
    return audit_paths(["nbs"], jobs=1, progress=False)


def test_json_has_notebooks_with_path_error_crashes_findings_and_a_summary(result):
    doc = json.loads(render(result, "json"))
    by_path = {n["path"]: n for n in doc["notebooks"]}
    good, bad = by_path["nbs/my notebook.ipynb"], by_path["nbs/bad.ipynb"]
    assert good["error"] is None and bad["error"].startswith("nbs/bad.ipynb: ")
    assert bad["crashes"] == [] and bad["findings"] == []
    (crash,) = good["crashes"]
    assert crash["ename"] == "KeyError" and crash["cell_index"] == 2
    assert {f["kind"] for f in good["findings"]} == {"never-ran"}
    summary = doc["summary"]
    assert summary["notebooks"] == 2 and summary["unreadable"] == 1 and summary["crashes"] == 1
    assert summary["crashes_by"]["root_cause"] == {crash["root_cause"]: 1}
    assert summary["crashes_by"]["exception_type"] == {crash["exception_type"]: 1}
    assert summary["findings_by_kind"] == {"never-ran": 1}


def test_text_is_plain_unless_colour_is_asked(result):
    plain = render(result, "text")
    assert "\x1b[" not in plain
    assert "nbs/my notebook.ipynb" in plain and "KeyError" in plain and "cannot audit" in plain
    assert "2 notebooks: 1 crash (" in plain
    coloured = render(result, "text", color=True)
    assert "\x1b[31m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_sarif_is_2_1_0_with_one_rule_per_root_cause_and_cell_locations(result):
    from nbcrash_kernel.record.taxonomy import ROOT_CAUSES

    doc = json.loads(render(result, "sarif"))
    assert doc["version"] == "2.1.0" and "sarif" in doc["$schema"]
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    rule_ids = [r["id"] for r in rules]
    assert len(rule_ids) == len(set(rule_ids))
    for code in ROOT_CAUSES:
        assert f"nbcrash/root-cause/{code}" in rule_ids
    assert all(r["shortDescription"]["text"] and r["defaultConfiguration"]["level"] for r in rules)
    crash_results = [r for r in run["results"] if r["level"] == "error"]
    assert len(crash_results) == 1
    for item in run["results"]:
        assert rules[item["ruleIndex"]]["id"] == item["ruleId"]
        assert item["message"]["text"]
        location = item["locations"][0]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "nbs/my%20notebook.ipynb"
        assert physical["region"]["startLine"] >= 1
        assert re.fullmatch(r"In \[\d+\]|cell #\d+", location["logicalLocations"][0]["name"])
    assert crash_results[0]["locations"][0]["logicalLocations"][0]["name"] == "In [2]"
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert len(notes) == 1 and "bad.ipynb" in notes[0]["message"]["text"]


def test_sarif_start_line_is_the_line_of_the_crashing_cell(result, tmp_path):
    doc = json.loads(render(result, "sarif"))
    crash = next(r for r in doc["runs"][0]["results"] if r["level"] == "error")
    line = crash["locations"][0]["physicalLocation"]["region"]["startLine"]
    lines = (tmp_path / "nbs" / "my notebook.ipynb").read_text().splitlines()
    assert '"cell_type"' in lines[line - 1]
    assert "df['price']" in "\n".join(lines[line - 1: line + 30])


@pytest.mark.parametrize("name, shown", [
    ("html", "&lt;img src=x onerror=alert(1)&gt;"),
    ("markdown", "&lt;img src=x onerror=alert\\(1\\)&gt;"),  # \( renders as (
])
def test_html_and_markdown_escape_every_message(result, name, shown):
    out = render(result, name)
    assert XSS not in out
    assert shown in out
    assert "bad.ipynb" in out


def test_markdown_shows_quotes_as_typed_and_counts_in_the_singular():
    report = NotebookReport(path="one.ipynb", crashes=[{
        "ename": "KeyError", "evalue": "'price'", "root_cause": "DATA", "exception_type": "KEY",
        "origin": "ML", "stage": "DATAP", "cell_index": 0, "execution_count": 7}])
    out = render(AuditResult([report]), "markdown")
    assert "1 notebook, 1 crash, 0 findings" in out
    assert "KeyError\\: 'price'" in out  # a backslash escape: rendered as typed
    assert "&#" not in out and "&lt;" not in out
    assert "| In \\[7\\] |" in out


def test_html_is_one_self_contained_page(result):
    page = render(result, "html")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "KeyError" in page


def test_markdown_table_cells_escape_pipes():
    report = NotebookReport(path="a|b.ipynb", crashes=[{
        "ename": "ValueError", "evalue": "x | y\nsecond line", "root_cause": "DATA",
        "exception_type": "VALUE", "origin": "ML", "library": "pandas", "stage": "DATAP",
        "summary": "a | b", "cell_index": 0, "execution_count": 1}])
    out = render(AuditResult([report]), "markdown")
    row = next(line for line in out.splitlines() if line.startswith("| In \\[1\\]"))
    assert row.count(" | ") == 6  # seven columns, none split by the escaped pipes
    assert "x \\| y" in row


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_every_format_renders_an_empty_audit(name):
    assert render(AuditResult([]), name).strip()


class _Opaque:
    def __str__(self) -> str:
        return "opaque ✓"


@pytest.mark.parametrize("value", [
    {},
    [],
    {"a": [], "b": {}, "c": [[]], "d": [{}]},
    {"text": "é ✓ \u2028 \x00 \x1f \x7f \" \\ \n\t", "n": -3, "big": 10 ** 30, "f": 0.1, "g": 1e-07,
     "h": 1e16, "nan": float("nan"), "inf": float("inf"), "-inf": float("-inf"),
     "t": True, "no": False, "none": None},
    {1: "int key", 2.5: "float key", True: "bool key", None: "null key"},
    [("a", 1), ["b", [None, {"deep": [1, [2, [3]]]}]]],
    {"object": _Opaque(), "objects": [_Opaque(), {"x": _Opaque()}]},
])
def test_the_json_writer_gives_json_dumps_text_byte_for_byte(value):
    from nbcrash_kernel.audit.formats.indented_json import dumps

    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False, default=str)
