"""A saved notebook's execution history, as a ``NotebookGraph``.

A saved ``.ipynb`` keeps, for each code cell, its source, its outputs and the
execution count of its *last* run. ``history_from_notebook`` orders the cells
that have a count by that count and replays them as executions. A cell without
a count but with outputs (counts stripped, or saved while running) did run: it
is placed right after the nearest counted cell above it, a guess. Other cells
without a count never ran in the saved session. A cell with an error output
becomes a failed execution, with the line of the cell it failed on when the
traceback tells it (from its outermost frame, the cell's own).

Limitations, by what the file keeps:
- a cell that ran several times shows only its last run (and its current
  source, which may differ from what ran): earlier runs are invisible;
- counts from a previous kernel session that were never re-run look like part
  of the current session; equal counts (a restart) are ordered failed runs
  first, then by position;
- names bound by a run are taken from the cell's static facts, not from what
  the kernel really held;
- a cell that ran without output and whose count was stripped looks never run.

Reads nbformat 4 (any minor) and nbformat 3 (``worksheets``) from the parsed
JSON, robust to string-or-list sources, missing outputs, ids and counts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterator

from .graph import NotebookGraph

MAX_HEADINGS = 3


class NotebookError(ValueError):
    """The JSON given is not a Jupyter notebook."""


def history_from_notebook(nb: Any, analyze: Callable[[str], Any] | None = None) -> NotebookGraph:
    """The graph of ``nb`` (parsed ``.ipynb`` JSON): its cells and its saved executions.

    Raises ``NotebookError`` when ``nb`` is not a notebook. Cell ids are the
    notebook's own when present and unique, otherwise ``cell-<index>`` (the
    cell's position among all cells, markdown included).
    """
    cells = notebook_cells(nb)
    graph = NotebookGraph(analyze)
    ran: list[tuple[tuple[int, int, int], str, int | None, dict | None]] = []
    count_above = -1
    for index, cell_id, cell in _with_ids(cells):
        kind = _cell_kind(cell)
        graph.add_cell(cell_id, text_of(_source_field(cell)), index=index, kind=kind)
        if kind != "code":
            continue
        count = _execution_count(cell)
        if count is not None:
            # Equal counts come from different kernel sessions: a crash at count N
            # saw nothing of another cell's run at N, so failed runs go first.
            error = _error_output(cell)
            ran.append(((count, 0 if error is not None else 1, index), cell_id, count, error))
            count_above = count
        elif _has_outputs(cell):
            # Outputs without a count (counts stripped, or saved mid-run): it ran, we
            # guess right after the nearest counted cell above it.
            ran.append(((count_above, 2, index), cell_id, None, _error_output(cell)))
    for _, cell_id, count, error in sorted(ran, key=lambda r: r[0]):
        _add_saved_execution(graph, cell_id, count, error)
    return graph


def notebook_cells(nb: Any) -> list[dict]:
    """The notebook's cells as a flat list (nbformat 3 worksheets concatenated)."""
    if not isinstance(nb, dict):
        raise NotebookError(f"not a notebook: expected a JSON object, got {type(nb).__name__}")
    if isinstance(nb.get("cells"), list):
        raw = nb["cells"]
    elif isinstance(nb.get("worksheets"), list):
        raw = [c for ws in nb["worksheets"] if isinstance(ws, dict)
               for c in (ws.get("cells") or [])]
    else:
        raise NotebookError("not a notebook: no 'cells' list (nbformat 4) "
                            "nor 'worksheets' (nbformat 3)")
    return [c for c in raw if isinstance(c, dict)]


def text_of(value: Any) -> str:
    """A notebook multiline string (a string or a list of strings) as one string."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(part for part in value if isinstance(part, str))
    return ""


def _with_ids(cells: list[dict]) -> Iterator[tuple[int, str, dict]]:
    seen: set[str] = set()
    for index, cell in enumerate(cells):
        cell_id = cell.get("id")
        if not isinstance(cell_id, str) or not cell_id or cell_id in seen:
            cell_id = f"cell-{index}"
        seen.add(cell_id)
        yield index, cell_id, cell


def _cell_kind(cell: dict) -> str:
    kind = cell.get("cell_type")
    if kind == "heading":  # nbformat 3
        return "markdown"
    return kind if isinstance(kind, str) else "code"


def _source_field(cell: dict) -> Any:
    return cell["source"] if "source" in cell else cell.get("input")  # v4 / v3


def _execution_count(cell: dict) -> int | None:
    count = cell.get("execution_count", cell.get("prompt_number"))
    if isinstance(count, bool) or not isinstance(count, int):
        return None
    return count


def _outputs(cell: dict) -> list[Any]:
    """The cell's outputs as saved (entries that are not objects are skipped by the readers)."""
    outputs = cell.get("outputs")
    return outputs if isinstance(outputs, list) else []


def _has_outputs(cell: dict) -> bool:
    return any(isinstance(output, dict) for output in _outputs(cell))


def _error_output(cell: dict) -> dict | None:
    for output in _outputs(cell):
        if isinstance(output, dict) and output.get("output_type") in ("error", "pyerr"):
            return output
    return None


def _add_saved_execution(graph: NotebookGraph, cell_id: str, count: int | None, error: dict | None) -> None:
    """``error``: the cell's first error output (``_error_output``), None when it ran without one."""
    if error is None:
        graph.add_execution(cell_id, count)
        return
    ename, evalue = error.get("ename"), error.get("evalue")
    # The diagnosis parses the same traceback with ``ename or ""``: one parse serves both.
    frame = _cell_frame(_traceback_lines(error), ename or "", evalue or "")
    if count is None and frame is not None:
        count = frame.execution_count  # 'In[N]' of the traceback: informative only
    graph.add_execution(
        cell_id, count, status="error",
        error_lineno=frame.lineno if frame is not None else None,
        ename=ename if isinstance(ename, str) else None,
        evalue=evalue if isinstance(evalue, str) else None,
    )


