"""Audit one notebook: load it, rebuild its history, diagnose its crashes, list its findings."""
from __future__ import annotations

from typing import Any, Callable

from ..facts.cells import analyze_cell
from ..facts.cells.lean import lean_facts
from .crashes import diagnose_crashes, error_outputs
from .findings import notebook_findings
from .load import LoadError, LoadedNotebook, load_notebook
from .report import NotebookReport
from .suppress import drop_silenced_crashes


def audit_notebook(path: str, data: bytes | None = None, findings: bool = True) -> NotebookReport:
    """The report for ``path`` (or for ``data`` read elsewhere, e.g. stdin, shown as ``path``).

    Never raises: an unreadable file gives a report whose ``error`` names it,
    and an internal failure is reported the same way, prefixed ``internal error``.
    """
    return _audit(path, data, findings).clean()


def _audit(path: str, data: bytes | None, findings: bool) -> NotebookReport:
    try:
        loaded = load_notebook(path, data)
    except Exception as exc:  # noqa: BLE001 - load_notebook should not raise; if it does, say so
        return NotebookReport(path=path, error=f"{path}: internal error: {type(exc).__name__}: {exc}")
    if isinstance(loaded, LoadError):
        return NotebookReport(path=path, error=loaded.message, size=loaded.size)
    try:
        return _audit_loaded(loaded, findings)
    except Exception as exc:  # keep auditing the other notebooks; say what broke
        return NotebookReport(path=path, size=loaded.size,
                              error=f"{path}: internal error: {type(exc).__name__}: {exc}")


def _audit_loaded(loaded: LoadedNotebook, with_findings: bool) -> NotebookReport:
    # The history graph serves the diagnoses; findings need only each cell's facts.
    errors = list(error_outputs(loaded.nb))
    graph = notebook_graph(loaded, errors=errors) if errors else None
    report = NotebookReport(path=loaded.path, nbformat=loaded.nbformat, cells=len(loaded.cells),
                            size=loaded.size, warnings=list(loaded.warnings))
    report.crashes = drop_silenced_crashes(diagnose_crashes(loaded, graph, errors), loaded.nb)
    if with_findings:
        report.findings = notebook_findings(loaded.nb, graph, loaded.cell_lines)
    return report


def notebook_graph(loaded: LoadedNotebook, lean: bool = True, errors: list | None = None) -> Any:
    """The saved execution history of the notebook, as a ``NotebookGraph``.

    ``lean``: cells that crashed get the full cell analysis, the others the
    symbol-table facts of ``facts.cells.lean`` (several times faster).
    ``errors``: the notebook's ``error_outputs`` when the caller listed them already.
    """
    from ..facts.history import history_from_notebook

    if not lean:
        return history_from_notebook(loaded.nb)
    errors = errors if errors is not None else error_outputs(loaded.nb)
    crashed = {cell["source"] for _, cell, _, _ in errors}
    return history_from_notebook(loaded.nb, analyze=audit_analyzer(crashed))


def audit_analyzer(full_sources: set[str]) -> Callable[[str], Any]:
    """An analyzer for ``history_from_notebook``: full facts for ``full_sources``, lean otherwise.

    The cells that crashed need the full analysis (their failed runs need definition lines).
    """
    def analyze(source: str) -> Any:
        if source in full_sources:
            return analyze_cell(source)
        return lean_facts(source)
    return analyze
