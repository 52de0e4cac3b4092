"""The sources of the runs that import something or define given names, from an index.

``Signals._notebook_sources`` asked every execution of the history, once per crash:
quadratic over a notebook with thousands of crashed cells. The index (per history,
kept while the history only grows and its cells do not change, as in the audit's
replayed view) maps each name a
run's cell defines, and "imports", to the runs' positions.
"""
from __future__ import annotations

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
