"""Tracebacks from the text notebooks save: normalising the input (ANSI, HTML links, bounds),
then :func:`parse_traceback`, cached for moderate inputs."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import lru_cache
from typing import Callable, Sequence

from .model import (HEAD_SHARE, MAX_CHAIN, MAX_ELEMENT_CHARS, MAX_LINE_CHARS, MAX_TOTAL_CHARS, Frame,
                    ParsedTraceback)
from .segments import COUNT_IN_NAME, group_parts, split_segments

_HTML_LINK = re.compile(r"<a href='[^']*'>([^<]*)</a>")
_ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # the common case, matched fastest alone
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")


def strip_ansi(text: str) -> str:
    """``text`` without ANSI escape sequences (colours, cursor moves)."""
    if not isinstance(text, str):
        text = str(text)
    text = _ANSI_COLOUR.sub("", text)
    return _ANSI.sub("", text) if "\x1b" in text else text


def _as_elements(lines: Sequence[str] | str | None) -> list[str]:
    """The traceback as stored elements: a list, a JSON list string or plain text."""
    if lines is None:
        return []
    if isinstance(lines, (bytes, bytearray)):
        lines = lines.decode("utf-8", "replace")
    if isinstance(lines, str):
        stripped = lines.lstrip()
        if stripped.startswith("[") and stripped.rstrip().endswith("]"):
            try:
                decoded = json.loads(stripped)
            except ValueError:
                decoded = None
            if isinstance(decoded, list):
                return [item if isinstance(item, str) else str(item) for item in decoded]
        return [lines]
    return [item if isinstance(item, str) else str(item) for item in lines]


def _bounded_text(elements: list[str]) -> tuple[str, bool]:
    """Join the elements into ANSI-free text of bounded size (and whether it was cut)."""
    text = "\n".join(elements)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    truncated = len(text) > MAX_TOTAL_CHARS
    if truncated:
        text = _cut_to_budget(elements)
    if "\x1b" in text:
        text = strip_ansi(text)
    if "<a href" in text:  # VS Code links line numbers to cells
        text = _HTML_LINK.sub(r"\1", text)
    return text, truncated


def _cut_to_budget(elements: list[str]) -> str:
    """Keep the start (the cell frames, outermost) and the end (innermost frames,
    final exception line); each element keeps its head, where a frame header or
    an exception name is."""
    if len(elements) == 1:
        elements = elements[0].split("\n")
    pieces = [e[:MAX_ELEMENT_CHARS] for e in elements]
    head_budget = int(MAX_TOTAL_CHARS * HEAD_SHARE)
    head = _take_budget(pieces, head_budget)
    tail = _take_budget(pieces[::-1], MAX_TOTAL_CHARS - head_budget)
    if len(head) + len(tail) < len(pieces):
        pieces = head + ["[... nbcrash: traceback cut here ...]"] + tail[::-1]
    return "\n".join(pieces)


def _take_budget(pieces: list[str], budget: int) -> list[str]:
    taken: list[str] = []
    for piece in pieces:
        budget -= len(piece)
        if budget < 0:
            break
        taken.append(piece)
    return taken



def parse_traceback(
    lines: Sequence[str] | str | None,
    ename: str | None = None,
    evalue: str | None = None,
    *,
    cell_filename_map: Callable[[str], str | None] | None = None,
) -> ParsedTraceback:
    """Parse a saved traceback (list of lines, JSON list string or text). Never raises.

    ``ename``/``evalue`` from the error output are used when the text has no
    final exception line. ``cell_filename_map`` maps cell file names such as
    ``/tmp/ipykernel_1/2.py`` to display names such as ``'In[5]'``.
    Results for a list of lines are cached (they are immutable): an audit reads
    each saved traceback twice, for the history and for the diagnosis.
    """
    if cell_filename_map is None and _cacheable(lines, ename, evalue):
        return _parse_cached(tuple(lines), ename, evalue)
    return _parse_uncached(lines, ename, evalue, cell_filename_map)


# Only moderate tracebacks are kept: the cache must stay small whatever the input.
MAX_CACHED_CHARS = 64_000


def _cacheable(lines: object, ename: object, evalue: object) -> bool:
    return (isinstance(lines, (list, tuple))
            and (ename is None or isinstance(ename, str))
            and (evalue is None or isinstance(evalue, str))
            and all(isinstance(line, str) for line in lines)
            and sum(map(len, lines)) <= MAX_CACHED_CHARS)


@lru_cache(maxsize=256)
def _parse_cached(lines: tuple[str, ...], ename: str | None, evalue: str | None) -> ParsedTraceback:
    return _parse_uncached(lines, ename, evalue, None)


def clear_parse_cache() -> None:
    """Forget cached parses (benchmarks measure parsing, not the cache)."""
    _parse_cached.cache_clear()


def _parse_uncached(
    lines: Sequence[str] | str | None,
    ename: str | None,
    evalue: str | None,
    cell_filename_map: Callable[[str], str | None] | None,
) -> ParsedTraceback:
    text = ""
    try:
        text, truncated = _bounded_text(_as_elements(lines))
        parsed = _parse_text(
            text.split("\n"), 0, _safe_name(ename), evalue, truncated,
            may_be_group="Exception Group Traceback" in text,
            may_have_long_lines=len(text) > MAX_LINE_CHARS,
        )
        if cell_filename_map is not None:
            parsed = _map_cells(parsed, cell_filename_map)
        return parsed
    except Exception as error:  # noqa: BLE001 - untrusted text must never raise
        return ParsedTraceback(
            frames=(), ename=_safe_name(ename), qualified_ename=None,
            evalue=evalue if isinstance(evalue, str) else None, text=text,
            warnings=(f"parser error: {type(error).__name__}",),
        )


def _parse_text(
    lines: list[str],
    depth: int,
    ename: str | None = None,
    evalue: str | None = None,
    truncated: bool = False,
    may_be_group: bool = True,
    may_have_long_lines: bool = True,
) -> ParsedTraceback:
    if may_have_long_lines and max(map(len, lines), default=0) > MAX_LINE_CHARS:
        lines = [line[:MAX_LINE_CHARS] for line in lines]
    members: tuple[ParsedTraceback, ...] = ()
    if may_be_group and depth < 4 and any("Exception Group Traceback" in line for line in lines):
        group = group_parts(lines)
        if group is not None:
            lines, member_lines = group
            members = tuple(_parse_text(m, depth + 1) for m in member_lines[:MAX_CHAIN])
    segments = split_segments(lines)
    if len(segments) > MAX_CHAIN:
        segments = segments[:1] + segments[-(MAX_CHAIN - 1):]
    chained = tuple(segment.result(lines) for segment in segments[:-1])
    last = segments[-1]
    fields = last.fields(lines, chained)
    fields["text"] = "\n".join(lines).strip("\n")
    fields["sub_exceptions"] = members
    _apply_caller_names(fields, ename, evalue, truncated)
    return ParsedTraceback(**fields)


def _apply_caller_names(
    fields: dict, ename: str | None, evalue: str | None, truncated: bool
) -> None:
    """Fill what the text lacks from the error output's own ename/evalue; flag gaps."""
    warnings = []
    if truncated:
        warnings.append("input truncated")
    if fields["ename"] is None:
        if ename:
            fields["ename"] = ename.rsplit(".", 1)[-1]
            fields["qualified_ename"] = ename if "." in ename else None
        else:
            warnings.append("no exception line")
    if fields["evalue"] is None and isinstance(evalue, str):
        fields["evalue"] = evalue
    if not fields["frames"]:
        warnings.append("no frames")
    fields["warnings"] = tuple(warnings)


def _safe_name(name: object) -> str | None:
    return name.strip() or None if isinstance(name, str) else None


def _map_cells(parsed: ParsedTraceback, mapper: Callable[[str], str | None]) -> ParsedTraceback:
    frames = tuple(_mapped_frame(f, mapper) for f in parsed.frames)
    chained = tuple(_map_cells(c, mapper) for c in parsed.chained)
    return replace(parsed, frames=frames, chained=chained)


def _mapped_frame(frame: Frame, mapper: Callable[[str], str | None]) -> Frame:
    if frame.execution_count is not None or not frame.is_cell:
        return frame
    name = call_mapper(mapper, frame.filename)
    if not name:
        return frame
    count = COUNT_IN_NAME.search(name)
    return replace(
        frame, filename=name, path=frame.filename,
        execution_count=int(count.group(1)) if count else None,
    )


def call_mapper(mapper: Callable[[str], str | None], filename: str) -> str | None:
    try:
        name = mapper(filename)
    except Exception:  # noqa: BLE001 - the caller's mapping must not break us
        return None
    if isinstance(name, (tuple, list)):  # IPython's format_code_name gives ('Cell', 'In[5]')
        name = " ".join(str(part) for part in name)
    return name if isinstance(name, str) and name else None
