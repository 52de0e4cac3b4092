"""Cell facts: what one notebook cell defines, reads, deletes, imports, calls and mutates.

A cell's source (IPython syntax allowed) goes through IPython's own input transformer, with line
numbers kept aligned to the original source, then through one pass over its ``ast`` that follows
Python's scoping rules: module (cell) scope, functions and lambdas (their bodies run later),
classes (their bodies run now) and comprehensions. Nothing here imports the user's libraries;
:func:`analyze_cell` never raises and is cached by source, since the live kernel calls it for
every cell.
"""
from __future__ import annotations

import ast
import builtins
import gc
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Iterator, Mapping, NamedTuple

from ..knowledge.modules import CONVENTIONAL_ALIASES as ALIASES, IMPLICIT_ALIASES

__all__ = [
    "Call",
    "CellFacts",
    "analyze_cell",
    "analyze_cell_uncached",
    "resolve_qualname",
    "transform_ipython",
]


class Call(NamedTuple):
    """One call in a cell, as written and as resolved through the cell's imports.

    A named tuple, not a frozen dataclass: a cell makes one per call, and this is 4x cheaper.
    """

    func: str
    qualname: str | None
    receiver: str | None
    lineno: int
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class CellFacts:
    """What one cell binds, reads, deletes, imports, calls and mutates (see module docstring).

    ``used`` holds free names: read from the namespace before the cell binds them, including
    global reads inside function bodies defined in the cell (``deferred_used`` is the subset read
    only there, i.e. only when the function is called). ``del x`` both reads and deletes ``x``.
    Column facts are keyed by the variable subscripted; whether that variable is a DataFrame is
    not known here (see :mod:`nbcrash_kernel.facts.inference`).
    """

    source: str
    defined: frozenset[str] = frozenset()
    used: frozenset[str] = frozenset()
    deleted: frozenset[str] = frozenset()
    imports: Mapping[str, str] = field(default_factory=dict)
    star_imports: tuple[str, ...] = ()
    columns_written: Mapping[str, frozenset[str]] = field(default_factory=dict)
    columns_read: Mapping[str, frozenset[str]] = field(default_factory=dict)
    columns_dropped: Mapping[str, frozenset[str]] = field(default_factory=dict)
    mutated: frozenset[str] = frozenset()
    calls: tuple[Call, ...] = ()
    functions: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    magics: tuple[str, ...] = ()
    def_lines: Mapping[str, int] = field(default_factory=dict)
    use_lines: Mapping[str, int] = field(default_factory=dict)
    syntax_error: str | None = None
    error_lineno: int | None = None
    deferred_used: frozenset[str] = frozenset()
    python_source: str = ""

    def __hash__(self) -> int:  # the facts are a function of the source
        return hash(self.source)

    def defines_before(self, name: str, lineno: int) -> bool:
        """True when the cell binds ``name`` at cell scope on a line before ``lineno``."""
        line = self.def_lines.get(name)
        return line is not None and line < lineno

    @property
    def parsed(self) -> bool:
        """True when the cell's (transformed) source parsed."""
        return self.syntax_error is None


# ---------------------------------------------------------------------------------------------
# IPython syntax -> Python, line numbers aligned

_IPYTHON_SYNTAX = re.compile(r"(?m)^[ \t]*(?:[%!?]|>>>|In \[)|\?[ \t]*$|=[ \t]*[%!]")
_LINE_SYNTAX = re.compile(r"^[ \t]*[%!?]|\?[ \t]*$|=[ \t]*[%!]")
_PROMPT = re.compile(r"(?m)^[ \t]*(?:>>>|In \[)")
_CELL_MAGIC = re.compile(r"[ \t]*%%([A-Za-z_][\w.]*)[ \t]*(.*)")
# Cell magics whose body is Python run in the user's namespace.
_PYTHON_BODY_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "memit", "mprun", "snakeviz", "px"}
)

_transformer = None


def _transformer_manager():
    global _transformer
    if _transformer is None:
        from IPython.core.inputtransformer2 import TransformerManager

        _transformer = TransformerManager()
    return _transformer


