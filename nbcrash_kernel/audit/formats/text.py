"""The text format: readable in a terminal, coloured only when asked (a TTY)."""
from __future__ import annotations

from typing import Any

from ...record.safe_text import escape_surrogates
from ..report import AuditResult, NotebookReport
from .common import cell_label, crash_codes, crash_headline, location

MAX_WARNINGS = 3
_COLORS = {"red": "31", "yellow": "33", "green": "32", "bold": "1", "dim": "2", "cyan": "36"}


class _Painter:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, style: str) -> str:
        if not self.enabled:
            return text
        return f"\x1b[{_COLORS[style]}m{text}\x1b[0m"


def render(result: AuditResult, color: bool = False, quiet: bool = False) -> str:
    """Every notebook with crashes, findings or an error, then a summary line (not when ``quiet``)."""
    paint = _Painter(color)
    blocks = [_notebook(report, paint, quiet) for report in result.reports
              if report.error or report.crashes or report.findings]
    if not quiet:
        blocks.append(_summary(result, paint))
    return escape_surrogates("\n\n".join(blocks) + "\n") if blocks else ""


def _notebook(report: NotebookReport, paint: _Painter, quiet: bool = False) -> str:
    lines = [paint(report.path, "bold")]
    if report.error:
        lines.append("  " + paint("cannot audit: ", "red") + report.error)
    for crash in report.crashes:
        lines.extend(_crash(report.path, crash, paint))
    for finding in report.findings:
        lines.append(_finding(report.path, finding, paint))
    for warning in ([] if quiet else report.warnings[:MAX_WARNINGS]):
        lines.append(f"  {paint('note', 'dim')} {warning}")
    if not quiet and len(report.warnings) > MAX_WARNINGS:
        lines.append(f"  {paint('note', 'dim')} ... and {len(report.warnings) - MAX_WARNINGS} more")
    return "\n".join(lines)


def _crash(path: str, crash: dict[str, Any], paint: _Painter) -> list[str]:
    where = location(path, crash.get("line"))
    lines = [f"  {paint('crash', 'red')} {cell_label(crash.get('cell_index'), crash.get('execution_count'))} "
             f"{crash_headline(crash)}  {paint(where, 'dim')}",
             f"    {paint(crash_codes(crash), 'cyan')}"]
    if crash.get("summary"):
        lines.append(f"    {crash['summary']}")
    for item in crash.get("evidence", [])[:3]:
        lines.append(f"    - {item}")
    for item in crash.get("suggestions", [])[:2]:
        lines.append(f"    fix: {item}")
    if crash.get("internal_error"):
        lines.append(f"    {paint('internal error', 'red')}: {crash['internal_error']}")
    return lines


def _finding(path: str, finding: dict[str, Any], paint: _Painter) -> str:
    first = (finding.get("cells") or [{}])[0]
    where = location(path, first.get("line"))
    return f"  {paint('finding', 'yellow')} {finding['kind']}: {finding['message']}  {paint(where, 'dim')}"


def _summary(result: AuditResult, paint: _Painter) -> str:
    summary = result.summary()
    causes = ", ".join(f"{k} {v}" for k, v in summary["crashes_by"]["root_cause"].items())
    text = (f"{_count(summary['notebooks'], 'notebook')}: {_count(summary['crashes'], 'crash')}"
            + (f" ({causes})" if causes else "")
            + f", {_count(summary['findings'], 'finding')}, {summary['unreadable']} unreadable")
    style = "red" if summary["unreadable"] or summary["crashes"] else (
        "yellow" if summary["findings"] else "green")
    skipped = [f"\n  skipped {path}: {why}" for path, why in result.skipped]
    return paint(text, style) + "".join(skipped)


def _count(n: int, noun: str) -> str:
    plural = noun + ("es" if noun.endswith("sh") else "s")
    return f"{n} {noun if n == 1 else plural}"
