"""The IPython extension: hooks that record every execution and explain every crash.

``pre_run_cell`` refreshes the notebook file and runs the guard; ``post_run_cell``
records the execution and, when it failed, classifies the crash, enriches it with
live values and displays the card under IPython's own traceback.

nbcrash never sits in the exception path: it installs no custom exception handler,
so the traceback, the error output and the reply are IPython's own, byte for byte,
even when formatting the exception fails (a ``__str__`` that returns an int or
raises, a message IPython cannot send, a broken ``linecache``). Nothing nbcrash does
may reach the user's cell: every hook runs under ``_guarded``, which catches
``BaseException`` and keeps the failure in ``internal_errors`` (shown by ``%nbcrash``).
"""
from __future__ import annotations

import ast
import logging
import threading
import time
import traceback
from collections import deque
from itertools import islice
from typing import Any

from .config import NbcrashConfig
from .display import crash_bundle, show, warning_bundle
from .notebook_file import NotebookWatcher
from .session import Session

log = logging.getLogger("nbcrash")

FIND_FROM_LAST = 200  # executions read to find an unnamed notebook by what ran (bounded per cell)

_ACTIVE: dict[int, "NbcrashExtension"] = {}


class CellBlocked(Exception):
    """Raised (as IPython's ``InputRejected``) when the guard in block mode stops a cell."""


class _Blocker(ast.NodeTransformer):
    """An AST transformer that rejects the cell the guard flagged (installed only for that cell)."""

    def __init__(self, extension: "NbcrashExtension") -> None:
        self.extension = extension

    def visit(self, node: ast.AST) -> ast.AST:
        message, self.extension.block_message = self.extension.block_message, None
        if message:
            from IPython.core.error import InputRejected

            raise InputRejected(f"nbcrash blocked this cell: {message} "
                                "(%nbcrash guard warn lets it run anyway)")
        return node


