"""Pre-run prediction: crashes a cell will certainly hit, from its AST and the live namespace.

The cell's statements are walked in the order they run, with an abstract value per name: the
live object (from the namespace, read with ``predict_rules`` only), an alias of one, a value
derived from one (a column, a column subset, an array's reshape), an estimator built or fitted
in the cell, or unknown. Only code that certainly runs is checked: a module-level statement, a
``for`` body over literal values (each value in turn), a ``with`` body, and the body of a
notebook function called with known arguments. ``if``/``while``/``try`` bodies, lambdas,
comprehensions and short-circuited operands are never checked; what they bind becomes unknown.
The walk stops at the first certain crash: the cell would stop there too.
"""
from __future__ import annotations

import ast
import builtins
import re
import time
import types
from typing import Any, Mapping

from . import predict_rules as rules
from .predict_checks import Checks
from .predict_values import Model, Prediction, Shaped, Stop

BUDGET_SECONDS = 0.005
MAX_SOURCE = 20_000
MAX_LOOP_VALUES = 50
MAX_DEPTH = 2
UNKNOWN = rules.MISSING
_PATHISH = re.compile(r"""['"][^'"\n]*(?:/|\.[A-Za-z0-9]{2,5})['"]""")


class Walker(Checks):
    """Walks statements in run order, keeping an abstract value per name."""

    def __init__(self, source: str, namespace: Mapping[str, Any], env: dict | None = None,
                 depth: int = 0, deadline: float | None = None, imported: frozenset = frozenset()) -> None:
        self.source = source
        self.ns = namespace
        self.env: dict[str, Any] = dict(env or {})
        self.depth = depth
        self.deadline = deadline if deadline is not None else time.perf_counter() + BUDGET_SECONDS
        self.created: dict[int, set[str]] = {}   # id(frame) -> columns the cell wrote so far
        self.functions: dict[str, ast.FunctionDef] = {}
        self.imported = imported
        self.found: Prediction | None = None
        self._lines: list[str] | None = None

    # ---- values ------------------------------------------------------------------------

    def lookup(self, name: str) -> Any:
        if name in self.env:
            return self.env[name]
        if name in self.ns:
            return self.ns[name]
        return vars(builtins).get(name, UNKNOWN)

    def value(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Name):
            return self.lookup(node.id)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [self.value(e) for e in node.elts]
            return UNKNOWN if any(i is UNKNOWN for i in items) else items
        if isinstance(node, ast.JoinedStr):
            return self.fstring(node)
        if isinstance(node, ast.Attribute):
            return self.attribute_value(self.value(node.value), node.attr)
        if isinstance(node, ast.Subscript):
            return self.subscript_value(self.value(node.value), self.value(node.slice))
        if isinstance(node, ast.Call):
            return self.call_value(node)
        if isinstance(node, ast.Slice):
            bounds = [self.value(b) if b is not None else None for b in (node.lower, node.upper, node.step)]
            return slice(*bounds) if all(b is None or type(b) is int for b in bounds) else UNKNOWN
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and type(self.value(node.operand)) is int:
            return -self.value(node.operand)
        return UNKNOWN

    def fstring(self, node: ast.JoinedStr) -> Any:
        parts = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                parts.append(str(part.value))
            elif isinstance(part, ast.FormattedValue) and part.conversion == -1 and part.format_spec is None:
                inner = self.value(part.value)
                if type(inner) not in (str, int):
                    return UNKNOWN
                parts.append(str(inner))
            else:
                return UNKNOWN
        return "".join(parts)

    def attribute_value(self, base: Any, attr: str) -> Any:
        if rules.is_module(base):
            return vars(base).get(attr, UNKNOWN)
        info = self.info(base)
        if info is not None and attr == "values" and info.kind in ("frame", "series"):
            return Shaped("array", info.shape, dtype=info.dtype)
        return UNKNOWN

    def subscript_value(self, base: Any, key: Any) -> Any:
        info = self.info(base)
        if info is not None and info.kind in ("series", "array") and type(key) is slice and info.shape:
            rows = len(range(info.shape[0])[key]) if type(info.shape[0]) is int else None
            return Shaped(info.kind, (rows, *info.shape[1:]), dtype=info.dtype, origin=info.origin)
        if info is None or info.kind != "frame" or info.columns is None:
            return UNKNOWN
        rows = info.shape[0] if info.shape else None
        if type(key) is str and key in info.columns:
            return Shaped("series", (rows,), dtype=self.dtype_of(base, key), origin=base if rules.is_frame(base) else None)
        if type(key) is list and key and all(type(k) is str and k in info.columns for k in key):
            return Shaped("frame", (rows, len(key)), columns=list(key))
        return UNKNOWN

    def dtype_of(self, frame: Any, column: str) -> str | None:
        if not rules.is_frame(frame) or id(frame) in self.created:
            return None
        from .fingerprint import frame_dtypes

        dtypes = dict(zip(rules.frame_columns(frame) or [], frame_dtypes(frame)))
        return dtypes.get(column)

    def info(self, value: Any) -> Shaped | None:
        """The abstract shape of a live known value or a derived one."""
        if isinstance(value, Shaped):
            return value
        kind = rules.kind_of(value)
        if kind == "pandas.DataFrame":
            columns = rules.frame_columns(value)
            if columns is not None and id(value) in self.created:
                columns = columns + sorted(self.created[id(value)])
            return Shaped("frame", tuple(value.shape), columns)
        if kind == "pandas.Series":
            return Shaped("series", tuple(value.shape), dtype=str(value.dtype))
        if kind in ("numpy.ndarray", "torch.Tensor"):
            return Shaped("array", tuple(value.shape), dtype=str(value.dtype))
        if type(value) is list:
            return Shaped("list", (len(value),))
        return None

    def model(self, value: Any) -> Model | None:
        if isinstance(value, Model):
            return value
        if rules.is_estimator(value):
            from .fingerprint import is_fitted

            count, names = rules.fitted_features(value)
            return Model(type(value), is_fitted(value), count, names, rules.int_params(value))
        return None

    def call_value(self, node: ast.Call) -> Any:
        callee = self.value(node.func)
        if isinstance(callee, type) and rules.is_estimator_class(callee):
            params = {k.arg: self.value(k.value) for k in node.keywords if k.arg}
            return Model(callee, False, params={k: v for k, v in params.items() if type(v) in (int, str)})
        if rules.is_numpy_constructor(callee) and node.args and not node.keywords:
            shape = self.value(node.args[0])
            shape = [shape] if type(shape) is int else shape
            if type(shape) is list and all(type(n) is int for n in shape):
                return Shaped("array", tuple(shape), dtype="float64")
        if not isinstance(node.func, ast.Attribute):
            return UNKNOWN
        method = node.func.attr
        receiver = self.value(node.func.value)
        model = self.model(receiver)
        if model is not None and method == "fit":
            return self.fitted(model, node)
        info = self.info(receiver)
        if info is None:
            return UNKNOWN
        if method == "to_numpy" and info.kind in ("frame", "series"):
            return Shaped("array", info.shape, dtype=info.dtype)
        if method == "drop" and info.kind == "frame" and info.columns is not None:
            dropped = self.dropped_columns(node)
            if dropped is not None and all(c in info.columns for c in dropped):
                kept = [c for c in info.columns if c not in dropped]
                return Shaped("frame", (info.shape[0], len(kept)), kept)
        return UNKNOWN

    def dropped_columns(self, node: ast.Call) -> list[str] | None:
        kwargs = {k.arg: k.value for k in node.keywords if k.arg}
        labels = kwargs.get("columns")
        if labels is None and rules.is_columns_axis(self.value(kwargs["axis"]) if "axis" in kwargs else None):
            labels = node.args[0] if node.args else kwargs.get("labels")
        value = self.value(labels) if labels is not None else UNKNOWN
        if type(value) is str:
            return [value]
        return value if type(value) is list and all(type(v) is str for v in value) else None

    def fitted(self, model: Model, node: ast.Call) -> Model:
        features = self.value(node.args[0]) if node.args else UNKNOWN
        info = self.info(features)
        count = info.shape[1] if info is not None and info.shape and len(info.shape) == 2 else None
        names = info.columns if info is not None and info.kind == "frame" else None
        return Model(model.cls, True, count, names, model.params)

    # ---- statements --------------------------------------------------------------------

    def run_block(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            if time.perf_counter() > self.deadline:
                raise Stop
            self.statement(stmt)
            if not isinstance(stmt, (ast.For, ast.With)) or not _leaves_early(stmt):
                continue
            return

    def statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            self.check_import(stmt)
            self.forget(stmt)
        elif isinstance(stmt, (ast.Expr, ast.Return)):
            if stmt.value is not None:
                self.expr(stmt.value)
            self.after_effects(stmt.value)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            self.assignment(stmt)
        elif isinstance(stmt, ast.For):
            self.loop(stmt)
        elif isinstance(stmt, ast.With):
            for item in stmt.items:
                self.expr(item.context_expr)
            self.forget_targets([i.optional_vars for i in stmt.items if i.optional_vars is not None])
            self.run_block(stmt.body)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.functions[stmt.name] = stmt
            self.env[stmt.name] = UNKNOWN
        else:  # if / while / try / match / class / del / global ...: not certain to run
            self.forget(stmt)

    def assignment(self, stmt: ast.stmt) -> None:
        value_node = stmt.value
        if value_node is None:
            return
        self.expr(value_node)
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        value = self.value(value_node) if not isinstance(stmt, ast.AugAssign) else UNKNOWN
        self.after_effects(value_node)
        for target in targets:
            if isinstance(target, ast.Name):
                self.env[target.id] = value
            elif isinstance(target, ast.Subscript) and not isinstance(stmt, ast.AugAssign):
                self.store_subscript(target)
            else:
                self.forget_targets([target])

    def store_subscript(self, target: ast.Subscript) -> None:
        base = self.value(target.value)
        key = self.value(target.slice)
        if rules.is_frame(base) and type(key) is str:
            self.created.setdefault(id(base), set()).add(key)
        elif isinstance(target.value, ast.Name) and not rules.is_frame(base):
            self.env[target.value.id] = UNKNOWN

    def after_effects(self, node: ast.AST | None) -> None:
        """What a call statement does to its receiver: fit, insert, in place."""
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            return
        receiver_node, method = node.func.value, node.func.attr
        if not isinstance(receiver_node, ast.Name):
            return
        receiver = self.value(receiver_node)
        model = self.model(receiver)
        if model is not None and method in rules.FIT_METHODS | {"partial_fit"}:
            self.env[receiver_node.id] = self.fitted(model, node)
        elif rules.is_frame(receiver) and method == "insert" and len(node.args) >= 2:
            column = self.value(node.args[1])
            if type(column) is str:
                self.created.setdefault(id(receiver), set()).add(column)
        elif any(k.arg == "inplace" for k in node.keywords) or model is not None:
            self.env[receiver_node.id] = UNKNOWN

    def loop(self, stmt: ast.For) -> None:
        self.expr(stmt.iter)
        values = self.loop_values(stmt.iter)
        if values is None or not isinstance(stmt.target, ast.Name) or stmt.orelse:
            self.forget(stmt)
            return
        for item in values:
            self.env[stmt.target.id] = item
            self.run_block(stmt.body)
        if not values:
            self.forget(stmt)

    def loop_values(self, node: ast.AST) -> list | None:
        value = self.value(node)
        if type(value) in (list, tuple) and len(value) <= MAX_LOOP_VALUES and \
                all(type(v) in (str, int) for v in value):
            return list(value)
        if isinstance(node, ast.Call) and self.value(node.func) is range and not node.keywords:
            bounds = [self.value(a) for a in node.args]
            if bounds and all(type(b) is int for b in bounds):
                numbers = range(*bounds)
                return list(numbers) if len(numbers) <= MAX_LOOP_VALUES else None
        return None

    def forget(self, stmt: ast.AST) -> None:
        """A block that may or may not run: what it may bind or change becomes unknown."""
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                self.env[node.id] = UNKNOWN
            elif isinstance(node, (ast.Subscript, ast.Attribute)) and not isinstance(node.ctx, ast.Load):
                self.forget_targets([node])
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    isinstance(node.func.value, ast.Name):
                self.env[node.func.value.id] = UNKNOWN
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.env[node.name] = UNKNOWN
            elif isinstance(node, ast.alias):
                self.env[(node.asname or node.name).split(".")[0]] = UNKNOWN

    def forget_targets(self, targets: list[ast.AST]) -> None:
        for target in targets:
            root = target
            while isinstance(root, (ast.Subscript, ast.Attribute, ast.Starred)):
                root = root.value
            for node in ast.walk(root):
                if isinstance(node, ast.Name):
                    self.env[node.id] = UNKNOWN

    # ---- expressions -------------------------------------------------------------------

    def expr(self, node: ast.AST) -> None:
        """Check an expression's parts in evaluation order; parts that may not run are skipped."""
        if isinstance(node, (ast.Lambda, ast.GeneratorExp, ast.ListComp, ast.SetComp, ast.DictComp)):
            return
        if isinstance(node, ast.IfExp):
            self.expr(node.test)
            return
        if isinstance(node, ast.BoolOp):
            self.expr(node.values[0])
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child)
            elif isinstance(child, ast.keyword):
                self.expr(child.value)
        self.check(node)

    def report(self, kind: str, key: str, message: str, fix: str, node: ast.AST, subject: str = "") -> None:
        self.found = Prediction(kind, key, message, fix, getattr(node, "lineno", 0), subject)
        raise Stop

    def text(self, node: ast.AST) -> str:
        """The node's source text (the cell's lines split once: ``ast.get_source_segment`` splits each call)."""
        if self._lines is None:
            self._lines = self.source.splitlines()
        start, end = getattr(node, "lineno", 0) - 1, (getattr(node, "end_lineno", None) or 0) - 1
        if 0 <= start == end < len(self._lines):
            return self._lines[start].encode()[node.col_offset:node.end_col_offset].decode("utf-8", "replace")
        return ast.unparse(node)


