"""Python's scopes as the cell visitor follows them, and the small AST helpers it shares.

A cell's own scope is the notebook's namespace; functions and lambdas run later, classes now,
comprehensions have their own scope.
"""
from __future__ import annotations

import ast
import builtins
import re
from typing import Iterable, Mapping

MODULE, FUNCTION, CLASS, COMPREHENSION = range(4)

_IPYTHON_NAMES = frozenset(
    {"get_ipython", "display", "In", "Out", "exit", "quit", "_", "__", "___", "_i", "_ii",
     "_iii", "_ih", "_oh", "_dh", "__file__", "__builtins__"}
)
HISTORY_NAME = re.compile(r"_i?\d+")
BUILTIN_NAMES = frozenset(dir(builtins)) | _IPYTHON_NAMES


class Scope:
    """A scope being analyzed. Function scopes keep their loads pending until the function's
    body is complete, since any binding in the body makes a name local to all of it."""

    __slots__ = ("kind", "parent", "locals", "globals", "pending")

    def __init__(self, kind: int, parent: Scope | None, local_names: Iterable[str] = ()):
        self.kind = kind
        self.parent = parent
        self.locals = set(local_names)
        self.globals: set[str] = set()
        self.pending: list[tuple[str, int]] = []


def string_keys(node: ast.AST | None) -> tuple[str, ...]:
    """Column-like keys of a subscript: 'a' or ['a', 'b'] (string constants only)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return tuple(e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return ()


def dotted(node: ast.AST) -> tuple[str, str | None, bool]:
    """(text as written, root variable, whether the text is a pure dotted name).

    ``df['a'].mean`` -> ("df[...].mean", "df", False); ``pd.read_csv`` -> ("pd.read_csv", "pd", True).
    """
    if isinstance(node, ast.Name):
        return node.id, node.id, True
    if isinstance(node, ast.Attribute):
        text, root, pure = dotted(node.value)
        return f"{text}.{node.attr}", root, pure
    if isinstance(node, ast.Subscript):
        text, root, _ = dotted(node.value)
        return text + "[...]", root, False
    if isinstance(node, ast.Call):
        text, root, _ = dotted(node.func)
        return text + "()", root, False
    return "(...)", None, False


def resolve_qualname(func: str, imports: Mapping[str, str]) -> str | None:
    """Resolve a dotted call text ('pd.read_csv') through an import table ('pandas.read_csv')."""
    root, _, rest = func.partition(".")
    target = imports.get(root)
    if target is None:
        return None
    return f"{target}.{rest}" if rest else target


def parameters(args: ast.arguments) -> set[str]:
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    names.update(extra.arg for extra in (args.vararg, args.kwarg) if extra is not None)
    return names

