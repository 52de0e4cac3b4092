"""The crash card and the pre-run warning, as self-contained HTML and as compact text.

Pure functions of a diagnosis record (taxonomy.md) or a warning dict: the live
extension displays them, the audit's HTML report reuses ``card_html``. Everything
that comes from an exception or a notebook is HTML-escaped; nothing here raises on
a malformed record.
"""
from __future__ import annotations

import html
import re
from typing import Any, Mapping

from ..facts.cell_names import cell_name
from ..record.taxonomy import describe

MAX_TEXT = 2000     # characters of one field shown in a card
MAX_ITEMS = 12      # evidence / suggestion lines shown

_CODE_SPAN = re.compile(r"`([^`\n]{1,200})`")

_STYLE = {
    "card": "border:1px solid #d0d7de;border-left:4px solid #cf222e;border-radius:4px;"
            "padding:8px 12px;margin:6px 0;font-family:system-ui,-apple-system,Segoe UI,sans-serif;"
            "font-size:13px;line-height:1.45;color:#1f2328;background:#fff",
    "warning": "border:1px solid #d0d7de;border-left:4px solid #bf8700;border-radius:4px;"
               "padding:8px 12px;margin:6px 0;font-family:system-ui,-apple-system,Segoe UI,sans-serif;"
               "font-size:13px;line-height:1.45;color:#1f2328;background:#fff8c5",
    "title": "font-weight:600;margin-bottom:4px",
    "tags": "margin:4px 0;color:#57606a;font-size:12px",
    "tag": "display:inline-block;border:1px solid #d0d7de;border-radius:10px;padding:0 6px;margin-right:4px",
    "h": "font-weight:600;margin-top:6px",
    "ul": "margin:2px 0 2px 18px;padding:0",
    "code": "font-family:ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:0 3px;border-radius:3px",
}


def _text(value: Any, limit: int = MAX_TEXT) -> str:
    """Any value as a string cut to ``limit`` (records may hold anything)."""
    try:
        text = value if isinstance(value, str) else ("" if value is None else str(value))
    except Exception:  # noqa: BLE001
        text = "<unprintable>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _inline(value: Any, limit: int = MAX_TEXT) -> str:
    """Escaped text with `code` spans rendered as <code>."""
    escaped = html.escape(_text(value, limit))
    return _CODE_SPAN.sub(lambda m: f'<code style="{_STYLE["code"]}">{m.group(1)}</code>', escaped)


def _items(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, (list, tuple)):
        return []
    return [_text(v) for v in value[:MAX_ITEMS]]


def _code(record: Mapping[str, Any], key: str) -> str:
    return _text(record.get(key), 40)


def _describe(dimension: str, code: str) -> str:
    try:
        return describe(dimension, code)
    except Exception:  # noqa: BLE001
        return code


# (label, record field, taxonomy dimension): the card's badges, in order.
CATEGORIES = (("Exception", "exception_type"), ("Root cause", "root_cause"),
              ("Origin", "origin"), ("Stage", "stage"))
# How a related cell's role reads on the card (the record keeps the role code).
ROLE_WORDS = {
    "definer-not-run": "defines it, has not run",
    "definer-below": "defines it, below this cell",
    "definer-crashed": "defines it, crashed first",
    "definer": "defines it",
    "deleter": "deleted it",
}
TRACE_DIMENSIONS = ("exception_type", "root_cause", "origin", "stage")


