"""Lean cell facts: CPython's symbol table instead of the full analysis's AST walk.

Auditing a corpus means the facts of every code cell, and :func:`analyze_cell` (a full
scoped AST pass, IPython's transformer) costs several times the JSON load. Here the names
come from ``symtable`` (built in C), imports and column writes from line patterns, and IPython
lines, recognised by :mod:`.ipython`'s own tables, are blanked instead of transformed. What is
lost, knowingly: the order of reads and writes inside a cell (a name both read and assigned
counts as defined there), definition lines, calls and column reads. Cells where that matters
get the full analysis instead: cells with ``del``/``global``/``nonlocal`` or doctest prompts,
and any cell the symbol table cannot read; callers that need definition lines (the audit, for
the cells that crashed) call :func:`analyze_cell` themselves.
"""
from __future__ import annotations

import builtins
import re
from functools import lru_cache
from typing import Any

import _symtable  # the C symbol table: the public wrapper re-walks children on every lookup

from .analyze import analyze_cell
from .ipython import (ASSIGNED_ESCAPE, CELL_MAGIC, ESCAPE, ESCAPE_START, HELP_END, PROMPT,
                      PYTHON_BODY_CELL_MAGICS)
from .lines import FROM_IMPORT_LINE, IMPORT_LINE, NAME, imported, imported_from, line_matches
from .model import CellFacts

# An IPython line the lean scan blanks: an escape first, or an object and its help mark last.
_IPYTHON_LINE = re.compile(ESCAPE_START + r"|^[ \t]*[\w.\[\]()'\"]+[ \t]*\??" + HELP_END)
# ``x = %magic``, ``files = !ls``: the targets stay bound (to None).
_ASSIGNED_ESCAPE = re.compile(r"^([ \t]*[A-Za-z_][\w., \t]*)" + ASSIGNED_ESCAPE + ".*$")
# ``ipython.IPYTHON_SYNTAX`` without prompts (those cells take the full analysis), as patterns
# that start with a literal, which the regex engine finds much faster than a ``^`` at every line.
_ESCAPE_FIRST = re.compile(ESCAPE)
_ESCAPE_AFTER_NEWLINE = re.compile("\n" + ESCAPE)
_HELP_END = re.compile("(?m)" + HELP_END)
_ASSIGNED = re.compile(ASSIGNED_ESCAPE)
# ``\bdel\b`` and the like, spelled to start with the word (the lookbehind is the leading ``\b``).
_SCOPE_STATEMENTS = tuple((word, re.compile(rf"{word}\b(?<!\w{word})"))
                          for word in ("del", "global", "nonlocal"))
_IMMEDIATE_SCOPES = frozenset({"listcomp", "setcomp", "dictcomp", "genexpr",
                               "<listcomp>", "<setcomp>", "<dictcomp>", "<genexpr>"})
_ANONYMOUS_SCOPES = _IMMEDIATE_SCOPES | {"lambda", "<lambda>"}
_DEFINES = _symtable.DEF_LOCAL | _symtable.DEF_PARAM | _symtable.DEF_BOUND
_GLOBAL_SCOPES = frozenset({_symtable.GLOBAL_IMPLICIT, _symtable.GLOBAL_EXPLICIT})
_BUILTINS = frozenset(dir(builtins))
_COLUMN_KEY = re.compile(r"\[[ \t]*(['\"])([^'\"\n]{1,200})\1[ \t]*\][ \t]*=(?!=)")
_NAME_BEFORE = re.compile(f"({NAME})$")


def lean_facts(source: str) -> CellFacts:
    """Facts of ``source`` from the symbol table; the full analysis where that would mislead."""
    if not isinstance(source, str) or not source.strip():
        return CellFacts.built(source=source if isinstance(source, str) else "")
    return _lean_facts_cached(source)


