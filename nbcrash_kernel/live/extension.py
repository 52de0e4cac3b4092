"""The IPython extension: hooks that record every execution and explain every crash.

``pre_run_cell`` refreshes the notebook file and runs the guard; ``post_run_cell``
records the execution and, when it failed, classifies the crash, enriches it with
live values and displays the card under IPython's own traceback (which nbcrash
never touches). Nothing nbcrash does may reach the user's cell: every hook is
guarded and its failures go to ``internal_errors`` (shown by ``%nbcrash``).
"""
from __future__ import annotations

import re

import ast
import logging
import threading
import time
import traceback
from collections import deque
from typing import Any

from .config import NbcrashConfig
from .display import crash_bundle, show, warning_bundle
from .notebook_file import NotebookWatcher
from .session import Session

log = logging.getLogger("nbcrash")

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
        self.session = Session(shell.user_ns, getattr(shell, "user_ns_hidden", {}),
                               self.config.max_namespace_scan, self.config.max_history)
        self.watcher = NotebookWatcher()
        self.watcher.explicit = self.config.notebook_path or None
        self.internal_errors: deque[dict] = deque(maxlen=20)
        self.block_message: str | None = None
        self.blocker = _Blocker(self)
        self.last_card_latency: float | None = None
        self._cell: tuple[str, str | None] = ("", None)   # (raw source, cell id) of the running cell
        self._handled: BaseException | None = None         # the exception the handler already carded
        self._previous_custom_exc: tuple | None = None

    # ---- lifecycle ----------------------------------------------------------------

    def register(self) -> None:
        """Hook into the shell (events, AST transformer, magics, %config)."""
        events = self.shell.events
        events.register("pre_run_cell", self.pre_run_cell)
        events.register("post_run_cell", self.post_run_cell)
        self._install_exception_handler()
        if self.config not in self.shell.configurables:
            self.shell.configurables.append(self.config)
        from .magics import NbcrashMagics

        self.shell.register_magics(NbcrashMagics(self.shell, extension=self))
        self._register_comm()
        if self.config.preload:
            threading.Thread(target=self._preload, name="nbcrash-preload", daemon=True).start()

    def _register_comm(self) -> None:
        """The ``nbcrash`` comm: JupyterLab sends the notebook's current cells over it."""
        try:
            from .comm import register_comm

            register_comm(self)
        except Exception as error:  # noqa: BLE001 - no comm (a terminal IPython) is fine
            self.note_error("comm", error)

    def _preload(self) -> None:
        """Import what the first crash needs, off the user's path (the classifier takes ~0.5 s)."""
        try:
            from .. import cells, classifier, graph, render, tracebacks  # noqa: F401
        except Exception as error:  # noqa: BLE001
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
        try:
            from .comm import unregister_comm

            unregister_comm(self)
        except Exception as error:  # noqa: BLE001
            self.note_error("comm", error)
        if self._previous_custom_exc is not None:
            exceptions, handler = self._previous_custom_exc
            self.shell.custom_exceptions, self.shell.CustomTB = exceptions, handler
            self._previous_custom_exc = None
        if self.config in self.shell.configurables:
            self.shell.configurables.remove(self.config)
        manager = self.shell.magics_manager
        manager.magics["line"].pop("nbcrash", None)
        manager.registry.pop("NbcrashMagics", None)

    def _install_exception_handler(self) -> None:
        """Take IPython's custom exception hook, unless another extension holds it.

        Without the hook, ``post_run_cell`` still diagnoses every failure, only later
        (after IPython has stored the formatted traceback in its history).
        """
        if self.shell.custom_exceptions:
            return
        self._previous_custom_exc = (self.shell.custom_exceptions, self.shell.CustomTB)
        self.shell.set_custom_exc((BaseException,), self._exception_handler)

    def _exception_handler(self, shell: Any, etype: type, value: BaseException, tb: Any,
                           tb_offset: int | None = None) -> None:
        """Show IPython's usual traceback, then the card (IPython ignores our return value)."""
        show_usual_traceback(shell, etype, value, tb, tb_offset)
        try:
            if isinstance(value, KeyboardInterrupt):
                return
            source, cell_id = self._cell
            before_exec = tb is not None and tb.tb_frame.f_code.co_name != "run_code"
            self._handled = value  # even if what follows fails, post_run_cell must not record it twice
            self._show_crash(value, source, cell_id, running_count(shell, tb, value), before_exec)
        except BaseException as error:  # noqa: BLE001 - raising here would unregister the hook
            self.note_error("exception handler", error)

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
        """Keep nbcrash's own failure for ``%nbcrash``; never re-raise it."""
        text = "".join(traceback.format_exception(error)) if error is not None else traceback.format_exc()
        self.internal_errors.append({"where": where, "time": time.time(), "traceback": text[-4000:]})
        log.debug("nbcrash internal error in %s: %s", where, text)

    # ---- hooks --------------------------------------------------------------------

    def pre_run_cell(self, info: Any) -> None:
        """Before a cell: re-read the notebook if it changed, then run the guard."""
        try:
            self.block_message = None
            self._handled = None
            self._cell = (getattr(info, "raw_cell", "") or "", getattr(info, "cell_id", None))
            if self.watcher.refresh(self.shell.user_ns):
                self.use_notebook()
            if not self.config.enabled or self.config.guard == "off":
                return
            self._guard(getattr(info, "raw_cell", "") or "", getattr(info, "cell_id", None))
        except Exception as error:  # noqa: BLE001 - never reach the user's cell
            self.note_error("pre_run_cell", error)

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
            from ..cells import analyze_cell

            for source in sources:
                analyze_cell(source)
                time.sleep(0.001)
        except Exception as error:  # noqa: BLE001
            self.note_error("background analysis", error)

    def _guard(self, source: str, cell_id: str | None) -> None:
        from .guard import check_cell

        ident, _ = self.session.cell_identity(cell_id, source)
        warning = check_cell(source, self.shell.user_ns, self.session, ident)
        if warning is None:
            return
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
        try:
            self._after_cell(result)
        except Exception as error:  # noqa: BLE001
            self.note_error("post_run_cell", error)
        finally:
            self.block_message = None
            self._handled = None
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
        if error is self._handled:  # the exception handler recorded and carded it
            return
        self._show_crash(error, source, cell_id, count, before_exec=result.error_in_exec is None)


