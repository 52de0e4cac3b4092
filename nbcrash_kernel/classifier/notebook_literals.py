"""A crash on values the notebook itself writes as literals (root cause IMPL, not DATA).

Data confusion is about data the code loads or computes: its shape, columns, types or values
differ from what the code expects. When every value the failing statement reads was written in
the notebook as a literal (``config = {'lr': 0.1}``, ``items = []``, ``count = 5``), nothing
changed it since, and the error is raised by the user's own code (no library frame), there is no
data to misunderstand: the code contradicts values its own author wrote, an implementation error.
"""
from __future__ import annotations

import ast
import builtins

from ..record.taxonomy import WRONG_IMPLEMENTATION
from .notebook_bindings import Bindings, binding_site, names_read, two_cell_example
from .rules import Found, rule
from .signals import Signals

# Errors Python raises on a value's own structure or type: a missing key or index, an operation the
# type lacks, a division by zero, an unpacking of the wrong length, a dict changed while iterated.
_TYPES = frozenset({"KEY", "INDEX", "TYPE", "OTHER", "VALUE", "RUNTIME"})
_OTHER_ENAMES = frozenset({"ZeroDivisionError"})
_VALUE_WORDS = ("values to unpack",)
_RUNTIME_WORDS = ("changed size during iteration",)
_BUILTINS = frozenset(dir(builtins))


def _is_literal(node: ast.AST) -> bool:
    """A constant or a display of constants (``[1, 2]``, ``{'a': 1}``, ``-3``, ``2 * 4``, ``()``)."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp):
        return _is_literal(node.operand)
    if isinstance(node, ast.BinOp):  # ``3 + 1``: folded by the compiler, a literal still
        return _is_literal(node.left) and _is_literal(node.right)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(_is_literal(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and _is_literal(k) for k in node.keys) and all(_is_literal(v) for v in node.values)
    return False


def _about_own_values(s: Signals) -> bool:
    code = s.etype.code
    if code not in _TYPES or not s.frames or not all(f.is_user for f in s.frames):
        return False
    if code == "OTHER":
        return s.ename in _OTHER_ENAMES
    if code == "VALUE":
        return any(w in s.evalue for w in _VALUE_WORDS)
    if code == "RUNTIME":
        return any(w in s.evalue for w in _RUNTIME_WORDS)
    return True


def _literal_bindings(finder: Bindings, failing_may_change: bool) -> list[tuple[str, ast.Assign, str, object]] | None:
    """``(name, binding, source, run)`` of each name the failing statement reads, when every one that is
    not a built-in is bound to a literal that nothing changed since; else None."""
    found = []
    for name in names_read(finder):
        binding = finder.last_binding(name)
        if binding is None and name in _BUILTINS and not finder.graph.bound_before(name, finder.execution):
            continue
        if binding is None or not _is_literal(binding[0].value) or finder.changed_since(name, binding[2], binding[0], failing_may_change):
            return None
        found.append((name, *binding))
    return found or None


_KEY = ("KeyError", "'seed'")


@rule("RC-NB-LITERAL-VALUES", "IMPL", WRONG_IMPLEMENTATION, confidence=0.7, notebook=True,
      examples=[two_cell_example(*_KEY, "params = {'lr': 0.1}", "value = params['seed']")])
def _literal_values(s: Signals):
    """Every value the failing statement reads is a literal the notebook writes, unchanged since, and the
    error is raised in the user's own code: the code contradicts its own values, no data is involved."""
    if s.ctx.graph is None or not _about_own_values(s):
        return None
    finder = Bindings(s)
    found = _literal_bindings(finder, s.etype.code == "RUNTIME")
    if not found:
        return None
    sites = [binding_site(finder, *binding) for binding in found]
    (line, where, _), name = sites[0], found[0][0]
    return Found(f"`{line}` in {where} writes `{name}` as a literal, unchanged since: the failing code contradicts "
                 f"values the notebook itself wrote", tuple(related for _, _, related in sites))
