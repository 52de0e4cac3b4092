"""The notebook graph: which cell defines what, what ran, in which order, what failed.

A ``NotebookGraph`` holds the notebook's cells (with their facts, from
``cells.analyze_cell``) and the executions of a session, live or reconstructed
from a saved notebook (``history.history_from_notebook``). It answers the
questions the classifier asks about a name a crashing execution needed: who
defines it, did it run, did it fail before the definition, is the only
definition below, was it deleted.

The live kernel calls ``add_cell`` and ``add_execution`` for every cell, so
both are cheap: they only record. The indexes by name (name -> definers,
name -> binding and deleting runs) are built one name at a time when a query
first asks about it, then kept up to date; a diagnosis asks about a few names
of the thousands a notebook binds. ``until`` gives the graph as it stood at an
earlier run; ``to_networkx`` is built only on demand and cached.
"""
from __future__ import annotations

import copy
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:  # networkx and cells are imported lazily: the live path stays light
    import networkx

    from .cells import CellFacts

VERDICTS = (
    "defined-nowhere", "not-run", "failed-before-defining",
    "only-below", "deleted", "bound", "unknown",
)


@dataclass
class Cell:
    """A notebook cell as it is now (``index`` is its position in the notebook)."""

    cell_id: str
    index: int | None
    source: str
    facts: "CellFacts"
    kind: str = "code"
    # The names ``facts`` bind (``defined_names``), computed once: every query needs them.
    defined: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.defined = frozenset() if self.facts is _NO_FACTS else defined_names(self.facts)


@dataclass
class Execution:
    """One run of a cell.

    ``defined`` holds the names this run really bound: live, a namespace diff;
    saved, the cell's defined names, limited for a failed run to those bound
    before ``error_lineno``. ``deleted`` holds the names it removed.
    """

    seq: int
    cell_id: str
    execution_count: int | None
    status: str
    error_lineno: int | None
    ename: str | None
    evalue: str | None
    defined: frozenset[str]
    source: str | None
    deleted: frozenset[str] = frozenset()
    facts: "CellFacts | None" = field(default=None, repr=False, compare=False)


@dataclass
class NameStatus:
    """Everything the graph knows about one name needed by one execution."""

    name: str
    definers: list[Cell]
    bound_before: bool
    failed_definers: list[Execution]
    not_run_definers: list[Cell]
    below_only: bool
    redefined_after: list[Execution]
    deleted_before: list[Execution]
    verdict: str
    self_defines: bool = False  # the execution's own cell defines it too (later in the cell)
    # ``below_only`` and the verdict look at the other cells: a cell that defines a
    # name after using it is the user's own ordering mistake, told by ``self_defines``.


@dataclass
class _EmptyFacts:
    """Facts of a cell with nothing in it; used when ``cells`` is unavailable."""

    defined: frozenset[str] = frozenset()
    used: frozenset[str] = frozenset()
    deleted: frozenset[str] = frozenset()
    imports: dict = field(default_factory=dict)
    columns_written: dict = field(default_factory=dict)
    columns_read: dict = field(default_factory=dict)
    columns_dropped: dict = field(default_factory=dict)
    mutated: frozenset[str] = frozenset()
    calls: frozenset[str] = frozenset()
    functions: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    def_lines: dict = field(default_factory=dict)
    use_lines: dict = field(default_factory=dict)
    syntax_error: bool = False
    error_lineno: int | None = None

    def defines_before(self, name: str, lineno: int) -> bool:
        return False


# The facts of every markdown and raw cell: one shared instance (nothing changes facts).
_NO_FACTS = _EmptyFacts()


def default_analyzer(source: str) -> Any:
    """``cells.analyze_cell`` when it is importable, else empty facts."""
    try:
        from .cells import analyze_cell
    except Exception:  # cells missing or broken: the graph still records executions
        return _EmptyFacts()
    try:
        return analyze_cell(source)
    except Exception:  # analyze_cell should not raise; never let it break the graph
        return _EmptyFacts()


