"""Notebook-specific causes, decided from the notebook graph and its history.

These rules only speak when a graph is known (live kernel, audit, study with notebooks);
they recognise out-of-order execution, a previous cell's error and definitions that sit only
below, and otherwise stay silent so that the record's rules decide. When one fires, it
overrides the record's root cause.
"""
from __future__ import annotations

import re

from ..facts.cell_names import cell_name, cell_names
from ..facts.cells.ipython import AUTOMAGICS
from ..knowledge.messages import NOT_YET_PREPARED
from ..record.diagnosis import RelatedCell
from ..record.taxonomy import (API_MISUNDERSTOOD, DID_NOT_IMPORT, NB_EXECUTION_ORDER, NB_FUTURE_CELLS, NB_PREVIOUS_CELL_ERROR, TYPO,
                        UNDEFINED_FUNCTION, UNDEFINED_VARIABLE, WRONG_IMPLEMENTATION)
from .names import close_identifier, close_name
from .rules import Found, example, rule
from .signals import Signals


def crash_execution(signals: Signals):
    """The graph's execution for this crash (or a virtual one after everything known)."""
    from ..facts.graph import Execution

    ctx = signals.ctx
    graph = ctx.graph
    runs = graph.executions_of(ctx.cell_id) if ctx.cell_id else []
    for run in reversed(runs):
        if ctx.execution_count is None or run.execution_count == ctx.execution_count:
            return run
    return Execution(seq=len(graph.executions), cell_id=ctx.cell_id or "", execution_count=ctx.execution_count,
                     status="error", error_lineno=None, ename=signals.ename, evalue=signals.evalue,
                     defined=frozenset(), source=ctx.cell_source)


def _count(graph, cell) -> int | None:
    runs = graph.executions_of(cell.cell_id)
    return runs[-1].execution_count if runs else None


def _related(graph, cells, role: str, names: list[str]) -> tuple[RelatedCell, ...]:
    return tuple(RelatedCell(role=role, cell_id=c.cell_id, index=c.index, execution_count=_count(graph, c), names=names)
                 for c in cells)


def _label(graph, cell) -> str:
    """The cell as Jupyter shows it: In [7] when it ran, else cell #5."""
    return cell_name(cell.index, _count(graph, cell)) if cell is not None else "a cell"


def _labels(graph, cells) -> str:
    return cell_names([(c.index, _count(graph, c)) for c in cells])


def own_definers(graph, name: str, kinds: tuple[str, ...] = ("functions", "classes")) -> list:
    """The cells that define ``name`` with a ``def`` (kind ``functions``) or a ``class`` (``classes``)."""
    return [c for c in graph.definers(name) if any(name in (getattr(c.facts, kind, ()) or ()) for kind in kinds)]


def _have(cells) -> str:
    return "have" if len(cells) > 1 else "has"


# -- the notebook's facts about this crash, computed once for all its rules ---------------------

def _state(s: Signals) -> dict | None:
    """The graph's view of the crash: its execution, and the undefined name's status (None without a graph)."""
    if s.ctx.graph is None:
        return None
    state = s.memo.get("notebook")
    if state is None:
        graph = s.ctx.graph
        execution = crash_execution(s)
        name = s.undefined_name
        status = graph.explain_name(name, execution) if name and s.low_name == "nameerror" else None
        state = s.memo["notebook"] = {"graph": graph, "execution": execution, "name": name, "status": status}
    return state


def name_state(s: Signals, verdict: str) -> dict | None:
    state = _state(s)
    return state if state and state["status"] is not None and state["status"].verdict == verdict else None


def _nb(cells: list[str], runs: list[tuple], crash: int, ename: str, evalue: str, **more) -> dict:
    """An example: notebook cells, runs ``(cell, count, status, error line, ename, evalue)``, the crashing cell."""
    return example(ename, evalue, notebook={"cells": cells, "runs": [list(r) for r in runs]}, crash=crash, **more)


_NAME = ("NameError", "name 'X_train' is not defined")


