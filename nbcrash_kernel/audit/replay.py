"""The notebook's history as it stood at each crash, replayed once for all the crashes.

``NotebookGraph.until(seq)`` replays the executions up to ``seq`` into a view: called
once per crash, that is quadratic in a notebook with thousands of crashed cells. Here
one view is replayed in order and handed out at each crash's ``seq`` (the same view
``until`` would build, because it is built the same way), so the whole audit replays
each execution once.
"""
from __future__ import annotations

import copy
from typing import Any, Iterable, Iterator


def views_at(graph: Any, seqs: Iterable[int]) -> Iterator[tuple[int, Any]]:
    """``(seq, graph as it stood right after execution seq)`` for each seq, ascending.

    A view is valid only until the next one is yielded (it is the same object, advanced).
    """
    view = copy.copy(graph)
    view._clear_executions()
    recorded = 0
    for seq in sorted(set(seqs)):
        while recorded <= seq and recorded < len(graph.executions):
            view._record(graph.executions[recorded])
            recorded += 1
        yield seq, view
