"""Which library a notebook variable's value comes from, without live objects.

A cheap pass over the cells in execution order propagates origins through imports, call
qualified names, assignments (including tuple unpacking), subscripts, attributes, method calls
on known objects, operators and the return values of functions defined in the notebook:
``df = pd.read_csv(...)`` gives df 'pandas', ``y = df['a']`` gives y 'pandas',
``X_tr, X_te, y_tr, y_te = train_test_split(...)`` gives all four 'sklearn'.

Names the cheap pass leaves open may go to astroid's inference, guarded (any exception is
ignored), run in a worker thread and bounded by a time budget: astroid on real libraries is slow
(seconds for ``pd.read_csv``) and often ends Uninferable, so it is a fallback, off by default
in the live path (``astroid_budget=0``).
"""
from __future__ import annotations

import ast
import threading
import time
import warnings
from typing import Mapping, Sequence

from .cell_code import read_cell
from ..knowledge.modules import STDLIB_MODULES
from .cells import CONVENTIONAL_ALIASES, analyze_cell, resolve_qualname

__all__ = ["infer_origins", "infer_origins_for", "library_of_call"]

# Import names that are spelled differently from the library's usual name.
_LIBRARY_ALIASES = {"tf_keras": "keras"}
_NOTEBOOK_MODULE = "nbcrash_notebook"


def library_of_call(qualname: str | None) -> str | None:
    """Top-level package of a qualified name: 'sklearn.model_selection.train_test_split' -> 'sklearn'.

    ``tensorflow.keras.X`` belongs to 'tensorflow'; relative or empty names give None.
    """
    if not qualname or not isinstance(qualname, str) or qualname.startswith("."):
        return None
    top = qualname.partition(".")[0].strip()
    if not top.isidentifier():
        return None
    return _LIBRARY_ALIASES.get(top, top)


def _is_library(name: str | None) -> bool:
    return bool(name) and name not in STDLIB_MODULES