def defined_names(facts: Any) -> frozenset[str]:
    """All names a cell's facts bind at cell scope: assignments, imports, functions, classes."""
    defined, imports = getattr(facts, "defined", None), getattr(facts, "imports", None) or ()
    functions, classes = getattr(facts, "functions", None) or (), getattr(facts, "classes", None) or ()
    if (defined.__class__ is frozenset and defined.issuperset(imports) and defined.issuperset(functions)
            and defined.issuperset(classes)):
        return defined  # the common case (the lean facts bind all four in ``defined``): no copy
    return frozenset(set(defined or ()).union(imports, functions, classes))


def written_columns(facts: Any) -> frozenset[str]:
    """All DataFrame columns a cell's facts write, whatever the variable."""
    columns: set[str] = set()
    for cols in (getattr(facts, "columns_written", {}) or {}).values():
        columns.update(cols)
    return frozenset(columns)


def bound_before_line(facts: Any, name: str, lineno: int | None) -> bool:
    """Whether the cell binds ``name`` before line ``lineno`` (unknown line: no)."""
    if lineno is None:
        return False
    defines_before = getattr(facts, "defines_before", None)
    if callable(defines_before):
        try:
            return bool(defines_before(name, lineno))
        except Exception:
            pass
    first = (getattr(facts, "def_lines", {}) or {}).get(name)
    return first is not None and first < lineno