# Notebooks copy cells from each other (imports, df.head()): a fifth of a corpus repeats.
@lru_cache(maxsize=16384)
def _lean_facts_cached(source: str) -> CellFacts:
    if _may_need_full(source):
        return analyze_cell(source)
    python = _strip_ipython(source) if _may_be_ipython(source) else source
    try:
        table = _symtable.symtable(python, "<cell>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return analyze_cell(source)  # it flags the syntax error with its line
    return _facts_from_table(source, python, table)


def _may_need_full(source: str) -> bool:
    """``del``/``global``/``nonlocal`` statements or doctest prompts (substring tests first)."""
    for word, statement in _SCOPE_STATEMENTS:
        if word in source and statement.search(source):
            return True
    return (">>>" in source or "In [" in source) and PROMPT.search(source) is not None


def _may_be_ipython(source: str) -> bool:
    if not ("%" in source or "!" in source or "?" in source):
        return False
    return bool(_ESCAPE_FIRST.match(source) or _ESCAPE_AFTER_NEWLINE.search(source)
                or ("?" in source and _HELP_END.search(source)) or _ASSIGNED.search(source))


def _strip_ipython(source: str) -> str:
    """Source with IPython lines blanked (``pass``); empty when a cell magic hides the code."""
    lines = source.split("\n")
    magic = CELL_MAGIC.match(lines[0])
    if magic:
        if magic.group(1) not in PYTHON_BODY_CELL_MAGICS:
            return ""  # %%bash, %%writefile...: no Python names
        lines = [""] + lines[1:]
    for i, line in enumerate(lines):
        assigned = _ASSIGNED_ESCAPE.match(line)
        if assigned:
            lines[i] = assigned.group(1) + "= None"
        elif _IPYTHON_LINE.match(line):
            indent = line[: len(line) - len(line.lstrip())]
            lines[i] = indent + "pass"
    return "\n".join(lines)


def _scope(flags: int) -> int:
    return (flags >> _symtable.SCOPE_OFF) & _symtable.SCOPE_MASK


def _facts_from_table(source: str, python: str, table: Any) -> CellFacts:
    defined: set[str] = set()
    used: set[str] = set()
    by_imports: set[str] = set()
    for name, flags in table.symbols.items():
        if flags & _symtable.DEF_IMPORT:
            by_imports.add(name)
        elif flags & _DEFINES:
            defined.add(name)
        elif flags & _symtable.USE:
            used.add(name)
    functions, classes = _namespaces(table)
    immediate, deferred = _child_globals(table)
    bound = defined | by_imports
    used |= immediate - bound
    deferred -= bound | used
    return CellFacts.built(
        source=source,
        defined=frozenset(bound),
        used=frozenset((used | deferred) - _BUILTINS),
        deferred_used=frozenset(deferred - _BUILTINS),
        imports=_imports(python, by_imports),
        star_imports=_star_imports(python),
        functions=frozenset(functions),
        classes=frozenset(classes),
        columns_written=_columns_written(python),
        python_source=python,
    )


def _namespaces(table: Any) -> tuple[set[str], set[str]]:
    functions, classes = set(), set()
    for child in table.children:
        if child.type == _symtable.TYPE_CLASS:
            classes.add(child.name)
        elif child.type == _symtable.TYPE_FUNCTION and child.name not in _ANONYMOUS_SCOPES:
            functions.add(child.name)
    return functions, classes


def _child_globals(table: Any, deferred: bool = False) -> tuple[set[str], set[str]]:
    """Module names read by nested scopes: now (class bodies, comprehensions) or later."""
    now: set[str] = set()
    later: set[str] = set()
    for child in table.children:
        runs_later = deferred or (child.type == _symtable.TYPE_FUNCTION
                                  and child.name not in _IMMEDIATE_SCOPES)
        names = {name for name, flags in child.symbols.items()
                 if flags & _symtable.USE and _scope(flags) in _GLOBAL_SCOPES}
        (later if runs_later else now).update(names)
        inner_now, inner_later = _child_globals(child, runs_later)
        now |= inner_now
        later |= inner_later
    return now, later - now


def _imports(python: str, bound_by_imports: set[str]) -> dict[str, str]:
    imports: dict[str, str] = {}
    if not bound_by_imports:
        return imports
    for match in line_matches(IMPORT_LINE, python, "import"):
        imports.update(imported(match.group(1)))
    for match in line_matches(FROM_IMPORT_LINE, python, "from"):
        imports.update(imported_from(match.group(1), match.group(2)))
    return {name: target for name, target in imports.items() if name in bound_by_imports}


def _star_imports(python: str) -> tuple[str, ...]:
    if "*" not in python:
        return ()
    return tuple(m.group(1) for m in line_matches(FROM_IMPORT_LINE, python, "from")
                 if m.group(2).strip().startswith("*"))


def _columns_written(python: str) -> dict[str, frozenset[str]]:
    """``df['a'] = ...`` as ``{'df': {'a'}}`` (string keys only)."""
    columns: dict[str, set[str]] = {}
    if "]" not in python:
        return {}
    for match in _COLUMN_KEY.finditer(python):
        owner = _NAME_BEFORE.search(python, max(0, match.start() - 80), match.start())
        if owner:
            columns.setdefault(owner.group(1), set()).add(match.group(2))
    return {var: frozenset(cols) for var, cols in columns.items()}
