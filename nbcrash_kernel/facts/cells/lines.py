"""Python read line by line, without a parse: the identifier and import-statement patterns shared by
the two scans that skip the full analysis, the audit's lean facts (:mod:`.lean`) and the live
guard's bindings scan (:mod:`.bindings`)."""
from __future__ import annotations

import re
from typing import Iterator

NAME = r"[A-Za-z_]\w*"
IMPORT_LINE = re.compile(r"(?m)^[ \t]*import[ \t]+([\w., \t]+?)[ \t]*(?:#.*)?$")
FROM_IMPORT_LINE = re.compile(
    r"(?m)^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^#\n]+)")


def imported(clause: str) -> Iterator[tuple[str, str]]:
    """``(name bound, module)`` for each part of ``import a.b, c as d``: ``('a', 'a')``, ``('d', 'c')``."""
    for part in clause.split(","):
        words = part.split()
        if len(words) == 3 and words[1] == "as":
            yield words[2], words[0]
        elif len(words) == 1:
            top = words[0].split(".")[0]
            yield top, top


def imported_from(module: str, clause: str) -> Iterator[tuple[str, str]]:
    """``(name bound, qualified name)`` for each part of ``from module import clause`` (not ``*``)."""
    for part in clause.strip("()").replace("\\", " ").split(","):
        words = part.split()
        if not words or words[0] == "*":
            continue
        bound = words[2] if len(words) == 3 and words[1] == "as" else words[0]
        yield bound, (f"{module}.{words[0]}" if not module.endswith(".") else module + words[0])


def line_matches(pattern: re.Pattern[str], text: str, keyword: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern that only matches a line starting ``[ \t]*keyword``.

    The same matches, but the regex runs only at such lines (found with ``str.find``)
    instead of at every character of the cell.
    """
    end = 0
    position = text.find(keyword)
    while position != -1:
        line_start = text.rfind("\n", 0, position) + 1
        if line_start >= end and not text[line_start:position].strip(" \t"):
            match = pattern.match(text, line_start)
            if match is not None:
                end = match.end()
                yield match
        line_end = text.find("\n", position)
        if line_end == -1:
            return
        position = text.find(keyword, max(line_end, end))
