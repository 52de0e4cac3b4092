"""A cheap, line-based scan of the names a cell binds at module level.

The guard runs before every cell and must know which cells of the notebook define a
name, without parsing the whole notebook (``cells.analyze_cell`` on 500 long cells
takes seconds). This scan reads lines only: assignments, ``for``/``with ... as``
targets, imports, ``def`` and ``class``, at module level or inside module-level
``if``/``for``/``try``/``with`` blocks, never inside a function or class body. It
over-approximates a little (a name in a multi-line string); callers confirm a hit
with ``analyze_cell`` on the few cells it names. The identifier and import patterns are the
ones the audit's lean facts read (:mod:`.lines`).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .lines import FROM_IMPORT_LINE, IMPORT_LINE, NAME, imported, imported_from

_TARGETS = re.compile(rf"^\s*((?:\(?\s*\*?{NAME}\s*\)?\s*,\s*)*\(?\s*\*?{NAME}\s*\)?)\s*(?::[^=]*)?=(?!=)")
_AUGMENTED = re.compile(rf"^\s*({NAME})\s*(?:[-+*/%&|^@]|//|\*\*|<<|>>)=")
_DEF = re.compile(rf"^\s*(?:async\s+)?(?:def|class)\s+({NAME})")
_FOR = re.compile(rf"^\s*(?:async\s+)?for\s+(.+?)\s+in\b")
_AS = re.compile(rf"\bas\s+({NAME})")
_WALRUS = re.compile(rf"({NAME})\s*:=")
_IDENT = re.compile(NAME)
_SCOPE = re.compile(r"^(?:async\s+)?(?:def|class)\b")


@lru_cache(maxsize=8192)
def module_level_bindings(source: str) -> frozenset[str]:
    """Names the cell may bind in the notebook's namespace (an over-approximation)."""
    names: set[str] = set()
    body_indent: int | None = None  # inside a def/class body deeper than this
    for line in source.splitlines():
        stripped = line.lstrip()
        if not stripped or stripped.startswith(("#", "%", "!")):
            continue
        indent = len(line) - len(stripped)
        if body_indent is not None:
            if indent > body_indent:
                continue
            body_indent = None
        if _SCOPE.match(stripped):
            body_indent = indent
        _scan_line(line, names)
    return frozenset(names)


def _scan_line(line: str, names: set[str]) -> None:
    match = _DEF.match(line)
    if match:
        names.add(match.group(1))
        return
    match = IMPORT_LINE.match(line)
    if match:
        names.update(name for name, _ in imported(match.group(1)))
        return
    match = FROM_IMPORT_LINE.match(line)
    if match:
        names.update(name for name, _ in imported_from(match.group(1), match.group(2)))
        return
    match = _FOR.match(line)
    if match:
        names.update(_IDENT.findall(match.group(1)))
    if line.lstrip().startswith(("with ", "async with ", "except")):
        names.update(_AS.findall(line))
    for pattern in (_TARGETS, _AUGMENTED):
        match = pattern.match(line)
        if match:
            names.update(_IDENT.findall(match.group(1)))
    names.update(_WALRUS.findall(line))
