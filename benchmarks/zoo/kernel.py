"""Run a case's cells in a real IPython kernel (jupyter_client) and keep what Jupyter keeps.

A :class:`ZooKernel` is reused across the cases of one library group: between cases it clears
the user namespace (``%reset -f``), closes figures and moves to an empty working directory, so
each case starts as in a fresh notebook with the libraries already imported by Python (which a
notebook cannot see). A case that needs more isolation gets a kernel of its own.
"""
from __future__ import annotations

import queue
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager

CELL_TIMEOUT = 120.0
_RESET = ("import os as _zoo_os, sys as _zoo_sys\n"
          "if 'matplotlib.pyplot' in _zoo_sys.modules: _zoo_sys.modules['matplotlib.pyplot'].close('all')\n"
          "_zoo_os.chdir({cwd!r})\n"
          "get_ipython().run_line_magic('reset', '-f')\n")


@dataclass
class CellRun:
    """One execution of one cell: its outputs as nbformat stores them."""

    index: int
    execution_count: int | None
    outputs: list
    error: dict | None  # the error output (ename, evalue, traceback), if the cell raised


class ZooKernel:
    """A started kernel that runs cells and collects their outputs."""

    def __init__(self, kernel_name: str = "python3"):
        self._workdir = tempfile.TemporaryDirectory(prefix="nbcrash-zoo-")
        self.manager = KernelManager(kernel_name=kernel_name)
        self.manager.start_kernel(cwd=self._workdir.name)
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=120)
        self._cases = 0

    def fresh_namespace(self) -> Path:
        """An empty namespace and working directory for the next case."""
        self._cases += 1
        cwd = Path(self._workdir.name) / f"case{self._cases}"
        cwd.mkdir()
        run = self._execute(_RESET.format(cwd=str(cwd)), store_history=False)
        if run.error:
            raise RuntimeError(f"zoo kernel reset failed: {run.error['ename']}: {run.error['evalue']}")
        return cwd

    def run_cell(self, index: int, source: str) -> CellRun:
        run = self._execute(source, store_history=True)
        run.index = index
        return run

    def _execute(self, source: str, store_history: bool) -> CellRun:
        msg_id = self.client.execute(source, store_history=store_history, allow_stdin=False)
        outputs: list = []
        error = None
        deadline = time.monotonic() + CELL_TIMEOUT
        while True:
            try:
                msg = self.client.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                self.manager.interrupt_kernel()
                deadline = time.monotonic() + 30
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "status" and msg["content"]["execution_state"] == "idle":
                break
            if kind in ("stream", "display_data", "execute_result", "error"):
                output = nbformat.v4.output_from_msg(msg)
                outputs.append(output)
                if kind == "error":
                    error = dict(msg["content"])
        reply = self.client.get_shell_msg(timeout=30)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.client.get_shell_msg(timeout=30)
        count = reply["content"].get("execution_count") if store_history else None
        for output in outputs:
            if output.get("output_type") == "execute_result":
                output["execution_count"] = count
        return CellRun(-1, count, outputs, error)

    def close(self) -> None:
        try:
            self.client.stop_channels()
            self.manager.shutdown_kernel(now=True)
        finally:
            self._workdir.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