class NotebookGraph:
    """Cells, executions and the indexes that answer the classifier's questions."""

    def __init__(self, analyze: Callable[[str], Any] | None = None, knows_all_cells: bool = True) -> None:
        # False when only executed cells are known (a live kernel that cannot read its
        # notebook): then "defined nowhere" proves nothing.
        self.knows_all_cells = knows_all_cells
        self._analyze = analyze or default_analyzer
        self._facts_cache: dict[str, Any] = {}
        self._cells: dict[str, Cell] = {}
        self._insertion: dict[str, int] = {}
        self._ordered: list[Cell] | None = None
        # Indexes by name are built lazily, one name at a time, when a query asks:
        # a saved notebook has thousands of names and its diagnoses ask about a few.
        self._definers: dict[str, list[Cell]] = {}         # emptied when a cell changes
        self._column_definers: dict[str, list[Cell]] = {}
        self._clear_executions()

    def _clear_executions(self) -> None:
        self.executions: list[Execution] = []
        self._runs: dict[str, list[Execution]] = {}
        self._binds: dict[str, list[int]] = {}      # name -> seqs of executions that bound it
        self._deletes: dict[str, list[int]] = {}    # name -> seqs of executions that deleted it
        # (seq, names its cell defines that the failed run did not reach), for failed runs
        self._failed_runs: list[tuple[int, frozenset[str]]] = []
        self._nx: "networkx.MultiDiGraph | None" = None

    # ---- building -------------------------------------------------------------------

    def facts_for(self, source: str) -> Any:
        """Facts of ``source``, cached by source text (re-runs are the common case)."""
        facts = self._facts_cache.get(source)
        if facts is None:
            if len(self._facts_cache) > 4096:
                self._facts_cache.clear()
            facts = self._facts_cache[source] = self._analyze(source)
        return facts

    def add_cell(self, cell_id: str, source: str, index: int | None = None,
                 facts: "CellFacts | None" = None, kind: str = "code") -> Cell:
        """Add a cell, or update it when the id is known (new source gives new facts)."""
        source = source if isinstance(source, str) else ""
        old = self._cells.get(cell_id)
        if facts is None:
            if old is not None and old.source == source and old.kind == kind:
                facts = old.facts
            else:
                facts = self.facts_for(source) if kind == "code" else _NO_FACTS
        if old is None:
            self._insertion[cell_id] = len(self._insertion)
        cell = Cell(cell_id, index, source, facts, kind)
        self._cells[cell_id] = cell
        if self._definers or self._column_definers:
            self._definers, self._column_definers = {}, {}
        self._ordered = None
        self._nx = None
        return cell

    def add_execution(self, cell_id: str, execution_count: int | None = None, *,
                      status: str = "ok", error_lineno: int | None = None,
                      ename: str | None = None, evalue: str | None = None,
                      defined: Iterable[str] | None = None, source: str | None = None,
                      deleted: Iterable[str] | None = None) -> Execution:
        """Record that ``cell_id`` ran next; an unknown id gets a cell made from ``source``.

        Without ``defined`` (``deleted``), the names bound (removed) are taken from
        the facts of the source that ran: all of them for a successful run; for a
        failed one, only those bound before ``error_lineno`` (none when unknown,
        and no deletions).
        """
        cell = self._cells.get(cell_id)
        if cell is None:
            cell = self.add_cell(cell_id, source or "")
        ran = source if source is not None else cell.source
        facts = cell.facts if ran == cell.source else self.facts_for(ran)
        ok = status == "ok"
        if defined is None:
            names = cell.defined if facts is cell.facts else defined_names(facts)
            defined = names if ok else {n for n in names if bound_before_line(facts, n, error_lineno)}
        if deleted is None:
            deleted = (getattr(facts, "deleted", ()) or ()) if ok else ()
        execution = Execution(
            seq=len(self.executions), cell_id=cell_id, execution_count=execution_count,
            status=status, error_lineno=error_lineno, ename=ename, evalue=evalue,
            defined=frozenset(defined), source=source, deleted=frozenset(deleted), facts=facts,
        )
        self._record(execution)
        return execution

    def _record(self, execution: Execution) -> None:
        seq = execution.seq
        self.executions.append(execution)
        self._runs.setdefault(execution.cell_id, []).append(execution)
        for index, names in ((self._binds, execution.defined), (self._deletes, execution.deleted)):
            if index and names:  # keep the names already indexed up to date
                for name in index.keys() & names:
                    index[name].append(seq)
        if execution.status != "ok":
            missed = defined_names(execution.facts) - execution.defined
            if missed:
                self._failed_runs.append((seq, missed))
        self._nx = None

    def _bind_seqs(self, name: str) -> list[int]:
        """Seqs of the executions that bound ``name``, in order (indexed on first use)."""
        seqs = self._binds.get(name)
        if seqs is None:
            seqs = self._binds[name] = [e.seq for e in self.executions if name in e.defined]
        return seqs

    def _delete_seqs(self, name: str) -> list[int]:
        """Seqs of the executions that deleted ``name``, in order (indexed on first use)."""
        seqs = self._deletes.get(name)
        if seqs is None:
            seqs = self._deletes[name] = [e.seq for e in self.executions if name in e.deleted]
        return seqs

    def _failed_seqs(self, name: str) -> list[int]:
        """Seqs of the failed runs that stopped before their cell's definition of ``name``."""
        return [seq for seq, missed in self._failed_runs if name in missed]

    # ---- cells ----------------------------------------------------------------------

    @property
    def cells(self) -> list[Cell]:
        """Cells by index; cells without an index after them, in insertion order."""
        if self._ordered is None:
            def key(cell: Cell) -> tuple:
                return (cell.index is None, cell.index or 0, self._insertion[cell.cell_id])
            self._ordered = sorted(self._cells.values(), key=key)
        return self._ordered

    def cell(self, cell_id: str) -> Cell | None:
        """The cell with that id, or None."""
        return self._cells.get(cell_id)

    def definers(self, name: str) -> list[Cell]:
        """Cells whose current facts define ``name`` (imports, functions, classes too), by index."""
        found = self._definers.get(name)
        if found is None:
            found = self._definers[name] = [c for c in self.cells if name in c.defined]
        return list(found)

    def column_definers(self, column: str) -> list[Cell]:
        """Cells whose current facts write DataFrame column ``column`` (any variable)."""
        if None not in self._column_definers:  # one pass indexes every column: audits ask about many
            index: dict = {None: []}
            for cell in self.cells:
                for name in written_columns(cell.facts):
                    index.setdefault(name, []).append(cell)
            self._column_definers = index
        return list(self._column_definers.get(column, ()))

    def never_ran(self) -> list[Cell]:
        """Code cells with no execution at all."""
        return [c for c in self.cells if c.kind == "code" and not self._runs.get(c.cell_id)]

    def only_defined_below(self, name: str, cell_id: str) -> bool:
        """True when ``name`` has definers and every one sits below ``cell_id``."""
        return self._all_below(self.definers(name), cell_id)

    def _all_below(self, definers: list[Cell], cell_id: str) -> bool:
        cell = self._cells.get(cell_id)
        if cell is None or cell.index is None or not definers:
            return False
        return all(d.index is not None and d.index > cell.index for d in definers)

    # ---- executions -----------------------------------------------------------------

    def executions_of(self, cell_id: str) -> list[Execution]:
        """Executions of a cell, in order."""
        return list(self._runs.get(cell_id, ()))

    def last_execution(self) -> Execution | None:
        """The latest execution, or None."""
        return self.executions[-1] if self.executions else None

    def until(self, seq: int) -> "NotebookGraph":
        """The graph as it stood right after execution ``seq``: later runs left out.

        The graph itself when nothing came later. Otherwise a read-only view:
        cells, facts and the definition indexes are shared with this graph (not
        copied), only the execution indexes are rebuilt, so it costs a replay of
        the kept executions. Add cells and executions to the full graph, never
        to a view.
        """
        if seq >= len(self.executions) - 1:
            return self
        view = copy.copy(self)
        view._clear_executions()
        for run in self.executions[: max(seq + 1, 0)]:
            view._record(run)
        return view

    def ran_before(self, cell_id: str, execution: Execution) -> bool:
        """Whether some execution of ``cell_id`` came before ``execution``."""
        runs = self._runs.get(cell_id)
        return bool(runs) and runs[0].seq < execution.seq

    def _last_before(self, seqs: list[int], seq: int) -> int | None:
        i = bisect_left(seqs, seq)
        return seqs[i - 1] if i else None

    def bound_before(self, name: str, execution: Execution) -> list[Execution]:
        """Earlier executions that bound ``name`` and were not followed by a deletion of it."""
        binds = self._bind_seqs(name)
        deleted_at = self._last_before(self._delete_seqs(name), execution.seq)
        # A run that both deletes and binds the name is taken as leaving it bound.
        start = bisect_left(binds, deleted_at) if deleted_at is not None else 0
        stop = bisect_left(binds, execution.seq)
        return [self.executions[s] for s in binds[start:stop]]

    def _is_bound_before(self, name: str, seq: int) -> bool:
        bound_at = self._last_before(self._bind_seqs(name), seq)
        deleted_at = self._last_before(self._delete_seqs(name), seq)
        # A cell that deletes then rebinds the same name (or the reverse) counts as bound.
        return bound_at is not None and (deleted_at is None or bound_at >= deleted_at)

    def deleted_before(self, name: str, execution: Execution) -> list[Execution]:
        """Earlier executions that deleted ``name`` and were not followed by a new binding.

        Empty when the name was bound again after its last deletion.
        """
        deletes = self._delete_seqs(name)
        bound_at = self._last_before(self._bind_seqs(name), execution.seq)
        # A run that both deletes and binds the name is taken as leaving it bound.
        start = bisect_left(deletes, bound_at + 1) if bound_at is not None else 0
        stop = bisect_left(deletes, execution.seq)
        return [self.executions[s] for s in deletes[start:stop]]

    def redefined_after(self, name: str, execution: Execution) -> list[Execution]:
        """Later executions that bound ``name``."""
        binds = self._bind_seqs(name)
        return [self.executions[s] for s in binds[bisect_left(binds, execution.seq + 1):]]

    def failed_before_defining(self, name: str, execution: Execution) -> list[Execution]:
        """Earlier failed runs of cells defining ``name`` that stopped before the definition.

        A failure counts when its error line is at or before the definition line
        (or unknown) and nothing bound ``name`` between it and ``execution``.
        """
        failed = self._failed_seqs(name)
        stop = bisect_left(failed, execution.seq)
        bound_at = self._last_before(self._bind_seqs(name), execution.seq)
        start = bisect_left(failed, bound_at + 1) if bound_at is not None else 0
        return [self.executions[s] for s in failed[start:stop]]

    # ---- the classifier's one call --------------------------------------------------

    def explain_name(self, name: str, execution: Execution) -> NameStatus:
        """What the graph says about ``name``, needed by ``execution`` (see ``VERDICTS``)."""
        definers = self.definers(name)
        others = [c for c in definers if c.cell_id != execution.cell_id]
        status = NameStatus(
            name=name,
            definers=definers,
            bound_before=self._is_bound_before(name, execution.seq),
            failed_definers=[e for e in self.failed_before_defining(name, execution)
                             if e.cell_id != execution.cell_id],  # not its own earlier runs
            not_run_definers=[c for c in others if not self.ran_before(c.cell_id, execution)],
            below_only=self._all_below(others, execution.cell_id),
            redefined_after=self.redefined_after(name, execution),
            deleted_before=self.deleted_before(name, execution),
            verdict="unknown",
            self_defines=len(others) < len(definers),
        )
        status.verdict = _verdict(status, others)
        return status

    # ---- networkx view --------------------------------------------------------------

    def to_networkx(self) -> "networkx.MultiDiGraph":
        """The graph as networkx (built on demand, cached until the next change).

        Nodes: ``('cell', id)``, ``('exec', seq)``, ``('name', x)``, ``('column', c)``.
        Edges (attribute ``kind``): cell ``defines``/``uses``/``deletes`` name, cell
        ``writes``/``reads`` column, exec ``of`` cell, exec ``next`` exec, exec
        ``bound``/``unbound`` name.
        """
        if self._nx is None:
            self._nx = _build_networkx(self)
        return self._nx


