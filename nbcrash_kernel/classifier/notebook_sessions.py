"""A name bound only in an earlier kernel session (notebook-specific: execution order).

Jupyter numbers a session's executions from 1 and restarts the numbering with the kernel. A saved
notebook keeps each cell's last count, so after a restart two cells can show the same In [N]: one
from the old session, one from the new. When the only runs that bound a missing name carry such a
shared count, the history cannot place them in this session: the name was bound before a restart,
and the cell that binds it has not run since.
"""
from __future__ import annotations

from collections import Counter

from ..facts.cell_names import cell_name
from ..record.diagnosis import RelatedCell
from ..record.taxonomy import NB_EXECUTION_ORDER
from .notebook import name_state
from .rules import Found, example, rule
from .signals import Signals


def _shared_counts(graph, until_seq: int) -> Counter:
    """How many cells show each execution count, among the runs up to ``until_seq``."""
    return Counter(r.execution_count for r in graph.executions[:until_seq + 1] if isinstance(r.execution_count, int))


_NAME = ("NameError", "name 'X_train' is not defined")


@rule("RC-NB-EARLIER-SESSION", "NB", NB_EXECUTION_ORDER, confidence=0.75, notebook=True,
      examples=[example(*_NAME, notebook={"cells": ["import numpy as np", "X_train = np.ones(3)", "print(1)", "X_train.sum()"],
                                          "runs": [[0, 1], [1, 2], [2, 2], [3, 3, "error", 1, *_NAME]]}, crash=3)])
def _earlier_session(s: Signals):
    """The name was bound only by runs whose In [N] another cell shows too: the kernel restarted after
    them (counts start again at 1), and the cell that binds the name has not run in this session."""
    state = name_state(s, "bound")
    if state is None:
        return None
    graph, execution = state["graph"], state["execution"]
    binders = [r for r in graph.bound_before(state["name"], execution) if r.cell_id != execution.cell_id]
    shared = _shared_counts(graph, execution.seq)
    if not binders or any(shared[r.execution_count] < 2 for r in binders):
        return None
    cells = [graph.cell(r.cell_id) for r in binders]
    names = [cell_name(c.index if c else None, None) for c in cells]
    count = binders[-1].execution_count
    related = tuple(RelatedCell(role="definer-not-run", cell_id=r.cell_id, index=c.index if c else None,
                                execution_count=r.execution_count, names=[state["name"]]) for r, c in zip(binders, cells))
    return Found(f"'{state['name']}' is bound only in {', '.join(names)}, whose In [{count}] another cell shows too: "
                 f"the kernel restarted after that run, and the cell has not run since", related)
