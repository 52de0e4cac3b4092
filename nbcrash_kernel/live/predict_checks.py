"""The checks of the pre-run prediction, one per kind of certain crash (mixed into ``Walker``).

Each check looks at one expression whose operands the walk knows, and reports only what
Python or the library certainly does with them (a KeyError, AttributeError, NotFittedError,
ValueError, FileNotFoundError, TypeError, ModuleNotFoundError).
"""
from __future__ import annotations

import ast
import builtins
import importlib.util
import inspect
import os
import sys
from typing import Any

from . import predict_rules as rules
from .predict_values import Shaped, Stop

_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)
_TEXT_REDUCTIONS = frozenset({"mean", "median", "std", "var", "sem", "skew", "kurt"})
_WRITE_MODES = ("w", "a", "x", "+")


class Checks:
    """Expression checks; ``self`` is a ``predict.Walker``."""

    def check(self, node: ast.AST) -> None:
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            self.check_subscript(node)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            self.check_attribute(node)
        elif isinstance(node, ast.Call):
            self.check_call(node)
        elif isinstance(node, ast.BinOp):
            self.check_binop(node)

    # ---- columns and indices -----------------------------------------------------------

    def check_subscript(self, node: ast.Subscript) -> None:
        base = self.value(node.value)
        key = self.value(node.slice)
        if rules.is_frame(base):
            keys = [key] if type(key) is str else key if type(key) is list else []
            for column in keys:
                self.check_column(base, column, node)
        elif rules.is_array(base) or isinstance(base, Shaped) and base.kind == "array":
            self.check_index(node, self.info(base), key)

    def check_column(self, frame: Any, column: Any, node: ast.AST, subject: str = "") -> None:
        columns = rules.frame_columns(frame)
        if type(column) is not str or columns is None or column in columns or \
                column in self.created.get(id(frame), ()):
            return
        name = subject or (self.text(node.value) if isinstance(node, ast.Subscript) else "the frame")
        near = rules.closest(column, columns)
        fix = f"Did you mean {near!r}?" if near else f"Its columns: {', '.join(map(repr, columns[:8]))}."
        self.report("missing-column", column, f"`{name}` has no column {column!r}: this cell will raise KeyError.",
                    fix, node, subject=name)

    def check_index(self, node: ast.Subscript, info: Any, key: Any) -> None:
        if info is None or not info.shape:
            return
        parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        for axis, part in enumerate(parts[:len(info.shape)]):
            if isinstance(part, ast.Slice):
                continue
            index, size = self.value(part), info.shape[axis]
            if type(index) is int and type(size) is int and not -size <= index < size:
                self.report("index-out-of-range", f"{self.text(node.value)}[{self.text(node.slice)}]",
                            f"`{self.text(node.value)}` has shape {tuple(info.shape)}: index {index} is out of "
                            f"bounds for axis {axis} (size {size}), this cell will raise IndexError.",
                            f"Valid indices on axis {axis} are 0..{size - 1}.", node)

    # ---- attributes --------------------------------------------------------------------

    def check_attribute(self, node: ast.Attribute) -> None:
        base = self.value(node.value)
        model = self.model(base)
        if model is not None:
            if node.attr.endswith("_") and not node.attr.startswith("_") and not model.fitted and \
                    rules.needs_fit(model.cls) and rules.class_attribute(model.cls, node.attr) is rules.MISSING:
                self.report_unfitted(node, self.text(node.value), model)
            if rules.kind_of(base) is None:
                return
        if isinstance(base, Shaped) and base.kind == "series" and rules.is_frame(base.origin):
            candidates = rules.series_lacks(base.origin, node.attr)
            if candidates is not None:
                near = rules.closest(node.attr, candidates)
                self.report("missing-attribute", node.attr, f"`{self.text(node.value)}` (Series) has no attribute "
                            f"`{node.attr}`: this cell will raise AttributeError.",
                            f"Did you mean `{near}`?" if near else "Check the name.", node)
            return
        if rules.is_module(base) and any(m == base.__name__ or m.startswith(base.__name__ + ".")
                                         for m in self.imported):
            return
        candidates = rules.missing_attribute(base, node.attr) if base is not rules.MISSING else None
        if candidates is None:
            return
        near = rules.closest(node.attr, candidates)
        owner = self.text(node.value)
        what = f"module `{base.__name__}`" if rules.is_module(base) else f"`{owner}` ({type(base).__name__})"
        self.report("missing-attribute", node.attr, f"{what} has no attribute `{node.attr}`: this cell will raise "
                    "AttributeError.", f"Did you mean `{near}`?" if near else "Check the name.", node)

    def report_unfitted(self, node: ast.AST, name: str, model: Any) -> None:
        self.report("not-fitted", name, f"`{name}` ({model.cls.__name__}) is not fitted yet: this cell will "
                    "raise NotFittedError.", f"Call `{name}.fit(X, y)` first (or run the cell that fits it).", node)

    # ---- calls -------------------------------------------------------------------------

    def check_call(self, node: ast.Call) -> None:
        callee = self.value(node.func)
        if isinstance(node.func, ast.Attribute):
            receiver = self.value(node.func.value)
            self.check_method(node, receiver, node.func.attr)
            if callee is rules.MISSING and receiver is not rules.MISSING and rules.kind_of(receiver) is not None:
                callee = rules.class_attribute(type(receiver), node.func.attr)
        if callee is rules.MISSING:
            if isinstance(node.func, ast.Name) and node.func.id in self.functions:
                self.follow(node, callee)
            return
        self.check_keywords(node, callee)
        self.check_column_arguments(node, callee)
        self.check_path(node, callee)
        self.check_split(node, callee)
        self.follow(node, callee)

    def check_method(self, node: ast.Call, receiver: Any, method: str) -> None:
        model = self.model(receiver)
        name = self.text(node.func.value)
        if model is not None:
            self.check_model_call(node, model, name, method)
            return
        info = self.info(receiver)
        if info is not None and info.kind == "series" and method in _TEXT_REDUCTIONS and \
                info.dtype in ("str", "string") and not node.args and not node.keywords:
            self.report("text-column", name, f"`{name}` holds text ({info.dtype}), not numbers: `.{method}()` "
                        "will raise TypeError.", f"Convert it first: `pd.to_numeric({name})`.", node)
        if rules.is_frame(receiver) and method == "drop":
            self.check_drop(node, receiver, name)
        if rules.is_frame(receiver) and method in ("groupby", "sort_values") and node.args:
            keys = self.value(node.args[0])
            for key in [keys] if type(keys) is str else keys if type(keys) is list else []:
                if not rules.index_has(receiver, key):
                    self.check_column(receiver, key, node)

    def check_column_arguments(self, node: ast.Call, callee: Any) -> None:
        """``pd.get_dummies(df, columns=[...])``: each label must be a column (pandas raises KeyError)."""
        if getattr(callee, "__name__", None) != "get_dummies" or not node.args or \
                (getattr(callee, "__module__", "") or "").split(".", 1)[0] != "pandas":
            return
        frame = self.value(node.args[0])
        labels = next((self.value(k.value) for k in node.keywords if k.arg == "columns"), None)
        if rules.is_frame(frame) and type(labels) is list:
            for label in labels:
                self.check_column(frame, label, node.args[0], subject=self.text(node.args[0]))

    def check_drop(self, node: ast.Call, frame: Any, name: str) -> None:
        kwargs = {k.arg: self.value(k.value) for k in node.keywords if k.arg}
        if kwargs.get("errors") == "ignore" or kwargs.get("errors", "raise") is rules.MISSING:
            return
        columns = rules.frame_columns(frame)
        labels = self.value(node.args[0]) if node.args else kwargs.get("labels", kwargs.get("columns"))
        labels = [labels] if type(labels) is str else labels if type(labels) is list else []
        axis = kwargs.get("axis", 0)
        if "columns" in kwargs or rules.is_columns_axis(axis):
            for label in labels:
                self.check_column(frame, label, node)
        elif axis == 0 and "index" not in kwargs and columns is not None:
            for label in labels:
                if type(label) is str and not rules.index_has(frame, label):
                    fix = (f"Add `axis=1` (or `columns={label!r}`) to drop the column." if label in columns
                           else "Check the label.")
                    self.report("drop-without-axis" if label in columns else "missing-label", label,
                                f"`{name}.drop({label!r})` drops rows by index label, and the index has no "
                                f"{label!r}: this cell will raise KeyError.", fix, node)

    def check_model_call(self, node: ast.Call, model: Any, name: str, method: str) -> None:
        if method in rules.PREDICT_METHODS:
            if not model.fitted and rules.needs_fit(model.cls):
                self.report_unfitted(node, name, model)
            if model.fitted and node.args:
                self.check_features(node, model, name)
        if method in rules.FIT_METHODS | rules.PREDICT_METHODS and node.args:
            self.check_two_d(node, model, method)
        if method in rules.FIT_METHODS and len(node.args) >= 2:
            self.check_samples(node, node.args[:2])
        if method in rules.FIT_METHODS and node.args:
            self.check_hyperparameters(node, model, name)

    def check_hyperparameters(self, node: ast.Call, model: Any, name: str) -> None:
        info = self.info(self.value(node.args[0]))
        found = rules.hyperparameter_bound(model.cls, model.params, info.shape) if info and info.shape else None
        if found is not None:
            param, value, bound_name, bound = found
            self.report("hyperparameter", param, f"`{param}={value}` is more than {bound_name}={bound} of "
                        f"`{self.text(node.args[0])}` (shape {tuple(info.shape)}): `{model.cls.__name__}.fit` will "
                        "raise ValueError.", f"Use `{param}` <= {bound}.", node)

    def check_features(self, node: ast.Call, model: Any, name: str) -> None:
        info = self.info(self.value(node.args[0]))
        if info is None or not info.shape or len(info.shape) != 2:
            return
        if model.n_features is not None and info.shape[1] != model.n_features:
            self.report("feature-count", name, f"`{name}` was fitted on {model.n_features} features, "
                        f"`{self.text(node.args[0])}` has {info.shape[1]}: this cell will raise ValueError.",
                        "Give it the same columns it was fitted on, in the same order.", node)
        if model.names is not None and info.columns is not None and set(model.names) != set(info.columns):
            missing = [c for c in model.names if c not in info.columns] or \
                      [c for c in info.columns if c not in model.names]
            self.report("feature-names", missing[0], f"`{name}` was fitted with column {missing[0]!r} "
                        f"{'which ' + self.text(node.args[0]) + ' lacks' if missing[0] in model.names else 'absent'}"
                        ": the feature names differ, this cell will raise ValueError.",
                        f"Use the fitted columns: {', '.join(map(repr, model.names[:8]))}.", node)

    def check_two_d(self, node: ast.Call, model: Any, method: str) -> None:
        if not rules.ENSURE_2D_MODULES or not model.cls.__module__.startswith(rules.ENSURE_2D_MODULES) or \
                "_label" in model.cls.__module__:
            return
        info = self.info(self.value(node.args[0]))
        if info is None or info.kind == "list" or not info.shape or len(info.shape) != 1:
            return
        arg = self.text(node.args[0])
        fix = (f"Pass a 2-D frame: `{arg.replace('[', '[[', 1)[:-1]}]]`" if info.kind == "series" and arg.endswith("]")
               else f"Reshape it: `{arg}.reshape(-1, 1)`" if info.kind == "array" else "Pass 2-D data.")
        self.report("1d-array", arg, f"`{arg}` is 1-D (shape {tuple(info.shape)}) and `{method}` needs 2-D "
                    "data: this cell will raise ValueError (Expected 2D array).", fix, node)

    def check_samples(self, node: ast.Call, args: list[ast.AST]) -> None:
        lengths = []
        for arg in args:
            info = self.info(self.value(arg))
            if info is None or not info.shape or type(info.shape[0]) is not int:
                return
            lengths.append((self.text(arg), info.shape[0]))
        if len({n for _, n in lengths}) > 1:
            listed = ", ".join(f"`{t}` has {n}" for t, n in lengths)
            self.report("sample-count", lengths[0][0], f"Inconsistent numbers of samples: {listed} rows; "
                        "this cell will raise ValueError.", "Split or filter X and y together.", node)

    def check_split(self, node: ast.Call, callee: Any) -> None:
        if getattr(callee, "__name__", None) == "train_test_split" and \
                (getattr(callee, "__module__", "") or "").startswith("sklearn.") and len(node.args) >= 2:
            self.check_samples(node, [a for a in node.args if not isinstance(a, ast.Starred)])

    def check_keywords(self, node: ast.Call, callee: Any) -> None:
        if not node.keywords or any(k.arg is None for k in node.keywords):
            return
        signature = rules.callee_signature(callee)
        if signature is None:
            return
        accepted = [n for n, p in signature.parameters.items() if p.kind not in (p.POSITIONAL_ONLY, p.VAR_POSITIONAL)]
        for keyword in node.keywords:
            if keyword.arg not in accepted:
                near = rules.closest(keyword.arg, accepted)
                self.report("unexpected-keyword", keyword.arg, f"`{self.text(node.func)}` takes no keyword "
                            f"`{keyword.arg}`: this cell will raise TypeError.",
                            f"Did you mean `{near}`?" if near else "Check its signature.", node)

    def check_path(self, node: ast.Call, callee: Any) -> None:
        name = getattr(callee, "__name__", None)
        module = (getattr(callee, "__module__", "") or "").split(".", 1)[0]
        if name not in rules.READERS or not (callee is builtins.open or module in rules.KNOWN_ROOTS | {"joblib", "io"}):
            return
        if name == "open":
            mode = self.value(node.args[1]) if len(node.args) > 1 else next(
                (self.value(k.value) for k in node.keywords if k.arg == "mode"), "r")
            if type(mode) is not str or any(m in mode for m in _WRITE_MODES):
                return
        path = self.value(node.args[0]) if node.args else rules.MISSING
        if type(path) is not str or "://" in path or any(c in path for c in "*?[") or not path.strip():
            return
        if os.path.exists(path) or self.source.count(repr(path)[1:-1]) > 1:
            return  # the cell names the path elsewhere too: it may write it first
        near = rules.closest_path(path)
        self.report("missing-file", path, f"`{path}` does not exist (from {os.getcwd()}): this cell will raise "
                    "FileNotFoundError.", f"Did you mean `{near}`?" if near else "Check the path.", node)

    # ---- notebook functions ------------------------------------------------------------

    def follow(self, node: ast.Call, callee: Any) -> None:
        """Walk a notebook function's body with the call's known arguments."""
        if self.depth >= 2 or any(isinstance(a, ast.Starred) for a in node.args):
            return
        definition = self.definition(node, callee)
        if definition is None:
            return
        params = [a.arg for a in definition.args.posonlyargs + definition.args.args]
        env = {p: rules.MISSING for p in params + [a.arg for a in definition.args.kwonlyargs]}
        for param, arg in zip(params, node.args):
            env[param] = self.value(arg)
        for keyword in node.keywords:
            if keyword.arg in env:
                env[keyword.arg] = self.value(keyword.value)
        if all(v is rules.MISSING for v in env.values()):
            return
        inner = type(self)(self.source_of(definition, callee), self.ns, env, self.depth + 1, self.deadline, self.imported)
        try:
            inner.run_block(definition.body)
        except Stop:
            pass
        if inner.found is not None:
            found = inner.found
            where = f" (in `{definition.name}`, called here as `{self.text(node)[:60]}`)"
            self.report(found.kind, found.key, found.message.replace(": this cell", where + ": this cell", 1),
                        found.fix, node)

    def definition(self, node: ast.Call, callee: Any) -> ast.FunctionDef | None:
        if isinstance(node.func, ast.Name) and node.func.id in self.functions:
            return self.functions[node.func.id]
        if not rules.is_user_function(callee):
            return None
        try:
            tree = ast.parse(inspect.getsource(callee).lstrip())
        except (OSError, TypeError, SyntaxError, IndentationError):
            return None
        first = tree.body[0] if tree.body else None
        return first if isinstance(first, ast.FunctionDef) and not first.decorator_list else None

    def source_of(self, definition: ast.FunctionDef, callee: Any) -> str:
        if rules.is_user_function(callee):
            try:
                return inspect.getsource(callee).lstrip()
            except (OSError, TypeError):
                return ""
        return self.source

    # ---- operators and imports ---------------------------------------------------------

    def check_binop(self, node: ast.BinOp) -> None:
        left, right = self.info(self.value(node.left)), self.info(self.value(node.right))
        if left is None or right is None or left.kind != "array" or right.kind != "array":
            return
        a, b = left.shape, right.shape
        if not a or not b:
            return
        if isinstance(node.op, ast.MatMult):
            inner = b[-2] if len(b) >= 2 else b[0]
            if a[-1] != inner:
                self.report("matmul-shape", self.text(node), f"`{self.text(node)}`: shapes {tuple(a)} and {tuple(b)} "
                            f"do not align ({a[-1]} != {inner}): this cell will raise ValueError.",
                            "The left operand's last axis must match the right one's first.", node)
        elif isinstance(node.op, _ARITHMETIC) and not rules.broadcastable(a, b):
            self.report("broadcast-shape", self.text(node), f"`{self.text(node)}`: shapes {tuple(a)} and {tuple(b)} "
                        "cannot be broadcast together: this cell will raise ValueError.",
                        "Reshape one operand so each axis matches or is 1.", node)

    def check_import(self, stmt: ast.stmt) -> None:
        from ..advice.modules import module_advice
        from ..knowledge.modules import pip_name

        if isinstance(stmt, ast.ImportFrom):
            names = [stmt.module] if stmt.module and not stmt.level else []
        else:
            names = [alias.name for alias in stmt.names]
        for name in names:
            top = name.split(".", 1)[0]
            if top in sys.modules:
                continue
            try:
                missing = importlib.util.find_spec(top) is None
            except (ImportError, ValueError):
                continue
            if missing:
                fixes = module_advice(name).fixes
                fix = fixes[0] if fixes else f"`%pip install {pip_name(top)}`"
                self.report("module-not-installed", top, f"No module named `{top}` is installed in this kernel: "
                            "this cell will raise ModuleNotFoundError.", fix, stmt)