class _Propagation:
    """Origins of names, updated statement by statement through a notebook's cells."""

    def __init__(self) -> None:
        self.imports: dict[str, str] = {}
        self.star_libraries: list[str] = []
        self.origins: dict[str, str] = {}
        self.functions: dict[str, ast.AST] = {}
        self.classes: dict[str, ast.ClassDef] = {}
        self.unknown: dict[str, ast.AST] = {}  # name -> the value it was last bound to
        self._depth = 0

    # -- origin of an expression ------------------------------------------------------------

    def origin(self, node: ast.AST | None, scope: Mapping[str, str] | None = None) -> str | None:
        scope = self.origins if scope is None else scope
        if node is None:
            return None
        if isinstance(node, ast.Name):
            return scope.get(node.id) or self.module_library(node.id, scope)
        if isinstance(node, ast.Call):
            return self.call_origin(node, scope)
        if isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred, ast.Await)):
            return self.origin(node.value, scope)
        if isinstance(node, ast.BinOp):
            return self.origin(node.left, scope) or self.origin(node.right, scope)
        if isinstance(node, ast.UnaryOp):
            return self.origin(node.operand, scope)
        if isinstance(node, ast.Compare):
            return self.origin(node.left, scope) or self.first_origin(node.comparators, scope)
        if isinstance(node, ast.BoolOp):
            return self.first_origin(node.values, scope)
        if isinstance(node, ast.IfExp):
            return self.origin(node.body, scope) or self.origin(node.orelse, scope)
        if isinstance(node, ast.NamedExpr):
            return self.origin(node.value, scope)
        return None

    def first_origin(self, nodes: Sequence[ast.AST], scope: Mapping[str, str]) -> str | None:
        for node in nodes:
            found = self.origin(node, scope)
            if found:
                return found
        return None

    def module_library(self, name: str, scope: Mapping[str, str]) -> str | None:
        target = self.imports.get(name)
        if target is None and name in CONVENTIONAL_ALIASES and name not in scope:
            target = CONVENTIONAL_ALIASES[name]
        library = library_of_call(target)
        return library if _is_library(library) else None

    def call_origin(self, node: ast.Call, scope: Mapping[str, str]) -> str | None:
        func = node.func
        qualname = self.qualname(func)
        if qualname is not None:
            library = library_of_call(qualname)
            return library if _is_library(library) else None
        if isinstance(func, ast.Name):
            if func.id in self.functions and func.id not in scope:
                return self.return_origin(self.functions[func.id])
            if func.id in self.classes and func.id not in scope:
                return self.first_origin(self.classes[func.id].bases, scope)  # class Net(nn.Module)
            if func.id in scope:
                return scope[func.id]  # calling a library object returns the library's kind
            if func.id[:1].isupper() and len(set(self.star_libraries)) == 1:
                return self.star_libraries[0]  # e.g. Sequential() after from keras.models import *
            return None
        if isinstance(func, (ast.Attribute, ast.Subscript, ast.Call)):
            return self.origin(func.value if not isinstance(func, ast.Call) else func, scope)
        return None

    def qualname(self, func: ast.AST) -> str | None:
        parts: list[str] = []
        while isinstance(func, ast.Attribute):
            parts.append(func.attr)
            func = func.value
        if not isinstance(func, ast.Name) or func.id in self.origins and func.id not in self.imports:
            return None
        text = ".".join([func.id] + parts[::-1])
        return resolve_qualname(text, self.imports) or (
            resolve_qualname(text, CONVENTIONAL_ALIASES)
            if func.id not in self.functions and func.id not in self.classes else None)

    def return_origin(self, function: ast.AST) -> str | None:
        """Origin of what a notebook function returns: its body propagated with local names."""
        if self._depth > 3:
            return None
        self._depth += 1
        try:
            local: dict[str, str] = dict(self.origins)
            for node in _walk_function(function):
                if isinstance(node, ast.Assign):
                    found = self.origin(node.value, local)
                    for target in node.targets:
                        _bind(local, target, found, node.value, self, local)
                elif isinstance(node, ast.Return) and node.value is not None:
                    found = self.origin(node.value, local)
                    if found:
                        return found
            return None
        finally:
            self._depth -= 1

    # -- statements -------------------------------------------------------------------------

    def run_cell(self, source: str) -> None:
        code = read_cell(source)
        if code is None:
            return
        self.imports.update(code.imports)
        for module in code.star_imports:
            library = library_of_call(module)
            if _is_library(library):
                self.star_libraries.append(library)
        for name, target in code.imports.items():
            library = library_of_call(target)
            if _is_library(library):
                self.origins[name] = library
            else:
                self.origins.pop(name, None)
        for statement in _module_statements(code.tree.body):
            self.run_statement(statement)

    def run_statement(self, node: ast.stmt) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.functions[node.name] = node
            self.classes.pop(node.name, None)
            self.origins.pop(node.name, None)
        elif isinstance(node, ast.ClassDef):
            self.classes[node.name] = node
            self.functions.pop(node.name, None)
            self.origins.pop(node.name, None)
        elif isinstance(node, ast.Assign):
            found = self.origin(node.value)
            for target in node.targets:
                _bind(self.origins, target, found, node.value, self, self.origins)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            _bind(self.origins, node.target, self.origin(node.value), node.value, self, self.origins)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            found = self.origins.get(node.target.id) or self.origin(node.value)
            _bind(self.origins, node.target, found, node, self, self.origins)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            _bind(self.origins, node.target, None, node.iter, self, self.origins)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    found = self.origin(item.context_expr)
                    _bind(self.origins, item.optional_vars, found, item.context_expr, self, self.origins)


def _bind(table: dict[str, str], target: ast.AST, found: str | None, value: ast.AST,
          propagation: _Propagation, scope: Mapping[str, str]) -> None:
    """Give ``target`` (a name, or names unpacked from a tuple) the origin ``found``."""
    if isinstance(target, ast.Name):
        if found:
            table[target.id] = found
            if table is propagation.origins:
                propagation.unknown.pop(target.id, None)
        else:
            table.pop(target.id, None)
            if table is propagation.origins:
                propagation.unknown[target.id] = value
    elif isinstance(target, (ast.Tuple, ast.List)):
        values = value.elts if isinstance(value, (ast.Tuple, ast.List)) else None
        if values is not None and len(values) == len(target.elts):
            for element, element_value in zip(target.elts, values):
                _bind(table, element, propagation.origin(element_value, scope), element_value, propagation, scope)
        else:
            for element in target.elts:
                _bind(table, element, found, value, propagation, scope)
    elif isinstance(target, ast.Starred):
        _bind(table, target.value, found, value, propagation, scope)


