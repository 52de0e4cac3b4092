"""A function the notebook defines that calls itself without end (root cause IMPL).

Python raises ``RecursionError`` when the call stack passes its recursion limit. When the frames
that repeat are one function the notebook itself defines, the notebook's recursion never reaches a
base case for this input: the user's own logic, no library and no data shape involved.
"""
from __future__ import annotations

from collections import Counter

from ..record.taxonomy import WRONG_IMPLEMENTATION
from .notebook import _labels, _related, own_definers
from .rules import Found, example, rule
from .signals import Signals

_LIMIT = "maximum recursion depth exceeded"


def _recursing_function(s: Signals) -> str | None:
    """The user function that fills the stack: the one most user frames belong to, seen at least twice."""
    functions = Counter(f.function for f in s.frames if f.is_user and f.function and not f.function.startswith("<"))
    if not functions:
        return None
    name, count = functions.most_common(1)[0]
    return name.rsplit(".", 1)[-1] if count >= 2 else None


_RECURSION = ("RecursionError", "maximum recursion depth exceeded")
_TRACEBACK = ("Traceback (most recent call last):\n  File \"/tmp/ipykernel_42/1234567890.py\", line 1, in <module>\n"
              "    fact(3)\n" + "  File \"/tmp/ipykernel_42/222.py\", line 2, in fact\n    return n * fact(n - 1)\n" * 3
              + "RecursionError: maximum recursion depth exceeded")


@rule("RC-NB-ENDLESS-RECURSION", "IMPL", WRONG_IMPLEMENTATION, confidence=0.8, notebook=True,
      examples=[example(*_RECURSION, traceback=_TRACEBACK,
                        notebook={"cells": ["def fact(n):\n    return n * fact(n - 1)", "fact(3)"],
                                  "runs": [[0, 1], [1, 2, "error", 1, *_RECURSION]]}, crash=1)])
def _endless_recursion(s: Signals):
    """The stack overflows in a function the notebook defines, calling itself: its recursion has no
    base case this input reaches."""
    if s.ctx.graph is None or _LIMIT not in s.evalue:
        return None
    function = _recursing_function(s)
    if function is None:
        return None
    graph = s.ctx.graph
    definers = own_definers(graph, function, ("functions",))
    if not definers:
        return None
    return Found(f"`{function}`, defined in {_labels(graph, definers)}, calls itself until Python's recursion limit: "
                 f"its recursion never reaches a base case", _related(graph, definers, "definer", [function]))
