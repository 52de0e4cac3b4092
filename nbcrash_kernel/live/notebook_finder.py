"""The notebook a kernel runs when nobody names it, found by what ran.

JupyterLab and VS Code tell the kernel its notebook (``JPY_SESSION_NAME``, ``__vsc_ipynb_file__``);
nbclient, papermill and a jupyter_client loop do not, yet they start the kernel in the notebook's
folder and send each cell's source as the file holds it. So the notebook is the one ``.ipynb`` of the
working folder whose code cells hold every cell that ran. That is taken as evidence only when it is
unambiguous and not trivial: exactly one notebook matches, and what ran is more than a line or two
(``import pandas as pd`` alone is in half the notebooks of any folder). Until then, nbcrash knows
only the cells that ran.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

FOLDER_LIMIT = 64             # notebooks looked at in one folder
FILE_LIMIT = 20_000_000       # bytes: a larger file is not read to find out
ENOUGH_LINES = 3              # non-blank lines that ran, all in the notebook, before it is believed


class NotebookFinder:
    """Finds the working folder's notebook that holds every cell that ran; remembers each file's code cells."""

    def __init__(self) -> None:
        self._cells: dict[Path, tuple[float, frozenset[str]]] = {}

    def find(self, folder: Path, ran: Iterable[str]) -> Path | None:
        """The one notebook of ``folder`` whose code cells include every source of ``ran`` that any of
        the folder's notebooks holds, or None.

        Code no notebook holds (a harness's own setup, a cell edited since the last save) says nothing
        either way and is left out; what is left must be at least ``ENOUGH_LINES`` lines.
        """
        wanted = {source.strip() for source in ran if isinstance(source, str) and source.strip()}
        held = {path: cells & wanted for path in _notebooks_in(folder)
                if (cells := self._code_cells(path)) is not None}
        in_any = set().union(*held.values()) if held else set()
        if _lines(in_any) < ENOUGH_LINES:
            return None
        holding_all = [path for path, matched in held.items() if matched == in_any]
        # Two notebooks holding all of it: nothing says which one runs.
        return holding_all[0] if len(holding_all) == 1 else None

    def _code_cells(self, path: Path) -> frozenset[str] | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        cached = self._cells.get(path)
        if cached is not None and cached[0] == stat.st_mtime:
            return cached[1]
        if stat.st_size > FILE_LIMIT:
            return None
        cells = _read_code_cells(path)
        if cells is not None:
            self._cells[path] = (stat.st_mtime, cells)
        return cells


def _lines(sources: set[str]) -> int:
    return sum(1 for source in sources for line in source.splitlines() if line.strip())


def _notebooks_in(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".ipynb") and e.is_file())
    except OSError:
        return []
    return [folder / name for name in names[:FOLDER_LIMIT]]


def _read_code_cells(path: Path) -> frozenset[str] | None:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        return None
    sources = set()
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            if isinstance(source, list):
                source = "".join(part for part in source if isinstance(part, str))
            if isinstance(source, str) and source.strip():
                sources.add(source.strip())
    return frozenset(sources)