_COMPILE_ERRORS = (OverflowError, SyntaxError, ValueError, TypeError, MemoryError)


def running_count(shell: Any, tb: Any, error: BaseException | None = None) -> int | None:
    """The execution count of the cell that raised: from its ``In[n]`` file name.

    IPython 9 increments ``shell.execution_count`` before it runs a cell, so inside the
    exception handler the shell's counter is already the next cell's.
    """
    name_of = getattr(getattr(shell, "compile", None), "format_code_name", None)
    filenames = [getattr(error, "filename", None)] if isinstance(error, SyntaxError) else []
    while tb is not None:
        filenames.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    for filename in filenames:
        label = name_of(filename) if name_of is not None and filename else None
        match = re.search(r"\[(\d+)\]", label[1]) if label else None
        if match:
            return int(match.group(1))
    return shell.execution_count


def show_usual_traceback(shell: Any, etype: type, value: BaseException, tb: Any,
                         tb_offset: int | None) -> None:
    """Display the error exactly as IPython does when no custom handler is set.

    A traceback that does not start in ``run_code`` comes from compiling the cell,
    where IPython shows syntax and indentation errors in their own format.
    """
    try:
        if tb is not None and tb.tb_frame.f_code.co_name != "run_code":
            if isinstance(value, IndentationError):
                shell.showindentationerror()
            elif isinstance(value, _COMPILE_ERRORS):
                shell.showsyntaxerror()
            else:
                shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        else:
            shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)
    except BaseException:  # noqa: BLE001 - e.g. an exception whose __str__ raises
        try:
            shell.showtraceback()
        except BaseException:  # noqa: BLE001
            pass


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