class NbcrashExtension:
    """The extension's state in one shell: config, session, notebook watcher, hooks."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.config = NbcrashConfig(parent=shell)
        # A kernel's shell has ``kernel`` (ipykernel); a terminal IPython has no notebook beyond its session.
        self.session = Session(shell.user_ns, getattr(shell, "user_ns_hidden", {}),
                               self.config.max_namespace_scan, self.config.max_history,
                               whole_session=getattr(shell, "kernel", None) is None)
        self.watcher = NotebookWatcher()
        self.watcher.explicit = self.config.notebook_path or None
        self.internal_errors: deque[dict] = deque(maxlen=20)
        self.block_message: str | None = None
        self.blocker = _Blocker(self)
        self.last_card_latency: float | None = None

    # ---- lifecycle ----------------------------------------------------------------

    def register(self) -> None:
        """Hook into the shell (events, AST transformer, magics, %config)."""
        events = self.shell.events
        events.register("pre_run_cell", self.pre_run_cell)
        events.register("post_run_cell", self.post_run_cell)
        if self.config not in self.shell.configurables:
            self.shell.configurables.append(self.config)
        from .magics import NbcrashMagics

        self.shell.register_magics(NbcrashMagics(self.shell, extension=self))
        self._register_comm()
        if self.config.preload:
            threading.Thread(target=self._preload, name="nbcrash-preload", daemon=True).start()

    def _register_comm(self) -> None:
        """The ``nbcrash`` comm: JupyterLab sends the notebook's current cells over it."""
        from .comm import register_comm

        self._guarded("comm", register_comm, self)  # no comm (a terminal IPython) is fine

    def _preload(self) -> None:
        """Import what the first crash needs, off the user's path (the classifier takes ~0.5 s, the advice ~30 ms)."""
        try:
            from .. import classifier  # noqa: F401
            from ..advice import arguments, attributes, keys, messages, ml, names  # noqa: F401
            from ..card import render  # noqa: F401
            from ..facts import cells, graph  # noqa: F401
            from ..record import safe_text, tracebacks  # noqa: F401
            from . import crash, staleness  # noqa: F401
        except BaseException as error:  # noqa: BLE001
            self.note_error("preload", error)

    def unregister(self) -> None:
        """Undo ``register``: the shell is as it was before ``%load_ext nbcrash``."""
        for event, callback in (("pre_run_cell", self.pre_run_cell), ("post_run_cell", self.post_run_cell)):
            try:
                self.shell.events.unregister(event, callback)
            except ValueError:
                pass
        if self.blocker in self.shell.ast_transformers:
            self.shell.ast_transformers.remove(self.blocker)
        from .comm import unregister_comm

        self._guarded("comm", unregister_comm, self)
        if self.config in self.shell.configurables:
            self.shell.configurables.remove(self.config)
        self._remove_own_magic()

    def _remove_own_magic(self) -> None:
        """Remove ``%nbcrash`` only while it is still nbcrash's (another extension may have replaced it)."""
        from .magics import NbcrashMagics

        manager = self.shell.magics_manager
        line = manager.magics["line"].get("nbcrash")
        if isinstance(getattr(line, "__self__", None), NbcrashMagics):
            manager.magics["line"].pop("nbcrash", None)
        if isinstance(manager.registry.get("NbcrashMagics"), NbcrashMagics):
            manager.registry.pop("NbcrashMagics", None)

    def _show_crash(self, error: BaseException, source: str, cell_id: str | None,
                    count: int | None, before_exec: bool) -> None:
        if not self.config.enabled:  # off: keep the history right, spend nothing else
            self.session.record(count, cell_id, source, status="error", ename=type(error).__name__)
            return
        started = time.perf_counter()
        from .crash import diagnose_crash

        record = diagnose_crash(self, error, source, cell_id, count, before_exec=before_exec)
        if record is not None and self.config.enabled and self.config.show_card:
            show(crash_bundle(record))
        self.last_card_latency = time.perf_counter() - started

    # ---- internal errors ----------------------------------------------------------

    def note_error(self, where: str, error: BaseException | None = None) -> None:
        """Keep nbcrash's own failure for ``%nbcrash``; never raises (even with ``traceback`` broken)."""
        try:
            text = "".join(traceback.format_exception(error)) if error is not None else traceback.format_exc()
        except BaseException:  # noqa: BLE001 - the user may have broken traceback or linecache
            text = f"{type(error).__name__} (its traceback could not be formatted)"
        try:
            self.internal_errors.append({"where": where, "time": time.time(), "traceback": text[-4000:]})
            log.debug("nbcrash internal error in %s: %s", where, text)
        except BaseException:  # noqa: BLE001
            pass

    def _guarded(self, where: str, work: Any, *args: Any) -> Any:
        """``work(*args)``; whatever it raises is kept for ``%nbcrash``, never shown in the cell.

        ``BaseException`` too: a user object's ``__repr__`` may raise ``SystemExit`` (which
        would end the kernel) or ``KeyboardInterrupt``. An interrupt that reaches a hook is
        not re-raised either: IPython's event loop would print it with nbcrash's frames,
        and the user's cell has not started (pre_run_cell) or has already ended (post_run_cell).
        """
        try:
            return work(*args)
        except BaseException as error:  # noqa: BLE001
            self.note_error(where, error)
            return None

    # ---- hooks --------------------------------------------------------------------

    def pre_run_cell(self, info: Any) -> None:
        """Before a cell: re-read the notebook if it changed, then run the guard."""
        self._guarded("pre_run_cell", self._before_cell, info)

    def _before_cell(self, info: Any) -> None:
        self.block_message = None
        if self.watcher.refresh(self.shell.user_ns, self._what_ran(info)):
            self.use_notebook()
        if not self.config.enabled or self.config.guard == "off":
            return
        self._guard(getattr(info, "raw_cell", "") or "", getattr(info, "cell_id", None))

    def _what_ran(self, info: Any) -> list[str]:
        """The latest sources that ran and the cell about to run: what shows which notebook this is,
        when nobody named it (a kernel only: a terminal IPython's session is all its code)."""
        if self.session.whole_session or not self.config.find_notebook or self.watcher.snapshot is not None:
            return []
        recent = [record.source for record in islice(reversed(self.session.executions), FIND_FROM_LAST)]
        return recent + [getattr(info, "raw_cell", "") or ""]

    def use_notebook(self) -> None:
        """Take the watcher's new snapshot; analyse its cells in the background if configured."""
        snapshot = self.watcher.snapshot
        self.session.use_notebook(snapshot)
        if snapshot is not None and self.config.background_analysis:
            sources = [c.source for c in snapshot.cells if c.kind == "code"]
            threading.Thread(target=self._analyse, args=(sources,), name="nbcrash-analyse", daemon=True).start()

    def _analyse(self, sources: list[str]) -> None:
        """Fill ``analyze_cell``'s cache, one cell at a time, yielding to the user's code between cells."""
        try:
            from ..facts.cells import analyze_cell

            for source in sources:
                analyze_cell(source)
                time.sleep(0.001)
        except BaseException as error:  # noqa: BLE001
            self.note_error("background analysis", error)

    def _guard(self, source: str, cell_id: str | None) -> None:
        from .guard import check_cell

        ident, _ = self.session.cell_identity(cell_id, source)
        warning = check_cell(source, self.shell.user_ns, self.session, ident)
        if warning is None:
            return
        from ..record.safe_text import clean_data

        warning = clean_data(warning)  # names and cell text may hold lone surrogates
        warning["blocked"] = self.config.guard == "block"
        self.session.warnings.append(warning)
        show(warning_bundle(warning))
        if warning["blocked"]:
            self.block_message = warning["message"]
            # Only while a cell is blocked: any AST transformer makes IPython walk the whole
            # tree (fix_missing_locations), milliseconds on a long cell.
            if self.blocker not in self.shell.ast_transformers:
                self.shell.ast_transformers.append(self.blocker)

    def post_run_cell(self, result: Any) -> None:
        """After a cell: record it; when it failed, diagnose and show the card."""
        self._guarded("post_run_cell", self._after_cell, result)
        self._guarded("post_run_cell", self._unblock)

    def _unblock(self) -> None:
        self.block_message = None
        if self.blocker in self.shell.ast_transformers:
            self.shell.ast_transformers.remove(self.blocker)

    def _after_cell(self, result: Any) -> None:
        if result is None:
            return
        info = result.info
        source = getattr(info, "raw_cell", "") or ""
        cell_id = getattr(info, "cell_id", None)
        count = result.execution_count
        error = result.error_in_exec or result.error_before_exec
        if error is None:
            self.session.record(count, cell_id, source)
            return
        from IPython.core.error import InputRejected

        if isinstance(error, InputRejected) and "nbcrash blocked" in str(error):
            self.session.record(count, cell_id, source, status="blocked")
            return
        if isinstance(error, KeyboardInterrupt):
            self.session.record(count, cell_id, source, status="interrupted", ename="KeyboardInterrupt")
            return
        self._show_crash(error, source, cell_id, count, before_exec=result.error_in_exec is None)


def load_ipython_extension(shell: Any) -> None:
    """``%load_ext nbcrash``: start explaining crashes in this shell (loading twice is a no-op)."""
    if id(shell) in _ACTIVE:
        return
    extension = NbcrashExtension(shell)
    extension.register()
    _ACTIVE[id(shell)] = extension


def unload_ipython_extension(shell: Any) -> None:
    """``%unload_ext nbcrash``: remove every hook nbcrash installed."""
    extension = _ACTIVE.pop(id(shell), None)
    if extension is not None:
        extension.unregister()


def active_extension(shell: Any) -> NbcrashExtension | None:
    """The extension loaded in ``shell``, if any."""
    return _ACTIVE.get(id(shell))
