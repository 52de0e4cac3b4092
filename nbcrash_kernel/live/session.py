"""The session's history: every execution, what it bound, and the notebook graph.

Per cell, the work is bounded: the namespace diff compares key sets only while the
namespace has at most ``max_namespace_scan`` names; above that it checks the names the
cell mentions. Executions go to the ``NotebookGraph`` lazily (``sync_graph``), since
the graph analyses each new source and that cost belongs to the crash path, not to
every cell.
"""
from __future__ import annotations

import hashlib
import re
import time
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Any, Iterable, MutableMapping

from .dataflow import Dataflow
from .notebook_file import NotebookSnapshot

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Names IPython binds itself: output and input caches, directory history.
IPYTHON_NAME = re.compile(r"_(?:i{1,3}|i\d+|\d+|_{0,2}|dh|ih|oh)\Z")
_MISSING = object()
FULL_SCAN_EVERY = 50


@dataclass(frozen=True)
class CellText:
    """A cell known by its id, position (None outside the notebook file) and source."""

    cell_id: str
    index: int | None
    source: str


@dataclass
class ExecutionRecord:
    """One run of a cell in this session."""

    execution_count: int | None
    cell_id: str
    source: str
    status: str = "ok"  # ok | error | interrupted | blocked
    ename: str | None = None
    evalue: str | None = None
    error_lineno: int | None = None
    defined: frozenset[str] = frozenset()
    deleted: frozenset[str] = frozenset()
    cell_id_sent: bool = True  # False: the front end sent no cellId, the id was matched by source
    finished_at: float = field(default_factory=time.time)
    seq: int = 0  # its number in the session's dataflow (``Dataflow.after_execution``)


@lru_cache(maxsize=64)
def mentioned_names(source: str) -> frozenset[str]:
    """Every identifier that appears in the text (a superset of the names it uses).

    Cached: the guard (before the cell) and the namespace diff (after it) ask for the same source.
    """
    return frozenset(IDENTIFIER.findall(source))


def source_cell_id(source: str) -> str:
    """A stable id for a cell known only by its source."""
    return "src-" + hashlib.sha1(source.encode("utf-8", "replace")).hexdigest()[:12]


class NamespaceTracker:
    """Which user names each execution bound or removed, measured incrementally."""

    def __init__(self, user_ns: MutableMapping[str, Any], hidden: Iterable[str] = (),
                 max_scan: int = 20_000) -> None:
        self.user_ns = user_ns
        self.hidden = frozenset(hidden)
        self.max_scan = max_scan
        self.known: set[str] = {n for n in user_ns if self.is_user_name(n)}
        self._last_len = len(user_ns)
        self._calls = 0

    def is_user_name(self, name: str) -> bool:
        """False for the names IPython itself keeps in the namespace."""
        if name in self.hidden or name in ("In", "Out"):
            return False
        return not (name.startswith("_") and IPYTHON_NAME.match(name))

    def diff(self, source: str) -> tuple[frozenset[str], frozenset[str]]:
        """(names newly bound, names removed) since the previous call.

        Dicts keep insertion order, so when the namespace only grew, the new names are
        its last entries: reading them from the end costs what the cell added, not the
        size of the namespace. When it shrank, the key sets are compared (up to
        ``max_scan`` names; above, only the names the cell mentions), and every
        ``FULL_SCAN_EVERY`` calls too, to catch a deletion hidden by an addition.
        Rebinding an existing name is not seen here: the graph takes it from the
        cell's static facts when it syncs.
        """
        ns = self.user_ns
        grown = len(ns) - self._last_len
        self._calls += 1
        small = len(ns) <= self.max_scan
        if small and (grown < 0 or self._calls % FULL_SCAN_EVERY == 0):
            keys = ns.keys()
            new = {n for n in keys - self.known if self.is_user_name(n)}
            gone = self.known - keys
        else:
            tail = islice(reversed(ns), grown) if grown > 0 else ()
            new = {n for n in tail if n not in self.known and self.is_user_name(n)}
            gone = set()
            if grown < 0:  # too many names to compare: look at those the cell mentions
                mentioned = mentioned_names(source)
                new.update(n for n in mentioned if n not in self.known and n in ns and self.is_user_name(n))
                gone = {n for n in mentioned if n in self.known and n not in ns}
        self.known |= new
        self.known -= gone
        self._last_len = len(ns)
        return frozenset(new), frozenset(gone)


