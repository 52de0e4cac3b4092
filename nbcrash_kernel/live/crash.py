"""From a live exception to the diagnosis record: record, classify, enrich.

The classifier sees a ``CrashContext`` with the live exception, the cell, the
session's notebook graph and the namespace; live enrichment then adds what only
the kernel can see (see ``enrich``).
"""
from __future__ import annotations

import json
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .enrich import LiveFacts, add_to_diagnosis, cell_frame_of, enrich, line_of, safe_str
from .record_budget import fit_record

if TYPE_CHECKING:
    from .extension import NbcrashExtension


def diagnose_crash(ext: "NbcrashExtension", error: BaseException, source: str,
                   cell_id: str | None, count: int | None, *, before_exec: bool = False) -> dict | None:
    """Record the failed execution and return its diagnosis record (None only if all fails)."""
    ename = type(error).__name__
    evalue = safe_str(error, ext.config.max_message_chars)
    tb = error.__traceback__
    is_cell_file = _cell_file_test(ext.shell)
    error_lineno = _error_lineno(error, tb, is_cell_file, before_exec)
    execution = ext.session.record(count, cell_id, source, status="error", ename=ename,
                                   evalue=evalue, error_lineno=error_lineno)
    try:
        diagnosis = _classify(ext, error, ename, evalue, source, execution, count, before_exec)
    except BaseException as failure:  # noqa: BLE001 - the card still shows, as UNK
        ext.note_error("classify", failure)
        diagnosis = _fallback_diagnosis(ename, evalue)
    if ext.config.enrich and not before_exec:
        _enrich(ext, error, tb, is_cell_file, diagnosis)
    if not before_exec:
        from .staleness import diagnose_staleness

        diagnose_staleness(diagnosis, ext.session, execution, error, on_error=lambda e: ext.note_error("staleness", e))
    _refine_advice(ext, diagnosis, error, source, tb, is_cell_file)
    diagnosis.extra.setdefault("cell_id", execution.cell_id)
    diagnosis.extra.setdefault("execution_count", count)
    record = fit_record(json_safe(diagnosis.to_record()))
    ext.session.crashes.append(record)
    return record


def _refine_advice(ext: "NbcrashExtension", diagnosis: Any, error: BaseException, source: str,
                   tb: TracebackType | None, is_cell_file) -> None:
    """The advice pass (nbcrash_kernel.advice): specific fixes first, no contradicted claim."""
    try:
        from ..advice import Evidence, refine

        frame, lineno = cell_frame_of(tb, is_cell_file)
        refine(diagnosis, Evidence.live(error, ext.shell.user_ns, frame, line_of(frame, lineno), source))
    except BaseException as failure:  # noqa: BLE001 - the card stands without the advice
        ext.note_error("advice", failure)


def _enrich(ext: "NbcrashExtension", error: BaseException, tb: TracebackType | None,
            is_cell_file, diagnosis: Any) -> None:
    """Live evidence for the card; its failure (a broken ``linecache``...) only loses that evidence."""
    try:
        frame, lineno = cell_frame_of(tb, is_cell_file)
        facts = LiveFacts(error, ext.shell.user_ns, frame, lineno, line_of(frame, lineno))
    except BaseException as failure:  # noqa: BLE001
        ext.note_error("enrich", failure)
        return
    enrich(facts, on_error=lambda e: ext.note_error("enrich", e))
    add_to_diagnosis(diagnosis, facts)


def _classify(ext: "NbcrashExtension", error: BaseException, ename: str, evalue: str, source: str,
              execution: Any, count: int | None, before_exec: bool) -> Any:
    from ..classifier import classify
    from ..facts.context import CrashContext
    from ..record.tracebacks import from_exception

    session = ext.session
    snapshot = session.snapshot
    ctx = CrashContext(
        ename=ename, evalue=evalue, exc=error, cell_source=source, cell_id=execution.cell_id,
        cell_index=session.cell_index(execution.cell_id), execution_count=count,
        graph=session.graph, namespace=ext.shell.user_ns,
        headings=snapshot.headings_above(execution.cell_id) if snapshot is not None else [],
        prose=snapshot.prose_above(execution.cell_id) if snapshot is not None else [],
    )
    skip = _frames_to_skip(error.__traceback__, before_exec)
    mapper = getattr(ext.shell.compile, "format_code_name", None)
    ctx.__dict__["parsed"] = from_exception(error, cell_filename_map=mapper, skip_frames=skip)
    return classify(ctx)


def _fallback_diagnosis(ename: str, evalue: str) -> Any:
    from ..record.diagnosis import Diagnosis

    return Diagnosis(ename=ename, evalue=evalue, summary=f"{ename}: nbcrash could not classify this crash.",
                     evidence=["the classifier failed; see %nbcrash for nbcrash's own error"], confidence=0.0)


def _cell_file_test(shell: Any):
    compiler = getattr(shell, "compile", None)
    format_code_name = getattr(compiler, "format_code_name", None)

    def is_cell_file(filename: str) -> bool:
        try:
            return format_code_name is not None and format_code_name(filename) is not None
        except BaseException:  # noqa: BLE001
            return False

    return is_cell_file


def _frames_to_skip(tb: TracebackType | None, before_exec: bool) -> int:
    """IPython's own frames at the top of the traceback: ``run_code``, or all of them before exec."""
    if tb is None:
        return 0
    if before_exec:  # the traceback holds only IPython's compiler frames
        depth = 0
        while tb is not None and depth < 1000:
            depth, tb = depth + 1, tb.tb_next
        return depth
    return 1 if tb.tb_frame.f_code.co_name == "run_code" else 0


def _error_lineno(error: BaseException, tb: TracebackType | None, is_cell_file, before_exec: bool) -> int | None:
    """The line of the crashing cell where it stopped (its outermost cell frame)."""
    if before_exec:
        lineno = getattr(error, "lineno", None)
        return lineno if isinstance(lineno, int) else None
    steps = 0
    while tb is not None and steps < 50:
        if is_cell_file(tb.tb_frame.f_code.co_filename):
            return tb.tb_lineno
        tb, steps = tb.tb_next, steps + 1
    return None


def json_safe(record: dict) -> dict:
    """The record as plain JSON types (anything else becomes its string)."""
    try:
        return json.loads(json.dumps(record, default=lambda v: safe_str(v, 500)))
    except (TypeError, ValueError, RecursionError):
        return {k: safe_str(v, 2000) if not isinstance(v, (int, float, type(None))) else v
                for k, v in record.items()}
