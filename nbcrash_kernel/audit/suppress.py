"""``# nbcrash: ignore[code, ...]`` in a cell: the audit reports nothing of those codes there.

A bare ``# nbcrash: ignore`` silences every code in the cell. The comment names
codes as ``--select`` does (see ``codes``): ``# nbcrash: ignore[crash]`` silences
every crash of the cell. A finding is silenced by the cell it is reported at
(its first cell); an out-of-order drop by either of its two cells.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .codes import ALL, crash_code, matches, parse_selectors

_COMMENT = re.compile(r"#[ \t]*nbcrash:[ \t]*ignore(?:\[([^\]\n]*)\])?", re.IGNORECASE)


@lru_cache(maxsize=4096)
def ignored_in(source: str) -> tuple[str, ...]:
    """The selectors the cell's ``# nbcrash: ignore`` comments name (``("ALL",)`` for a bare one)."""
    if "nbcrash" not in source:
        return ()
    selectors: list[str] = []
    for match in _COMMENT.finditer(source):
        named = parse_selectors(match.group(1)) if match.group(1) is not None else []
        selectors += named or [ALL]
    return tuple(selectors)


def silenced(source: Any, code: str) -> bool:
    """Whether the cell ``source`` carries a comment that silences ``code``."""
    if not isinstance(source, str):
        return False
    return any(matches(code, s) for s in ignored_in(source))


def drop_silenced_crashes(crashes: list[dict[str, Any]], nb: dict[str, Any]) -> list[dict[str, Any]]:
    """The crashes whose cell does not silence them."""
    cells = nb.get("cells") or []

    def source(index: Any) -> Any:
        return cells[index].get("source") if isinstance(index, int) and 0 <= index < len(cells) else None
    return [c for c in crashes if not silenced(source(c.get("cell_index")), crash_code(c))]
