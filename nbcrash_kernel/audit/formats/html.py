"""The html format: one self-contained page (inline CSS, no script, no external files).

Crash cards come from ``nbcrash_kernel.card.render.card_html`` (the same card the
live extension shows); every other text from a notebook is escaped here.
"""
from __future__ import annotations

import html
from typing import Any

from ...record.safe_text import clean_text, escape_surrogates
from ..report import AuditResult, NotebookReport
from .common import cell_label, crash_codes, crash_headline

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2em auto;max-width:60em;
color:#222;line-height:1.4;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.15em;border-bottom:1px solid #ddd;padding-bottom:.2em;
word-break:break-all}
.summary td,.summary th{padding:.2em .8em;text-align:left}
.error{color:#b00020}.finding{margin:.3em 0}.kind{font-weight:600;color:#8a5a00}
.crash{border:1px solid #e0b4b4;border-left:4px solid #c62828;border-radius:4px;
padding:.5em .8em;margin:.6em 0;background:#fffafa}
.where{color:#666;font-size:.9em}
"""


def render(result: AuditResult, color: bool = False) -> str:
    """The whole report as an HTML page."""
    summary = result.summary()
    body = [f"<h1>nbcrash audit</h1>",
            f"<p>{summary['notebooks']} notebooks, {summary['crashes']} crashes, "
            f"{summary['findings']} findings, {summary['unreadable']} unreadable.</p>",
            _summary_table(summary)]
    body += [_notebook(r) for r in result.reports if r.error or r.crashes or r.findings]
    return escape_surrogates("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>nbcrash audit</title><style>{STYLE}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def _esc(value: Any) -> str:
    return html.escape(clean_text(str(value if value is not None else "")), quote=True)


def _summary_table(summary: dict[str, Any]) -> str:
    rows = "".join(f"<tr><td>{_esc(k)}</td><td>{v}</td></tr>"
                   for k, v in summary["crashes_by"]["root_cause"].items())
    if not rows:
        return ""
    return f"<table class=\"summary\"><tr><th>root cause</th><th>crashes</th></tr>{rows}</table>"


def _notebook(report: NotebookReport) -> str:
    parts = [f"<section><h2>{_esc(report.path)}</h2>"]
    if report.error:
        parts.append(f"<p class=\"error\">Cannot audit: {_esc(report.error)}</p>")
    for crash in report.crashes:
        parts.append(_crash(crash))
    for finding in report.findings:
        parts.append(f"<p class=\"finding\"><span class=\"kind\">{_esc(finding['kind'])}</span>: "
                     f"{_esc(finding['message'])}</p>")
    parts.append("</section>")
    return "\n".join(parts)


def _crash(crash: dict[str, Any]) -> str:
    where = (f"<div class=\"where\">{_esc(cell_label(crash.get('cell_index'), crash.get('execution_count')))}"
             f"</div>")
    return f"<div class=\"crash\">{where}{_card(crash)}</div>"


def _card(crash: dict[str, Any]) -> str:
    try:
        from ...card.render import card_html
    except ImportError:
        return _fallback_card(crash)
    try:
        return card_html(crash)
    except Exception:  # the report must still come out if one card cannot be drawn
        return _fallback_card(crash)


def _fallback_card(crash: dict[str, Any]) -> str:
    items = "".join(f"<li>{_esc(e)}</li>" for e in crash.get("evidence", []))
    fixes = "".join(f"<li>{_esc(s)}</li>" for s in crash.get("suggestions", []))
    return (f"<p><strong>{_esc(crash_headline(crash))}</strong></p>"
            f"<p>{_esc(crash_codes(crash))}</p><p>{_esc(crash.get('summary'))}</p>"
            f"<p>{_esc(crash.get('explanation'))}</p>"
            + (f"<ul>{items}</ul>" if items else "") + (f"<p>Fix:</p><ul>{fixes}</ul>" if fixes else ""))
