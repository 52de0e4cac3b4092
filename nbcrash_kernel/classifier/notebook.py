"""Notebook-specific causes, decided from the notebook graph and its history.

These rules only speak when a graph is known (live kernel, audit, study with
notebooks); they recognise out-of-order execution, a previous cell's error and
definitions that sit only below, and otherwise return None.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..diagnosis import RelatedCell
from ..taxonomy import NB_EXECUTION_ORDER, NB_FUTURE_CELLS, NB_PREVIOUS_CELL_ERROR
from .root_causes import RootCause, _close_identifier, close_name
from .signals import Signals


@dataclass
class NotebookFinding:
    root_cause: RootCause
    related: list[RelatedCell] = field(default_factory=list)
    exception_type: tuple[str, str] | None = None


def crash_execution(signals: Signals):
    """The graph's execution for this crash (or a virtual one after everything known)."""
    from ..graph import Execution

    ctx = signals.ctx
    graph = ctx.graph
    runs = graph.executions_of(ctx.cell_id) if ctx.cell_id else []
    for run in reversed(runs):
        if ctx.execution_count is None or run.execution_count == ctx.execution_count:
            return run
    return Execution(seq=len(graph.executions), cell_id=ctx.cell_id or "", execution_count=ctx.execution_count,
                     status="error", error_lineno=None, ename=signals.ename, evalue=signals.evalue,
                     defined=frozenset(), source=ctx.cell_source)


def _related(graph, cells, role: str, names: list[str]) -> list[RelatedCell]:
    out = []
    for cell in cells:
        runs = graph.executions_of(cell.cell_id)
        out.append(RelatedCell(role=role, cell_id=cell.cell_id, index=cell.index,
                               execution_count=runs[-1].execution_count if runs else None, names=names))
    return out


def _label(cell) -> str:
    return f"[{cell.index}]" if cell.index is not None else f"'{cell.cell_id}'"


def notebook_cause(signals: Signals, exception_type: str) -> NotebookFinding | None:
    """NB root cause, or an IMPL verdict the notebook proves, or None (graph silent)."""
    graph = signals.ctx.graph
    if graph is None:
        return None
    execution = crash_execution(signals)
    name = signals.undefined_name
    if name and signals.ename.lower() in {"nameerror"}:
        return _name_finding(signals, graph, execution, name, exception_type)
    if exception_type == "KEY":
        return _column_finding(signals, graph, execution)
    if exception_type == "INIT" or _FITTED_ATTRIBUTE.search(signals.evalue):
        return _fit_finding(signals, graph, execution)
    return None


def _name_finding(signals, graph, execution, name: str, exception_type: str) -> NotebookFinding | None:
    status = graph.explain_name(name, execution)
    verdict = status.verdict
    if verdict == "failed-before-defining":
        failed = status.failed_definers[-1]
        cell = graph.cell(failed.cell_id)
        rc = RootCause("NB", NB_PREVIOUS_CELL_ERROR, 0.9, [
            f"cell {_label(cell)} defines '{name}' but crashed with {failed.ename or 'an error'} before reaching it"
            if cell else f"the cell that defines '{name}' crashed before reaching it"])
        related = _related(graph, [cell] if cell else [], "definer-crashed", [name])
        return NotebookFinding(rc, related)
    if verdict == "only-below":
        cells = status.not_run_definers
        rc = RootCause("NB", NB_FUTURE_CELLS, 0.85, [
            f"'{name}' is defined only below, in cell {', '.join(_label(c) for c in cells)}, "
            f"which {'have' if len(cells) > 1 else 'has'} not run"])
        return NotebookFinding(rc, _related(graph, cells, "definer-below", [name]))
    if verdict == "not-run":
        cells = status.not_run_definers
        rc = RootCause("NB", NB_EXECUTION_ORDER, 0.9, [
            f"'{name}' is defined in cell {', '.join(_label(c) for c in cells)}, "
            f"which {'have' if len(cells) > 1 else 'has'} not run in this session"])
        return NotebookFinding(rc, _related(graph, cells, "definer-not-run", [name]))
    if verdict == "deleted":
        deleter = graph.cell(status.deleted_before[-1].cell_id)
        rc = RootCause("NB", NB_EXECUTION_ORDER, 0.8, [
            f"cell {_label(deleter) if deleter else '?'} deleted '{name}' after it was defined"])
        return NotebookFinding(rc, _related(graph, [deleter] if deleter else [], "deleter", [name]))
    if verdict == "defined-nowhere":
        if status.self_defines:
            rc = RootCause("IMPL", "wrong implementation", 0.8,
                           [f"'{name}' is used in this cell before the cell assigns it"])
            return NotebookFinding(rc)
        if exception_type == "MODULE":
            rc = RootCause("IMPL", "did not import", 0.85,
                           [f"no cell of the notebook imports '{name}'"])
            return NotebookFinding(rc)
        if not getattr(graph, "knows_all_cells", True):
            return None  # cells never run are unknown: the record rules decide
        typo = _close_defined_name(graph, name) or _close_identifier(signals, name)
        if typo:
            return NotebookFinding(RootCause("IMPL", "typo", 0.75, [
                f"no cell defines '{name}', but '{typo}' appears in the code"]))
        kind = "undefined function" if exception_type == "NAME" else "undefined variable"
        return NotebookFinding(RootCause("IMPL", kind, 0.75, [f"no cell of the notebook defines '{name}'"]))
    return None


