"""The sources of the runs that import something or define given names, from an index.

``Signals._notebook_sources`` asked every execution of the history, once per crash:
quadratic over a notebook with thousands of crashed cells. The index (per history,
kept while the history only grows and its cells do not change, as in the audit's
replayed view) maps each name a
run's cell defines, and "imports", to the runs' positions.
"""
from __future__ import annotations

import ast
import heapq
import weakref
from typing import Any

_IMPORTS = object()
_INDEXES: "weakref.WeakKeyDictionary[Any, _RunIndex]" = weakref.WeakKeyDictionary()


class _RunIndex:
    def __init__(self, executions: list, cells: list) -> None:
        self.executions = executions
        self.cells = cells          # the graph's ordered cells: a new list whenever a cell changes
        self.indexed = 0
        self.sources: list[str] = []
        self.positions: dict[Any, list[int]] = {}

    def extend(self, graph: Any) -> None:
        for run in self.executions[self.indexed:]:
            cell = graph.cell(run.cell_id)
            source = run.source or (cell.source if cell else "")
            if getattr(run, "status", "ok") != "ok":
                source = completed_part(source, getattr(run, "error_lineno", None))
            facts = cell.facts if cell is not None else None
            position = len(self.sources)
            self.sources.append(source)
            if not source or facts is None:
                continue
            keys = set(facts.defined) | ({_IMPORTS} if getattr(facts, "imports", None) else set())
            for key in keys:
                self.positions.setdefault(key, []).append(position)
        self.indexed = len(self.executions)


def sources_for(graph: Any, wanted: set[str]) -> list[str]:
    """In run order: the sources of runs whose cell imports or defines one of ``wanted``."""
    index = _INDEXES.get(graph)
    cells = graph.cells
    if (index is None or index.executions is not graph.executions or index.cells is not cells
            or index.indexed > len(graph.executions)):
        index = _INDEXES[graph] = _RunIndex(graph.executions, cells)
    index.extend(graph)
    lists = [index.positions.get(key, []) for key in (*wanted, _IMPORTS)]
    merged = dict.fromkeys(heapq.merge(*lists))
    return [index.sources[p] for p in merged]


def completed_part(source: str, error_lineno: int | None) -> str:
    """The statements of a failed run that completed: those before the one holding ``error_lineno``.

    A statement that raised bound nothing (``X = scale(X)`` failing leaves ``X`` as it was), nor did
    any after it. Unknown line: nothing is known to have completed. A cell that does not parse
    (IPython syntax) is cut at the line itself.
    """
    if not error_lineno or error_lineno < 1:
        return ""
    lines = source.splitlines()
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "\n".join(lines[:error_lineno - 1])
    start = next((node.lineno for node in tree.body
                  if node.lineno <= error_lineno <= (node.end_lineno or node.lineno)), error_lineno)
    return "\n".join(lines[:start - 1])