def _may_have_ipython_syntax(source: str) -> bool:
    """A substring pre-check (much cheaper than the regex) for what IPython syntax needs."""
    return "%" in source or "!" in source or "?" in source or ">>>" in source or "In [" in source


def transform_ipython(source: str) -> str:
    """Turn IPython syntax (``%magic``, ``%%cell magic``, ``!shell``, ``x?``) into Python.

    Uses IPython's ``TransformerManager``; line *n* of the result comes from line *n* of
    ``source``. Cell magics whose body is Python (``%%time``, ``%%capture``...) keep their body
    as code after a one-line ``run_cell_magic`` call; other cell magics become IPython's single
    call padded with blank lines. Never raises: on failure the source is returned unchanged.
    """
    try:
        if not isinstance(source, str):
            return ""
        if not _may_have_ipython_syntax(source) or not _IPYTHON_SYNTAX.search(source):
            return source
        return _transform_aligned(source)
    except Exception:
        return source


def _transform_aligned(source: str) -> str:
    lines = source.splitlines()
    if not lines:
        return source
    return "\n".join(_transform_block(lines)) + "\n"


def _transform_block(lines: list[str]) -> list[str]:
    """A cell's lines, or a Python cell magic's body (which may start with a cell magic)."""
    leading = 0  # IPython drops leading blank lines: keep them out of its way
    while leading < len(lines) and not lines[leading].strip():
        leading += 1
    body = lines[leading:]
    if not body:
        return list(lines)
    magic = _CELL_MAGIC.fullmatch(body[0])
    out = _transform_cell_magic(magic.group(1), magic.group(2), body) if magic else _transform_lines(body)
    return [""] * leading + out


def _transform_cell_magic(name: str, args: str, lines: list[str]) -> list[str]:
    if name in _PYTHON_BODY_CELL_MAGICS:
        call = f"get_ipython().run_cell_magic({name!r}, {args.strip()!r}, '')"
        return [call] + _transform_block(lines[1:])
    out = _transformer_manager().transform_cell("\n".join(lines) + "\n").splitlines()
    return out[: len(lines)] + [""] * (len(lines) - len(out))


def _transform_lines(lines: list[str]) -> list[str]:
    text = "\n".join(lines) + "\n"
    if not _IPYTHON_SYNTAX.search(text):
        return list(lines)
    if not _PROMPT.search(text):
        quick = _transform_each_line(lines)
        if quick is not None and _parse_quietly("\n".join(quick) + "\n") is not None:
            return quick
    out = _transformer_manager().transform_cell(text).splitlines()
    if len(out) == len(lines):
        return out
    return _realign(lines, out)


def _transform_each_line(lines: list[str]) -> list[str] | None:
    """Transform only the lines that look like IPython syntax, one at a time.

    IPython's whole-cell transform re-tokenizes the whole cell once per magic (about 10 ms for
    a 100-line cell); this costs one small transform per magic line. The caller keeps the result
    only if it parses (a continued magic line or a magic inside brackets does not)."""
    manager = _transformer_manager()
    out = list(lines)
    for index, line in enumerate(lines):
        if not _LINE_SYNTAX.search(line):
            continue
        stripped = line.lstrip(" \t")
        transformed = manager.transform_cell(stripped + "\n").splitlines()
        if len(transformed) != 1:
            return None
        out[index] = line[: len(line) - len(stripped)] + transformed[0]
    return out


_LAST_PARSE: tuple[str, ast.Module] | None = None  # reused by analyze_cell: parse once


def _parse_quietly(text: str) -> ast.Module | None:
    global _LAST_PARSE
    try:
        with warnings.catch_warnings():  # the user's invalid escapes are not our warnings
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None
    _LAST_PARSE = (text, tree)
    return tree


def _realign(original: list[str], transformed: list[str]) -> list[str]:
    """Put line numbers back where IPython folded a backslash-continued magic into one line."""
    aligned: list[str] = []
    i = j = 0
    while i < len(original) and j < len(transformed):
        aligned.append(transformed[j])
        deficit = (len(original) - i) - (len(transformed) - j)
        folded = 1
        if original[i] != transformed[j]:
            while deficit > 0 and original[i + folded - 1].endswith("\\") and i + folded < len(original):
                folded += 1
                deficit -= 1
        aligned.extend([""] * (folded - 1))
        i += folded
        j += 1
    if j < len(transformed):  # more lines than the original: keep them on the last line
        aligned[-1:] = [" ".join(aligned[-1:] + transformed[j:])]
    return aligned + [""] * (len(original) - len(aligned))


