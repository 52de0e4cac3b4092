"""A cell that consumes its own input, run a second time (notebook-specific: execution order).

A statement such as ``df = df.drop(columns=['c'])``, ``x = x.reshape(5, 4)`` or ``y = df.pop('c')``
changes the very value it reads: its first run succeeds, a second run works on the result of the
first and fails. A saved notebook keeps only a cell's last run, but the execution counts tell of
the runs it hides: In [N] with no cell showing In [N-1] means an execution just before this one
that no cell shows any more, most likely this cell's first run. Live, the graph holds both runs.
"""
from __future__ import annotations

import ast
import re

from ..facts.cell_code import read_cell
from ..facts.cell_names import cell_name
from ..knowledge.mutations import INPLACE_KEYWORD, REMOVING_METHODS
from ..record.diagnosis import RelatedCell
from ..record.taxonomy import NB_EXECUTION_ORDER
from .notebook import crash_execution
from .notebook_bindings import _last_binding, statement_at
from .rules import Found, example, rule
from .signals import Signals

# Errors a second run of a self-consuming statement raises: the value lost a key, or its shape changed.
_SHAPE_TYPES = frozenset({"TSHAPE", "BCAST"})
_KEY_TYPES = frozenset({"KEY"})
_TYPES = _KEY_TYPES | _SHAPE_TYPES | {"ATTR"}
# ``X = X.values`` run twice: the second run asks the array for the DataFrame's attribute.
_MISSING_ATTRIBUTE = re.compile(r"has no attribute '(\w+)'")


