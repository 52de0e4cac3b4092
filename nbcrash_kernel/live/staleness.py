"""Stale state: a crash on a value that a re-run, or a run out of order, changed under the cell.

From the session's dataflow (``dataflow``), for each value the crashing cell reads, the last
execution that changed it before the crash. It is execution order (taxonomy: NB) when that
change is one the crash depends on (the missing key was a column it removed, a column the cell
reads changed dtype or disappeared, or the value the failing line reads changed type, shape or
fitted state), and when the change came from:

- a cell that ran twice, each run changing the value (``rerun``): its effect was applied twice;
- an earlier run of the crashing cell itself (``rerun-self``): running it again applies it again;
- a cell run after the crashing cell's last successful run (``changed-after``);
- a cell that sits below the crashing cell in the notebook (``below``).

Anything less certain says nothing: the classifier's verdict stands.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from ..facts.cell_names import cell_name
from .dataflow import Change, effects
from .fingerprint import Fingerprint

_QUOTED = re.compile(r"'([^']{1,200})'")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class StaleFinding:
    """The value that changed, the execution that changed it, and the words for it."""

    kind: str               # rerun | rerun-self | changed-after | below
    name: str
    change: Change
    what_changed: str       # "`df['sex']` now holds float64, not int64"
    message: str
    fix: str


def stale_state(session: Any, crash: Any, error: BaseException) -> StaleFinding | None:
    """The stale-state finding for the crash execution ``crash`` (just recorded), or None."""
    from ..facts.cells import analyze_cell

    facts = analyze_cell(crash.source)
    if facts.syntax_error:
        return None
    keys = missing_keys(error)
    line = _line(crash.source, crash.error_lineno)
    dataflow = session.dataflow
    for name in sorted((set(facts.used) | set(facts.mutated)) & dataflow.changes.keys()):
        changes = since_creation(name, dataflow.changes_before(name, crash.seq))
        if len(changes) < 2:  # only its creation: nothing changed it since
            continue
        last = changes[-1]
        focus = set(facts.columns_read.get(name, ())) | keys
        words = describe_change(name, last.before, last.after, focus, keys,
                                on_line=name in _IDENT.findall(line))
        if words is None:
            continue
        kind = _kind(session, crash, last, changes)
        if kind is not None:
            return _finding(session, kind, name, last, changes, words, crash)
    return None


def since_creation(name: str, changes: list[Change]) -> list[Change]:
    """The changes from the last run that made ``name`` afresh (bound it without reading it)."""
    from ..facts.cells import analyze_cell

    for i in range(len(changes) - 1, 0, -1):
        facts = analyze_cell(changes[i].execution.source)
        if name in facts.defined and name not in facts.used:
            return changes[i:]
    return changes


def missing_keys(error: BaseException) -> set[str]:
    """The keys a KeyError names (pandas lists several: "['a', 'b'] not found in axis")."""
    if not isinstance(error, KeyError) or not error.args:
        return set()
    key = error.args[0]
    if isinstance(key, str) and ("not found" in key or " are in the " in key):
        return set(_QUOTED.findall(key))
    return {key if isinstance(key, str) else repr(key)}


def _line(source: str, lineno: int | None) -> str:
    lines = source.splitlines()
    return lines[lineno - 1] if isinstance(lineno, int) and 0 < lineno <= len(lines) else ""


def _kind(session: Any, crash: Any, last: Change, changes: list[Change]) -> str | None:
    changer = last.execution
    if changer.cell_id == crash.cell_id:
        return "rerun-self"
    if any(c.execution.cell_id == changer.cell_id for c in changes[1:-1]):
        return "rerun"
    if any(r.cell_id == crash.cell_id and r.status == "ok" and changes[0].seq < r.seq < last.seq
           for r in session.executions):
        return "changed-after"
    here, there = session.cell_index(crash.cell_id), session.cell_index(changer.cell_id)
    if here is not None and there is not None and there > here:
        return "below"
    return None


def describe_change(name: str, before: Fingerprint | None, after: Fingerprint, focus: set[str],
                    keys: set[str], on_line: bool) -> str | None:
    """The change in words, when the crash depends on it (``focus``: columns the cell reads)."""
    if before is None:
        return None
    if before.kind != after.kind:
        return f"`{name}` is now a {after.type_words}, not a {before.type_words}" if on_line or focus else None
    if before.columns is not None and after.columns is not None:
        gone = [c for c in before.columns if c in focus and c not in after.columns]
        if gone:
            listed = ", ".join(repr(c) for c in gone)
            return f"`{name}` no longer has column{'s' if len(gone) > 1 else ''} {listed}"
        for column in sorted(focus - keys):
            old, new = before.dtype_of(column), after.dtype_of(column)
            if old and new and old != new:
                return f"`{name}[{column!r}]` now holds {new}, not {old}"
    if not on_line:
        return None
    if before.shape != after.shape and before.shape is not None and after.shape is not None:
        return f"`{name}` now has shape {_shape(after.shape)}, not {_shape(before.shape)}"
    if before.columns is None and before.dtypes != after.dtypes and before.dtypes and after.dtypes:
        return f"`{name}` now holds {after.dtypes[0]}, not {before.dtypes[0]}"
    if before.fitted is not None and before.fitted != after.fitted:
        return f"`{name}` is {'now fitted' if after.fitted else 'no longer fitted'}"
    return None


def _shape(shape: tuple) -> str:
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def action(name: str, source: str, focus: set[str]) -> str:
    """What the changing cell's code does to ``name``, in a verb phrase (from its AST facts)."""
    done = effects(source)
    dropped = sorted(set(done.columns_dropped.get(name, ())) & focus)
    if dropped:
        return f"dropped `{name}[{dropped[0]!r}]`"
    written = sorted(set(done.columns_written.get(name, ())) & focus) or sorted(done.columns_written.get(name, ()))
    if written:
        return f"rewrote `{name}[{written[0]!r}]`"
    if name in done.fitted:
        return f"fitted `{name}`"
    if name in done.bound:
        return f"replaced `{name}`"
    return f"changed `{name}`"