@rule("RC-NB-PREVIOUS-CELL-ERROR", "NB", NB_PREVIOUS_CELL_ERROR, confidence=0.9, notebook=True,
      examples=[_nb(["X_train = load()\n", "model.fit(X_train)"],
                    [(0, 1, "error", 1, "NameError", "name 'load' is not defined"), (1, 2, "error", 1, *_NAME)], 1, *_NAME)])
def _previous_cell_error(s: Signals):
    """The cell that defines the name crashed before reaching the definition, and the user went on."""
    state = name_state(s, "failed-before-defining")
    if state is None:
        return None
    graph, name = state["graph"], state["name"]
    failed = state["status"].failed_definers[-1]
    cell = graph.cell(failed.cell_id)
    why = (f"{_label(graph, cell)} defines '{name}' but crashed with {failed.ename or 'an error'} before reaching it"
           if cell else f"the cell that defines '{name}' crashed before reaching it")
    return Found(why, _related(graph, [cell] if cell else [], "definer-crashed", [name]))


@rule("RC-NB-DEFINED-BELOW", "NB", NB_FUTURE_CELLS, confidence=0.85, notebook=True,
      examples=[_nb(["model.fit(X_train)", "X_train = [[1]]"], [(0, 1, "error", 1, *_NAME)], 0, *_NAME)])
def _defined_below(s: Signals):
    """The name is defined only in cells below the crashing one, which have not run."""
    state = name_state(s, "only-below")
    if state is None:
        return None
    graph, cells = state["graph"], state["status"].not_run_definers
    return Found(f"'{state['name']}' is defined only below, in {_labels(graph, cells)}, which {_have(cells)} not run",
                 _related(graph, cells, "definer-below", [state["name"]]))


@rule("RC-NB-NOT-RUN", "NB", NB_EXECUTION_ORDER, confidence=0.9, notebook=True,
      examples=[_nb(["X_train = [[1]]", "model.fit(X_train)"], [(1, 1, "error", 1, *_NAME)], 1, *_NAME)])
def _not_run(s: Signals):
    """The cell that defines the name had not run when the crashing cell ran (out-of-order execution).

    Worded for a live session and a saved notebook alike: an audit reads what ran before the crash.
    """
    state = name_state(s, "not-run")
    if state is None:
        return None
    graph, cells = state["graph"], state["status"].not_run_definers
    return Found(f"'{state['name']}' is defined in {_labels(graph, cells)}, which had not run when this cell ran",
                 _related(graph, cells, "definer-not-run", [state["name"]]))


@rule("RC-NB-DELETED", "NB", NB_EXECUTION_ORDER, confidence=0.8, notebook=True,
      examples=[_nb(["X_train = [[1]]", "del X_train", "model.fit(X_train)"],
                    [(0, 1), (1, 2), (2, 3, "error", 1, *_NAME)], 2, *_NAME)])
def _deleted(s: Signals):
    """A cell deleted the name (`del x`) after it was defined."""
    state = name_state(s, "deleted")
    if state is None:
        return None
    graph = state["graph"]
    deleter = graph.cell(state["status"].deleted_before[-1].cell_id)
    return Found(f"{_label(graph, deleter)} deleted '{state['name']}' after it was defined",
                 _related(graph, [deleter] if deleter else [], "deleter", [state["name"]]))


def _nowhere(s: Signals) -> dict | None:
    return name_state(s, "defined-nowhere")


@rule("RC-NB-SELF-DEFINES", "IMPL", WRONG_IMPLEMENTATION, confidence=0.8, notebook=True,
      examples=[_nb(["print(total)\ntotal = 1"], [(0, 1, "error", 1, "NameError", "name 'total' is not defined")], 0,
                    "NameError", "name 'total' is not defined")])
def _self_defines(s: Signals):
    """No other cell defines the name; the crashing cell assigns it only after using it."""
    state = _nowhere(s)
    return state and state["status"].self_defines and f"'{state['name']}' is used in this cell before the cell assigns it"


