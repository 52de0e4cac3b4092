"""The sarif format: SARIF 2.1.0 that GitHub code scanning accepts.

One rule per root cause (``nbcrash/root-cause/NB``...) and one per finding
kind (``nbcrash/finding/out-of-order``...). Each result points at the notebook
file (path relative to the working directory, as code scanning expects), at
the line where the cell starts when it is known, and names the cell in a
logical location.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote
from typing import Any

from ..._version import __version__
from ...record.taxonomy import ROOT_CAUSES
from ..codes import FINDING_KINDS
from ..report import AuditResult, NotebookReport
from .common import cell_label, crash_codes, crash_headline

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://github.com/nbcrash/nbcrash"


def root_cause_rule_id(code: str) -> str:
    return f"nbcrash/root-cause/{code}"


def finding_rule_id(kind: str) -> str:
    return f"nbcrash/finding/{kind}"


def document(result: AuditResult) -> dict[str, Any]:
    """The SARIF log as a dict."""
    rules = _rules()
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []
    for report in result.reports:
        results.extend(_crash_result(report, c, index) for c in report.crashes)
        results.extend(_finding_result(report, f, index) for f in report.findings)
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {"name": "nbcrash", "version": __version__,
                                "informationUri": INFORMATION_URI, "rules": rules}},
            "results": results,
            "invocations": [_invocation(result)],
            "columnKind": "unicodeCodePoints",
        }],
    }


def render(result: AuditResult, color: bool = False) -> str:
    """The SARIF log as JSON text."""
    return json.dumps(document(result), indent=2, ensure_ascii=False) + "\n"


def _rules() -> list[dict[str, Any]]:
    rules = [_rule(root_cause_rule_id(code), f"crash-{code.lower()}",
                   f"Crash saved in the notebook; root cause: {words}", "error")
             for code, words in ROOT_CAUSES.items()]
    rules += [_rule(finding_rule_id(kind), kind, f"Notebook finding: {words}", "warning")
              for kind, words in FINDING_KINDS.items()]
    return rules


def _rule(rule_id: str, name: str, text: str, level: str) -> dict[str, Any]:
    return {"id": rule_id, "name": name,
            "shortDescription": {"text": text},
            "fullDescription": {"text": text},
            "defaultConfiguration": {"level": level},
            "properties": {"tags": ["notebook", "jupyter"]}}


def _crash_result(report: NotebookReport, crash: dict[str, Any], index: dict[str, int]
                  ) -> dict[str, Any]:
    rule_id = root_cause_rule_id(crash.get("root_cause") or "UNK")
    label = cell_label(crash.get("cell_index"), crash.get("execution_count"))
    text = f"{label}: {crash_headline(crash)} — {crash_codes(crash)}"
    if crash.get("summary"):
        text += f". {crash['summary']}"
    return {
        "ruleId": rule_id, "ruleIndex": index.get(rule_id, 0), "level": "error",
        "message": {"text": text},
        "locations": [_location(report.path, {"index": crash.get("cell_index"),
                                              "cell_id": crash.get("cell_id"),
                                              "execution_count": crash.get("execution_count"),
                                              "line": crash.get("line")})],
        "properties": {**{k: crash.get(k) for k in (
            "exception_type", "root_cause", "root_cause_detail", "origin", "library",
            "stage", "confidence", "cell_index", "cell_id", "execution_count")},
            "trace": crash.get("trace") or {}},  # the classifier rule behind each verdict, and why
    }


def _finding_result(report: NotebookReport, finding: dict[str, Any], index: dict[str, int]
                    ) -> dict[str, Any]:
    rule_id = finding_rule_id(finding["kind"])
    cells = finding.get("cells") or [{}]
    return {
        "ruleId": rule_id, "ruleIndex": index.get(rule_id, 0), "level": "warning",
        "message": {"text": finding["message"]},
        "locations": [_location(report.path, cells[0])],
        "relatedLocations": [dict(_location(report.path, c), id=i)
                             for i, c in enumerate(cells[1:], start=1)],
    }


def _location(path: str, cell: dict[str, Any]) -> dict[str, Any]:
    """The cell's start line, and a logical location named as Jupyter names the cell."""
    cell_index, cell_id, line = cell.get("index"), cell.get("cell_id"), cell.get("line")
    name = cell_label(cell_index, cell.get("execution_count")) if cell_index is not None else "notebook"
    anchor = cell_id or (f"cell-{cell_index + 1}" if isinstance(cell_index, int) else "notebook")
    logical = {"name": name, "kind": "object", "fullyQualifiedName": f"{artifact_uri(path)}#{anchor}"}
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(path), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": line if isinstance(line, int) and line > 0 else 1},
        },
        "logicalLocations": [logical],
    }


def artifact_uri(path: str) -> str:
    """``path`` relative to the working directory when below it: a URI reference, percent-encoded."""
    if path in ("-", "<stdin>"):
        return "stdin"
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(Path.cwd())
    except ValueError:
        return absolute.as_uri()
    return quote(relative.as_posix(), safe="/")


def _invocation(result: AuditResult) -> dict[str, Any]:
    notes = [{"level": "error", "message": {"text": report.error},
              "locations": [{"physicalLocation": {
                  "artifactLocation": {"uri": artifact_uri(report.path)}}}]}
             for report in result.unreadable]
    return {"executionSuccessful": not notes, "toolExecutionNotifications": notes}
