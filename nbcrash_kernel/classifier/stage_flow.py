"""The stage of the values the failing line reads, from the statements that made them (notebook in view).

A line such as ``print(len(y_pred))`` or ``cm[0, 1]`` names no pipeline step itself; the step is in
the statement that bound its names: ``y_pred = model.predict(X)`` evaluates, ``df = pd.read_csv(..)``
prepares data, ``fig, ax = plt.subplots()`` visualises. Only values that end the pipeline's flow
place the line that reads them: figures (DATAV), and predictions, scores and plotted training
histories (EVAL); data and models are read at every later step. The binding is the last one that ran before
the crash: a line of the crashing cell above the failing one, else the latest run of another cell
that bound the name (the graph's history, as the notebook rules read it). Bindings are found by a
scan of the cell's lines (no parse: the audit has the facts already); only a plain top-level
``name = call(..)`` counts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..facts.cell_names import cell_name
from ..knowledge.pipeline import api_calls, strip_strings
from ..record.taxonomy import STAGES
from .notebook import crash_execution
from .rules import CELL_FILE, example, rule, traceback_text
from .signals import Signals

WEIGHT = 2.5  # per name: above a single hint (type prior, a cell word), below the line's own API (3 x 1.5 or more)
_MOST_NAMES = 2
MEMO = "stage_flow"
# A value is read at the step that made it or a later one. Prepared data, built models and settings
# flow on to every later step, so reading them says little; figures and axes are drawn on, and
# predictions and scores are reported, where they were made: those values place the line that reads them.
ENDS = frozenset({"DATAV", "EVAL"})

# A top-level ``a = ...``, ``a, b = ...``, ``(a, b) = ...``, ``a: T = ...``: the targets and the value.
_ASSIGNMENT = re.compile(r"^\(?(?P<targets>\*?[A-Za-z_]\w*(?:\s*,\s*\*?[A-Za-z_]\w*)*)\s*,?\s*\)?"
                         r"\s*(?::[^=\n]*)?=(?!=)\s*(?P<value>[^\n]+)", re.MULTILINE)
_TARGET = re.compile(r"[A-Za-z_]\w*")
# A name read as a value: not an attribute, not called, not a keyword argument or assignment target.
_READ_NAME = re.compile(r"(?<![\w.'\"])([A-Za-z_]\w*)\b(?!\s*\()(?!\s*=[^=])")
_KEYWORDS = frozenset("and as assert async await break class continue def del elif else except False finally for "
                      "from global if import in is lambda None nonlocal not or pass raise return True try while "
                      "with yield".split())


@dataclass(frozen=True)
class Producer:
    """The statement that bound a name the failing line reads, where it ran, and the stage of its call."""

    name: str
    line: str
    cell: str
    stage: str
    words: tuple[str, ...]


def last_assignment(source: str, name: str, before: int | None = None) -> str | None:
    """The value of the last top-level ``name = value`` line of ``source`` (above line ``before``)."""
    found = None
    for match in _ASSIGNMENT.finditer(source or ""):
        if before is not None and source.count("\n", 0, match.start()) + 1 >= before:
            break
        if name in _TARGET.findall(match.group("targets")):
            found = match.group(0)
    return found


def read_names(line: str) -> list[str]:
    """The names ``line`` reads as values, in order (strings aside)."""
    names = [n for n in _READ_NAME.findall(strip_strings(line or "")) if n not in _KEYWORDS]
    return list(dict.fromkeys(names))


def _call_stage(statement: str, aliases: dict[str, str] | None) -> tuple[str, tuple[str, ...]] | None:
    """The stage the statement's value calls name most (None on a tie between stages or no call)."""
    value = statement.split("=", 1)[1] if "=" in statement else statement
    totals: dict[str, float] = {}
    words: dict[str, list[str]] = {}
    for word, stage, weight in api_calls(value, aliases):
        totals[stage] = totals.get(stage, 0.0) + weight
        words.setdefault(stage, []).append(word)
    if not totals:
        return None
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0], tuple(dict.fromkeys(words[ranked[0][0]]))