# ---------------------------------------------------------------------------------------------
# The analyzer

_MODULE, _FUNCTION, _CLASS, _COMPREHENSION = range(4)

_IPYTHON_NAMES = frozenset(
    {"get_ipython", "display", "In", "Out", "exit", "quit", "_", "__", "___", "_i", "_ii",
     "_iii", "_ih", "_oh", "_dh", "__file__", "__builtins__"}
)
_HISTORY_NAME = re.compile(r"_i?\d+")
_BUILTIN_NAMES = frozenset(dir(builtins)) | _IPYTHON_NAMES

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


class _Scope:
    """A scope being analyzed. Function scopes keep their loads pending until the function's
    body is complete, since any binding in the body makes a name local to all of it."""

    __slots__ = ("kind", "parent", "locals", "globals", "pending")

    def __init__(self, kind: int, parent: _Scope | None, local_names: Iterable[str] = ()):
        self.kind = kind
        self.parent = parent
        self.locals = set(local_names)
        self.globals: set[str] = set()
        self.pending: list[tuple[str, int]] = []


def _string_keys(node: ast.AST | None) -> tuple[str, ...]:
    """Column-like keys of a subscript: 'a' or ['a', 'b'] (string constants only)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return tuple(e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return ()


def _dotted(node: ast.AST) -> tuple[str, str | None, bool]:
    """(text as written, root variable, whether the text is a pure dotted name).

    ``df['a'].mean`` -> ("df[...].mean", "df", False); ``pd.read_csv`` -> ("pd.read_csv", "pd", True).
    """
    if isinstance(node, ast.Name):
        return node.id, node.id, True
    if isinstance(node, ast.Attribute):
        text, root, pure = _dotted(node.value)
        return f"{text}.{node.attr}", root, pure
    if isinstance(node, ast.Subscript):
        text, root, _ = _dotted(node.value)
        return text + "[...]", root, False
    if isinstance(node, ast.Call):
        text, root, _ = _dotted(node.func)
        return text + "()", root, False
    return "(...)", None, False


def resolve_qualname(func: str, imports: Mapping[str, str]) -> str | None:
    """Resolve a dotted call text ('pd.read_csv') through an import table ('pandas.read_csv')."""
    root, _, rest = func.partition(".")
    target = imports.get(root)
    if target is None:
        return None
    return f"{target}.{rest}" if rest else target


def _parameters(args: ast.arguments) -> set[str]:
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    names.update(extra.arg for extra in (args.vararg, args.kwarg) if extra is not None)
    return names


class _Analyzer:
    """One pass over a module AST, collecting the facts in evaluation order."""

    def __init__(self) -> None:
        self.module = _Scope(_MODULE, None)
        self.def_lines: dict[str, int] = {}
        self.use_lines: dict[str, int] = {}
        self.deferred: dict[str, int] = {}
        self.module_bound: set[str] = set()  # bound by cell-scope code, not via `global` only
        self.deleted: set[str] = set()
        self.imports: dict[str, str] = {}
        self.star_imports: list[str] = []
        self.written: dict[str, set[str]] = {}
        self.read: dict[str, set[str]] = {}
        self.dropped: dict[str, set[str]] = {}
        self.mutated: set[str] = set()
        self.calls: list[Call] = []
        self.functions: set[str] = set()
        self.classes: set[str] = set()
        self.magics: list[str] = []
        self.instance_of: dict[str, str] = {}
        self.line_offset = 0
        self._assigned_call: tuple[ast.AST, str] | None = None
        self._last_call: tuple[ast.Call, str | None] | None = None

    # -- names ------------------------------------------------------------------------------

    def bind(self, name: str, line: int, scope: _Scope) -> None:
        kind = scope.kind
        if kind == _MODULE or (kind == _FUNCTION and name in scope.globals):
            if kind == _MODULE:
                self.module_bound.add(name)
            if name not in self.def_lines:
                self.def_lines[name] = line + self.line_offset
            self.deleted.discard(name)
            self.instance_of.pop(name, None)
        else:
            scope.locals.add(name)

    def load(self, name: str, line: int, scope: _Scope, deferred: bool = False,
             origin: _Scope | None = None) -> None:
        """Resolve a read of ``name``; a read that reaches the cell's namespace is a free use."""
        origin = origin or scope
        while scope.kind != _MODULE:
            kind = scope.kind
            if kind == _FUNCTION:
                if name in scope.globals:
                    deferred = True
                    break
                scope.pending.append((name, line))
                return
            if name in scope.locals and (kind == _COMPREHENSION or scope is origin):
                return
            scope = scope.parent
        if name in _BUILTIN_NAMES or _HISTORY_NAME.fullmatch(name):
            return
        line += self.line_offset
        if deferred:
            self.deferred.setdefault(name, line)
        elif name not in self.def_lines and name not in self.use_lines:
            self.use_lines[name] = line

    def close_function(self, scope: _Scope) -> None:
        """The function's body is complete: its non-local reads go to the enclosing scopes."""
        for name, line in scope.pending:
            if name not in scope.locals:
                self.load(name, line, scope.parent, deferred=True, origin=_NO_SCOPE)

    def bind_target(self, target: ast.AST, scope: _Scope) -> None:
        if isinstance(target, ast.Name):
            self.bind(target.id, target.lineno, scope)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.bind_target(element, scope)
        elif isinstance(target, ast.Starred):
            self.bind_target(target.value, scope)
        else:  # attribute or subscript: mutates an existing object
            root = _dotted(target)[1]
            if root is not None:
                self.mutated.add(root)
            self.visit(target, scope)

    def comprehension_owner(self, scope: _Scope) -> _Scope:
        while scope.kind == _COMPREHENSION:
            scope = scope.parent
        return scope

    # -- dispatch ---------------------------------------------------------------------------

    def visit(self, node: ast.AST, scope: _Scope) -> None:
        cls = node.__class__
        if cls is _CONSTANT:  # the commonest leaf: nothing to record
            return
        method = _DISPATCH.get(cls)
        if method is not None:
            method(self, node, scope)
            return
        for name in node._fields:  # inlined ast.iter_child_nodes: this loop is the hot path
            value = getattr(node, name, None)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item, scope)
            elif isinstance(value, ast.AST) and not isinstance(value, _LEAVES):
                self.visit(value, scope)

    def visit_leaf(self, node: ast.AST, scope: _Scope) -> None:
        return None

    # Common nodes visited directly rather than through the generic field loop (speed).

    def visit_value(self, node: ast.AST, scope: _Scope) -> None:
        self.visit(node.value, scope)

    def visit_BinOp(self, node: ast.BinOp, scope: _Scope) -> None:
        self.visit(node.left, scope)
        self.visit(node.right, scope)

    def visit_Compare(self, node: ast.Compare, scope: _Scope) -> None:
        self.visit(node.left, scope)
        self.visit_all(node.comparators, scope)

    def visit_elements(self, node: ast.AST, scope: _Scope) -> None:
        for element in node.elts:
            self.visit(element, scope)

    def visit_Dict(self, node: ast.Dict, scope: _Scope) -> None:
        for key in node.keys:
            if key is not None:
                self.visit(key, scope)
        self.visit_all(node.values, scope)

    def visit_all(self, nodes: Iterable[ast.AST], scope: _Scope) -> None:
        visit = self.visit
        for node in nodes:
            visit(node, scope)

    def visit_Name(self, node: ast.Name, scope: _Scope) -> None:
        ctx = node.ctx.__class__
        if ctx is _LOAD:
            name = node.id
            if scope.kind == _MODULE:  # the common case, inlined from load()
                if name in self.def_lines or name in self.use_lines or name in _BUILTIN_NAMES:
                    return
            self.load(name, node.lineno, scope)
        elif ctx is _STORE:
            self.bind(node.id, node.lineno, scope)
        else:
            self.load(node.id, node.lineno, scope)
            if scope.kind == _MODULE:
                self.deleted.add(node.id)
            elif scope.kind == _FUNCTION and node.id not in scope.globals:
                scope.locals.add(node.id)

    # -- statements -------------------------------------------------------------------------

    def visit_Assign(self, node: ast.Assign, scope: _Scope) -> None:
        value, targets = node.value, node.targets
        single = targets[0].id if len(targets) == 1 and isinstance(targets[0], ast.Name) else None
        if single is not None and isinstance(value, ast.Call):
            self._assigned_call = (value, single)
        self.visit(value, scope)
        self._assigned_call = None
        for target in targets:
            self.bind_target(target, scope)
            if (isinstance(target, ast.Attribute) and target.attr == "columns"
                    and isinstance(target.value, ast.Name)):
                keys = _string_keys(value)  # df.columns = ['a', 'b'] names the columns
                if keys:
                    self.written.setdefault(target.value.id, set()).update(keys)
        if single is not None and scope.kind == _MODULE and isinstance(value, ast.Call):
            last = self._last_call  # visit_Call just resolved this call
            qualname = last[1] if last is not None and last[0] is value else None
            if qualname and qualname.rpartition(".")[2][:1].isupper():
                self.instance_of[single] = qualname

    def visit_AugAssign(self, node: ast.AugAssign, scope: _Scope) -> None:
        self.visit(node.value, scope)
        target = node.target
        if isinstance(target, ast.Name):
            self.load(target.id, target.lineno, scope)
            self.bind(target.id, target.lineno, scope)
        else:
            if isinstance(target, ast.Subscript):
                self.subscript_columns(target, self.read)
            self.bind_target(target, scope)

    def visit_AnnAssign(self, node: ast.AnnAssign, scope: _Scope) -> None:
        if node.value is not None:
            self.visit(node.value, scope)
        if scope.kind != _FUNCTION:
            self.visit(node.annotation, scope)
        if node.value is not None or not isinstance(node.target, ast.Name):
            self.bind_target(node.target, scope)

    def visit_NamedExpr(self, node: ast.NamedExpr, scope: _Scope) -> None:
        self.visit(node.value, scope)
        self.bind(node.target.id, node.target.lineno, self.comprehension_owner(scope))

    def visit_For(self, node: ast.For, scope: _Scope) -> None:
        self.visit(node.iter, scope)
        self.bind_target(node.target, scope)
        self.visit_all(node.body, scope)
        self.visit_all(node.orelse, scope)

    visit_AsyncFor = visit_For

    def visit_With(self, node: ast.With, scope: _Scope) -> None:
        for item in node.items:
            self.visit(item.context_expr, scope)
            if item.optional_vars is not None:
                self.bind_target(item.optional_vars, scope)
        self.visit_all(node.body, scope)

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node: ast.ExceptHandler, scope: _Scope) -> None:
        if node.type is not None:
            self.visit(node.type, scope)
        if node.name:
            self.bind(node.name, node.lineno, scope)
        self.visit_all(node.body, scope)

    def visit_Delete(self, node: ast.Delete, scope: _Scope) -> None:
        for target in node.targets:
            if isinstance(target, (ast.Attribute, ast.Subscript)):
                root = _dotted(target)[1]
                if root is not None:
                    self.mutated.add(root)
            self.visit(target, scope)

    def visit_Import(self, node: ast.Import, scope: _Scope) -> None:
        for alias in node.names:
            bound = alias.asname or alias.name.partition(".")[0]
            target = alias.name if alias.asname else bound
            self.bind(bound, node.lineno, scope)
            if scope.kind == _MODULE:
                self.imports[bound] = target

    def visit_ImportFrom(self, node: ast.ImportFrom, scope: _Scope) -> None:
        module = "." * (node.level or 0) + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                self.star_imports.append(module)
                continue
            bound = alias.asname or alias.name
            self.bind(bound, node.lineno, scope)
            if scope.kind == _MODULE:
                separator = "." if module and not module.endswith(".") else ""
                self.imports[bound] = module + separator + alias.name

    def visit_FunctionDef(self, node: ast.FunctionDef, scope: _Scope) -> None:
        self.visit_all(node.decorator_list, scope)
        self.visit_arguments(node.args, scope)
        if node.returns is not None:
            self.visit(node.returns, scope)
        inner = _Scope(_FUNCTION, scope, _parameters(node.args))
        self.visit_all(node.body, inner)
        self.close_function(inner)
        self.bind(node.name, node.lineno, scope)
        if scope.kind == _MODULE:
            self.functions.add(node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda, scope: _Scope) -> None:
        self.visit_arguments(node.args, scope)
        inner = _Scope(_FUNCTION, scope, _parameters(node.args))
        self.visit(node.body, inner)
        self.close_function(inner)

    def visit_arguments(self, args: ast.arguments, scope: _Scope) -> None:
        self.visit_all(args.defaults, scope)
        self.visit_all([d for d in args.kw_defaults if d is not None], scope)
        for arg in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
            if arg is not None and arg.annotation is not None:
                self.visit(arg.annotation, scope)

    def visit_ClassDef(self, node: ast.ClassDef, scope: _Scope) -> None:
        self.visit_all(node.decorator_list, scope)
        self.visit_all(node.bases, scope)
        self.visit_all(node.keywords, scope)
        self.visit_all(node.body, _Scope(_CLASS, scope))
        self.bind(node.name, node.lineno, scope)
        if scope.kind == _MODULE:
            self.classes.add(node.name)

    def visit_Global(self, node: ast.Global, scope: _Scope) -> None:
        if scope.kind == _FUNCTION:
            scope.globals.update(node.names)
            scope.locals.difference_update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal, scope: _Scope) -> None:
        scope.locals.update(node.names)

    def visit_MatchAs(self, node: ast.AST, scope: _Scope) -> None:
        if getattr(node, "pattern", None) is not None:
            self.visit(node.pattern, scope)
        if node.name:
            self.bind(node.name, node.lineno, scope)

    def visit_MatchStar(self, node: ast.AST, scope: _Scope) -> None:
        if node.name:
            self.bind(node.name, node.lineno, scope)

    def visit_MatchMapping(self, node: ast.AST, scope: _Scope) -> None:
        self.visit_all(node.keys, scope)
        self.visit_all(node.patterns, scope)
        if node.rest:
            self.bind(node.rest, node.lineno, scope)

    # -- comprehensions ---------------------------------------------------------------------

    def visit_comprehension_node(self, node: ast.AST, scope: _Scope, results: list[ast.AST]) -> None:
        generators = node.generators
        self.visit(generators[0].iter, scope)
        inner = _Scope(_COMPREHENSION, scope)
        for index, generator in enumerate(generators):
            if index:
                self.visit(generator.iter, inner)
            self.bind_target(generator.target, inner)
            self.visit_all(generator.ifs, inner)
        self.visit_all(results, inner)

    def visit_ListComp(self, node: ast.ListComp, scope: _Scope) -> None:
        self.visit_comprehension_node(node, scope, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node: ast.DictComp, scope: _Scope) -> None:
        self.visit_comprehension_node(node, scope, [node.key, node.value])

    # -- expressions: columns, attributes, calls --------------------------------------------

    def subscript_columns(self, node: ast.Subscript, table: dict[str, set[str]]) -> None:
        value, key = node.value, node.slice
        if isinstance(value, ast.Attribute) and value.attr in ("loc", "at") and isinstance(value.value, ast.Name):
            if isinstance(key, ast.Tuple) and len(key.elts) == 2:
                variable, keys = value.value.id, _string_keys(key.elts[1])
            else:
                return
        elif isinstance(value, ast.Name):
            variable, keys = value.id, _string_keys(key)
        else:
            return
        if keys and variable not in self.imports:
            table.setdefault(variable, set()).update(keys)

    def visit_Subscript(self, node: ast.Subscript, scope: _Scope) -> None:
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

    def visit_Attribute(self, node: ast.Attribute, scope: _Scope) -> None:
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

    def visit_Call(self, node: ast.Call, scope: _Scope) -> None:
        func = node.func
        text, root, pure = _dotted(func)
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
            keys = _string_keys(kwargs.get("columns"))
            if not keys and _is_columns_axis(kwargs.get("axis")):
                keys = _string_keys(node.args[0] if node.args else kwargs.get("labels"))
            if keys:
                self.read.setdefault(receiver, set()).update(keys)
                if holder:
                    self.dropped.setdefault(holder, set()).update(keys)
        elif method == "pop" and node.args:
            keys = _string_keys(node.args[0])
            if keys and len(node.args) == 1:
                self.read.setdefault(receiver, set()).update(keys)
                self.dropped.setdefault(receiver, set()).update(keys)
        elif method == "insert" and len(node.args) >= 2:
            keys = _string_keys(node.args[1])
            if keys:
                self.written.setdefault(receiver, set()).update(keys[:1])
                self.mutated.add(receiver)
        elif method in _COLUMN_READING_METHODS:
            position, names = _COLUMN_READING_METHODS[method]
            keys: list[str] = []
            if position is not None and len(node.args) > position:
                keys.extend(_string_keys(node.args[position]))
            for name in names:
                keys.extend(_string_keys(kwargs.get(name)))
            if keys:
                self.read.setdefault(receiver, set()).update(keys)

    def record_magic(self, kind: str, node: ast.Call, scope: _Scope) -> None:
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

    def analyze_magic_code(self, code: str, lineno: int, scope: _Scope) -> None:
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

    def visit_Module(self, node: ast.Module, scope: _Scope) -> None:
        self.visit_all(node.body, scope)

    def run(self, tree: ast.Module) -> None:
        self.visit_all(tree.body, self.module)

    def facts(self, source: str, python_source: str) -> CellFacts:
        defined = frozenset(self.def_lines)
        # A function's global read is satisfied by a cell-scope binding (functions run later),
        # but not by the function's own `global x; x += 1`.
        deferred_only = {n: line for n, line in self.deferred.items()
                         if n not in self.module_bound and n not in self.use_lines}
        use_lines = {**self.use_lines, **deferred_only}
        return CellFacts(
            source=source,
            defined=defined,
            used=frozenset(use_lines),
            deleted=frozenset(self.deleted),
            imports=dict(self.imports),
            star_imports=tuple(self.star_imports),
            columns_written=_frozen_table(self.written),
            columns_read=_frozen_table(self.read),
            columns_dropped=_frozen_table(self.dropped),
            mutated=frozenset(self.mutated),
            calls=tuple(self.calls),
            functions=frozenset(self.functions),
            classes=frozenset(self.classes),
            magics=tuple(self.magics),
            def_lines=dict(self.def_lines),
            use_lines=use_lines,
            deferred_used=frozenset(deferred_only),
            python_source=python_source,
        )


