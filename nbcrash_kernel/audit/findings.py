"""Notebook findings: the study's notebook-specific causes, found before they crash.

Computed from the saved execution counts and the facts of every code cell
(names defined and used), with no code run:

- ``out-of-order``: execution counts that do not increase top to bottom (one
  finding per notebook, listing every place where the counts drop);
- ``defined-below``: a cell uses a name that only cells below it define;
- ``never-ran``: a code cell that never ran while cells below it did (a
  notebook that never ran, or was stripped of its outputs, has none);
- ``undefined-name``: a name used but defined in no cell (nor a builtin);
- ``irreproducible-output``: a cell whose saved, successful output a
  top-to-bottom run cannot reproduce, because a name it uses is not yet
  defined at that point.
"""
from __future__ import annotations

import builtins
import re
from dataclasses import dataclass, field
from typing import Any

from ..facts.cell_names import cell_name, cell_names
from ..facts.cells.ipython import AUTOMAGICS
from .codes import FINDING_KINDS
from .suppress import silenced

# Names a running IPython kernel provides without any cell defining them.
IPYTHON_NAMES = frozenset({
    "get_ipython", "display", "In", "Out", "exit", "quit", "_", "__", "___",
    "_i", "_ii", "_iii", "_ih", "_oh", "_dh", "__file__", "__name__", "__builtins__",
    "__doc__", "__spec__", "__loader__", "__package__", "__builtin__",
})
# An out-of-order finding's message names this many drops; its ``pairs`` holds all of them.
MAX_PAIRS_IN_MESSAGE = 5
_HISTORY_NAME = re.compile(r"^_i{0,3}\d+$")
BUILTIN_NAMES = frozenset(dir(builtins)) | IPYTHON_NAMES
# What makes a cell define names no analysis sees: a line opening with one of these magics, a call
# that reads or writes a namespace, import_ipynb. Each starts with a literal, so each search skips
# ahead to it; one ``(?m)^`` alternation was tried at every position of the cell instead.
_DYNAMIC_MAGIC = re.compile(r"%(?:run|pylab|store|load|macro)\b")
_NAMESPACE_CALL = re.compile(r"\b(?:exec|globals|locals|vars)\(")


@dataclass
class CodeCell:
    """What findings need of one code cell."""

    index: int
    cell_id: str | None
    execution_count: int | None
    source: str
    facts: Any
    has_output: bool
    has_error: bool
    line: int | None = None
    defined: frozenset[str] = frozenset()
    used: list[str] = field(init=False, repr=False)  # free names it reads (see ``_used``)
    used_when_run: list[str] = field(init=False, repr=False)  # ... as it runs, not in function bodies

    def __post_init__(self) -> None:
        # Every finding reads these of every cell: computed here, not as cached properties
        # (whose first access takes a lock in Python 3.11, for 14,000 cells of a corpus).
        self.used = _used(self.facts)
        deferred = getattr(self.facts, "deferred_used", ()) or ()
        self.used_when_run = [n for n in self.used if n not in deferred] if deferred else self.used

    def ref(self) -> dict[str, Any]:
        return {"index": self.index, "cell_id": self.cell_id,
                "execution_count": self.execution_count, "line": self.line}

    def is_dynamic(self) -> bool:
        """A star import, %run, %pylab or exec(): the cell may define any name."""
        return bool(getattr(self.facts, "star_imports", None)) or _defines_dynamically(self.source)


def notebook_findings(nb: dict[str, Any], graph: Any, cell_lines: list[int] | None = None
                      ) -> list[dict[str, Any]]:
    """Every finding of the notebook, each with a ``kind``, a ``message`` and its ``cells``.

    ``cell_lines`` (the file line where each cell starts) adds a ``line`` to each cell.
    """
    cells = code_cells(nb, graph, cell_lines)
    definers = _definers(cells)
    # A star import, %run, %pylab or exec() can define any name: "defined nowhere" is unknowable.
    dynamic = any(c.is_dynamic() for c in cells)
    findings = _out_of_order(cells) + _never_ran(cells)
    findings += _defined_below(cells, definers)
    if not dynamic:
        findings += _undefined(cells, definers)
    findings += _irreproducible(cells, definers, dynamic)
    return [f for f in findings if not _silenced_at(f, cells)]


