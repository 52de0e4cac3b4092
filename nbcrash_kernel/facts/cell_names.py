"""How every face names a cell: as Jupyter shows it to the user.

A cell that has run is named by its execution count, ``In [7]``, the label Jupyter prints beside
it; a cell that has not run (or whose count is unknown) by its 1-based position from the top,
``cell #5``, as JupyterLab's status bar counts. Records keep the 0-based ``index`` for programs.
"""
from __future__ import annotations

from typing import Any


def cell_name(index: Any = None, execution_count: Any = None) -> str:
    """``In [7]`` for a cell that ran, ``cell #5`` (1-based) for one that did not, else ``a cell``."""
    if isinstance(execution_count, int) and not isinstance(execution_count, bool):
        return f"In [{execution_count}]"
    if isinstance(index, int) and not isinstance(index, bool) and index >= 0:
        return f"cell #{index + 1}"
    return "a cell"


def cell_names(cells: list[tuple[Any, Any]]) -> str:
    """``In [3], In [4] and cell #9`` for ``[(index, execution_count), ...]``."""
    names = [cell_name(i, c) for i, c in cells]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