_NO_SCOPE = _Scope(_MODULE, None)
_LOAD, _STORE, _CONSTANT = ast.Load, ast.Store, ast.Constant
_LEAVES = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
_DISPATCH = {
    getattr(ast, name[len("visit_"):]): function
    for name, function in vars(_Analyzer).items()
    if name.startswith("visit_") and hasattr(ast, name[len("visit_"):])
}
_DISPATCH[ast.Constant] = _Analyzer.visit_leaf
_DISPATCH.update({node: _Analyzer.visit_value for node in (ast.Expr, ast.keyword, ast.Starred, ast.Await)})
_DISPATCH.update({node: _Analyzer.visit_elements for node in (ast.Tuple, ast.List, ast.Set)})


def _is_columns_axis(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value in (1, "columns")


def _frozen_table(table: Mapping[str, set[str]]) -> dict[str, frozenset[str]]:
    return {name: frozenset(values) for name, values in table.items() if values}


# ---------------------------------------------------------------------------------------------
# Entry points


def analyze_cell_uncached(source: str) -> CellFacts:
    """:func:`analyze_cell` without the cache (for benchmarks and one-off use)."""
    if not isinstance(source, str):
        source = "" if source is None else str(source)
    # An AST is thousands of fresh objects, none of them cyclic garbage: a collection
    # triggered in the middle of building one only costs time (~8% of a 100-line cell).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _analyze(source)
    finally:
        if collecting:
            gc.enable()


def _analyze(source: str) -> CellFacts:
    python_source = transform_ipython(source)
    try:
        tree, python_source = _parse_with_automagic(python_source)
    except SyntaxError as error:
        line = error.lineno
        message = f"{error.msg} (line {line})" if line else str(error.msg)
        return CellFacts(source=source, syntax_error=message, error_lineno=line, python_source=python_source)
    except (ValueError, RecursionError, MemoryError, OverflowError) as error:
        return CellFacts(source=source, syntax_error=f"{type(error).__name__}: {error}", python_source=python_source)
    analyzer = _Analyzer()
    try:
        analyzer.run(tree)
    except RecursionError:
        return CellFacts(source=source, syntax_error="RecursionError: cell too deeply nested to analyze",
                         python_source=python_source)
    return analyzer.facts(source, python_source)


_AUTOMAGICS = frozenset("""
cd ls ll pwd pip conda mamba env load_ext reload_ext unload_ext matplotlib pylab time timeit who
whos who_ls reset reset_selective run history mkdir rmdir cat cp mv rm less man clear config
store autoreload aimport tensorflow_version bookmark pdb debug prun precision xmode alias
unalias sx sc system edit load save logstart psearch dhist dirs popd pushd page colors
lsmagic magic killbgscripts doctest_mode gui recall rerun macro pycat automagic autocall
""".split())
_AUTOMAGIC_LINE = re.compile(r"([ \t]*)([A-Za-z_]\w*)(?:[ \t]+([^=(\[.].*))?[ \t]*")
_MAX_AUTOMAGIC_REWRITES = 20


def _parse_with_automagic(python_source: str) -> tuple[ast.Module, str]:
    """Parse; on a syntax error at a line such as ``cd data`` or ``pip install x`` (IPython's
    automagic: a magic called without ``%``), rewrite that line as the magic call and retry."""
    last = _LAST_PARSE
    if last is not None and last[0] == python_source:
        return last[1], python_source
    for _ in range(_MAX_AUTOMAGIC_REWRITES):
        try:
            with warnings.catch_warnings():  # the user's invalid escapes are not our warnings
                warnings.simplefilter("ignore")
                return ast.parse(python_source), python_source
        except SyntaxError as error:
            lines = python_source.split("\n")
            index = (error.lineno or 0) - 1
            match = _AUTOMAGIC_LINE.fullmatch(lines[index]) if 0 <= index < len(lines) else None
            if match is None or match.group(2) not in _AUTOMAGICS:
                raise
            indent, name, args = match.group(1), match.group(2), match.group(3) or ""
            lines[index] = f"{indent}get_ipython().run_line_magic({name!r}, {args.strip()!r})"
            python_source = "\n".join(lines)
    return ast.parse(python_source), python_source


@lru_cache(maxsize=4096)
def _analyze_cached(source: str) -> CellFacts:
    return analyze_cell_uncached(source)


def analyze_cell(source: str) -> CellFacts:
    """Facts of one cell's source (IPython syntax allowed). Never raises; cached by source.

    A cell that does not parse gets empty facts with ``syntax_error`` and ``error_lineno`` set
    (line numbers refer to the original source).
    """
    try:
        if isinstance(source, str):
            return _analyze_cached(source)
        return analyze_cell_uncached(source)
    except Exception as error:  # a bug here must never reach the user's kernel
        text = source if isinstance(source, str) else ""
        return CellFacts(source=text, syntax_error=f"nbcrash could not analyze the cell: {type(error).__name__}")


def iter_code_cells(notebook: Mapping) -> Iterator[str]:
    """Source of every code cell of a notebook JSON dict (nbformat 3 or 4), in order."""
    cells = notebook.get("cells")
    if cells is None:
        cells = [c for ws in notebook.get("worksheets", []) or [] for c in ws.get("cells", [])]
    for cell in cells or []:
        if cell.get("cell_type") != "code":
            continue
        text = cell.get("source", cell.get("input", ""))
        yield "".join(text) if isinstance(text, list) else str(text or "")