@rule("RC-NB-NEVER-IMPORTED", "IMPL", DID_NOT_IMPORT, confidence=0.85, notebook=True,
      examples=[_nb(["x = [1, 2]", "np.mean(x)"], [(0, 1), (1, 2, "error", 1, "NameError", "name 'np' is not defined")], 1,
                    "NameError", "name 'np' is not defined")])
def _never_imported(s: Signals):
    """A module alias that no cell of the notebook imports."""
    state = _whole_notebook(s)
    return state and s.etype.code == "MODULE" and f"no cell of the notebook imports '{state['name']}'"


def _whole_notebook(s: Signals, every_cell: bool = True) -> dict | None:
    """Defined nowhere, in a notebook whose every cell is known and none binds names unseen (else the
    record's rules decide). ``every_cell=False``: the cells known (those that ran, when a kernel cannot
    read its notebook) are enough, for a verdict that rests on what they show rather than on an absence."""
    state = _nowhere(s)
    if not state or (every_cell and not getattr(state["graph"], "knows_all_cells", True)):
        return None
    if "opaque" not in state:
        state["opaque"] = _opaque_definers(state["graph"])
    return None if state["opaque"] else state


# Code that binds names no static reading sees: ``%run`` runs a script in the namespace, ``%store -r``
# restores stored variables, ``exec`` runs text, ``%load`` pastes a file into the cell. IPython's
# automagic calls them without ``%`` too (``run x.py``, ``store -r``): a line that starts with the
# magic's name and an argument, not an assignment or a call. ``exec(``, not a method ``obj.exec(``.
_AUTOMAGIC = "|".join(m for m in ("run", "load") if m in AUTOMAGICS)
_OPAQUE = re.compile(r"^\s*%(?:run|store\s+-r|load)\b"
                     rf"|^[ \t]*(?:(?:{_AUTOMAGIC})[ \t]+[^\s=(\[.]|store[ \t]+-r\b)"
                     r"|(?<![.\w])exec\s*\(", re.M)


def _opaque_definers(graph) -> list:
    """Cells that may bind any name: star imports, ``%run``, ``%store -r``, ``exec``."""
    return [c for c in graph.cells if c.kind == "code" and
            (getattr(c.facts, "star_imports", ()) or _OPAQUE.search(c.source))]


@rule("RC-NB-TYPO", "IMPL", TYPO, confidence=0.75, notebook=True,
      examples=[_nb(["total = 1", "print(totl)"], [(0, 1), (1, 2, "error", 1, "NameError", "name 'totl' is not defined")], 1,
                    "NameError", "name 'totl' is not defined")])
def _typo(s: Signals):
    """No cell defines the name, but a name one letter away is defined or used: a typo.

    The close name is the evidence, so the cells that ran are enough when the notebook's file cannot be read."""
    state = _whole_notebook(s, every_cell=False)
    if state is None:
        return None
    name = state["name"]
    typo = _close_defined_name(state["graph"], name) or close_identifier(s, name)
    cells = "no cell" if getattr(state["graph"], "knows_all_cells", True) else "no cell that ran"
    return typo and f"{cells} defines '{name}', but '{typo}' appears in the code"


@rule("RC-NB-UNDEFINED-FUNCTION", "IMPL", UNDEFINED_FUNCTION, confidence=0.75, notebook=True,
      examples=[_nb(["x = 1", "y = helper(x)"], [(0, 1), (1, 2, "error", 1, "NameError", "name 'helper' is not defined")], 1,
                    "NameError", "name 'helper' is not defined",
                    traceback="Traceback (most recent call last):\n  File \"/tmp/ipykernel_42/1234567890.py\", line 1,"
                              " in <module>\n    y = helper(x)\nNameError: name 'helper' is not defined")])
def _undefined_function(s: Signals):
    """No cell of the whole notebook defines the called name."""
    state = _whole_notebook(s)
    return state and s.etype.code == "NAME" and f"no cell of the notebook defines '{state['name']}'"


