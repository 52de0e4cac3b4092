"""The last binding of a name before a crash, read from the notebook's cells (for the notebook's rules).

A saved notebook's cells, or a live session's runs: the crashing cell's own statements above the
failing line first, else the latest run of another cell that bound the name before the crash.
"""
from __future__ import annotations

import ast
import builtins

from ..facts.cell_code import read_cell
from ..facts.cell_names import cell_name
from ..record.diagnosis import RelatedCell
from .notebook import crash_execution
from .rules import example
from .signals import Signals


def _binds(statement: ast.stmt, name: str) -> bool:
    """Whether a top-level statement binds ``name`` anywhere in its own scope (``x =``, ``x +=``, ``for x``):
    a ``def`` or ``class`` binds its name, not the names of its body."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return statement.name == name
    for node in _own_scope(statement):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)) and node.id == name:
            return True
        if isinstance(node, ast.alias) and (node.asname or node.name.split(".")[0]) == name:
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
    return False


def _own_scope(statement: ast.stmt):
    """The statement and its nodes, without the bodies of the functions and classes it defines."""
    stack = [statement]
    while stack:
        node = stack.pop()
        yield node
        if node is statement or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def _last_binding(tree: ast.Module, name: str, before: int | None = None) -> ast.stmt | None:
    """The last top-level statement of a cell (above line ``before``) that binds ``name``."""
    found = [st for st in tree.body if (before is None or st.lineno < before) and _binds(st, name)]
    return found[-1] if found else None


def statement_at(tree: ast.Module, lineno: int) -> ast.stmt | None:
    """The cell's top-level statement that holds line ``lineno``."""
    return next((st for st in tree.body if st.lineno <= lineno <= (st.end_lineno or st.lineno)), None)


class Bindings:
    """Reads the cells that ran before one crash."""

    def __init__(self, s: Signals) -> None:
        self.graph, self.execution = s.ctx.graph, crash_execution(s)
        self.source = s.ctx.cell_source or self.execution.source or ""
        top = s.top_user_frame
        self.lineno = self.execution.error_lineno or (top.lineno if top else None)
        code = read_cell(self.source) if self.lineno else None
        self.tree = code.tree if code else None

    def statement(self) -> ast.stmt | None:
        """The crashing cell's top-level statement that failed."""
        return statement_at(self.tree, self.lineno) if self.tree is not None else None

    def last_binding(self, name: str) -> tuple[ast.Assign, str, object] | None:
        """The last binding of ``name`` that ran before the crash, when it is a plain ``name = ...``:
        the statement, its cell's source, the run."""
        above = _last_binding(self.tree, name, self.lineno) if self.tree is not None else None
        if above is not None:
            return (above, self.source, self.execution) if isinstance(above, ast.Assign) else None
        runs = self.graph.bound_before(name, self.execution)
        if not runs:
            return None
        run = runs[-1]
        cell = self.graph.cell(run.cell_id)
        source = run.source or (cell.source if cell else "")
        code = read_cell(source)
        found = _last_binding(code.tree, name) if code else None
        return (found, source, run) if isinstance(found, ast.Assign) else None

    def changed_since(self, name: str, run, statement: ast.stmt, failing_may_change: bool = False) -> bool:
        """Whether code that ran after the binding ``statement`` of ``run`` and before the failing
        statement changes ``name`` in place (``x.append(...)``, ``x[k] = v``): other cells' runs by their
        facts, the crashing cell's statements by their tree. ``failing_may_change``: the failing statement's
        own change is the error (a dict changed while iterated)."""
        for later in self.graph.executions[run.seq + 1:self.execution.seq]:
            facts = later.facts or getattr(self.graph.cell(later.cell_id), "facts", None)
            if name in (getattr(facts, "mutated", ()) or ()):
                return True
            code = read_cell(later.source or getattr(self.graph.cell(later.cell_id), "source", ""))
            if code is None or any(_passes(st, name) for st in code.tree.body):
                return True
        failing = self.statement()
        if self.tree is None or failing is None:
            return True
        if run is not self.execution:
            code = read_cell(run.source or getattr(self.graph.cell(run.cell_id), "source", ""))
            if code is None or any(st.lineno > statement.lineno and _changes(st, name) for st in code.tree.body):
                return True
        start = statement.lineno if run is self.execution else 0
        if not failing_may_change and not isinstance(failing, _SIMPLE) and _changes(failing, name):
            return True  # a loop that appends, then indexes: the value is no longer the literal
        return any(start < st.lineno < failing.lineno and _changes(st, name) for st in self.tree.body)


# Statements that fail before or as they change a value (``memo[[1, 2]] = v``), not after.
_SIMPLE = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Delete)


def _changes(statement: ast.stmt, name: str) -> bool:
    """Whether the statement may change ``name`` in place: a method of it, an item stored or deleted,
    or ``name`` handed to a function that is not one of Python's builtins (``fill(cfg)``)."""
    if _passes(statement, name):
        return True
    for node in ast.walk(statement):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name) and node.func.value.id == name:
            return True
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)) and \
                isinstance(node.value, ast.Name) and node.value.id == name:
            return True
    return False


def _passes(statement: ast.stmt, name: str) -> bool:
    """``f(name)``, ``f(key=name)``, ``obj.f(*name)``: ``name`` handed to a call that is not a builtin
    (``len``, ``print``, ``sorted`` leave it as it is), which may change it."""
    for node in ast.walk(statement):
        if not isinstance(node, ast.Call) or (isinstance(node.func, ast.Name) and hasattr(builtins, node.func.id)):
            continue
        for argument in [*node.args, *(k.value for k in node.keywords)]:
            argument = argument.value if isinstance(argument, ast.Starred) else argument
            if isinstance(argument, ast.Name) and argument.id == name:
                return True
    return False


def names_read(finder: Bindings) -> list[str]:
    """The names the failing statement reads (not those it binds itself), in order of appearance."""
    statement = finder.statement()
    if statement is None:
        return []
    names = [n for n in ast.walk(statement) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    return [name for name in dict.fromkeys(n.id for n in sorted(names, key=lambda n: (n.lineno, n.col_offset)))
            if not _binds(statement, name) or isinstance(statement, ast.Assign)]


def binding_site(finder: Bindings, name: str, statement: ast.stmt, source: str, run) -> tuple[str, str, RelatedCell]:
    """The binding's first line, its cell as Jupyter shows it, and that cell as a related cell."""
    cell = finder.graph.cell(run.cell_id)
    index = cell.index if cell else None
    line = (ast.get_source_segment(source, statement) or name).splitlines()[0]
    return line, cell_name(index, run.execution_count), RelatedCell(
        role="definer", cell_id=run.cell_id, index=index, execution_count=run.execution_count, names=[name])


def two_cell_example(ename: str, evalue: str, first: str, crashing: str) -> dict:
    """A rule's example: ``first`` ran as In [1], then ``crashing`` (one line) crashed as In [2]."""
    traceback = ("Traceback (most recent call last):\n  File \"/tmp/ipykernel_42/1234567890.py\", line 1, in <module>\n"
                 f"    {crashing}\n{ename}: {evalue}")
    return example(ename, evalue, traceback=traceback, crash=1,
                   notebook={"cells": [first, crashing], "runs": [[0, 1], [1, 2, "error", 1, ename, evalue]]})
