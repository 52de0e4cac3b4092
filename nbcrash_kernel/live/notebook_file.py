"""The notebook file the kernel serves: where it is, and its cells (read with ``json``).

nbformat is not imported here on purpose: with jupyter_server installed its import
costs over a second, which the kernel's start cannot afford.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence


@dataclass
class NotebookCell:
    """One cell of the file: its id (as JupyterLab sends it in ``cellId``), kind and source."""

    cell_id: str
    index: int
    kind: str
    source: str


@dataclass
class NotebookSnapshot:
    """The file's cells at one modification time."""

    path: Path
    mtime: float
    cells: list[NotebookCell] = field(default_factory=list)

    @property
    def headings(self) -> list[str]:
        """Markdown headings, in order (the classifier reads them for the stage)."""
        return [line.lstrip("#").strip() for c in self.cells if c.kind == "markdown"
                for line in c.source.splitlines() if line.startswith("#")]

    def headings_above(self, cell_id: str | None) -> list[str]:
        """The outline above the cell (its nearest heading last), as the audit reads it.

        A cell not in the file (not saved yet) gets none: every heading would name other sections.
        """
        index = next((c.index for c in self.cells if c.cell_id == cell_id), None)
        if index is None:
            return []
        from ..facts.history import markdown_headings

        return markdown_headings({"cells": [{"cell_type": c.kind, "source": c.source}
                                            for c in self.cells]}, index)

    def prose_above(self, cell_id: str | None) -> list[str]:
        """The markdown cell directly above the cell (empty cells skipped), as the audit reads it."""
        index = next((c.index for c in self.cells if c.cell_id == cell_id), None)
        if index is None:
            return []
        from ..facts.history import prose_above

        return prose_above({"cells": [{"cell_type": c.kind, "source": c.source} for c in self.cells]}, index)


def locate_notebook(explicit: str | None = None, user_ns: Mapping[str, Any] | None = None,
                    environ: Mapping[str, str] | None = None,
                    cwd: str | os.PathLike | None = None) -> Path | None:
    """The notebook's path: explicit, then VS Code's ``__vsc_ipynb_file__``, then ``JPY_SESSION_NAME``.

    ``JPY_SESSION_NAME`` is relative to the server's root while the kernel runs in the
    notebook's folder, so a relative name is tried against the working directory and
    each of its parents.
    """
    environ = os.environ if environ is None else environ
    candidates = [explicit, (user_ns or {}).get("__vsc_ipynb_file__"), environ.get("JPY_SESSION_NAME")]
    for candidate in candidates:
        if not isinstance(candidate, str) or not candidate.endswith(".ipynb"):
            continue
        found = _resolve(candidate, Path(cwd) if cwd is not None else Path.cwd())
        if found is not None:
            return found
    return None


def _resolve(name: str, base: Path) -> Path | None:
    path = Path(name).expanduser()
    if path.is_absolute():
        return path if path.is_file() else None
    for folder in (base, *base.parents):
        if (folder / path).is_file():
            return (folder / path).resolve()
    if (base / path.name).is_file():
        return (base / path.name).resolve()
    return None


def read_notebook(path: Path) -> NotebookSnapshot | None:
    """The cells of an .ipynb file, or None when it cannot be read as a notebook."""
    try:
        mtime = path.stat().st_mtime
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    raw_cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(raw_cells, list):
        return None
    cells = [_cell(raw, i) for i, raw in enumerate(raw_cells) if isinstance(raw, dict)]
    return NotebookSnapshot(path=path, mtime=mtime, cells=cells)


def _cell(raw: dict, index: int) -> NotebookCell:
    source = raw.get("source", "")
    if isinstance(source, list):
        source = "".join(s for s in source if isinstance(s, str))
    cell_id = raw.get("id")
    if not isinstance(cell_id, str) or not cell_id:
        cell_id = f"cell-{index}"  # nbformat < 4.5 has no ids
    return NotebookCell(cell_id=cell_id, index=index, kind=str(raw.get("cell_type", "code")),
                        source=source if isinstance(source, str) else "")


RETRY_SECONDS = 3.0


class NotebookWatcher:
    """Keeps the latest snapshot of the notebook; re-reads it when its mtime changes."""

    def __init__(self) -> None:
        self.explicit: str | None = None
        self.snapshot: NotebookSnapshot | None = None
        self._located: tuple[tuple, Path | None, float] = ((), None, 0.0)
        self._finder: Any = None              # live.notebook_finder, made on first use
        self._found: Path | None = None       # the notebook found by what ran (no name given)

    def path(self, user_ns: Mapping[str, Any] | None = None, ran: Sequence[str] = ()) -> Path | None:
        """The notebook's path, looked up again when one of its sources changes.

        A name that did not resolve is retried every few seconds (the working directory
        may change), not before every cell: ``os.getcwd`` alone can cost 0.3 ms. With no name at
        all, ``ran`` (the sources that ran, latest last) may still show which notebook of the working
        folder this is (``live.notebook_finder``); once found, it stays while the file exists.
        """
        key = (self.explicit, (user_ns or {}).get("__vsc_ipynb_file__"), os.environ.get("JPY_SESSION_NAME"))
        old_key, found, when = self._located
        now = time.monotonic()
        if key != old_key or (found is None and any(key) and now - when > RETRY_SECONDS):
            found = locate_notebook(self.explicit, user_ns)
            self._located = (key, found, now)
        if found is None and not any(key):
            found = self._found_by_what_ran(ran)
        return found

    def _found_by_what_ran(self, ran: Sequence[str]) -> Path | None:
        if self._found is not None and self._found.is_file():
            return self._found
        if not ran:
            return None
        from .notebook_finder import NotebookFinder

        try:
            folder = Path.cwd()
        except OSError:  # the working folder was removed
            return None
        self._finder = self._finder or NotebookFinder()
        self._found = self._finder.find(folder, ran)
        return self._found

    @property
    def found_by_what_ran(self) -> bool:
        """The snapshot's file was found by the cells that ran, not named."""
        return self._found is not None and self.snapshot is not None and self.snapshot.path == self._found

    def refresh(self, user_ns: Mapping[str, Any] | None = None, ran: Sequence[str] = ()) -> bool:
        """Re-read the file if it moved or changed; True when there is a new snapshot."""
        path = self.path(user_ns, ran)
        if path is None:
            return False
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return False
        current = self.snapshot
        if current is not None and current.path == path and current.mtime == mtime:
            return False
        snapshot = read_notebook(path)
        if snapshot is None:
            return False
        self.snapshot = snapshot
        return True