def categories(record: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """The four badges as (label, words, code): ('Stage', 'data preparation', 'DATAP').

    The root cause's words carry its detail; the origin's, the library.
    """
    result = []
    for label, key in CATEGORIES:
        code = _code(record, key)
        words = _describe(key, code) if code else ""
        if key == "root_cause":
            detail = _text(record.get("root_cause_detail"), 120)
            if detail and detail not in ("unknown", words):
                words = f"{words} ({detail})"
        elif key == "origin" and record.get("library"):
            words = f"{words} ({_text(record.get('library'), 40)})"
        result.append((label, words, code))
    return result


def category_words(record: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The four categories as (label, words), e.g. ('Root cause', 'notebook-specific issue: ...')."""
    return [(label, words) for label, words, _ in categories(record)]


def _cell_label(cell: Mapping[str, Any]) -> str:
    """As Jupyter shows the cell: ``In [7]`` when it ran, ``cell #5`` when it did not."""
    index, count = cell.get("index"), cell.get("execution_count")
    if isinstance(index, int) or isinstance(count, int):
        return cell_name(index, count)
    return f"cell {_text(cell.get('cell_id'), 40)}"


def related_lines(record: Mapping[str, Any]) -> list[str]:
    """One line per related cell: 'cell #3 (defines it, has not run): X_train'."""
    lines = []
    for cell in (record.get("related_cells") or [])[:MAX_ITEMS]:
        if not isinstance(cell, Mapping) or cell.get("role") == "crashed":
            continue
        names = ", ".join(_text(n, 60) for n in (cell.get("names") or [])[:8])
        role = _text(cell.get("role"), 40)
        lines.append(f"{_cell_label(cell)} ({ROLE_WORDS.get(role, role)}){': ' + names if names else ''}")
    return lines


def trace_lines(record: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """The rule trace as (dimension label, rule id, why), when the record has one."""
    trace = record.get("trace")
    if not isinstance(trace, Mapping):
        return []
    labels = dict((key, label) for label, key in CATEGORIES)
    lines = []
    for dim in TRACE_DIMENSIONS:
        step = trace.get(dim)
        if isinstance(step, Mapping) and (step.get("rule") or step.get("why")):
            lines.append((labels[dim], _text(step.get("rule"), 80), _text(step.get("why"), 400)))
    return lines


def _plain(value: str) -> str:
    return re.sub(r"[`'\"]", "", value).lower()


def evidence_shown(record: Mapping[str, Any]) -> list[str]:
    """The evidence lines the summary does not already say."""
    summary = _plain(_text(record.get("summary")))
    return [item for item in _items(record.get("evidence")) if _plain(item) not in summary]


def explanation_shown(record: Mapping[str, Any]) -> str:
    """The explanation, unless it only restates the summary or the headline (and the badges)."""
    explanation = _text(record.get("explanation"))
    if not explanation or explanation == _text(record.get("summary")):
        return ""
    return "" if explanation.startswith(_headline(record)) else explanation


def _headline(record: Mapping[str, Any]) -> str:
    ename, evalue = _text(record.get("ename"), 80), _text(record.get("evalue"), 300)
    return f"{ename}: {evalue}" if evalue else ename


def card_text(record: Mapping[str, Any]) -> str:
    """The card as compact plain text (terminals, nbconvert, the tour)."""
    if not isinstance(record, Mapping):
        return "nbcrash: no diagnosis"
    lines = [f"nbcrash ▸ {_headline(record)}"]
    summary = _text(record.get("summary"))
    if summary:
        lines.append(f"  {summary}")
    lines.append("  " + " · ".join(f"{label}: {words}" for label, words in category_words(record)))
    explanation = explanation_shown(record)
    if explanation:
        lines.append(f"  {explanation}")
    for title, items in (("Evidence", evidence_shown(record)), ("Fix", _items(record.get("suggestions")))):
        for item in items:
            lines.append(f"  {title}: {item}")
    for line in related_lines(record):
        lines.append(f"  Related: {line}")
    for label, rule, why in trace_lines(record):
        lines.append(f"  why: {label}: {why} [{rule}]" if rule else f"  why: {label}: {why}")
    return "\n".join(lines)


def card_html(record: Mapping[str, Any]) -> str:
    """The card as one self-contained, escaped HTML fragment (inline styles, no scripts)."""
    if not isinstance(record, Mapping):
        record = {}
    parts = [f'<div class="nbcrash-card" style="{_STYLE["card"]}">',
             f'<div class="nbcrash-title" style="{_STYLE["title"]}">nbcrash ▸ '
             f'<span class="nbcrash-headline">{html.escape(_headline(record))}</span></div>']
    summary = _text(record.get("summary"))
    if summary:
        parts.append(f'<div class="nbcrash-verdict">{_inline(summary)}</div>')
    tags = "".join(f'<span class="nbcrash-badge" style="{_STYLE["tag"]}" '
                   f'title="{html.escape(f"{label}: {code}")}" data-code="{html.escape(code)}">'
                   f"{html.escape(words)}</span>"
                   for label, words, code in categories(record) if code)
    parts.append(f'<div class="nbcrash-badges" style="{_STYLE["tags"]}">{tags}</div>')
    explanation = explanation_shown(record)
    if explanation:
        parts.append(f'<div class="nbcrash-explanation">{_inline(explanation)}</div>')
    # The same class names as the Lab card (labextension/src/card.ts): a test compares the two.
    for title, items, name in (("Evidence", evidence_shown(record), "nbcrash-evidence"),
                               ("How to fix", _items(record.get("suggestions")), "nbcrash-fixes"),
                               ("Related cells", related_lines(record), "nbcrash-related")):
        if items:
            parts.append(f'<div class="{name}"><div style="{_STYLE["h"]}">{title}</div>'
                         f'<ul style="{_STYLE["ul"]}">'
                         + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul></div>")
    parts.append(_trace_html(record))
    parts.append("</div>")
    return "".join(parts)


def _trace_html(record: Mapping[str, Any]) -> str:
    """A collapsed "Why" with the rule behind each category, when the record has a trace."""
    lines = trace_lines(record)
    if not lines:
        return ""
    items = "".join(f"<li><b>{html.escape(label)}</b>: {_inline(why)}"
                    + (f' <code style="{_STYLE["code"]}">{html.escape(rule)}</code>' if rule else "")
                    + "</li>" for label, rule, why in lines)
    return (f'<details class="nbcrash-why" style="margin-top:6px"><summary>Why</summary>'
            f'<ul style="{_STYLE["ul"]}">{items}</ul></details>')


def warning_text(warning: Mapping[str, Any]) -> str:
    """A pre-run warning as one or two lines of text."""
    if not isinstance(warning, Mapping):
        return "nbcrash: warning"
    return f"nbcrash ⚠ {_text(warning.get('message'))}"


def warning_html(warning: Mapping[str, Any]) -> str:
    """A pre-run warning as a self-contained, escaped HTML fragment."""
    if not isinstance(warning, Mapping):
        warning = {}
    return (f'<div class="nbcrash-warning" style="{_STYLE["warning"]}">'
            f"<b>nbcrash ⚠</b> {_inline(warning.get('message'))}</div>")
