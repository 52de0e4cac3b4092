"""Wording shared by the formats: how a cell, a crash and a finding are named."""
from __future__ import annotations

from typing import Any

from ...facts.cell_names import cell_name
from ...record.taxonomy import describe


def cell_label(index: Any, execution_count: Any) -> str:
    """``In [7]`` for a cell that ran, ``cell #5`` (1-based) for one that did not: as Jupyter shows it."""
    return cell_name(index, execution_count)


def crash_headline(crash: dict[str, Any]) -> str:
    """``KeyError: 'price'`` (the message cut to one line)."""
    evalue = (crash.get("evalue") or "").strip().splitlines()
    first = evalue[0] if evalue else ""
    if len(first) > 200:
        first = first[:197] + "..."
    ename = crash.get("ename") or "error"
    return f"{ename}: {first}" if first else ename


def crash_codes(crash: dict[str, Any]) -> str:
    """``notebook-specific issue (NB) · key error (KEY) · ML library: pandas (ML) · data preparation (DATAP)``.

    Words first, the code after them, for readers who have not read taxonomy.md.
    """
    root = crash.get("root_cause") or "UNK"
    parts = [_worded("root_cause", root), _worded("exception_type", crash.get("exception_type"))]
    origin = _worded("origin", crash.get("origin"))
    if origin and crash.get("library"):
        origin = origin.replace(" (", f": {crash['library']} (", 1)
    parts += [origin, _worded("stage", crash.get("stage"))]
    return " · ".join(p for p in parts if p)


def _worded(dimension: str, code: Any) -> str:
    if not code:
        return ""
    words = describe(dimension, code)
    return f"{words} ({code})" if words and words != code else str(code)


def location(path: str, line: Any) -> str:
    """``path:line`` when the line is known."""
    return f"{path}:{line}" if line else path
