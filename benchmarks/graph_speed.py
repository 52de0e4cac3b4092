"""Cost of the notebook graph in a long live session and on a large saved notebook.

Prints: per-call cost of add_cell, add_execution and explain_name in a
500-cell / 10,000-execution session; the cost of to_networkx at the end; the
time to rebuild the history of a 10,000-cell saved notebook.

    .venv/bin/python benchmarks/graph_speed.py
"""
from __future__ import annotations

import random
import time

from nbcrash_kernel.facts.graph import NotebookGraph, _EmptyFacts
from nbcrash_kernel.facts.history import history_from_notebook

CELLS = 500
EXECUTIONS = 10_000
NAMES = 300


def cell_source(i: int, rng: random.Random) -> str:
    """A small cell: one or two bindings, a use, sometimes an import or a column write."""
    a, b = rng.randrange(NAMES), rng.randrange(NAMES)
    lines = [f"v{a} = v{b} + {i}", f"df['c{i % 40}'] = v{a}"]
    if i % 10 == 0:
        lines.insert(0, "import numpy as np")
    if i % 50 == 0:
        lines.append(f"del v{b}")
    return "\n".join(lines)


def per_call_us(total: float, calls: int) -> str:
    return f"{total / calls * 1e6:8.1f} us/call"


def live_session() -> None:
    rng = random.Random(0)
    graph = NotebookGraph()
    sources = [cell_source(i, rng) for i in range(CELLS)]
    t0 = time.perf_counter()
    for i, src in enumerate(sources):
        graph.add_cell(f"c{i}", src, index=i)
    t_cells = time.perf_counter() - t0

    t_add = t_explain = 0.0
    for n in range(EXECUTIONS):
        i = rng.randrange(CELLS)
        failed = rng.random() < 0.05
        t0 = time.perf_counter()
        ex = graph.add_execution(f"c{i}", n + 1, status="error" if failed else "ok",
                                 error_lineno=1 if failed else None)
        t1 = time.perf_counter()
        graph.explain_name(f"v{rng.randrange(NAMES)}", ex)
        t_explain += time.perf_counter() - t1
        t_add += t1 - t0
    t0 = time.perf_counter()
    g = graph.to_networkx()
    t_nx = time.perf_counter() - t0

    print(f"live session: {CELLS} cells, {EXECUTIONS} executions")
    print(f"  add_cell (with analysis)  {per_call_us(t_cells, CELLS)}")
    print(f"  add_execution             {per_call_us(t_add, EXECUTIONS)}")
    print(f"  explain_name              {per_call_us(t_explain, EXECUTIONS)}")
    print(f"  to_networkx (once)        {t_nx * 1e3:8.1f} ms  ({g.number_of_nodes()} nodes, "
          f"{g.number_of_edges()} edges)")


def big_saved_notebook(n: int = 10_000) -> None:
    rng = random.Random(1)
    cells = []
    for i in range(n):
        if i % 10 == 0:
            cells.append({"cell_type": "markdown", "source": [f"## Section {i}"]})
            continue
        count = rng.randrange(1, 3 * n) if rng.random() < 0.9 else None
        outputs = []
        if rng.random() < 0.01:
            outputs = [{"output_type": "error", "ename": "NameError", "evalue": "x",
                        "traceback": [f"Cell In[{count}], line 1", "NameError: x"]}]
        cells.append({"cell_type": "code", "source": cell_source(i, rng).splitlines(True),
                      "execution_count": count, "outputs": outputs})
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}
    t0 = time.perf_counter()
    graph = history_from_notebook(nb)
    dt = time.perf_counter() - t0
    t0 = time.perf_counter()
    history_from_notebook(nb, analyze=lambda source: _EmptyFacts())
    dt_lean = time.perf_counter() - t0
    print(f"saved notebook: {n} cells, {len(graph.executions)} executions: "
          f"history_from_notebook {dt * 1e3:.0f} ms "
          f"({dt_lean * 1e3:.0f} ms of it without cell analysis)")


def main() -> None:
    live_session()
    big_saved_notebook()


if __name__ == "__main__":
    main()