@rule("RC-NB-UNDEFINED-VARIABLE", "IMPL", UNDEFINED_VARIABLE, confidence=0.75, notebook=True,
      examples=[_nb(["x = 1", "print(x + offset)"], [(0, 1), (1, 2, "error", 1, "NameError", "name 'offset' is not defined")],
                    1, "NameError", "name 'offset' is not defined")])
def _undefined_variable(s: Signals):
    """No cell of the whole notebook defines the name."""
    state = _whole_notebook(s)
    return state and f"no cell of the notebook defines '{state['name']}'"


# -- columns ---------------------------------------------------------------------------------

_COLUMN = re.compile(r"^'(.*)'$|\[?'([^']+)'")


def _column_state(s: Signals) -> dict | None:
    """For a KeyError on a column other cells create: the column and those cells."""
    state = _state(s)
    if state is None or state["status"] is not None or s.etype.code != "KEY":
        return None
    if "column" not in state:
        match = _COLUMN.search(s.evalue.strip().strip('"'))
        column = next(g for g in match.groups() if g) if match else None
        execution = state["execution"]
        definers = [c for c in state["graph"].column_definers(column) if c.cell_id != execution.cell_id] if column else []
        state["column"], state["definers"] = column, definers
    return state if state["definers"] else None


_KEY = ("KeyError", "'price'")


@rule("RC-NB-COLUMN-DROPPED", "NB", NB_EXECUTION_ORDER, confidence=0.8, notebook=True,
      examples=[_nb(["df['price'] = 1", "df = df.drop(columns=['price'])", "y = df['price']"],
                    [(0, 1), (1, 2), (2, 3, "error", 1, *_KEY)], 2, *_KEY)])
def _column_dropped(s: Signals):
    """A cell that ran after the column was created dropped it."""
    state = _column_state(s)
    if state is None:
        return None
    graph, column = state["graph"], state["column"]
    dropper = _dropped_since_defined(graph, state["execution"], column, state["definers"])
    if dropper is None:
        return None
    cell = graph.cell(dropper.cell_id)
    return Found(f"column '{column}' was dropped by {_label(graph, cell)}, which ran after the cell that created it",
                 _related(graph, [cell] if cell else [], "redefined-after", [column]))


@rule("RC-NB-COLUMN-NOT-RUN", "NB", NB_EXECUTION_ORDER, confidence=0.8, notebook=True,
      examples=[_nb(["df['price'] = 1", "y = df['price']"], [(1, 1, "error", 1, *_KEY)], 1, *_KEY)])
def _column_not_run(s: Signals):
    """Every cell that creates the column has not run before the crash."""
    state = _column_state(s)
    if state is None:
        return None
    graph, execution = state["graph"], state["execution"]
    not_run = [c for c in state["definers"] if not graph.ran_before(c.cell_id, execution)]
    return len(not_run) == len(state["definers"]) and Found(
        f"column '{state['column']}' is created in {_labels(graph, not_run)}, which has not run",
        _related(graph, not_run, "definer-not-run", [state["column"]]))


@rule("RC-NB-COLUMN-CELL-CRASHED", "NB", NB_PREVIOUS_CELL_ERROR, confidence=0.8, notebook=True,
      examples=[_nb(["df = load()\ndf['price'] = 1", "y = df['price']"],
                    [(0, 1, "error", 1, "NameError", "name 'load' is not defined"), (1, 2, "error", 1, *_KEY)], 1, *_KEY)])
def _column_cell_crashed(s: Signals):
    """The cells that create the column only crashed before the crash: the column was never made."""
    state = _column_state(s)
    if state is None:
        return None
    graph, execution = state["graph"], state["execution"]
    earlier = [run for c in state["definers"] for run in graph.executions_of(c.cell_id) if run.seq < execution.seq]
    failed = [run for run in earlier if run.status == "error"]
    if not failed or any(run.status == "ok" for run in earlier):
        return None
    cell = graph.cell(failed[-1].cell_id)
    return Found(f"{_label(graph, cell)} that creates column '{state['column']}' crashed before creating it",
                 _related(graph, [cell], "definer-crashed", [state["column"]]))


