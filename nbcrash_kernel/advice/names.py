"""NameError and UnboundLocalError: the name that was meant, or the statement that is missing.

Facts used:
- CPython looks a name up in the frame's locals, then its globals, then builtins,
  and 3.10+ suggests the closest name from those in that order (``Python/suggestions.c``);
  3.12 adds ``self.x`` inside methods and "Did you forget to import 'x'?" for stdlib modules.
- ``True``, ``False`` and ``None`` are keywords (``keyword.kwlist``); ``true``, ``null`` or
  ``none`` are plain, undefined names.
- An assignment anywhere in a function makes the name local to all of it
  (UnboundLocalError) unless the function declares it ``global`` or ``nonlocal``
  (Python reference, "Naming and binding").
- A nested function reading a name that its enclosing function assigns later raises
  "cannot access free variable 'x' where it is not associated with a value in
  enclosing scope" (3.11+; "free variable 'x' referenced before assignment" before).
"""
from __future__ import annotations

import ast
import builtins
import re

from ..knowledge.modules import CONVENTIONAL_ALIASES, STDLIB_MODULES
from .evidence import MISSING, Advice, Evidence, safe_dir
from .modules import importable
from .similar import closest, forgotten_import_in_text, suggestion_in_text

_NAME = re.compile(r"name '([^']+)' is not defined")
_LOCAL = re.compile(r"local variable '([^']+)' referenced before assignment|cannot access local variable '([^']+)'")
_FREE = re.compile(r"free variable '([^']+)'")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Values other languages spell differently: JavaScript/JSON/C/Lisp spellings of Python keywords.
_FOREIGN_VALUES = {"null": "None", "nil": "None", "none": "None", "undefined": "None", "NULL": "None",
                   "true": "True", "false": "False", "TRUE": "True", "FALSE": "False"}
_VALUE_KEYWORDS = ("True", "False", "None")
# Float specials have no builtin name in Python (``float('nan')``, ``math.nan``, ``math.inf``).
_FLOAT_SPECIALS = {"nan": "float('nan')` or `math.nan", "NaN": "float('nan')` or `math.nan",
                   "inf": "float('inf')` or `math.inf", "Infinity": "float('inf')` or `math.inf"}


def name_of(evidence: Evidence) -> str | None:
    name = getattr(evidence.exc, "name", None)
    if isinstance(name, str) and name:
        return name
    for pattern in (_NAME, _LOCAL, _FREE):
        match = pattern.search(evidence.evalue)
        if match:
            return next(g for g in match.groups() if g)
    return None


def advise_name(evidence: Evidence) -> Advice | None:
    """Fixes for a NameError (including its UnboundLocalError and free-variable forms)."""
    name = name_of(evidence)
    if not name:
        return None
    if evidence.ename == "UnboundLocalError" or _LOCAL.search(evidence.evalue):
        return _unbound_local(evidence, name)
    if _FREE.search(evidence.evalue):
        return _free_variable(name)
    return _undefined(evidence, name)


def _undefined(evidence: Evidence, name: str) -> Advice:
    advice = Advice()
    shown = suggestion_in_text(evidence.traceback_text) or _cpython_like(evidence, name)
    keyword_value = _keyword_value(name)
    module = _module_for(evidence, name)
    if name in _FLOAT_SPECIALS:
        advice.fixes.append(f"Write `{_FLOAT_SPECIALS[name]}`: Python has no builtin `{name}`.")
    if keyword_value:
        advice.fixes.append(f"Write `{keyword_value}`: Python's keyword is capitalised (`{name}` is not a Python name).")
    if shown and shown != keyword_value:
        advice.fixes.append(f"Did you mean `{shown}`?")
    if module:
        advice.fixes.append(_import_line(name, module))
    if not advice.fixes:
        advice.fixes.append(f"Define `{name}` (assign it, or run the cell that does) before this line.")
    return advice


def _keyword_value(name: str) -> str | None:
    if name in _FOREIGN_VALUES:
        return _FOREIGN_VALUES[name]
    for value in _VALUE_KEYWORDS:
        if name.casefold() == value.casefold():
            return value
    return None


def _cpython_like(evidence: Evidence, name: str) -> str | None:
    """CPython's order: the frame's locals, then globals, then builtins; then ``self.`` members."""
    frame = evidence.frame
    scopes: list[list[str]] = []
    if frame is not None:
        scopes.append(list(frame.f_code.co_varnames) + [n for n in frame.f_locals if isinstance(n, str)])
        scopes.append([n for n in frame.f_globals if isinstance(n, str)])
    elif evidence.namespace is not None:
        scopes.append([n for n in evidence.namespace if isinstance(n, str)])
    else:
        scopes.append(_assigned_names(evidence.cell_source))
    scopes.append(dir(builtins))
    for scope in scopes:
        found = closest(name, [n for n in scope if not n.startswith("_") or name.startswith("_")])
        if found:
            return found
    return _self_member(evidence, name)


def _self_member(evidence: Evidence, name: str) -> str | None:
    frame = evidence.frame
    owner = frame.f_locals.get("self", MISSING) if frame is not None else MISSING
    if owner is MISSING:
        return None
    members = safe_dir(owner)
    if name in members:
        return f"self.{name}"
    found = closest(name, members)
    return f"self.{found}" if found else None


