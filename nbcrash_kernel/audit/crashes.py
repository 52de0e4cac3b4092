"""Diagnose every error output saved in a notebook, with the notebook as context.

Each crash is classified with the history as it stood when it happened: the
executions up to and including the crashing one (cells that ran later are
left out, so they count as not yet run), the crashing cell's source, and the
markdown headings above it.
"""
from __future__ import annotations

from typing import Any, Iterator

from ..facts.history import prose_above
from .load import LoadedNotebook


def error_outputs(nb: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any], int, dict[str, Any]]]:
    """``(cell_index, cell, output_index, output)`` for every saved error output."""
    for cell_index, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") != "code":
            continue
        for output_index, output in enumerate(cell.get("outputs") or ()):
            if output.get("output_type") == "error":
                yield cell_index, cell, output_index, output


def diagnose_crashes(loaded: LoadedNotebook, graph: Any, errors: list | None = None
                     ) -> list[dict[str, Any]]:
    """One taxonomy record per error output, plus ``cell_index``, ``cell_id``, ``execution_count``.

    ``errors``: the notebook's ``error_outputs`` when the caller listed them already.
    A crash the classifier cannot handle still gets a record, with root cause
    UNK and an ``internal_error`` field, so one bad output never hides the others.
    """
    errors = list(errors if errors is not None else error_outputs(loaded.nb))
    cell_ids = _cell_ids(graph)
    ids = [cell_ids.get(index) if graph is not None else _own_id(cell) for index, cell, _, _ in errors]
    seqs = [crash_seq(graph, cell_id, cell.get("execution_count"))
            for cell_id, (_, cell, _, _) in zip(ids, errors)]
    outline = _outline(loaded.nb, 1 + max(index for index, _, _, _ in errors)) if errors else []
    records: list[dict[str, Any] | None] = [None] * len(errors)
    by_seq: dict[int, list[int]] = {}
    for position, seq in enumerate(seqs):
        if seq is None:
            records[position] = _diagnose_one(loaded, outline, graph, ids[position], *errors[position])
        else:
            by_seq.setdefault(seq, []).append(position)
    if by_seq:
        from .replay import views_at

        for seq, view in views_at(graph, by_seq):
            for position in by_seq[seq]:
                records[position] = _diagnose_one(loaded, outline, view, ids[position], *errors[position])
    return records  # type: ignore[return-value]


def _diagnose_one(loaded: LoadedNotebook, outline: list, graph: Any, cell_id: str | None, cell_index: int,
                  cell: dict[str, Any], output_index: int, output: dict[str, Any]) -> dict[str, Any]:
    """``graph``: the history as it stood at this crash."""
    count = cell.get("execution_count")
    try:
        headings = outline[cell_index] if cell_index < len(outline) else ()
        record = _classify(graph, cell_index, cell_id, cell, output, headings, prose_above(loaded.nb, cell_index))
    except Exception as exc:  # a classifier bug must not stop the audit of this notebook
        record = _fallback_record(output, exc)
    record["cell_index"] = cell_index
    record["cell_id"] = cell_id
    record["execution_count"] = count
    record["output_index"] = output_index
    record["line"] = loaded.cell_line(cell_index)
    return record


def _classify(graph: Any, cell_index: int, cell_id: str | None, cell: dict[str, Any],
              output: dict[str, Any], headings: tuple[str, ...], prose: list[str]) -> dict[str, Any]:
    from ..classifier import classify
    from ..facts.context import CrashContext

    context = CrashContext(
        ename=output.get("ename") or "",
        evalue=output.get("evalue") or "",
        traceback=output.get("traceback") or [],
        cell_source=cell.get("source", ""),
        cell_id=cell_id,
        cell_index=cell_index,
        execution_count=cell.get("execution_count"),
        graph=graph,
        headings=list(headings),
        prose=prose,
        cell_tags=cell_tags(cell),
    )
    from ..advice import refine_record

    return refine_record(classify(context), context.ename, context.evalue, context.traceback,
                         context.cell_source or "", context.parsed).to_record()


def cell_tags(cell: dict[str, Any]) -> tuple[str, ...]:
    tags = (cell.get("metadata") or {}).get("tags") if isinstance(cell.get("metadata"), dict) else None
    return tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else ()