def _loads(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _rebound_from_itself(statement: ast.stmt) -> str | None:
    """``v = f(v)``: the name the statement rebinds from its own value."""
    if not isinstance(statement, ast.Assign):
        return None
    targets = {t.id for t in statement.targets if isinstance(t, ast.Name)}
    both = targets & _loads(statement.value)
    return min(both) if both else None


def _transforms(value: ast.expr, name: str) -> bool:
    """``name.method(...)`` or ``f(name, ...)``: a call that makes a new value out of ``name`` (a
    reshape, a one-hot encoding), not arithmetic that happens to read it."""
    if not isinstance(value, ast.Call):
        return False
    receiver = value.func.value if isinstance(value.func, ast.Attribute) else None
    while isinstance(receiver, (ast.Attribute, ast.Subscript, ast.Call)):  # df.values.reshape, x[:, :3].reshape
        receiver = receiver.func if isinstance(receiver, ast.Call) else receiver.value
    first = value.args[0] if value.args else None
    return any(isinstance(n, ast.Name) and n.id == name for n in (receiver, first))


def _reads_attribute(value: ast.expr, name: str, attribute: str) -> bool:
    """``name.attribute`` appears in ``value``."""
    return any(isinstance(n, ast.Attribute) and n.attr == attribute and isinstance(n.value, ast.Name)
               and n.value.id == name for n in ast.walk(value))


def _removes_in_place(statement: ast.stmt) -> str | None:
    """``v.pop(k)``, ``v.drop(..., inplace=True)``, ``del v[k]``: the name the statement removes from."""
    if isinstance(statement, ast.Delete):
        for target in statement.targets:
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                return target.value.id
        return None
    value = statement.value if isinstance(statement, (ast.Assign, ast.Expr)) else None
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and isinstance(value.func.value, ast.Name):
        inplace = any(k.arg == INPLACE_KEYWORD and isinstance(k.value, ast.Constant) and k.value.value is True
                      for k in value.keywords)
        if value.func.attr in REMOVING_METHODS or inplace:
            return value.func.value.id
    return None


def _literals(statement: ast.stmt) -> set[str]:
    return {n.value for n in ast.walk(statement) if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value}


def _consumed(s: Signals, source: str, lineno: int | None) -> tuple[str, ast.stmt] | None:
    """The name the crashing statement consumes, when a second run of it fails the way this crash did."""
    code = read_cell(source) if lineno else None
    statement = statement_at(code.tree, lineno) if code else None
    if statement is None:
        return None
    code_type = s.etype.code
    if code_type in _KEY_TYPES:
        name = _removes_in_place(statement) or _rebound_from_itself(statement)
        if name is None or not _names_missing_key(s.evalue, _literals(statement)):
            return None
    elif code_type == "ATTR":
        name = _rebound_from_itself(statement)
        missing = _MISSING_ATTRIBUTE.search(s.evalue)
        if name is None or missing is None or not _reads_attribute(statement.value, name, missing.group(1)):
            return None
    elif code_type in _SHAPE_TYPES:
        name = _rebound_from_itself(statement)
        if name is not None and not _transforms(statement.value, name):
            return None
    else:
        return None
    # bound above in the cell's own scope (not inside a function it defines): a second run starts afresh
    return (name, statement) if name and _last_binding(code.tree, name, statement.lineno) is None else None


def _names_missing_key(evalue: str, literals: set[str]) -> bool:
    """The message names, quoted, one of the strings the statement removes."""
    return any(re.search(r"""['"]""" + re.escape(text) + r"""['"]""", evalue) for text in literals)


def _hidden_run(graph, execution) -> str | None:
    """Why this cell most likely ran before: an earlier run in the graph, or a count no cell shows."""
    earlier = [r for r in graph.executions_of(execution.cell_id) if r.seq < execution.seq and r.status == "ok"]
    if earlier:
        return f"it ran before as {cell_name(None, earlier[-1].execution_count)}"
    count = execution.execution_count
    if not isinstance(count, int) or count < 3:
        return None
    shown = {r.execution_count for r in graph.executions if r.seq < execution.seq}
    if count - 1 in shown or not any(isinstance(c, int) and c < count - 1 for c in shown):
        return None
    return f"no cell shows In [{count - 1}], the run just before this In [{count}]: most likely this cell's first run"


_DUMMIES = ("KeyError", "\"None of [Index(['city'], dtype='object')] are in the [columns]\"")


@rule("RC-NB-RERUN", "NB", NB_EXECUTION_ORDER, confidence=0.75, notebook=True,
      examples=[example(*_DUMMIES, notebook={"cells": ["df = make()", "df = pd.get_dummies(df, columns=['city'])"],
                                             "runs": [[0, 1], [1, 3, "error", 1, *_DUMMIES]]}, crash=1,
                        traceback="Traceback (most recent call last):\n  File \"/tmp/ipykernel_42/1234567890.py\", line 1,"
                                  " in <module>\n    df = pd.get_dummies(df, columns=['city'])\n"
                                  f"KeyError: {_DUMMIES[1]}")])
def _rerun(s: Signals):
    """The crashing statement consumes its own input (``df = df.drop(...)``, ``x = x.reshape(...)``,
    ``df.pop(k)``, ``X = X.values``) and the cell ran before: a second run fails on what the first one left."""
    graph = s.ctx.graph
    if graph is None or s.etype.code not in _TYPES:
        return None
    execution = crash_execution(s)
    lineno = execution.error_lineno or (s.top_user_frame.lineno if s.top_user_frame else None)
    cell = graph.cell(execution.cell_id)
    source = s.ctx.cell_source or execution.source or (cell.source if cell else "")
    consumed = _consumed(s, source, lineno)
    why_ran = consumed and _hidden_run(graph, execution)
    if not why_ran:
        return None
    name, statement = consumed
    line = ast.get_source_segment(source, statement) or name
    related = (RelatedCell(role="rerun", cell_id=cell.cell_id, index=cell.index,
                           execution_count=execution.execution_count, names=[name]),) if cell else ()
    return Found(f"`{line.splitlines()[0]}` changes `{name}`, the value it reads, so a second run works on the "
                 f"result of the first; {why_ran}", related)
