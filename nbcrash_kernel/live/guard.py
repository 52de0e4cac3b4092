"""The pre-run guard: warn before a cell reads a name that only an unrun or failed cell defines.

The common case costs one regular-expression pass over the cell: the identifiers it
mentions that are not bound now and that some notebook cell defines. Only when there
is such a suspect is the cell analysed (``cells.analyze_cell``) to confirm that it
really reads the name before binding it.
"""
from __future__ import annotations

import builtins
import itertools
import keyword
import re
from typing import Any, Iterable, Mapping

from ..facts.cells import analyze_cell
from .session import CellText, Session, mentioned_names

_NOT_NAMES = frozenset(dir(builtins)) | frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)


SUBSTRING_SCAN_LIMIT = 64
MAX_GUARD_COLUMNS = 10_000


def unbound_suspects(source: str, namespace: Mapping[str, Any], session: Session,
                     cell_id: str | None) -> list[str]:
    """Unbound names that another cell may define and that appear in ``source`` (cheap).

    With few such names, each is searched in the text (fast C substring search) and a
    hit is confirmed against the cell's identifiers; with many, the cell's identifiers
    are intersected with them.
    """
    unbound = session.unbound_defined()
    if not unbound:
        return []
    if len(unbound) <= SUBSTRING_SCAN_LIMIT:
        hits = [n for n in unbound if n in source]
        if not hits:
            return []
        candidates = mentioned_names(source).intersection(hits)
    else:
        candidates = mentioned_names(source) & unbound
    return sorted(n for n in candidates if n not in namespace and n not in _NOT_NAMES
                  and any(c.cell_id != cell_id for c in session.possible_definers(n)))


def names_read_first(source: str, suspects: Iterable[str]) -> list[str]:
    """The suspects the cell really reads before binding them (by its AST facts)."""
    facts = analyze_cell(source)
    if facts.syntax_error:
        return []
    used = set(facts.used) | set(getattr(facts, "deferred_used", ()) or ())
    return [n for n in suspects if n in used]


def confirmed_definers(name: str, session: Session, cell_id: str | None) -> list[CellText]:
    """Other cells that really bind ``name``, by their AST facts (only the cells the scan named)."""
    from ..facts.graph import defined_names

    return [c for c in session.possible_definers(name)
            if c.cell_id != cell_id and name in defined_names(analyze_cell(c.source))]


def check_cell(source: str, namespace: Mapping[str, Any], session: Session,
               cell_id: str | None) -> dict | None:
    """The warning for a cell about to run, or None when it reads nothing missing."""
    definers: dict[str, list[CellText]] = {}
    suspects = unbound_suspects(source, namespace, session, cell_id)
    if suspects:
        for name in names_read_first(source, suspects):
            cells = confirmed_definers(name, session, cell_id)
            if cells:
                definers[name] = cells
    definers.update(missing_columns(source, namespace, session, cell_id))
    from .predict import predicted_warning

    predicted = predicted_warning(source, namespace)
    if predicted is not None:
        from .staleness import explain_missing_column

        predicted = explain_missing_column(predicted, session)
    if not definers:
        return predicted
    warning = build_warning(definers, session, cell_id)
    if predicted is not None:
        warning["predictions"] = [predicted]
    return warning


_COLUMN_READ = re.compile(r"\b([A-Za-z_]\w*)\[\s*(['\"])([^'\"\n]{1,100})\2\s*\](?!\s*=[^=])")
_COLUMN_WRITE = r"\[\s*['\"]{}['\"]\s*\]\s*=[^=]"