class Session:
    """Executions, crashes and the notebook graph of one kernel session."""

    def __init__(self, user_ns: MutableMapping[str, Any], hidden: Iterable[str] = (),
                 max_namespace_scan: int = 20_000, max_history: int = 10_000,
                 whole_session: bool = False) -> None:
        # ``whole_session``: the code that ran is all the code there is (a terminal IPython). In a
        # kernel, a front end's notebook may hold cells that never ran; until its file is read, a name
        # no executed cell defines may still be defined by one of those (notebook.py's "defined
        # nowhere" rules need every cell: ``NotebookGraph.knows_all_cells``).
        self.whole_session = whole_session
        self.namespace = NamespaceTracker(user_ns, hidden, max_namespace_scan)
        self.executions: deque[ExecutionRecord] = deque(maxlen=max_history)
        self.crashes: list[dict] = []
        self.dataflow = Dataflow()
        self.warnings: list[dict] = []
        self._graph: Any = None
        self._pending: list[ExecutionRecord] = []
        self._snapshot: NotebookSnapshot | None = None
        self._source_ids: dict[str, str] = {}
        self._unbound: set[str] | None = None     # names some cell may define that are unbound now
        self._definers: dict[str, list[CellText]] | None = None  # cheap name -> cells index
        self._failed_cells: dict[str, CellText] = {}

    # ---- identity -----------------------------------------------------------------

    def use_notebook(self, snapshot: NotebookSnapshot | None) -> None:
        """Take the notebook file's cells as the cells of this session."""
        self._snapshot = snapshot
        self._source_ids = {}
        if snapshot is not None:
            for cell in snapshot.cells:
                if cell.kind == "code":
                    self._source_ids.setdefault(cell.source.strip(), cell.cell_id)
        if self._graph is not None:
            self._graph.knows_all_cells = self.knows_all_cells
            if snapshot is not None:
                self._add_notebook_cells(self._graph, snapshot)
        self._definers = self._unbound = None

    @property
    def knows_all_cells(self) -> bool:
        """Every cell of the notebook is known: its file was read, or the session is all the code there is."""
        return self._snapshot is not None or self.whole_session

    @property
    def snapshot(self) -> NotebookSnapshot | None:
        return self._snapshot

    def cell_identity(self, cell_id: str | None, source: str) -> tuple[str, bool]:
        """(cell id, whether the front end sent it): the sent id, a notebook cell of the same source, or a hash."""
        if cell_id:
            return cell_id, True
        return self._source_ids.get(source.strip()) or source_cell_id(source), False

    def cell_index(self, cell_id: str) -> int | None:
        """The cell's position in the notebook file, when known."""
        if self._snapshot is not None:
            for cell in self._snapshot.cells:
                if cell.cell_id == cell_id:
                    return cell.index
        return None

    # ---- recording ----------------------------------------------------------------

    def record(self, execution_count: int | None, cell_id: str | None, source: str, *,
               status: str = "ok", ename: str | None = None, evalue: str | None = None,
               error_lineno: int | None = None) -> ExecutionRecord:
        """Add one execution, with the names it bound (namespace diff)."""
        defined, deleted = self.namespace.diff(source)
        ident, sent = self.cell_identity(cell_id, source)
        record = ExecutionRecord(execution_count, ident, source, status, ename, evalue,
                                 error_lineno, defined, deleted, sent)
        self.executions.append(record)
        self._pending.append(record)
        try:
            record.seq = self.dataflow.after_execution(record, self.namespace.user_ns, mentioned_names(source))
        except Exception:  # noqa: BLE001 - a lost fingerprint only loses staleness evidence
            pass
        if status == "error" and record.cell_id not in self._notebook_ids():
            self._failed_cells[record.cell_id] = CellText(record.cell_id, None, source)
            self._definers = self._unbound = None
        if self._unbound is not None:
            self._unbound -= defined
            self._unbound.update(n for n in deleted if n in self._definers)
        if len(self._pending) > 2 * (self.executions.maxlen or 10_000):
            self.sync_graph()
        return record

    def last(self) -> ExecutionRecord | None:
        return self.executions[-1] if self.executions else None

    # ---- the graph ----------------------------------------------------------------

    @property
    def graph(self) -> Any:
        """The ``NotebookGraph`` with every recorded execution (synced on access)."""
        self.sync_graph()
        return self._graph

    def sync_graph(self) -> None:
        """Give the graph the executions recorded since the last sync."""
        if self._graph is None:
            from ..facts.graph import NotebookGraph

            self._graph = NotebookGraph(knows_all_cells=self.knows_all_cells)
            if self._snapshot is not None:
                self._add_notebook_cells(self._graph, self._snapshot)
        pending, self._pending = self._pending, []
        graph = self._graph
        for r in pending:
            ok = r.status == "ok"
            graph.add_execution(
                r.cell_id, r.execution_count, status="ok" if ok else "error",
                error_lineno=r.error_lineno, ename=r.ename, evalue=r.evalue,
                defined=r.defined | self._static_bindings(r, ok), deleted=r.deleted, source=r.source,
            )

    def _static_bindings(self, record: ExecutionRecord, ok: bool) -> frozenset[str]:
        """Names the source binds by its facts: all for a run that finished, those before the error line otherwise.

        The namespace diff sees only new names; this adds the rebound ones.
        """
        from ..facts.graph import bound_before_line, defined_names

        facts = self._graph.facts_for(record.source)
        names = defined_names(facts)
        if ok:
            return names
        return frozenset(n for n in names if bound_before_line(facts, n, record.error_lineno))

    @staticmethod
    def _add_notebook_cells(graph: Any, snapshot: NotebookSnapshot) -> None:
        for cell in snapshot.cells:
            graph.add_cell(cell.cell_id, cell.source, index=cell.index,
                           kind="code" if cell.kind == "code" else cell.kind)

    # ---- the cheap index the guard reads ------------------------------------------------

    def _notebook_ids(self) -> set[str]:
        return {c.cell_id for c in self._snapshot.cells} if self._snapshot is not None else set()

    def _index(self) -> dict[str, list[CellText]]:
        if self._definers is None:
            from ..facts.cells.bindings import module_level_bindings

            cells = [CellText(c.cell_id, c.index, c.source) for c in
                     (self._snapshot.cells if self._snapshot is not None else ()) if c.kind == "code"]
            definers: dict[str, list[CellText]] = {}
            for cell in cells + list(self._failed_cells.values()):
                for name in module_level_bindings(cell.source):
                    definers.setdefault(name, []).append(cell)
            self._definers = definers
        return self._definers

    def code_cells(self) -> list[CellText]:
        """The notebook file's code cells."""
        if self._snapshot is None:
            return []
        return [CellText(c.cell_id, c.index, c.source) for c in self._snapshot.cells if c.kind == "code"]

    def unbound_defined(self) -> set[str]:
        """Names that some cell may define and that are not bound now (kept incrementally)."""
        if self._unbound is None:
            ns = self.namespace.user_ns
            self._unbound = {n for n in self._index() if n not in ns}
        return self._unbound

    def possible_definers(self, name: str) -> list[CellText]:
        """Cells whose lines look like they bind ``name`` at module level (confirm with their facts)."""
        return list(self._index().get(name, ()))
