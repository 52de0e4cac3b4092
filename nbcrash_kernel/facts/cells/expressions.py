"""The expression half of the cell visitor: column reads and writes, attributes, calls, magics.

A mixin of :class:`~.visitor.CellVisitor`, which holds the names, statements and scopes.
"""
from __future__ import annotations

import ast
import re
from typing import Mapping

from ...knowledge.modules import CONVENTIONAL_ALIASES as ALIASES, IMPLICIT_ALIASES
from .model import Call
from .scopes import Scope, dotted, resolve_qualname, string_keys

# Public attributes of pandas DataFrame and Series (pandas 1-3): ``df.x`` with such an ``x``
# is not a column read.
_FRAME_ATTRIBUTES = frozenset("""
T abs add add_prefix add_suffix agg aggregate align all any apply argmax argmin argsort array
asfreq asof assign astype at at_time attrs autocorr axes between between_time bfill boxplot
case_when cat clip columns combine combine_first compare convert_dtypes copy corr corrwith
count cov cummax cummin cumprod cumsum describe diff div divide divmod dot drop drop_duplicates
droplevel dropna dt dtype dtypes duplicated empty eq equals eval ewm expanding explode
factorize ffill fillna filter first_valid_index flags floordiv from_arrow from_dict
from_records ge get groupby gt hasnans head hist iat idxmax idxmin iloc index infer_objects
info insert interpolate is_monotonic_decreasing is_monotonic_increasing is_unique isetitem isin
isna isnull item items iterrows itertuples join keys kurt kurtosis last_valid_index le list loc
lt map mask max mean median melt memory_usage merge min mod mode mul multiply name nbytes ndim
ne nlargest notna notnull nsmallest nunique pct_change pipe pivot pivot_table plot pop pow prod
product quantile query radd rank rdiv rdivmod reindex reindex_like rename rename_axis
reorder_levels repeat replace resample reset_index rfloordiv rmod rmul rolling round rpow rsub
rtruediv sample searchsorted select select_dtypes sem set_axis set_flags set_index shape shift
size skew sort_index sort_values sparse squeeze stack std str struct style sub subtract sum
swaplevel tail take to_clipboard to_csv to_dict to_excel to_feather to_frame to_hdf to_html
to_iceberg to_json to_latex to_list to_markdown to_numpy to_orc to_parquet to_period to_pickle
to_records to_sql to_stata to_string to_timestamp to_xarray to_xml tolist transform transpose
truediv truncate tz_convert tz_localize unique unstack update value_counts values var where xs
applymap append iteritems lookup mad is_monotonic ix swapaxes backfill pad bool first last
tshift slice_shift get_value set_value to_dense ftypes ftype real imag ravel nonzero
""".split())

# Import aliases so conventional that ``np.x`` is a module attribute even without the import.
CONVENTIONAL_ALIASES: Mapping[str, str] = {name: ALIASES[name] for name in sorted(IMPLICIT_ALIASES)}

# Methods that change their receiver in place (lists, dicts, sets, estimators, Keras models,
# torch modules and optimizers).
_MUTATING_METHODS = frozenset(
    {"fit", "partial_fit", "fit_transform", "fit_predict", "fit_resample", "fit_generator",
     "compile", "add", "append", "extend", "insert", "pop", "remove", "clear", "update", "sort",
     "reverse", "discard", "setdefault", "popitem", "set_params", "load_state_dict",
     "load_weights", "train", "eval", "zero_grad", "step", "add_module", "register_buffer",
     "set_weights", "build", "reset_states", "cuda", "cpu", "requires_grad_", "isetitem"}
)  # pandas methods such as fillna or set_index mutate only with inplace=True (checked apart)

