"""Cell facts: what one notebook cell defines, reads, deletes, imports, calls and mutates.

A cell's source (IPython syntax allowed) goes through IPython's own input transformer, with line
numbers kept aligned to the original source (:mod:`.ipython`), then through one pass over its
``ast`` (:mod:`.visitor`, :mod:`.expressions`) that follows Python's scoping rules (:mod:`.scopes`):
module (cell) scope, functions and lambdas (their bodies run later), classes (their bodies run now)
and comprehensions. Nothing here imports the user's libraries; :func:`analyze_cell`
(:mod:`.analyze`) never raises and is cached by source, since the live kernel calls it for every
cell. The facts are :class:`CellFacts` (:mod:`.model`).

Two scans skip that pass where a face needs speed more than every fact, and read IPython syntax
with the same tables (:mod:`.ipython`) and Python lines with the same patterns (:mod:`.lines`):
:mod:`.lean` (names from CPython's symbol table: the audit's facts of every cell) and
:mod:`.bindings` (a line scan of module-level names: the live guard's index).
"""
from __future__ import annotations

from .analyze import analyze_cell, analyze_cell_uncached, iter_code_cells
from .expressions import CONVENTIONAL_ALIASES
from .ipython import transform_ipython
from .model import Call, CellFacts
from .scopes import resolve_qualname

__all__ = [
    "CONVENTIONAL_ALIASES",
    "Call",
    "CellFacts",
    "analyze_cell",
    "analyze_cell_uncached",
    "iter_code_cells",
    "resolve_qualname",
    "transform_ipython",
]
