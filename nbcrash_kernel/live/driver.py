"""Drive a real kernel the way JupyterLab does: ``cellId`` metadata, ``JPY_SESSION_NAME``.

Used by the tour, the tests and the overhead benchmark. Runs outside the kernel
(it imports jupyter_client), never inside it.
"""
from __future__ import annotations

import os
import queue
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .display import CRASH_MIME, WARNING_MIME

LOAD_EXTENSION = "--IPKernelApp.extensions=['nbcrash']"


@dataclass
class CellRun:
    """What one execute_request produced."""

    status: str = ""
    outputs: list[dict] = field(default_factory=list)   # iopub messages' (msg_type, content)
    error: dict | None = None                            # the error output, if any
    elapsed: float = 0.0                                  # request sent -> reply received (s)
    error_at: float | None = None                         # when the error output arrived
    card_at: float | None = None                          # when the crash card arrived

    def bundles(self, mime: str) -> list[Any]:
        return [o["data"][mime] for o in self.outputs if isinstance(o.get("data"), dict) and mime in o["data"]]

    @property
    def crashes(self) -> list[dict]:
        """The crash records displayed by nbcrash."""
        return self.bundles(CRASH_MIME)

    @property
    def warnings(self) -> list[dict]:
        """The pre-run warnings displayed by nbcrash."""
        return self.bundles(WARNING_MIME)

    @property
    def text(self) -> str:
        """Every stream and text/plain output, joined."""
        parts = []
        for o in self.outputs:
            if "text" in o:
                parts.append(o["text"])
            elif isinstance(o.get("data"), dict) and "text/plain" in o["data"]:
                parts.append(o["data"]["text/plain"])
        return "".join(parts)


class KernelDriver:
    """A real ipykernel (this interpreter), optionally with nbcrash loaded at start."""

    def __init__(self, notebook: str | os.PathLike | None = None, *, nbcrash: bool = True,
                 cwd: str | os.PathLike | None = None, extra_env: dict[str, str] | None = None,
                 extra_arguments: list[str] | None = None, timeout: float = 60.0) -> None:
        from jupyter_client import KernelManager

        self.timeout = timeout
        env = dict(os.environ)
        env.pop("JPY_SESSION_NAME", None)
        if notebook is not None:
            env["JPY_SESSION_NAME"] = str(Path(notebook).resolve())
        env.update(extra_env or {})
        self.km = KernelManager(kernel_name="python3")
        args = list(extra_arguments or []) + ([LOAD_EXTENSION] if nbcrash else [])
        workdir = str(cwd or (Path(notebook).resolve().parent if notebook else os.getcwd()))
        self.km.start_kernel(extra_arguments=args, env=env, cwd=workdir)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=timeout)

    def run(self, code: str, cell_id: str | None = None, timeout: float | None = None,
            silent: bool = False) -> CellRun:
        """Execute ``code`` as the cell ``cell_id`` and collect its outputs until idle.

        ``silent``: as a front end's own housekeeping (``execute_request`` with ``silent``): IPython
        fires no ``pre_run_cell`` / ``post_run_cell`` for it, so nbcrash neither sees nor records it,
        and it takes no execution count.
        """
        content = {"code": code, "silent": silent, "store_history": not silent, "user_expressions": {},
                   "allow_stdin": False, "stop_on_error": False}
        metadata = {"cellId": cell_id} if cell_id else {}
        msg = self.kc.session.msg("execute_request", content, metadata=metadata)
        started = time.perf_counter()
        self.kc.shell_channel.send(msg)
        run = self._collect(msg["header"]["msg_id"], started, timeout or self.timeout)
        run.elapsed = time.perf_counter() - started
        return run

    def _collect(self, msg_id: str, started: float, timeout: float) -> CellRun:
        run = CellRun()
        deadline = time.monotonic() + timeout
        idle = replied = False
        while not (idle and replied):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no reply from the kernel within {timeout} s")
            if not idle:
                idle = self._drain_iopub(msg_id, run, started, min(remaining, 0.5))
            if not replied:
                try:
                    reply = self.kc.get_shell_msg(timeout=0.01 if not idle else remaining)
                except queue.Empty:
                    continue
                if reply["parent_header"].get("msg_id") == msg_id:
                    run.status = reply["content"].get("status", "")
                    replied = True
        return run

    def _drain_iopub(self, msg_id: str, run: CellRun, started: float, wait: float) -> bool:
        try:
            msg = self.kc.get_iopub_msg(timeout=wait)
        except queue.Empty:
            return False
        if msg["parent_header"].get("msg_id") != msg_id:
            return False
        kind, content = msg["msg_type"], msg["content"]
        now = time.perf_counter() - started
        if kind == "status":
            return content.get("execution_state") == "idle"
        if kind == "error":
            run.error = content
            run.error_at = now
            run.outputs.append({"type": kind, **content})
        elif kind in ("stream", "display_data", "execute_result"):
            run.outputs.append({"type": kind, **content})
            if CRASH_MIME in (content.get("data") or {}) and run.card_at is None:
                run.card_at = now
        return False

    def shutdown(self) -> None:
        """Stop the kernel and its channels."""
        try:
            self.kc.stop_channels()
        finally:
            self.km.shutdown_kernel(now=True)

    def __enter__(self) -> "KernelDriver":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.shutdown()


def python_executable() -> str:
    """The interpreter kernels run with (jupyter_client maps 'python' to it)."""
    return sys.executable