# DataFrame methods whose arguments name columns they read: method -> (positional index, kwargs)
_COLUMN_READING_METHODS: Mapping[str, tuple[int | None, tuple[str, ...]]] = {
    "groupby": (0, ("by",)), "sort_values": (0, ("by",)), "set_index": (0, ("keys",)),
    "drop_duplicates": (0, ("subset",)), "dropna": (None, ("subset",)),
    "pivot_table": (None, ("values", "index", "columns")), "pivot": (None, ("index", "columns", "values")),
    "value_counts": (0, ("subset",)), "explode": (0, ("column",)), "nlargest": (1, ("columns",)),
    "nsmallest": (1, ("columns",)), "duplicated": (0, ("subset",)), "melt": (None, ("id_vars", "value_vars")),
}
_TIMEIT_OPTIONS = re.compile(r"^\s*(?:-[nrp]\s*\d+\s+|-[tcqo]\s+)*")
_MAGIC_CALLS = frozenset(
    "get_ipython()." + kind for kind in ("run_line_magic", "run_cell_magic", "system", "getoutput")
)
_PYTHON_ARG_LINE_MAGICS = frozenset({"time", "timeit", "prun", "debug", "memit", "mprun"})


class ExpressionVisitor:
    """Visits subscripts, attributes and calls; records columns, mutations, calls and magics."""

    def subscript_columns(self, node: ast.Subscript, table: dict[str, set[str]]) -> None:
        value, key = node.value, node.slice
        if isinstance(value, ast.Attribute) and value.attr in ("loc", "at") and isinstance(value.value, ast.Name):
            if isinstance(key, ast.Tuple) and len(key.elts) == 2:
                variable, keys = value.value.id, string_keys(key.elts[1])
            else:
                return
        elif isinstance(value, ast.Name):
            variable, keys = value.id, string_keys(key)
        else:
            return
        if keys and variable not in self.imports:
            table.setdefault(variable, set()).update(keys)

    def visit_Subscript(self, node: ast.Subscript, scope: Scope) -> None:
        ctx = node.ctx
        if isinstance(ctx, ast.Load):
            self.subscript_columns(node, self.read)
        elif isinstance(ctx, ast.Store):
            self.subscript_columns(node, self.written)
        else:
            self.subscript_columns(node, self.dropped)
        self.visit(node.value, scope)
        self.visit(node.slice, scope)

    def is_module_name(self, name: str) -> bool:
        return name in self.imports or (name in CONVENTIONAL_ALIASES and name not in self.def_lines)

    def visit_Attribute(self, node: ast.Attribute, scope: Scope) -> None:
        value = node.value
        if isinstance(value, ast.Name):
            name = value.id
            if isinstance(node.ctx, ast.Load):
                if (node.attr not in _FRAME_ATTRIBUTES and not node.attr.endswith("_")
                        and name not in ("self", "cls") and not self.is_module_name(name)
                        and name not in self.functions and name not in self.classes):
                    self.read.setdefault(name, set()).add(node.attr)
        self.visit(value, scope)

    def qualname_of(self, text: str, pure: bool) -> str | None:
        if not pure:
            return None
        qualname = resolve_qualname(text, self.imports)
        if qualname is None:
            qualname = resolve_qualname(text, self.instance_of) if "." in text else None
        return qualname

    def visit_Call(self, node: ast.Call, scope: Scope) -> None:
        func = node.func
        text, root, pure = dotted(func)
        method = func.attr if isinstance(func, ast.Attribute) else None
        if text in _MAGIC_CALLS:  # IPython syntax, transformed: a magic, not a user's call
            self.record_magic(method, node, scope)
            return
        visit = self.visit
        visit(func.value if method is not None else func, scope)
        for arg in node.args:
            visit(arg, scope)
        keyword_nodes = node.keywords
        for keyword in keyword_nodes:
            visit(keyword.value, scope)
        receiver = root if method is not None and root is not None and not self.is_module_name(root) else None
        keywords = tuple([k.arg for k in keyword_nodes if k.arg]) if keyword_nodes else ()
        qualname = self.qualname_of(text, pure)
        self._last_call = (node, qualname)
        self.calls.append(Call(text, qualname, receiver, node.lineno + self.line_offset, keywords))
        if receiver is not None:
            self.record_method_effects(node, method, receiver)

    def record_method_effects(self, node: ast.Call, method: str, receiver: str) -> None:
        inplace = bool(node.keywords) and any(
            k.arg == "inplace" and isinstance(k.value, ast.Constant) and k.value.value is True
            for k in node.keywords)
        if method in _MUTATING_METHODS or inplace:
            self.mutated.add(receiver)
        if not isinstance(node.func.value, ast.Name):
            return
        assigned = self._assigned_call[1] if self._assigned_call and self._assigned_call[0] is node else None
        holder = receiver if inplace else assigned
        self.record_column_method(node, method, receiver, holder)

    def record_column_method(self, node: ast.Call, method: str, receiver: str, holder: str | None) -> None:
        kwargs = {k.arg: k.value for k in node.keywords if k.arg}
        if method == "assign" and holder:
            self.written.setdefault(holder, set()).update(kwargs)
        elif method == "rename":
            mapping = kwargs.get("columns")
            if mapping is None and node.args and _is_columns_axis(kwargs.get("axis")):
                mapping = node.args[0]
            if isinstance(mapping, ast.Dict):
                old = [k.value for k in mapping.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
                new = [v.value for v in mapping.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
                if old:
                    self.read.setdefault(receiver, set()).update(old)
                if new and holder:
                    self.written.setdefault(holder, set()).update(new)
        elif method == "drop":
            keys = string_keys(kwargs.get("columns"))
            if not keys and _is_columns_axis(kwargs.get("axis")):
                keys = string_keys(node.args[0] if node.args else kwargs.get("labels"))
            if keys:
                self.read.setdefault(receiver, set()).update(keys)
                if holder:
                    self.dropped.setdefault(holder, set()).update(keys)
        elif method == "pop" and node.args:
            keys = string_keys(node.args[0])
            if keys and len(node.args) == 1:
                self.read.setdefault(receiver, set()).update(keys)
                self.dropped.setdefault(receiver, set()).update(keys)
        elif method == "insert" and len(node.args) >= 2:
            keys = string_keys(node.args[1])
            if keys:
                self.written.setdefault(receiver, set()).update(keys[:1])
                self.mutated.add(receiver)
        elif method in _COLUMN_READING_METHODS:
            position, names = _COLUMN_READING_METHODS[method]
            keys: list[str] = []
            if position is not None and len(node.args) > position:
                keys.extend(string_keys(node.args[position]))
            for name in names:
                keys.extend(string_keys(kwargs.get(name)))
            if keys:
                self.read.setdefault(receiver, set()).update(keys)

    def record_magic(self, kind: str, node: ast.Call, scope: Scope) -> None:
        if kind in ("system", "getoutput"):
            self.magics.append("!")
            return
        args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else "" for a in node.args]
        if not args or not args[0]:
            return
        name = args[0].lstrip("%")
        self.magics.append(name)
        line_args = args[1] if len(args) > 1 else ""
        if kind == "run_line_magic" and name in _PYTHON_ARG_LINE_MAGICS and line_args:
            self.analyze_magic_code(line_args, node.lineno, scope)
        elif kind == "run_cell_magic" and name == "capture":
            for word in line_args.split():
                if not word.startswith("-") and word.isidentifier():
                    self.bind(word, node.lineno, scope)
                    break

    def analyze_magic_code(self, code: str, lineno: int, scope: Scope) -> None:
        """Python inside a line magic (``%time model.fit(X)``): analyzed at the magic's line."""
        for candidate in (code, _TIMEIT_OPTIONS.sub("", code, count=1)):
            try:
                tree = ast.parse(candidate)
            except (SyntaxError, ValueError):
                continue
            saved, self.line_offset = self.line_offset, lineno - 1
            try:
                self.visit_all(tree.body, scope)
            finally:
                self.line_offset = saved
            return

def _is_columns_axis(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value in (1, "columns")


