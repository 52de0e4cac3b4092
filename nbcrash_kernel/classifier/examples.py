"""A rule's example crash record as the classifier's input (a CrashContext, with a notebook when given).

Examples are small dicts: ``ename``, ``evalue``, ``traceback`` (text), and optionally
``cell_source``, ``headings``, ``prose``, ``tags``, ``expect`` (a stage rule's stage) and ``notebook``: cell sources
and runs ``[cell, execution count, status, error line, ename, evalue]`` with ``crash``, the
index of the crashing cell.
"""
from __future__ import annotations

from typing import Any

from ..facts.context import CrashContext


def example_context(example: dict[str, Any]) -> CrashContext:
    graph = None
    cell_id = count = None
    source = example.get("cell_source")
    notebook = example.get("notebook")
    if notebook is not None:
        from ..facts.graph import NotebookGraph

        graph = NotebookGraph()
        for index, cell_source in enumerate(notebook["cells"]):
            graph.add_cell(f"c{index}", cell_source, index=index)
        for cell, run_count, *outcome in notebook["runs"]:
            status, lineno, ename, evalue = (outcome + [None] * 4)[:4]
            graph.add_execution(f"c{cell}", run_count, status=status or "ok", error_lineno=lineno,
                                ename=ename, evalue=evalue)
        crash = example["crash"]
        cell_id = f"c{crash}"
        runs = graph.executions_of(cell_id)
        count = runs[-1].execution_count if runs else None
        source = source or notebook["cells"][crash]
    return CrashContext(ename=example.get("ename"), evalue=example.get("evalue"),
                        traceback=example.get("traceback") or [], cell_source=source, cell_id=cell_id,
                        execution_count=count, graph=graph, headings=list(example.get("headings", [])),
                        prose=list(example.get("prose", [])), cell_tags=tuple(example.get("tags", ())))
