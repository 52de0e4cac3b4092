"""Wording shared by the formats: how a cell, a crash and a finding are named."""
from __future__ import annotations

from typing import Any

from ...taxonomy import describe


def cell_label(index: Any, execution_count: Any) -> str:
    """``cell 4 [7]``: the position in the notebook and the saved execution count."""
    count = execution_count if execution_count is not None else " "
    return f"cell {index} [{count}]"


def crash_headline(crash: dict[str, Any]) -> str:
    """``KeyError: 'price'`` (the message cut to one line)."""
    evalue = (crash.get("evalue") or "").strip().splitlines()
    first = evalue[0] if evalue else ""
    if len(first) > 200:
        first = first[:197] + "..."
    ename = crash.get("ename") or "error"
    return f"{ename}: {first}" if first else ename


def crash_codes(crash: dict[str, Any]) -> str:
    """``NB (notebook-specific issue) · KEY · ML/pandas · DATAP``."""
    root = crash.get("root_cause", "UNK")
    origin = crash.get("origin", "")
    library = crash.get("library") or ""
    origin_text = f"{origin}/{library}" if library else origin
    return (f"{root} ({describe('root_cause', root)}) · {crash.get('exception_type', '')} · "
            f"{origin_text} · {crash.get('stage', '')}")


def location(path: str, line: Any) -> str:
    """``path:line`` when the line is known."""
    return f"{path}:{line}" if line else path