def _silenced_at(finding: dict[str, Any], cells: list[CodeCell]) -> bool:
    """A ``# nbcrash: ignore`` comment in the cell the finding is reported at.

    (An out-of-order drop was silenced as it was found, by either of its two cells.)
    """
    if finding["kind"] == "out-of-order":
        return False
    first = finding["cells"][0]["index"] if finding["cells"] else None
    source = next((c.source for c in cells if c.index == first), None)
    return silenced(source, finding["kind"])


def code_cells(nb: dict[str, Any], graph: Any, cell_lines: list[int] | None = None
               ) -> list[CodeCell]:
    """The notebook's code cells with their facts (from the graph, analysed once)."""
    by_index = {c.index: c for c in (graph.cells if graph is not None else ())}
    result = []
    for index, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") != "code":
            continue
        graph_cell = by_index.get(index)
        outputs = cell.get("outputs") or ()
        facts = _facts(graph, graph_cell, cell.get("source", ""))
        result.append(CodeCell(
            index=index,
            cell_id=getattr(graph_cell, "cell_id", None) or _own_id(cell),
            execution_count=cell.get("execution_count"),
            source=cell.get("source", ""),
            facts=facts,
            has_output=bool(outputs),
            has_error=any(o.get("output_type") == "error" for o in outputs),
            line=cell_lines[index] if cell_lines else None,
            defined=_defined(facts, graph_cell),
        ))
    return result


def _defines_dynamically(source: str) -> bool:
    # Substring tests first: most cells skip every regex.
    if "import_ipynb" in source:
        return True
    if (("exec(" in source or "globals(" in source or "locals(" in source or "vars(" in source)
            and _NAMESPACE_CALL.search(source) is not None):
        return True
    return "%" in source and any(_opens_line(source, m.start()) for m in _DYNAMIC_MAGIC.finditer(source))


def _opens_line(source: str, position: int) -> bool:
    """Only spaces and tabs stand before ``position`` on its line."""
    return not source[source.rfind("\n", 0, position) + 1:position].strip(" \t")


def _own_id(cell: dict[str, Any]) -> str | None:
    return cell["id"] if isinstance(cell.get("id"), str) else None


def _facts(graph: Any, graph_cell: Any, source: str) -> Any:
    if graph_cell is not None:
        return graph_cell.facts
    from ..facts.cells.lean import lean_facts  # no graph (a notebook without crashes): facts alone suffice

    return lean_facts(source)


def _defined(facts: Any, graph_cell: Any = None) -> frozenset[str]:
    known = getattr(graph_cell, "defined", None)  # the graph computed them already
    if isinstance(known, frozenset):
        return known
    from ..facts.graph import defined_names

    return defined_names(facts)


def _used(facts: Any) -> list[str]:
    """Free names a cell reads, sorted: not builtins, IPython's own names or automagics.

    (``CodeCell.used_when_run`` leaves out those read only inside function bodies:
    such a name is looked up when the function is called, maybe after a later cell defined it.)
    """
    if getattr(facts, "syntax_error", False):
        return []
    used = getattr(facts, "used", ()) or ()
    # Most names a cell reads are builtins: drop them with one set difference first.
    candidates = used - BUILTIN_NAMES if isinstance(used, frozenset) else used
    return sorted(n for n in candidates
                  if n not in BUILTIN_NAMES
                  and not (n[:1] == "_" and _HISTORY_NAME.match(n))
                  and not _automagic(n, getattr(facts, "source", "")))


def _automagic(name: str, source: str) -> bool:
    """IPython runs a line such as ``pwd`` or ``pip install x`` as a magic (automagic)."""
    if name not in AUTOMAGICS:
        return False
    return re.search(rf"(?m)^[ \t]*{name}(?:[ \t]+[^=(\[.\s]|[ \t]*$)", source) is not None


def _definers(cells: list[CodeCell]) -> dict[str, list[CodeCell]]:
    definers: dict[str, list[CodeCell]] = {}
    for cell in cells:
        for name in cell.defined:
            definers.setdefault(name, []).append(cell)
    return definers


def _finding(kind: str, message: str, cells: list[CodeCell], names: list[str] | None = None
             ) -> dict[str, Any]:
    return {"kind": kind, "title": FINDING_KINDS[kind], "message": message,
            "cells": [c.ref() for c in cells], "names": names or []}


def _label(cell: CodeCell) -> str:
    """The cell as Jupyter shows it: ``In [7]`` when it ran, ``cell #5`` when it did not."""
    return cell_name(cell.index, cell.execution_count)


