"""A call that does not fit a function or class the notebook itself defines (root cause IMPL).

CPython checks a call against the callee's signature when it binds the arguments
(Python/ceval.c, Objects/call.c): "f() missing 1 required positional argument: 'x'", "f() takes 2
positional arguments but 3 were given", "f() got an unexpected keyword argument 'k'", "f() got
multiple values for argument 'x'", naming the callee by its qualified name (``Net.__init__`` for a
class). Unpacking checks the value's length (``a, b = f()``: "not enough values to unpack", "too
many values to unpack", "cannot unpack non-iterable float object"). Taxonomy.md's API cause is the
misuse of a library's API; when the callee is a ``def`` or ``class`` of the notebook, the call and
the definition are both the user's own code, and they disagree: an implementation error.
"""
from __future__ import annotations

import re

from ..record.taxonomy import WRONG_IMPLEMENTATION
from .notebook import _labels, _related, own_definers
from .rules import Found, example, rule
from .signals import Signals

# CPython's argument-binding messages start with the callee's qualified name.
_SIGNATURE = re.compile(r"^([A-Za-z_][\w.]*)\(\) (?:missing \d+ required (?:positional|keyword-only) argument"
                        r"|takes (?:from )?\d+ (?:to \d+ )?positional argument|got an unexpected keyword argument"
                        r"|got multiple values for argument|takes no arguments)")
_UNPACK = re.compile(r"^(?:not enough values to unpack|too many values to unpack|cannot unpack non-iterable)")
# ``a, b = f(...)`` / ``(a, b) = obj.f(...)``: the callee of a right-hand side that is one call.
_UNPACKED_CALL = re.compile(r"^\s*\(?[\w\s,.\[\]*]+,[\w\s,.\[\]*]*\)?\s*=\s*([A-Za-z_]\w*)\s*\(")


_CALLED = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\s*\(")


def _callees(s: Signals) -> list[str]:
    """The names of the callees the message or the unpacking line points at, as the notebook would define them."""
    message, line = s.evalue.strip(), s.crashing_line or ""
    match = _SIGNATURE.match(message)
    if match:
        qualname = match.group(1)
        name = qualname.split(".")[0]
        if name == "__init__":  # Python < 3.10 prints no class: the classes the failing line calls
            return _CALLED.findall(line)
        # A bare name (Python < 3.10 prints no class) must be what the failing line calls.
        return [name] if "." in qualname or name in _CALLED.findall(line) else []
    if _UNPACK.match(message):
        call = _UNPACKED_CALL.match(line)
        return [call.group(1)] if call else []
    return []


_MISSING = ("TypeError", "Net.__init__() missing 2 required positional arguments: 'in_dim' and 'out_dim'")
_UNPACKING = ("TypeError", "cannot unpack non-iterable float object")
_MISSING_39 = ("TypeError", "__init__() missing 1 required positional argument: 'heads'")


@rule("RC-NB-OWN-CALLEE", "IMPL", WRONG_IMPLEMENTATION, confidence=0.75, notebook=True,
      examples=[example(*_MISSING, notebook={"cells": ["class Net:\n    def __init__(self, in_dim, out_dim):\n        self.d = in_dim",
                                                       "model = Net()"],
                                             "runs": [[0, 1], [1, 2, "error", 1, *_MISSING]]}, crash=1),
                example(*_UNPACKING, traceback="Traceback (most recent call last):\n  File \"/tmp/ipykernel_42/1.py\", "
                        "line 1, in <module>\n    loss, grad = step(w)\nTypeError: cannot unpack non-iterable float object",
                        notebook={"cells": ["def step(w):\n    return w * 0.5", "loss, grad = step(w)"],
                                  "runs": [[0, 1], [1, 2, "error", 1, *_UNPACKING]]}, crash=1),
                example(*_MISSING_39, traceback="Traceback (most recent call last):\n  File \"/tmp/ipykernel_42/1.py\", "
                        "line 1, in <module>\n    model = GAT().to(device)\nTypeError: __init__() missing 1 required positional "
                        "argument: 'heads'",
                        notebook={"cells": ["class GAT:\n    def __init__(self, heads):\n        self.heads = heads",
                                            "model = GAT().to(device)"],
                                  "runs": [[0, 1], [1, 2, "error", 1, *_MISSING_39]]}, crash=1)])
def _own_callee(s: Signals):
    """The call's arguments, or the values it returns, do not fit a function or class the notebook defines."""
    if s.ctx.graph is None or s.low_name not in ("typeerror", "valueerror"):
        return None
    graph = s.ctx.graph
    owned = [(name, definers) for name in _callees(s) if (definers := own_definers(graph, name))]
    if not owned:
        return None
    name, definers = owned[0]
    where = f"`{name}` is the notebook's own, defined in {_labels(graph, definers)}"
    why = (f"{where}: what it returns does not unpack into the names on the left" if _UNPACK.match(s.evalue.strip())
           else f"{where}: this call's arguments do not match its definition")
    return Found(why, _related(graph, definers, "definer", [name]))