def _finding(session: Any, kind: str, name: str, last: Change, changes: list[Change], words: str,
             crash: Any) -> StaleFinding:
    changer = last.execution
    label = cell_label_of(session, changer)
    focus = set(_QUOTED.findall(words))
    did = action(name, changer.source, focus)
    creator = changes[0].execution
    if kind == "rerun":
        first = next(c.execution for c in changes[1:-1] if c.execution.cell_id == changer.cell_id)
        message = (f"cell {label} ran twice (first as In [{first.execution_count}]); its second run "
                   f"{did} again: {words}")
    elif kind == "rerun-self":
        message = f"this cell already ran as In [{changer.execution_count}] and {did}: {words}; this run does it again"
    elif kind == "changed-after":
        message = f"cell {label} {did} after this cell last ran: {words}"
    else:
        message = f"cell {label}, below this one, ran first and {did}: {words}"
    fix = (f"Re-create `{name}` by running cell {cell_label_of(session, creator)} again, then run the cells "
           f"after it once each, in order (or restart the kernel and run all).")
    return StaleFinding(kind, name, last, words, message, fix)


def cell_label_of(session: Any, execution: Any) -> str:
    """``In [7]`` for the execution (its count), else the cell's position."""
    return cell_name(session.cell_index(execution.cell_id), execution.execution_count)


def apply_finding(diagnosis: Any, finding: StaleFinding, session: Any) -> None:
    """Make the diagnosis NB (execution order), naming the cell that changed the value."""
    from ..record.diagnosis import RelatedCell
    from ..record.taxonomy import NB_EXECUTION_ORDER

    changer = finding.change.execution
    diagnosis.root_cause, diagnosis.root_cause_detail = "NB", NB_EXECUTION_ORDER
    diagnosis.confidence = max(float(diagnosis.confidence or 0), 0.9)
    related = RelatedCell(role="changed-by", cell_id=changer.cell_id, index=session.cell_index(changer.cell_id),
                          execution_count=changer.execution_count, names=[finding.name])
    diagnosis.related_cells = [related] + [c for c in diagnosis.related_cells if c.role == "crashed"]
    text = finding.message[:1].upper() + finding.message[1:]
    diagnosis.summary = f"Stale state: {text}."
    diagnosis.evidence.insert(0, f"{text} (the session's history of `{finding.name}`)")
    diagnosis.suggestions.insert(0, finding.fix)
    diagnosis.extra["stale_state"] = {"kind": finding.kind, "name": finding.name, "change": finding.what_changed,
                                      "cell_id": changer.cell_id, "execution_count": changer.execution_count}


def diagnose_staleness(diagnosis: Any, session: Any, crash: Any, error: BaseException,
                       on_error: Callable[[BaseException], None] | None = None) -> None:
    """The live-evidence step: override the root cause when the crash is on stale state."""
    try:
        finding = stale_state(session, crash, error)
        if finding is not None:
            apply_finding(diagnosis, finding, session)
    except Exception as failure:  # noqa: BLE001 - only this evidence is lost
        if on_error is not None:
            on_error(failure)


def explain_missing_column(warning: dict, session: Any) -> dict:
    """A predicted missing column that a recorded run removed: name that run (role ``changed-by``)."""
    name, column = warning.get("subject"), warning.get("key")
    if warning.get("kind") != "missing-column" or not name or not isinstance(column, str):
        return warning
    try:
        return _explain_missing_column(warning, session, name, column)
    except Exception:  # noqa: BLE001 - the warning stands without its history
        return warning


def _explain_missing_column(warning: dict, session: Any, name: str, column: str) -> dict:
    for change in reversed(session.dataflow.timeline(name)):
        before, after = change.before, change.after
        if before is not None and before.columns and column in before.columns and \
                (after.columns is None or column not in after.columns):
            run = change.execution
            label = cell_label_of(session, run)
            warning["message"] = f"{warning['message']} Cell {label} removed it ({action(name, run.source, {column})})."
            # Not in ``cells`` (the cells to run first): running the cell that removed it again would not help.
            warning["changed_by"] = {"cell_id": run.cell_id, "index": session.cell_index(run.cell_id),
                                     "execution_count": run.execution_count, "names": [column]}
            return warning
    return warning