def _binding(s: Signals, execution, name: str, lineno: int | None) -> tuple[str, str, dict] | None:
    """The statement that last bound ``name`` before the crash, the cell as Jupyter names it, its imports."""
    graph = s.ctx.graph
    own = s.ctx.cell_source or execution.source or ""
    crash_cell = graph.cell(execution.cell_id)
    if lineno:
        above = last_assignment(own, name, lineno)
        if above is not None:
            index = crash_cell.index if crash_cell else s.ctx.cell_index
            return above, cell_name(index, execution.execution_count), s.cell_imports
    runs = graph.bound_before(name, execution)
    if not runs:
        return None
    run = runs[-1]
    cell = graph.cell(run.cell_id)
    source = run.source or (cell.source if cell else "")
    statement = last_assignment(source, name)
    if statement is None:
        return None
    facts = run.facts or (cell.facts if cell else None)
    return statement, cell_name(cell.index if cell else None, run.execution_count), dict(getattr(facts, "imports", {}) or {})


def producers(s: Signals) -> list[Producer]:
    """The producing statements of the names the failing cell line reads, with their stage."""
    if s.ctx.graph is None:
        return []
    line = s.cell_line or s.crashing_line
    if not line or api_calls(line, s.cell_imports):
        return []  # the line names its own step
    top = s.top_user_frame
    lineno = top.lineno if top else None
    execution = crash_execution(s)
    plots: bool | None = None  # read once, and only for a training result
    found: list[Producer] = []
    for name in read_names(line):
        binding = _binding(s, execution, name, lineno)
        staged = _call_stage(binding[0], binding[2]) if binding else None
        if staged is None:
            continue
        stage, words = staged
        if stage == "TRAIN":
            plots = _plots(s) if plots is None else plots
        if stage == "TRAIN" and plots:
            stage = "EVAL"  # a training run's history, plotted: a learning curve (taxonomy: EVAL)
        if stage not in ENDS:
            continue  # data, models and settings flow on to every later step: they do not place the reader
        found.append(Producer(name, binding[0].strip(), binding[1], stage, words))
        if len(found) == _MOST_NAMES:
            break
    return found


def _plots(s: Signals) -> bool:
    return any(stage == "DATAV" for _w, stage, _x in api_calls(s.code_context, s.cell_imports))


def evidence(found: list[Producer], stage: str) -> str:
    """One sentence naming the producing statements of ``stage`` and their cells."""
    parts = [f"`{p.name}` comes from `{p.line[:80]}` in {p.cell} ({', '.join(f'`{w}`' for w in p.words)})"
             for p in found if p.stage == stage]
    return "; ".join(parts)


def _flow_example(first: str, crashing: str, stage: str, ename: str = "IndexError",
                  evalue: str = "index 5 is out of bounds for axis 0 with size 2", lineno: int = 1) -> dict:
    failing = crashing.splitlines()[lineno - 1]
    return example(ename, evalue, traceback_text(ename, evalue, (CELL_FILE, failing, lineno)), crash=1,
                   notebook={"cells": [first, crashing], "runs": [[0, 1], [1, 2, "error", lineno, ename, evalue]]},
                   expect=stage)


@rule("ST-DATAFLOW", "", "the stage of the statements that made the values the failing line reads",
      examples=[_flow_example("from sklearn.metrics import confusion_matrix\ncm = confusion_matrix(a, b)",
                              "tn = cm[5, 1]", "EVAL"),
                _flow_example("import matplotlib.pyplot as plt\nfig, panels = plt.subplots(2)", "first = panels[5]", "DATAV"),
                _flow_example("out = model.predict(X)", "top = out[5]", "EVAL"),
                _flow_example("fitted = model.fit(X, y)", "plt.figure()\nfirst = fitted[5]\nplt.plot(first)", "EVAL",
                              lineno=2)])
def _dataflow(s: Signals, scores: dict[str, float]) -> None:
    """The failing line names no step, but the values it reads were made by calls that do.

    With the notebook in view, each name the failing line reads is followed to the statement that
    last bound it before the crash (above in the crashing cell, else the latest run of the cell
    that bound it); that statement's calls take their stage from the same API table as the
    failing line's (`y_pred = model.predict(X)` evaluates, `fig, ax = plt.subplots()` visualises).
    A training call's result in a cell that plots is a learning curve: evaluation. Only figures and
    results count: prepared data and built models flow on to every later step, so reading them does
    not say which step reads them (`X_test` made by `train_test_split` is read when evaluating). Weighed below
    the failing line's own API words, and only when that line calls no staged API; nothing
    without a notebook.
    """
    found = producers(s)
    s.memo[MEMO] = {p.stage: f"stage {p.stage} ({STAGES.get(p.stage, p.stage)}): the failing line names no step; "
                    + evidence(found, p.stage) for p in found}
    for producer in found:
        scores[producer.stage] = scores.get(producer.stage, 0.0) + WEIGHT
