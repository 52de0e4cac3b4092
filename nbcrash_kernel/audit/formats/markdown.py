"""The markdown format: a report to paste in a pull request or a job summary.

GitHub renders HTML inside markdown, so every text from a notebook has its
markdown and HTML punctuation backslash-escaped (shown as typed, never as an entity such as
``&#x27;``): no text (a message, a file name like ``[x](javascript:...).ipynb``) becomes a link,
an image, emphasis or an HTML tag; control sequences are stripped and table cells kept on one line.
"""
from __future__ import annotations

import html
import re
from typing import Any

from ..report import AuditResult, NotebookReport
from ...record.safe_text import clean_text, escape_surrogates
from .common import cell_label, crash_headline


def render(result: AuditResult, color: bool = False) -> str:
    """A summary, then one section per notebook with something to say."""
    summary = result.summary()
    parts = ["# nbcrash audit", "",
             f"{_count(summary['notebooks'], 'notebook')}, {_count(summary['crashes'], 'crash')}, "
             f"{_count(summary['findings'], 'finding')}, {summary['unreadable']} unreadable.", ""]
    if summary["crashes_by"]["root_cause"]:
        parts += ["| root cause | crashes |", "|---|---|"]
        parts += [f"| {cell(k)} | {v} |" for k, v in summary["crashes_by"]["root_cause"].items()]
        parts.append("")
    for report in result.reports:
        if report.error or report.crashes or report.findings:
            parts += _notebook(report)
    return escape_surrogates("\n".join(parts) + "\n")


# CommonMark's backslash escapes for what starts a link, an image, emphasis, code, a heading or a
# table cell, and ':' so that no scheme (javascript:) is auto-linked; <, > and & become entities
# (quotes stay as typed).
_MARKDOWN_SYNTAX = re.compile(r"[\\`\[\]()!*_~#|:]")


def cell(text: Any) -> str:
    """Text shown as typed in markdown, also inside a table cell (escaped, one line)."""
    value = _MARKDOWN_SYNTAX.sub(r"\\\g<0>", clean_text(str(text if text is not None else "")))
    return html.escape(value, quote=False).replace("\r", " ").replace("\n", " ")


def _count(n: int, noun: str) -> str:
    plural = noun + ("es" if noun.endswith("sh") else "s")
    return f"{n} {noun if n == 1 else plural}"


def _notebook(report: NotebookReport) -> list[str]:
    parts = [f"## {cell(report.path)}", ""]
    if report.error:
        parts += [f"**Cannot audit:** {cell(report.error)}", ""]
    if report.crashes:
        parts += ["| cell | crash | root cause | type | origin | stage | summary |",
                  "|---|---|---|---|---|---|---|"]
        parts += [_crash_row(c) for c in report.crashes]
        parts.append("")
    for finding in report.findings:
        parts.append(f"- **{cell(finding['kind'])}**: {cell(finding['message'])}")
    if report.findings:
        parts.append("")
    return parts


def _crash_row(crash: dict[str, Any]) -> str:
    origin = crash.get("origin", "")
    if crash.get("library"):
        origin = f"{origin} ({crash['library']})"
    values = [cell_label(crash.get("cell_index"), crash.get("execution_count")),
              crash_headline(crash), crash.get("root_cause"), crash.get("exception_type"),
              origin, crash.get("stage"), crash.get("summary")]
    return "| " + " | ".join(cell(v) for v in values) + " |"