def _verdict(status: NameStatus, others: list[Cell]) -> str:
    if status.bound_before:
        return "bound"
    if status.deleted_before:
        return "deleted"
    if status.failed_definers:
        return "failed-before-defining"
    if not others:
        return "defined-nowhere"
    if status.below_only and status.not_run_definers:
        return "only-below"
    if status.not_run_definers:
        return "not-run"
    return "unknown"


def _build_networkx(graph: NotebookGraph) -> "networkx.MultiDiGraph":
    import networkx

    g = networkx.MultiDiGraph()
    for cell in graph.cells:
        node = ("cell", cell.cell_id)
        g.add_node(node, index=cell.index, kind=cell.kind, source=cell.source)
        facts = cell.facts
        for name in defined_names(facts):
            g.add_edge(node, ("name", name), kind="defines")
        for name in getattr(facts, "used", ()) or ():
            g.add_edge(node, ("name", name), kind="uses")
        for name in getattr(facts, "deleted", ()) or ():
            g.add_edge(node, ("name", name), kind="deletes")
        for var, cols in (getattr(facts, "columns_written", {}) or {}).items():
            for col in cols:
                g.add_edge(node, ("column", col), kind="writes", variable=var)
        for var, cols in (getattr(facts, "columns_read", {}) or {}).items():
            for col in cols:
                g.add_edge(node, ("column", col), kind="reads", variable=var)
    previous = None
    for ex in graph.executions:
        node = ("exec", ex.seq)
        g.add_node(node, execution_count=ex.execution_count, status=ex.status,
                   ename=ex.ename, error_lineno=ex.error_lineno)
        g.add_edge(node, ("cell", ex.cell_id), kind="of")
        if previous is not None:
            g.add_edge(previous, node, kind="next")
        for name in ex.defined:
            g.add_edge(node, ("name", name), kind="bound")
        for name in ex.deleted:
            g.add_edge(node, ("name", name), kind="unbound")
        previous = node
    for node, data in g.nodes(data=True):
        data.setdefault("type", node[0])
    return g