def _module_statements(body: Sequence[ast.stmt]):
    """Statements that run at cell scope, entering if/for/while/with/try blocks, in order."""
    for node in body:
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for name in ("body", "orelse", "finalbody"):
            inner = getattr(node, name, None)
            if isinstance(inner, list):
                yield from _module_statements(inner)
        for handler in getattr(node, "handlers", ()) or ():
            yield from _module_statements(handler.body)


def _walk_function(function: ast.AST):
    body = function.body if isinstance(function.body, list) else []
    return _module_statements(body)


# ---------------------------------------------------------------------------------------------
# astroid fallback

_ASTROID_LOCK = threading.Lock()


def _astroid_origins(sources: Sequence[str], names: Sequence[str], budget: float) -> dict[str, str]:
    """Ask astroid about ``names``, within ``budget`` seconds in all; never raises.

    Inference runs in a daemon thread; when the budget runs out the caller goes on without
    waiting, and later calls skip astroid until that thread has finished.
    """
    if budget <= 0 or not names or not _ASTROID_LOCK.acquire(blocking=False):
        return {}
    found: dict[str, str] = {}

    def work() -> None:
        try:
            _astroid_infer(sources, names, found, time.monotonic() + budget)
        except Exception:
            pass
        finally:
            _ASTROID_LOCK.release()

    worker = threading.Thread(target=work, name="nbcrash-astroid", daemon=True)
    worker.start()
    worker.join(budget)
    return dict(found)


def _astroid_infer(sources: Sequence[str], names: Sequence[str], found: dict[str, str],
                   deadline: float) -> None:
    import astroid

    code = "\n".join(analyze_cell(s).python_source for s in sources if analyze_cell(s).syntax_error is None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        module = astroid.parse(code, module_name=_NOTEBOOK_MODULE)
    wanted = set(names)
    assignments = {}
    for node in module.nodes_of_class(astroid.nodes.AssignName):
        if node.name in wanted and node.scope() is module:
            assignments[node.name] = node  # the last binding wins
    for name, node in assignments.items():
        if time.monotonic() > deadline:
            return
        try:
            for value in node.infer():
                library = _astroid_library(value)
                if library:
                    found[name] = library
                    break
        except Exception:
            continue


def _astroid_library(value) -> str | None:
    try:
        root = value.root().name
    except Exception:
        return None
    library = library_of_call(root)
    if not root or root == _NOTEBOOK_MODULE or not _is_library(library):
        return None
    return library


# ---------------------------------------------------------------------------------------------
# Entry points


def infer_origins(sources: Sequence[str], astroid_budget: float = 0.0) -> dict[str, str]:
    """Map variable names to the top-level library their value comes from.

    ``sources`` are the notebook's code cell sources in execution order. Module aliases map to
    their library too ('np' -> 'numpy'); values from the standard library or of unknown origin
    are left out. ``astroid_budget`` seconds (0: off) may be spent asking astroid about the
    names the cheap pass leaves open. Never raises.
    """
    propagation = _Propagation()
    try:
        for source in sources or ():
            if isinstance(source, str):
                propagation.run_cell(source)
    except RecursionError:
        pass
    except Exception:  # never let a bug in nbcrash reach the caller
        pass
    origins = dict(propagation.origins)
    if astroid_budget > 0:
        open_names = [n for n in propagation.unknown if n not in origins]
        try:
            for name, library in _astroid_origins(list(sources), open_names, astroid_budget).items():
                origins.setdefault(name, library)
        except Exception:
            pass
    return origins


def infer_origins_for(sources: Sequence[str], name: str, astroid_budget: float = 0.0) -> str | None:
    """The library ``name``'s value comes from after ``sources`` ran (None when unknown)."""
    return infer_origins(sources, astroid_budget=astroid_budget).get(name)