# -- models used before fitting ------------------------------------------------------------

_FITTED_ATTRIBUTE = re.compile(r"has no attribute '(?:best_\w+_|cv_results_|classes_|coef_|"
                               r"feature_importances_|n_features_in_|labels_|cluster_centers_|components_)'")
_FIT_METHODS = ("fit", "fit_transform", "fit_generator", "train", "fit_resample", "partial_fit", "compile")
_RECEIVER = re.compile(r"(?<![\w.])([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*[A-Za-z_]")
_UNFITTED = ("NotFittedError", "This StandardScaler instance is not fitted yet.")


def _fit_state(s: Signals) -> dict | None:
    """For a model used before fitting: the receivers on the failing line and the cells that fit each."""
    state = _state(s)
    if state is None or state["status"] is not None or s.etype.code == "KEY":
        return None
    if not (s.ename == "NotFittedError" or _FITTED_ATTRIBUTE.search(s.evalue)
            or (s.etype.code == "INIT" and NOT_YET_PREPARED.search(s.evalue))):
        return None
    if "fitted_by" not in state:
        receivers = [name for name in dict.fromkeys(_RECEIVER.findall(s.crashing_line))
                     if not _imported(state["graph"], name)]
        execution = state["execution"]
        state["receivers"] = receivers
        state["fitted_by"] = {name: [c for c in state["graph"].cells if c.cell_id != execution.cell_id and _fits(c, name)]
                              for name in receivers}
    return state if state["receivers"] else None


def _fit_line(line: str) -> str:
    return f"Traceback (most recent call last):\n  File \"/tmp/ipykernel_42/1234567890.py\", line 1, in <module>\n    {line}\n" \
           f"NotFittedError: {_UNFITTED[1]}"


@rule("RC-NB-FIT-NOT-RUN", "NB", NB_EXECUTION_ORDER, confidence=0.85, notebook=True,
      examples=[_nb(["scaler.fit(X)", "Z = scaler.transform(X)"], [(1, 1, "error", 1, *_UNFITTED)], 1, *_UNFITTED,
                    traceback=_fit_line("Z = scaler.transform(X)"))])
def _fit_not_run(s: Signals):
    """The model is fitted in a cell that has not run before the crash."""
    state = _fit_state(s)
    if state is None:
        return None
    graph, execution = state["graph"], state["execution"]
    for name, cells in state["fitted_by"].items():
        not_run = [c for c in cells if not graph.ran_before(c.cell_id, execution)]
        if cells and len(not_run) == len(cells):
            return Found(f"`{name}` is fitted in {_labels(graph, not_run)}, which has not run",
                         _related(graph, not_run, "definer-not-run", [name]))
    return None


@rule("RC-NB-NEVER-FITTED", "API", API_MISUNDERSTOOD, confidence=0.7, notebook=True,
      examples=[_nb(["scaler = make()", "Z = scaler.transform(X)"], [(0, 1), (1, 2, "error", 1, *_UNFITTED)], 1, *_UNFITTED,
                    traceback=_fit_line("Z = scaler.transform(X)"))])
def _never_fitted(s: Signals):
    """No other cell of the whole notebook fits (trains, compiles) the model: it is used before the API
    that prepares it was called, not because a cell was skipped (the record alone cannot tell which)."""
    state = _fit_state(s)
    return state and getattr(state["graph"], "knows_all_cells", True) and not any(state["fitted_by"].values()) and \
        f"no other cell of the notebook fits `{state['receivers'][0]}` before it is used"


def _imported(graph, name: str) -> bool:
    """A module name (``plt.plot``): never a model the notebook fits."""
    return any(name in (getattr(c.facts, "imports", {}) or {}) for c in graph.definers(name))


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
