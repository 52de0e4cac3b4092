"""A cell's code as origin inference reads it: its Python tree and its cell-scope imports.

``cells.analyze_cell`` gives the same imports, but it walks the whole tree for
facts inference does not use, and inference parsed the cell a second time for
its statements. A plain-Python cell (no IPython syntax, nothing for
``get_ipython``) is parsed once here and its imports read from the
statements; any other cell, and any cell nested deeply enough that the full
analysis could give up, still goes through ``analyze_cell``, so the result
is the same either way.
"""
from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

from .cells import analyze_cell, transform_ipython
from .cells.ipython import recent_tree

# Text whose absence proves a cell has no IPython syntax for ``transform_ipython`` to rewrite.
_IPYTHON_MARKS = ("%", "!", "?", ">>>", "In [", "get_ipython")
# AST depth up to which the full analysis cannot exhaust the recursion limit (it uses a few
# Python frames per level); deeper plain cells take the full analysis and get its verdict.
_SAFE_DEPTH = 120
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class CellCode:
    """A cell that parses: its tree (of the IPython-transformed source) and what it imports."""

    tree: ast.Module
    imports: Mapping[str, str]
    star_imports: tuple[str, ...]


# Each crash of a notebook reads the cells that ran before it: the same cells, again.
@lru_cache(maxsize=512)
def read_cell(source: str) -> CellCode | None:
    """The cell's code, or None when it does not parse (as ``analyze_cell``'s ``syntax_error``).

    Cached by source: the result is read, never changed (its tree included).
    """
    plain = _read_plain(source)
    if plain is not None:
        return plain
    facts = analyze_cell(source)
    if facts.syntax_error is not None:
        return None
    tree = parse_python(facts.python_source)
    if tree is None:
        return None
    return CellCode(tree, facts.imports, facts.star_imports)


@lru_cache(maxsize=512)
def parse_python(python_source: str) -> ast.Module | None:
    """The AST of Python source, cached (a session diagnoses several crashes over the same cells)."""
    known = recent_tree(python_source)  # the full analysis parsed it a moment ago
    if known is not None:
        return known
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(python_source)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None


def _read_plain(source: str) -> CellCode | None:
    """The cell read without the full analysis, or None when that would not be the same."""
    if not isinstance(source, str) or any(mark in source for mark in _IPYTHON_MARKS):
        return None
    if transform_ipython(source) is not source:
        return None
    tree = parse_python(source)
    if tree is None or not _shallow(tree, _SAFE_DEPTH):
        return None
    imports: dict[str, str] = {}
    star_imports: list[str] = []
    _collect_imports(tree.body, imports, star_imports)
    return CellCode(tree, imports, tuple(star_imports))


def _shallow(tree: ast.AST, limit: int) -> bool:
    """Whether no node lies deeper than ``limit`` levels below ``tree`` (one level at a time)."""
    level = [tree]
    for _ in range(limit):
        below: list[ast.AST] = []
        for node in level:
            for name in node._fields:
                value = getattr(node, name, None)
                if isinstance(value, ast.AST):
                    below.append(value)
                elif value.__class__ is list:
                    below.extend(item for item in value if isinstance(item, ast.AST))
        if not below:
            return True
        level = below
    return False


def _collect_imports(body: list[ast.stmt], imports: dict[str, str], star_imports: list[str],
                     cell_scope: bool = True) -> None:
    """Imports as ``cells.analyze_cell`` records them, in source order.

    Names are bound at cell scope by imports in blocks (if, for, while, with,
    try, match), not in function or class bodies; star imports count anywhere.
    """
    for node in body:
        if isinstance(node, ast.Import):
            if cell_scope:
                for alias in node.names:
                    bound = alias.asname or alias.name.partition(".")[0]
                    imports[bound] = alias.name if alias.asname else bound
        elif isinstance(node, ast.ImportFrom):
            _collect_from_import(node, imports, star_imports, cell_scope)
        else:
            inner_scope = cell_scope and not isinstance(node, _SCOPES)
            for block in _blocks(node):
                _collect_imports(block, imports, star_imports, inner_scope)


def _collect_from_import(node: ast.ImportFrom, imports: dict[str, str], star_imports: list[str],
                         cell_scope: bool) -> None:
    module = "." * (node.level or 0) + (node.module or "")
    separator = "." if module and not module.endswith(".") else ""
    for alias in node.names:
        if alias.name == "*":
            star_imports.append(module)
        elif cell_scope:
            imports[alias.asname or alias.name] = module + separator + alias.name


def _blocks(node: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists inside a compound statement, in field order (handlers, cases too)."""
    blocks = []
    for field in node._fields:
        value = getattr(node, field, None)
        if not isinstance(value, list) or not value:
            continue
        if isinstance(value[0], ast.stmt):
            blocks.append(value)
        elif isinstance(value[0], (ast.excepthandler, ast.match_case)):
            blocks.extend(part.body for part in value)
    return blocks
