"""``--reexecute``: run a notebook top to bottom in a fresh kernel and compare its crashes.

THIS RUNS THE NOTEBOOK'S CODE. The notebook runs with nbclient in a new kernel
with nbcrash loaded (``%load_ext nbcrash``, so each new crash comes with its
live diagnosis), a per-cell timeout, ``allow_errors`` so every cell runs, and
the notebook's folder as working directory. The file itself is never written.

For every saved crash the report says whether it reproduces. A saved crash
that does not reproduce top to bottom, in a cell that ran out of order, is
evidence that the notebook's execution order caused it (root cause NB).
"""
from __future__ import annotations

import os
from typing import Any

from ..record.taxonomy import NB_EXECUTION_ORDER
from .load import STDIN_NAME, LoadError, load_notebook
from .report import NotebookReport

CRASH_MIME = "application/vnd.nbcrash.crash+json"
LOAD_EXTENSION = "%load_ext nbcrash"
DEFAULT_KERNEL = "python3"


def reexecute_report(report: NotebookReport, timeout: int = 120, kernel_name: str | None = None,
                     data: bytes | None = None) -> None:
    """Run ``report.path`` in a fresh kernel; fill ``report.reexecution`` and update its crashes."""
    if report.path == STDIN_NAME and data is None:
        report.reexecution = {"status": "skipped", "reason": "a notebook read from stdin has no folder"}
        return
    loaded = load_notebook(report.path, data)
    if isinstance(loaded, LoadError):
        report.reexecution = {"status": "skipped", "reason": loaded.message}
        return
    run = run_notebook(loaded.nb, _folder(report.path), timeout, kernel_name or DEFAULT_KERNEL)
    report.reexecution = compare(loaded.nb, report.crashes, run)


def _folder(path: str) -> str:
    if path == STDIN_NAME:
        return os.getcwd()
    return os.path.dirname(os.path.abspath(path))


def run_notebook(nb: dict[str, Any], folder: str, timeout: int, kernel_name: str) -> dict[str, Any]:
    """Execute a copy of ``nb``; ``{status, error?, outputs: {cell_index: [outputs]}}``.

    ``outputs`` holds only cells that ran; a kernel failure or a timeout stops
    the run and says where.
    """
    import nbformat
    from nbclient import NotebookClient

    copy = nbformat.from_dict({**nb, "cells": [_fresh(c) for c in nb["cells"]]})
    copy.cells.insert(0, nbformat.v4.new_code_cell(LOAD_EXTENSION))
    client = NotebookClient(copy, timeout=timeout, kernel_name=kernel_name, allow_errors=True,
                            resources={"metadata": {"path": folder}})
    status, error = "ok", None
    try:
        client.execute()
    except Exception as exc:  # timeouts, dead kernels, missing kernelspecs: report, do not stop the audit
        status, error = "error", f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
    outputs = {index - 1: cell.get("outputs", []) for index, cell in enumerate(copy.cells)
               if index > 0 and cell.cell_type == "code" and cell.get("execution_count") is not None}
    result = {"status": status, "kernel": kernel_name, "outputs": outputs}
    if error:
        result["error"] = error
    return result


def _fresh(cell: dict[str, Any]) -> dict[str, Any]:
    fresh = {k: v for k, v in cell.items() if k not in ("outputs", "execution_count")}
    if cell.get("cell_type") == "code":
        fresh.update(outputs=[], execution_count=None)
    fresh.setdefault("metadata", {})
    return fresh


