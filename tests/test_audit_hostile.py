"""The issue's hostile notebooks through the real command line: a report, always, and a safe one."""
from __future__ import annotations

import json

import pytest

from nbcrash_kernel.audit import load as load_module
from nbcrash_kernel.audit.cli import main
from nbcrash_kernel.audit.runner import audit_paths

ERROR = {"output_type": "error", "ename": "ZeroDivisionError", "evalue": "division by zero",
         "traceback": ["\x1b[31mZeroDivisionError\x1b[0m: division by zero"]}


def v3(cell: dict) -> str:
    return json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [cell]}]})


def v4(**error) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "id": "c", "source": "1/0", "metadata": {}, "execution_count": 1,
         "outputs": [dict(ERROR, **error)]}]})


CASES = {
    "outputs_int.ipynb": v3({"cell_type": "code", "input": "1/0", "prompt_number": 1, "outputs": 5}),
    "outputs_true.ipynb": v3({"cell_type": "code", "input": "1/0", "prompt_number": 1, "outputs": True}),
    "level_float.ipynb": v3({"cell_type": "heading", "level": 1e20, "source": "x"}),
    "level_int.ipynb": v3({"cell_type": "heading", "level": 10**20, "source": "x"}),
    "long_int.ipynb": v4().replace('"execution_count": 1', '"execution_count": ' + "9" * 5000),
    "surrogate.ipynb": v4(evalue="\ud800 \x1b]8;;http://evil\x07link\x1b]8;;\x07 [x](javascript:alert(1))"),
}


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "html", "markdown"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_each_issue_notebook_gives_a_report_never_a_traceback(tmp_path, name, fmt, capsys):
    path = tmp_path / name
    path.write_text(CASES[name], encoding="utf-8")
    out = tmp_path / f"report.{fmt}"
    code = main(["audit", str(path), "-f", fmt, "-o", str(out), "--no-progress"])
    text = out.read_text(encoding="utf-8")
    assert code in (0, 1, 2) and text.strip()
    assert "\x1b" not in text and "\x07" not in text
    if name == "surrogate.ipynb":
        assert "\\ud800" in text or "\\\\ud800" in text  # escaped, never dropped
    if fmt == "markdown":
        assert "](javascript" not in text


def test_any_exception_while_loading_is_a_bad_file_with_exit_2(tmp_path, monkeypatch):
    (tmp_path / "a.ipynb").write_text(v4(), encoding="utf-8")

    def broken(path, data):
        raise TypeError("an unforeseen shape")

    monkeypatch.setattr(load_module, "parse_notebook", broken)
    result = audit_paths([str(tmp_path)], jobs=1, progress=False)
    [report] = result.reports
    assert "TypeError: an unforeseen shape" in report.error
    assert result.exit_code("finding") == 2


def test_upper_case_suffix_is_audited_and_hidden_notebooks_are_reported_skipped(tmp_path, capsys):
    (tmp_path / "UPPER.IPYNB").write_text(v4(), encoding="utf-8")
    (tmp_path / ".hidden.ipynb").write_text(v4(), encoding="utf-8")
    result = audit_paths([str(tmp_path)], jobs=1, progress=False)
    assert [r.path.rsplit("/", 1)[-1] for r in result.reports] == ["UPPER.IPYNB"]
    assert [p.rsplit("/", 1)[-1] for p, _ in result.skipped] == [".hidden.ipynb"]
    assert main(["audit", str(tmp_path), "--no-progress"]) == 1
    assert "skipped" in capsys.readouterr().out


def test_file_names_with_link_syntax_and_escapes_are_neutralised(tmp_path):
    (tmp_path / "[x](javascript:alert(1)).ipynb").write_text(v4(), encoding="utf-8")
    (tmp_path / "esc\x1b]0;title\x07.ipynb").write_text(v4(), encoding="utf-8")
    out = tmp_path / "r.md"
    main(["audit", str(tmp_path), "-f", "markdown", "-o", str(out), "--no-progress"])
    text = out.read_text(encoding="utf-8")
    assert "\\[x\\]\\(javascript\\:alert\\(1\\)\\)" in text and "](javascript" not in text
    assert "\x1b" not in text and "\x07" not in text


def test_an_undecodable_file_name_is_audited_and_shown_escaped(tmp_path):
    import os

    raw = os.path.join(os.fsencode(tmp_path), b"caf\xff.ipynb")
    with open(raw, "w", encoding="utf-8") as handle:
        handle.write(v4())
    out = tmp_path / "r.json"
    assert main(["audit", str(tmp_path), "-f", "json", "-o", str(out), "--no-progress"]) == 1
    [notebook] = json.loads(out.read_text(encoding="utf-8"))["notebooks"]
    assert notebook["path"].endswith("caf\\udcff.ipynb") and len(notebook["crashes"]) == 1