def _assigned_names(source: str) -> list[str]:
    """Names a cell binds (record path): assignments, defs, imports; the source's identifiers on a parse error."""
    try:
        tree = ast.parse(source or "")
    except SyntaxError:
        return list(dict.fromkeys(_IDENT.findall(source or "")))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.append(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.append(node.name)
            found.extend(a.arg for a in node.args.args) if not isinstance(node, ast.ClassDef) else None
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found.extend((a.asname or a.name).split(".")[0] for a in node.names)
    return list(dict.fromkeys(found))


def _module_for(evidence: Evidence, name: str) -> str | None:
    """The module a name stands for when it was never imported (``np``, ``math``, ``Math``)."""
    forgot = forgotten_import_in_text(evidence.traceback_text)
    if forgot:
        return forgot
    if name in CONVENTIONAL_ALIASES:
        return CONVENTIONAL_ALIASES[name]
    if name in STDLIB_MODULES and not name.startswith("_"):
        return name
    lower = name.lower()
    if lower != name and (lower in STDLIB_MODULES or CONVENTIONAL_ALIASES.get(lower) == lower):
        return lower
    return None


def _import_line(name: str, module: str) -> str:
    top = module.split(".")[0]
    if module.rsplit(".", 1)[-1] == name:
        statement = f"import {module}"
    elif name.lower() == module:
        return f"Did you mean `{module}`? Module names are case-sensitive; import it with `import {module}`."
    elif "." in module and name == module.rsplit(".", 1)[-1] or name[:1].isupper() and "." in module:
        parent, member = module.rsplit(".", 1)
        statement = f"from {parent} import {member}" if member == name else f"import {module} as {name}"
    else:
        statement = f"import {module} as {name}"
    where = "" if importable(top) else f" (install it first: `%pip install {_pip(top)}`)"
    return f"Add `{statement}` to the imports cell and run it{where}."


def _pip(module: str) -> str:
    from ..knowledge.modules import pip_name

    return pip_name(module)


def _unbound_local(evidence: Evidence, name: str) -> Advice:
    function = evidence.frame.f_code.co_name if evidence.frame is not None else _function_reading(evidence, name)
    where = f" in `{function}()`" if function else ""
    enclosing = _enclosing_binder(evidence, name, function)
    if enclosing == "module":
        fix = (f"Add `global {name}` as the first line of `{function or 'the function'}()`: it assigns `{name}`, "
               f"which makes `{name}` local to the whole function; or pass `{name}` in as an argument.")
    elif enclosing:
        fix = (f"Add `nonlocal {name}` as the first line of `{function or 'the inner function'}()`: `{name}` "
               f"belongs to the enclosing `{enclosing}()`, and assigning it here makes it local.")
    else:
        fix = f"Assign `{name}`{where} before the line that reads it (every path must assign it first)."
    return Advice(fixes=[fix], root_cause=("IMPL", "wrong implementation"),
                  verdict=f"`{name}` is assigned{where or ' in the function'}, so Python treats it as local "
                          f"there, and it is read before that assignment.")


def _free_variable(name: str) -> Advice:
    return Advice(
        fixes=[f"Assign `{name}` in the enclosing function before the nested function runs, "
               f"or pass `{name}` to it as an argument."],
        verdict=f"The nested function reads `{name}` from its enclosing function, which had not assigned it yet.",
        root_cause=("IMPL", "wrong implementation"))


def _function_reading(evidence: Evidence, name: str) -> str | None:
    match = re.search(r"in (\w+)\n", evidence.traceback_text or "")
    return match.group(1) if match and match.group(1) != "<module>" else None


def _enclosing_binder(evidence: Evidence, name: str, function: str | None) -> str | None:
    """'module' when the name is global, the enclosing function's name when it binds it, else None."""
    frame = evidence.frame
    if frame is not None and "<locals>" not in frame.f_code.co_qualname:
        return "module" if name in frame.f_globals else None
    tree = _parse(evidence.cell_source)
    if tree is None:
        return "module" if frame is not None and name in frame.f_globals else None
    return _binder_in_tree(tree, name, function)


def _binder_in_tree(tree: ast.AST, name: str, function: str | None) -> str | None:
    def visit(node: ast.AST, chain: list[ast.AST]) -> str | None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if child.name == function:
                    for outer in reversed(chain):
                        if isinstance(outer, (ast.FunctionDef, ast.AsyncFunctionDef)) and _binds(outer, name):
                            return outer.name
                    return "module" if _binds(tree, name) else None
                found = visit(child, chain + [child])
                if found:
                    return found
            else:
                found = visit(child, chain)
                if found:
                    return found
        return None

    return visit(tree, [tree])


def _binds(scope: ast.AST, name: str) -> bool:
    """The scope itself (not a nested function) assigns ``name``."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            if getattr(node, "name", None) == name:
                return True
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


def _parse(source: str) -> ast.AST | None:
    try:
        return ast.parse(source or "")
    except SyntaxError:
        return None