def _fallback_record(output: dict[str, Any], exc: Exception) -> dict[str, Any]:
    from ..record.diagnosis import Diagnosis

    record = Diagnosis(ename=output.get("ename") or "", evalue=output.get("evalue") or "",
                       summary="nbcrash could not diagnose this crash",
                       confidence=0.0).to_record()
    record["internal_error"] = f"{type(exc).__name__}: {exc}"
    return record


def _cell_ids(graph: Any) -> dict[int, str]:
    """The graph's id of each cell index (the notebook's own id when unique)."""
    if graph is None:
        return {}
    ids: dict[int, str] = {}
    for graph_cell in graph.cells:
        ids.setdefault(graph_cell.index, graph_cell.cell_id)
    return ids


def _own_id(cell: dict[str, Any]) -> str | None:
    return cell.get("id") if isinstance(cell.get("id"), str) else None


def _outline(nb: dict[str, Any], cells: int) -> list[tuple[str, ...]]:
    try:
        return outline_above(nb, cells)
    except Exception:  # headings are a hint: never worth failing a diagnosis over
        return []


def outline_above(nb: dict[str, Any], cells: int | None = None) -> list[tuple[str, ...]]:
    """``history.markdown_headings(nb, i)`` for every cell ``i`` (the first ``cells``), in one pass.

    Going down the cells, a heading closes the open ones of its level or deeper: the
    open headings above a cell are the ones ``markdown_headings`` finds walking up.
    """
    from ..facts.history import MAX_HEADINGS, _headings_of, notebook_cells

    outline: list[tuple[str, ...]] = []
    open_headings: list[tuple[int, str]] = []
    above: tuple[str, ...] = ()  # the outline so far: cells below the same headings share it
    for cell in notebook_cells(nb)[:cells]:
        outline.append(above)
        if cell.get("cell_type") in ("markdown", "heading"):
            headings = [(level, title) for level, title in _headings_of(cell)
                        if level < 7]  # as markdown_headings: never part of an outline
            for level, title in headings:
                while open_headings and open_headings[-1][0] >= level:
                    open_headings.pop()
                open_headings.append((level, title))
            if headings:
                above = tuple(title for _, title in open_headings[-MAX_HEADINGS:])
    return outline


def graph_at_crash(graph: Any, cell_id: str | None, execution_count: int | None) -> Any:
    """The graph as it stood when ``cell_id`` crashed at ``execution_count``.

    Executions after the crashing one are dropped; cells and their facts are
    kept. Without a matching execution, the whole graph is returned.
    """
    seq = crash_seq(graph, cell_id, execution_count)
    if seq is None:
        return graph
    until = getattr(graph, "until", None)
    if callable(until):
        return until(seq)  # shares cells and facts; only executions are replayed
    return _copy_until(graph, seq)


def crash_seq(graph: Any, cell_id: str | None, execution_count: int | None) -> int | None:
    """The seq of the execution that crashed, when later ones must be left out; else None."""
    if graph is None or cell_id is None:
        return None
    crash = _crashing_execution(graph, cell_id, execution_count)
    if crash is None or crash.seq == len(graph.executions) - 1:
        return None
    return crash.seq


def _crashing_execution(graph: Any, cell_id: str, execution_count: int | None) -> Any:
    runs = graph.executions_of(cell_id)
    failed = [run for run in runs if run.status != "ok"] or runs
    for run in reversed(failed):
        if run.execution_count == execution_count:
            return run
    return failed[-1] if failed and execution_count is None else None


def _copy_until(graph: Any, last_seq: int) -> Any:
    from ..facts.graph import NotebookGraph

    copy = NotebookGraph()
    for cell in graph.cells:
        copy.add_cell(cell.cell_id, cell.source, index=cell.index, facts=cell.facts, kind=cell.kind)
    for run in graph.executions[: last_seq + 1]:
        copy.add_execution(run.cell_id, run.execution_count, status=run.status,
                           error_lineno=run.error_lineno, ename=run.ename, evalue=run.evalue,
                           defined=run.defined, source=run.source, deleted=run.deleted)
    return copy
