"""A name bound to None by the user's own code, found in the notebook (root cause IMPL).

The message says the value is None (``'NoneType' object has no attribute 'append'``, ``... is not
subscriptable``); the notebook shows where the name got it: the last binding that ran before the
crash assigns the result of a call that returns None by Python's definition: an in-place method of
a built-in container (``x = x.sort()``), a pandas call with ``inplace=True``, ``random.shuffle``, or
a function the notebook defines without returning a value.
"""
from __future__ import annotations

import ast

from ..facts.cell_code import read_cell
from ..facts.cells.scopes import dotted, resolve_qualname
from ..knowledge.mutations import INPLACE_KEYWORD, NONE_RETURNING_FUNCTIONS, NONE_RETURNING_METHODS
from ..record.taxonomy import WRONG_IMPLEMENTATION
from .notebook import _imported
from .notebook_bindings import Bindings, _last_binding, _own_scope, binding_site, names_read, two_cell_example
from .rules import Found, rule
from .signals import Signals

_NONE_VALUE = "'NoneType' object"

_CONTAINERS = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)
_CONSTRUCTORS = frozenset({"list", "dict", "set"})


def _container_value(value: ast.AST) -> bool:
    """``[...]``, ``{...}``, a comprehension, or ``list(...)``, ``dict(...)``, ``set(...)``."""
    return isinstance(value, _CONTAINERS) or (
        isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in _CONSTRUCTORS)


def _returns_nothing(tree: ast.Module, function: str) -> bool:
    """The cell defines ``function`` with no ``return <value>`` in its own body. Not a generator (its
    call returns a generator) nor an ``async def`` (its call returns a coroutine)."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == function:
            own = list(_own_scope(node))
            if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in own):
                return False
            return not any(isinstance(n, ast.Return) and n.value is not None and
                           not (isinstance(n.value, ast.Constant) and n.value.value is None) for n in own)
    return False


class _Finder(Bindings):
    """The bindings before one crash, and why a call returns None."""

    def defines_without_return(self, function: str) -> bool:
        runs = self.graph.bound_before(function, self.execution)
        for run in reversed(runs[-1:]):
            cell = self.graph.cell(run.cell_id)
            code = read_cell(run.source or (cell.source if cell else ""))
            return bool(code) and _returns_nothing(code.tree, function)
        code = read_cell(self.source)
        return bool(code) and _returns_nothing(code.tree, function)

    def why_none(self, statement: ast.Assign, source: str, run) -> str | None:
        """Why the call the binding ``statement`` (of ``run``, in ``source``) assigns returns None, by
        Python's definition, or None when it need not."""
        value = statement.value
        if not isinstance(value, ast.Call):
            return None
        if any(k.arg == INPLACE_KEYWORD and isinstance(k.value, ast.Constant) and k.value.value is True
               for k in value.keywords) and isinstance(value.func, ast.Attribute) \
                and not _imported(self.graph, dotted(value.func)[1]):
            return "a method called with inplace=True changes the object and returns None"
        func, _, pure = dotted(value.func)
        func = self._resolved(func) if pure else ""
        if func in NONE_RETURNING_FUNCTIONS:
            return f"`{func}()` shuffles in place and returns None"
        if isinstance(value.func, ast.Attribute) and value.func.attr in NONE_RETURNING_METHODS \
                and self._built_in_container(value.func.value, statement, source, run):
            return f"`{value.func.attr}()` changes the object in place and returns None"
        if isinstance(value.func, ast.Name) and self.defines_without_return(value.func.id):
            return f"the notebook's function `{value.func.id}` returns no value, so it returns None"
        return None

    def _resolved(self, func: str) -> str:
        """``shuffle`` -> ``random.shuffle`` when a cell imports it so, by the notebook's imports."""
        root = func.partition(".")[0]
        imports = [c.facts.imports for c in self.graph.definers(root) if root in (getattr(c.facts, "imports", {}) or {})]
        return (resolve_qualname(func, imports[-1]) or func) if imports else func

    def _built_in_container(self, receiver: ast.AST, statement: ast.stmt, source: str, run) -> bool:
        """The receiver is a list, dict or set: a display, or a name last bound to one before ``statement``
        (``x = []``, ``x = list(...)``); any other object's ``sort`` or ``update`` may return a value."""
        if not isinstance(receiver, ast.Name):
            return _container_value(receiver)
        code = read_cell(source)
        prior = _last_binding(code.tree, receiver.id, statement.lineno) if code else None
        if prior is None:
            runs = self.graph.bound_before(receiver.id, run)
            if not runs:
                return False
            cell = self.graph.cell(runs[-1].cell_id)
            code = read_cell(runs[-1].source or (cell.source if cell else ""))
            prior = _last_binding(code.tree, receiver.id) if code else None
        return isinstance(prior, ast.Assign) and _container_value(prior.value)



_SORTED = ("AttributeError", "'NoneType' object has no attribute 'append'")


@rule("RC-NB-BOUND-TO-NONE", "IMPL", WRONG_IMPLEMENTATION, confidence=0.8, notebook=True,
      examples=[two_cell_example(*_SORTED, "items = [3, 1]\nitems = items.sort()", "items.append(4)")])
def _bound_to_none(s: Signals):
    """The value is None because the user's code assigned the result of a call that returns None
    (an in-place method such as ``list.sort``, ``inplace=True``, a function without ``return``)."""
    if s.ctx.graph is None or _NONE_VALUE not in s.evalue:
        return None
    finder = _Finder(s)
    for name in names_read(finder):
        binding = finder.last_binding(name)
        why = binding and finder.why_none(*binding)
        if why:
            line, where, related = binding_site(finder, name, *binding)
            return Found(f"`{line}` in {where} binds `{name}` to None: {why}", (related,))
    return None