def compare(nb: dict[str, Any], saved: list[dict[str, Any]], run: dict[str, Any]) -> dict[str, Any]:
    """Mark each saved crash ``reproduced`` or not; list the crashes that are new."""
    outputs = run["outputs"]
    saved_cells = set()
    for crash in saved:
        index = crash.get("cell_index")
        saved_cells.add(index)
        _judge(nb, crash, outputs.get(index))
    new = [_new_crash(nb, index, cell_outputs) for index, cell_outputs in sorted(outputs.items())
           if index not in saved_cells and _errors(cell_outputs)]
    summary = {k: v for k, v in run.items() if k != "outputs"}
    summary.update(cells_run=len(outputs),
                   reproduced=sum(1 for c in saved if c["reexecution"]["reproduced"] is True),
                   not_reproduced=sum(1 for c in saved if c["reexecution"]["reproduced"] is False),
                   new_crashes=new)
    return summary


def _errors(outputs: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [o for o in outputs or () if o.get("output_type") == "error"]


def _live_records(outputs: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [dict(o["data"][CRASH_MIME]) for o in outputs or ()
            if o.get("output_type") in ("display_data", "execute_result")
            and CRASH_MIME in (o.get("data") or {})]


def _judge(nb: dict[str, Any], crash: dict[str, Any], outputs: list[dict[str, Any]] | None) -> None:
    if outputs is None:
        crash["reexecution"] = {"reproduced": None, "why": "the cell did not run in the re-execution"}
        return
    errors = _errors(outputs)
    same = [e for e in errors if e.get("ename") == crash.get("ename")]
    verdict: dict[str, Any] = {"reproduced": bool(same)}
    if errors and not same:
        verdict["instead"] = f"{errors[0].get('ename')}: {errors[0].get('evalue')}"
    crash["reexecution"] = verdict
    if not same and ran_out_of_order(nb, crash.get("cell_index")):
        _evidence_for_nb(crash, bool(errors))


def ran_out_of_order(nb: dict[str, Any], index: int | None) -> bool:
    """Whether the saved counts show cell ``index`` did not run in top-to-bottom order."""
    cells = nb["cells"]
    if index is None or not 0 <= index < len(cells):
        return False
    count = cells[index].get("execution_count")
    if count is None:
        return True
    for position, cell in enumerate(cells):
        if cell.get("cell_type") != "code" or position == index or not cell.get("source", "").strip():
            continue
        other = cell.get("execution_count")
        if position < index and (other is None or other > count):
            return True
        if position > index and other is not None and other < count:
            return True
    return False


def _evidence_for_nb(crash: dict[str, Any], other_error: bool) -> None:
    run = "failed differently" if other_error else "ran without this error"
    crash.setdefault("evidence", []).append(
        f"run top to bottom in a fresh kernel, this cell {run}, and it had run out of order: "
        "the saved crash came from the order the cells were run in")
    crash["reexecution"]["evidence_for_nb"] = True
    if crash.get("root_cause") != "NB":
        crash["static_root_cause"] = crash.get("root_cause")
        crash["root_cause"] = "NB"
        crash["root_cause_detail"] = NB_EXECUTION_ORDER
        crash["confidence"] = max(float(crash.get("confidence") or 0), 0.8)


def _new_crash(nb: dict[str, Any], index: int, outputs: list[dict[str, Any]]) -> dict[str, Any]:
    error = _errors(outputs)[0]
    live = _live_records(outputs)
    record = live[-1] if live else _static_diagnosis(nb, index, error)
    cell = nb["cells"][index]
    record.update(cell_index=index, cell_id=cell.get("id"), ename=error.get("ename"),
                  evalue=error.get("evalue"), diagnosed_live=bool(live))
    return record


def _static_diagnosis(nb: dict[str, Any], index: int, error: dict[str, Any]) -> dict[str, Any]:
    """Without a live card (nbcrash not loadable in that kernel): classify from the output."""
    from ..classifier import classify
    from ..facts.context import CrashContext

    try:
        return classify(CrashContext(ename=error.get("ename"), evalue=error.get("evalue"),
                                     traceback=error.get("traceback"),
                                     cell_source=nb["cells"][index].get("source", ""),
                                     cell_index=index)).to_record()
    except Exception as exc:  # never lose the crash itself
        return {"root_cause": "UNK", "internal_error": f"{type(exc).__name__}: {exc}"}