def _leaves_early(stmt: ast.stmt) -> bool:
    return any(isinstance(n, (ast.Return, ast.Raise, ast.Break, ast.Continue)) for n in ast.walk(stmt))


def worth_parsing(source: str, namespace: Mapping[str, Any]) -> bool:
    """A cheap pre-check: the cell mentions a live module, library value or notebook function, an
    import, or a path-like string literal."""
    from .session import mentioned_names

    if "import" in source or _PATHISH.search(source):
        return True
    get = namespace.get
    for name in mentioned_names(source):
        value = get(name)
        if value is None:
            continue
        if type(value) is types.ModuleType or rules.kind_of(value) is not None or rules.is_user_function(value) \
                or issubclass(type(value), type) and (value.__module__ or "").split(".", 1)[0] in rules.KNOWN_ROOTS:
            return True
    return False


def predict(source: str, namespace: Mapping[str, Any]) -> Prediction | None:
    """The first certain crash in ``source`` run against ``namespace``, or None."""
    if len(source) > MAX_SOURCE or not worth_parsing(source, namespace):
        return None
    from ..facts.cells import transform_ipython

    code = transform_ipython(source)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    imported: frozenset[str] = frozenset()
    if "import" in code:
        imported = frozenset(n.name for n in ast.walk(tree) if isinstance(n, ast.alias)) | frozenset(
            n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module)
    walker = Walker(code, namespace, imported=imported)
    try:
        walker.run_block(tree.body)
    except Stop:
        pass
    except RecursionError:
        return None
    return walker.found


def prediction_warning(prediction: Prediction) -> dict:
    """The warning bundle's JSON for a prediction (the guard's format, plus ``key`` and ``fix``)."""
    return {"kind": prediction.kind, "key": prediction.key, "names": [prediction.key], "cells": [],
            "fix": prediction.fix, "message": f"{prediction.message} {prediction.fix}".strip(),
            "line": prediction.lineno, "subject": prediction.subject}


def predicted_warning(source: str, namespace: Mapping[str, Any]) -> dict | None:
    """``prediction_warning`` of ``predict``; None when nothing is certain (or nbcrash failed)."""
    try:
        prediction = predict(source, namespace)
    except Exception:  # noqa: BLE001 - a failed prediction is no prediction
        return None
    return prediction_warning(prediction) if prediction is not None else None