def _traceback_lines(error: dict) -> list[str]:
    traceback = error.get("traceback")
    if isinstance(traceback, str):
        return traceback.splitlines()
    return [t for t in traceback if isinstance(t, str)] if isinstance(traceback, list) else []


@dataclass(frozen=True)
class CellFrame:
    """Where a saved traceback says its own cell stopped."""

    lineno: int | None
    execution_count: int | None


def _cell_frame(traceback: list[str], ename: object = None, evalue: object = None
                ) -> CellFrame | None:
    """The crashing cell's own frame: the outermost frame, when it is the user's code.

    Not ``crash_frame`` (the innermost user frame): that one may be a function
    defined in another cell, whose line says nothing about this cell.
    """
    try:
        from ..record.tracebacks import parse_traceback
    except Exception:
        return _fallback_cell_frame(traceback)
    try:
        frames = parse_traceback(traceback, ename, evalue).frames
    except Exception:
        return None
    if not frames or not getattr(frames[0], "is_user", False):
        return None
    lineno, count = getattr(frames[0], "lineno", None), getattr(frames[0], "execution_count", None)
    return CellFrame(lineno if isinstance(lineno, int) else None,
                     count if isinstance(count, int) else None)


def error_lineno(traceback: list[str]) -> int | None:
    """The line of its own cell that a saved traceback failed on, or None."""
    frame = _cell_frame(traceback)
    return frame.lineno if frame is not None else None


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CELL_LINE = re.compile(r"Cell In ?\[(\d*)\], line (\d+)")


def _fallback_cell_frame(traceback: list[str]) -> CellFrame | None:
    """Only the IPython >= 8 header 'Cell In[N], line L', when ``tracebacks`` is absent."""
    for entry in traceback:
        match = _CELL_LINE.search(_ANSI.sub("", entry))
        if match:
            count = int(match.group(1)) if match.group(1) else None
            return CellFrame(int(match.group(2)), count)
    return None


# ---- markdown headings -----------------------------------------------------------

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HTML_H = re.compile(r"<h([1-6])[^>]*>(.*?)</h\1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def markdown_headings(nb: Any, index: int, limit: int = MAX_HEADINGS) -> list[str]:
    """The outline above cell ``index``: the nearest heading and its parents, nearest last.

    Walking up from the cell, a heading is kept when its level is above every
    heading kept so far (so ``# Data``, ``## Cleaning`` for a cell under
    "Cleaning"); at most ``limit``. Raises ``NotebookError`` for a non-notebook.
    """
    cells = notebook_cells(nb)
    trail: list[str] = []
    level_kept = 7
    for cell in reversed(cells[:max(index, 0)]):
        if _cell_kind(cell) != "markdown":
            continue
        for level, title in reversed(_headings_of(cell)):
            if level < level_kept:
                trail.append(title)
                level_kept = level
            if len(trail) >= limit or level_kept == 1:
                return trail[::-1]
    return trail[::-1]


def _headings_of(cell: dict) -> list[tuple[int, str]]:
    text = text_of(_source_field(cell))
    if cell.get("cell_type") == "heading":  # nbformat 3 heading cell
        level = cell.get("level")
        return [(level if isinstance(level, int) else 1, text.strip())] if text.strip() else []
    return list(_markdown_headings_in(text))


# Each crash walks up the cells above it: parse each markdown text once.
@lru_cache(maxsize=4096)
def _markdown_headings_in(text: str) -> tuple[tuple[int, str], ...]:
    if not any(mark in text for mark in ("#", "\n=", "\n-", "<h", "<H")):
        return ()
    found: list[tuple[int, str]] = []
    previous = ""
    in_fence = False
    for line in text.splitlines():
        head = line.lstrip()[:3]
        if head in ("```", "~~~"):
            in_fence = not in_fence
        elif not in_fence and (head[:1] in ("#", "=", "-") or "<h" in line or "<H" in line):
            found.extend(_heading_in_line(line, previous))  # the common line is none of these: no call
        previous = line if not in_fence else ""
    return tuple((lvl, title) for lvl, title in found if title)


def _heading_in_line(line: str, previous: str) -> list[tuple[int, str]]:
    head = line.lstrip()[:1]
    if head not in ("#", "=", "-") and "<h" not in line and "<H" not in line:
        return []  # the common case, without a regex
    atx = _ATX.match(line)
    if atx:
        return [(len(atx.group(1)), _clean(atx.group(2)))]
    if _SETEXT.match(line) and previous.strip() and not _ATX.match(previous):
        return [(1 if line.strip()[0] == "=" else 2, _clean(previous))]
    return [(int(m.group(1)), _clean(m.group(2))) for m in _HTML_H.finditer(line)]


def _clean(title: str) -> str:
    return " ".join(_TAG.sub("", title).replace("**", "").split())


# ---- the author's prose ------------------------------------------------------------

def prose_above(nb: dict[str, Any], cell_index: int) -> list[str]:
    """The markdown cell directly above cell ``cell_index`` (empty cells skipped), as a one-item list, else []."""
    for cell in reversed(nb["cells"][:cell_index]):
        text = _source_text(cell.get("source"))
        if not text.strip():
            continue
        return [text] if cell.get("cell_type") == "markdown" else []
    return []


def _source_text(source: Any) -> str:
    if isinstance(source, list):
        return "".join(part for part in source if isinstance(part, str))
    return source if isinstance(source, str) else ""