def missing_columns(source: str, namespace: Mapping[str, Any], session: Session,
                    cell_id: str | None) -> dict[str, list[CellText]]:
    """``df['col']`` reads of a live DataFrame that lacks ``col``, which another cell writes.

    Keys are shown as ``df['col']``; values are the writing cells. Regular expressions
    only: this runs before every cell that indexes with a string.
    """
    if "[" not in source:
        return {}
    found: dict[str, list[CellText]] = {}
    for match in _COLUMN_READ.finditer(source):
        var, column = match.group(1), match.group(3)
        columns = _live_columns(namespace.get(var))
        if columns is None or column in columns:
            continue
        write = re.compile(_COLUMN_WRITE.format(re.escape(column)))
        if write.search(source, 0, match.start()):
            continue  # the cell writes it before reading it
        writers = [c for c in session.code_cells() if c.cell_id != cell_id and column in c.source
                   and write.search(c.source)]
        if writers:
            found[f"{var}[{column!r}]"] = writers
    return found


def _live_columns(value: Any) -> set[str] | None:
    """A live frame's column names; None for anything else, or when reading them fails.

    Bounded: ``columns``/``shape``/``str`` may be user code that raises (``SystemExit``
    included), loops or is huge, and this runs before the user's cell (see ``budget``).
    """
    from .budget import bounded

    return bounded(_column_names, value) if value is not None else None


def _column_names(value: Any) -> set[str] | None:
    columns = getattr(value, "columns", None)
    if columns is None or getattr(value, "shape", None) is None:
        return None
    names = [str(c) for c in itertools.islice(columns, MAX_GUARD_COLUMNS + 1)]
    return set(names) if len(names) <= MAX_GUARD_COLUMNS else None  # too many to check: no warning


def build_warning(definers: dict[str, list[CellText]], session: Session, cell_id: str | None) -> dict:
    """The warning bundle's JSON: ``{kind, names, cells, message}``."""
    current_index = session.cell_index(cell_id) if cell_id else None
    cells: dict[str, dict] = {}
    failed = False
    for name, candidates in definers.items():
        cell = _cell_to_run(candidates, current_index)
        state = _state(session, cell.cell_id)
        failed = failed or state == "failed"
        entry = cells.setdefault(cell.cell_id, {"cell_id": cell.cell_id, "index": cell.index,
                                                "state": state, "names": []})
        entry["names"].append(name)
    ordered = sorted(cells.values(), key=lambda c: (c["index"] is None, c["index"] or 0))
    names = list(definers)
    kind = "previous-cell-error" if failed else "execution-order"
    return {"kind": kind, "names": names, "cells": ordered, "message": _message(names, ordered)}


def _cell_to_run(definers: list[CellText], current: int | None) -> CellText:
    """The definer to run first: the last one above the current cell, else the first one."""
    ordered = sorted(definers, key=lambda c: (c.index is None, c.index or 0))
    above = [c for c in ordered if current is not None and c.index is not None and c.index < current]
    return above[-1] if above else ordered[0]


def _state(session: Session, cell_id: str) -> str:
    """'failed' (its last run crashed), 'ran' or 'not-run' in this session."""
    for record in reversed(session.executions):
        if record.cell_id == cell_id:
            return "failed" if record.status != "ok" else "ran"
    return "not-run"


def cell_label(cell: Mapping[str, Any]) -> str:
    """As Jupyter shows the cell: ``In [7]`` when it ran, ``cell #5`` (1-based) when it did not."""
    from ..facts.cell_names import cell_name

    if isinstance(cell.get("index"), int) or isinstance(cell.get("execution_count"), int):
        return cell_name(cell.get("index"), cell.get("execution_count"))
    return f"cell '{cell.get('cell_id')}'"


def _message(names: list[str], cells: list[dict]) -> str:
    listed = ", ".join(f"`{n}`" for n in names)
    if not cells:
        return f"{listed} {'are' if len(names) > 1 else 'is'} not defined yet."
    parts = []
    for cell in cells:
        what = {"failed": "crashed before defining it", "ran": "ran, but what it defined was replaced or deleted since",
                "not-run": "has not run in this session"}.get(cell["state"], "has not run")
        verb = "are" if len(cell["names"]) > 1 else "is"
        parts.append(f"{', '.join(f'`{n}`' for n in cell['names'])} {verb} defined in {cell_label(cell)}, which {what}")
    run = ", ".join(cell_label(c) for c in cells)
    return "; ".join(parts) + f". Run {run} first."
