"""The kernel side of the ``nbcrash`` comm: the front end's current cells feed the session.

JupyterLab (the nbcrash labextension) opens a comm with target ``nbcrash`` when the
kernel is ready and sends ``{"type": "cells", "path": ..., "cells": [{"id",
"cell_type", "source"}, ...]}`` on every change (debounced) and right before a cell
runs. The cells replace the notebook file's snapshot, so unsaved edits and cells
that never ran count in every diagnosis and warning. The kernel answers
``{"type": "ack", "cells": n}``, or ``{"type": "error", "message": ...}`` for a
message it cannot read. Nothing here may raise into the kernel.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

from .notebook_file import NotebookCell, NotebookSnapshot

if TYPE_CHECKING:
    from .extension import NbcrashExtension

log = logging.getLogger("nbcrash")

TARGET = "nbcrash"
MAX_CELLS = 10_000
MAX_SOURCE_CHARS = 1_000_000     # one cell; longer sources are cut (the analysis caps anyway)
CELL_KINDS = frozenset({"code", "markdown", "raw"})


def snapshot_from_message(data: Any, path: Path, mtime: float) -> NotebookSnapshot | None:
    """The cells of a ``cells`` message as a snapshot, or None when the message is not one."""
    if not isinstance(data, Mapping) or data.get("type") != "cells":
        return None
    raw_cells = data.get("cells")
    if not isinstance(raw_cells, list) or len(raw_cells) > MAX_CELLS:
        return None
    cells = []
    for index, raw in enumerate(raw_cells):
        if not isinstance(raw, Mapping):
            return None
        cell_id, kind, source = raw.get("id"), raw.get("cell_type", "code"), raw.get("source", "")
        if not isinstance(cell_id, str) or not cell_id or not isinstance(source, str):
            return None
        kind = kind if kind in CELL_KINDS else "code"
        cells.append(NotebookCell(cell_id=cell_id[:200], index=index, kind=kind,
                                  source=source[:MAX_SOURCE_CHARS]))
    return NotebookSnapshot(path=path, mtime=mtime, cells=cells)


def _file_of(extension: "NbcrashExtension", data: Any) -> tuple[Path, float]:
    """The notebook file and its mtime, so that the watcher re-reads it only after a save.

    When the file cannot be found the front end's path stands in, with mtime 0.
    """
    found = extension.watcher.path(extension.shell.user_ns)
    if found is not None:
        try:
            return found, found.stat().st_mtime
        except OSError:
            pass
    name = data.get("path") if isinstance(data, Mapping) else None
    return Path(name if isinstance(name, str) else ""), 0.0


class CellsComm:
    """One open ``nbcrash`` comm: every message updates the session's notebook cells."""

    def __init__(self, extension: "NbcrashExtension", comm: Any) -> None:
        self.extension = extension
        self.comm = comm
        self.received = 0
        self.last_update: float | None = None
        comm.on_msg(self.on_msg)

    def on_msg(self, msg: Mapping[str, Any]) -> None:
        """A ``comm_msg`` from the front end."""
        self.receive(_data(msg))

    def receive(self, data: Any) -> None:
        """Take the cells; answer ack or error (never raise)."""
        try:
            path, mtime = _file_of(self.extension, data)
            snapshot = snapshot_from_message(data, path, mtime)
            if snapshot is None:
                self._send({"type": "error", "message": "expected {type: 'cells', cells: [{id, cell_type, source}]}"})
                return
            self.extension.watcher.snapshot = snapshot
            self.extension.use_notebook()
            self.received += 1
            self.last_update = time.time()
            self._send({"type": "ack", "cells": len(snapshot.cells)})
        except BaseException as error:  # noqa: BLE001 - never break the kernel
            self.extension.note_error("comm", error)

    def _send(self, data: dict) -> None:
        try:
            self.comm.send(data)
        except Exception as error:  # noqa: BLE001
            self.extension.note_error("comm send", error)


def _data(msg: Any) -> Any:
    try:
        return msg["content"]["data"]
    except (KeyError, TypeError):
        return None


def comm_manager(shell: Any) -> Any:
    """The kernel's comm manager, or None outside a kernel (a terminal IPython)."""
    kernel = getattr(shell, "kernel", None)
    manager = getattr(kernel, "comm_manager", None)
    if manager is not None:
        return manager
    if kernel is None:
        return None
    try:
        import comm

        return comm.get_comm_manager()
    except Exception:  # noqa: BLE001
        return None


def open_handler(extension: "NbcrashExtension") -> Callable[[Any, Any], None]:
    """The ``comm_open`` handler for target ``nbcrash``."""

    def on_open(comm: Any, msg: Any) -> None:
        try:
            channel = CellsComm(extension, comm)
            extension.__dict__.setdefault("comms", []).append(channel)
        except BaseException as error:  # noqa: BLE001 - never break the kernel
            extension.note_error("comm open", error)
            return
        channel.receive(_data(msg))

    return on_open


def register_comm(extension: "NbcrashExtension") -> bool:
    """Accept the front end's ``nbcrash`` comm in this kernel; False outside a kernel."""
    try:
        manager = comm_manager(extension.shell)
        if manager is None:
            return False
        manager.register_target(TARGET, open_handler(extension))
        return True
    except Exception as error:  # noqa: BLE001
        extension.note_error("register comm", error)
        return False


def unregister_comm(extension: "NbcrashExtension") -> None:
    """Stop accepting the comm (``%unload_ext nbcrash``); open comms are closed."""
    try:
        manager = comm_manager(extension.shell)
        if manager is not None:
            manager.targets.pop(TARGET, None)
        for channel in extension.__dict__.pop("comms", []):
            try:
                channel.comm.close()
            except Exception:  # noqa: BLE001
                pass
    except Exception as error:  # noqa: BLE001
        extension.note_error("unregister comm", error)