def _labels(cells: list[CodeCell]) -> str:
    return cell_names([(c.index, c.execution_count) for c in cells])


def _out_of_order(cells: list[CodeCell]) -> list[dict[str, Any]]:
    """One finding listing every place where the counts drop: a cell ran before the one above it.

    Counts 1 2 9 10 3 4 give one drop (In [3] under In [10]), not one per cell of
    the later block; the finding's ``pairs`` holds each drop as (the cell above, the cell below).
    """
    pairs: list[tuple[CodeCell, CodeCell]] = []
    previous: CodeCell | None = None
    for cell in cells:
        if cell.execution_count is None:
            continue
        if (previous is not None and cell.execution_count < previous.execution_count
                and not silenced(cell.source, "out-of-order")
                and not silenced(previous.source, "out-of-order")):
            pairs.append((previous, cell))
        previous = cell
    if not pairs:
        return []
    shown = "; ".join(f"{_label(below)} ran before {_label(above)} above it"
                      for above, below in pairs[:MAX_PAIRS_IN_MESSAGE])
    more = len(pairs) - MAX_PAIRS_IN_MESSAGE
    if more > 0:
        shown += f"; and {more} more"
    if len(pairs) == 1:
        message = f"{_label(pairs[0][1])} ran before {_label(pairs[0][0])}, which sits above it"
    else:
        message = f"{len(pairs)} cells ran before a cell above them: {shown}"
    involved = list({id(c): c for pair in pairs for c in pair}.values())
    finding = _finding("out-of-order", message, involved)
    finding["pairs"] = [[above.ref(), below.ref()] for above, below in pairs]
    return [finding]


def _never_ran(cells: list[CodeCell]) -> list[dict[str, Any]]:
    """Cells with code that never ran above the last cell that did.

    A notebook where no cell ran (new, or stripped of its outputs) says nothing
    about the order it was run in: no finding.
    """
    last_ran = max((i for i, c in enumerate(cells) if c.execution_count is not None), default=-1)
    if last_ran < 0:
        return []
    skipped = [c for c in cells[:last_ran] if c.execution_count is None and c.source.strip()]
    if not skipped:
        return []
    below = cells[last_ran]
    return [_finding("never-ran",
                     f"{_labels(skipped)} never ran, yet {_label(below)} below did",
                     skipped + [below])]


def _defined_below(cells: list[CodeCell], definers: dict[str, list[CodeCell]]
                   ) -> list[dict[str, Any]]:
    findings = []
    for cell in cells:
        own = cell.defined
        for name in cell.used_when_run:
            where = definers.get(name, [])
            if name in own or not where or any(d.index < cell.index for d in where):
                continue
            findings.append(_finding(
                "defined-below",
                f"{_label(cell)} uses {name!r}, which only {_label(where[0])} below defines",
                [cell, where[0]], [name]))
    return findings


def _undefined(cells: list[CodeCell], definers: dict[str, list[CodeCell]]) -> list[dict[str, Any]]:
    findings = []
    for cell in cells:
        missing = [n for n in cell.used if n not in definers]
        if missing:
            names = ", ".join(repr(n) for n in missing)
            findings.append(_finding(
                "undefined-name", f"{_label(cell)} uses {names}, defined in no cell",
                [cell], missing))
    return findings


def _irreproducible(cells: list[CodeCell], definers: dict[str, list[CodeCell]], dynamic: bool
                    ) -> list[dict[str, Any]]:
    """Cells with a successful saved output that would raise NameError run top to bottom."""
    findings = []
    bound: set[str] = set()
    for cell in cells:
        if cell.has_output and not cell.has_error and cell.execution_count is not None:
            missing = [n for n in cell.used_when_run
                       if n not in bound and n not in cell.defined
                       and (n in definers or not dynamic)]
            if missing:
                findings.append(_irreproducible_finding(cell, missing, definers))
        bound |= cell.defined
    return findings


def _irreproducible_finding(cell: CodeCell, missing: list[str],
                            definers: dict[str, list[CodeCell]]) -> dict[str, Any]:
    reasons = []
    involved = [cell]
    for name in missing:
        below = definers.get(name)
        if below:
            reasons.append(f"{name!r} is first defined below, in {_label(below[0])}")
            involved.append(below[0])
        else:
            reasons.append(f"{name!r} is defined in no cell")
    return _finding(
        "irreproducible-output",
        f"the saved output of {_label(cell)} cannot be reproduced top to bottom: "
        + "; ".join(reasons), involved, missing)