_COLUMN = re.compile(r"^'(.*)'$|\[?'([^']+)'")


def _column_finding(signals, graph, execution) -> NotebookFinding | None:
    match = _COLUMN.search(signals.evalue.strip().strip('"'))
    if not match:
        return None
    column = next(g for g in match.groups() if g)
    definers = [c for c in graph.column_definers(column) if c.cell_id != execution.cell_id]
    if not definers:
        return None
    dropper = _dropped_since_defined(graph, execution, column, definers)
    if dropper is not None:
        cell = graph.cell(dropper.cell_id)
        rc = RootCause("NB", NB_EXECUTION_ORDER, 0.8, [
            f"column '{column}' was dropped by cell {_label(cell) if cell else '?'}, which ran after the cell "
            "that created it"])
        return NotebookFinding(rc, _related(graph, [cell] if cell else [], "redefined-after", [column]))
    not_run = [c for c in definers if not graph.ran_before(c.cell_id, execution)]
    if len(not_run) == len(definers):
        rc = RootCause("NB", NB_EXECUTION_ORDER, 0.8, [
            f"column '{column}' is created in cell {', '.join(_label(c) for c in not_run)}, which has not run"])
        return NotebookFinding(rc, _related(graph, not_run, "definer-not-run", [column]))
    failed = [run for c in definers for run in graph.executions_of(c.cell_id)
              if run.seq < execution.seq and run.status == "error"]
    if failed and not any(run.status == "ok" for c in definers for run in graph.executions_of(c.cell_id)
                          if run.seq < execution.seq):
        cell = graph.cell(failed[-1].cell_id)
        rc = RootCause("NB", NB_PREVIOUS_CELL_ERROR, 0.8, [
            f"cell {_label(cell)} that creates column '{column}' crashed before creating it"])
        return NotebookFinding(rc, _related(graph, [cell], "definer-crashed", [column]))
    return None


_FITTED_ATTRIBUTE = re.compile(r"has no attribute '(?:best_\w+_|cv_results_|classes_|coef_|"
                               r"feature_importances_|n_features_in_|labels_|cluster_centers_|components_)'")
_FIT_METHODS = ("fit", "fit_transform", "fit_generator", "train", "fit_resample", "partial_fit")
_RECEIVER = re.compile(r"(?<![\w.])([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*[A-Za-z_]")


def _fit_finding(signals, graph, execution) -> NotebookFinding | None:
    """A model used before fitting: NB when the cell that fits it has not run, else IMPL."""
    receivers = _RECEIVER.findall(signals.crashing_line)
    if not receivers:
        return None
    fitted_by = {name: [c for c in graph.cells if c.cell_id != execution.cell_id and _fits(c, name)]
                 for name in receivers}
    for name, cells in fitted_by.items():
        not_run = [c for c in cells if not graph.ran_before(c.cell_id, execution)]
        if cells and len(not_run) == len(cells):
            rc = RootCause("NB", NB_EXECUTION_ORDER, 0.85, [
                f"`{name}` is fitted in cell {', '.join(_label(c) for c in not_run)}, which has not run"])
            return NotebookFinding(rc, _related(graph, not_run, "definer-not-run", [name]))
    if getattr(graph, "knows_all_cells", True) and not any(fitted_by.values()):
        name = receivers[0]
        return NotebookFinding(RootCause("IMPL", "wrong implementation", 0.7, [
            f"no cell of the notebook fits `{name}` before it is used"]))
    return None


def _fits(cell, name: str) -> bool:
    for call in getattr(cell.facts, "calls", ()):
        if call.receiver == name and call.func.rsplit(".", 1)[-1] in _FIT_METHODS:
            return True
    return False


def _close_defined_name(graph, name: str) -> str | None:
    """A name some cell defines that looks like a typo of ``name``."""
    defined: set[str] = set()
    for cell in graph.cells:
        defined.update(getattr(cell.facts, "defined", ()) or ())
    return close_name(name, defined)


def _dropped_since_defined(graph, execution, column: str, definers) -> object | None:
    """The last run before ``execution`` that dropped ``column`` after a definer had created it."""
    definer_ids = {c.cell_id for c in definers}
    created = dropper = None
    for run in graph.executions:
        if run.seq >= execution.seq:
            break
        if run.cell_id in definer_ids and run.status == "ok":
            created, dropper = run, None
            continue
        facts = run.facts or (graph.cell(run.cell_id).facts if graph.cell(run.cell_id) else None)
        dropped = getattr(facts, "columns_dropped", None) or {}
        if created is not None and any(column in cols for cols in dropped.values()):
            dropper = run
    return dropper
