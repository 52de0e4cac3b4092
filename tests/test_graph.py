"""The notebook graph: indexes, execution queries and the verdict on a needed name."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbcrash_kernel.facts.graph import NotebookGraph, defined_names


@dataclass
class FakeFacts:
    """A CellFacts stand-in: ``def_lines`` drives ``defined`` and ``defines_before``."""

    def_lines: dict = field(default_factory=dict)
    used: frozenset = frozenset()
    deleted: frozenset = frozenset()
    imports: dict = field(default_factory=dict)
    functions: frozenset = frozenset()
    classes: frozenset = frozenset()
    columns_written: dict = field(default_factory=dict)
    columns_read: dict = field(default_factory=dict)

    @property
    def defined(self) -> frozenset:
        return frozenset(self.def_lines)

    def defines_before(self, name: str, lineno: int) -> bool:
        return name in self.def_lines and self.def_lines[name] < lineno


def facts(defs=(), used=(), deleted=(), **kw) -> FakeFacts:
    """``defs`` as names (line 1, 2, ... in order) or a name -> line dict."""
    lines = dict(defs) if isinstance(defs, dict) else {n: i + 1 for i, n in enumerate(defs)}
    return FakeFacts(def_lines=lines, used=frozenset(used), deleted=frozenset(deleted), **kw)


def notebook(*cell_facts: FakeFacts) -> NotebookGraph:
    """A graph of cells c0, c1, ... at indexes 0, 1, ..."""
    graph = NotebookGraph(analyze=lambda source: FakeFacts())
    for i, f in enumerate(cell_facts):
        graph.add_cell(f"c{i}", f"# cell {i}", index=i, facts=f)
    return graph


# ---- cells and definers ------------------------------------------------------------

def test_definers_include_imports_functions_classes_and_follow_index():
    graph = notebook(
        facts(["x"]),
        facts(imports={"np": "numpy"}, functions=frozenset({"f"}), classes=frozenset({"K"})),
        facts(["x"]),
    )
    assert [c.cell_id for c in graph.definers("x")] == ["c0", "c2"]
    for name in ("np", "f", "K"):
        assert [c.cell_id for c in graph.definers(name)] == ["c1"]
    assert graph.definers("nothing") == []


def test_readding_a_cell_replaces_its_facts_in_the_index():
    graph = notebook(facts(["x"]))
    graph.add_cell("c0", "y = 1", index=0, facts=facts(["y"]))
    assert graph.definers("x") == []
    assert [c.cell_id for c in graph.definers("y")] == ["c0"]
    assert len(graph.cells) == 1 and graph.cell("c0").source == "y = 1"


def test_readding_with_new_source_reanalyzes():
    seen = []
    graph = NotebookGraph(analyze=lambda s: seen.append(s) or facts([s.split("=")[0].strip()]))
    graph.add_cell("a", "x = 1", index=0)
    graph.add_cell("a", "x = 1", index=0)  # same source: no new analysis
    graph.add_cell("a", "z = 1", index=0)
    assert seen == ["x = 1", "z = 1"]
    assert [c.cell_id for c in graph.definers("z")] == ["a"] and graph.definers("x") == []


def test_cells_sorted_by_index_unindexed_last():
    graph = NotebookGraph(analyze=lambda s: FakeFacts())
    graph.add_cell("late", "", index=None)
    graph.add_cell("two", "", index=2)
    graph.add_cell("zero", "", index=0)
    assert [c.cell_id for c in graph.cells] == ["zero", "two", "late"]


def test_column_definers_any_variable():
    graph = notebook(
        facts(columns_written={"df": frozenset({"price"})}),
        facts(columns_written={"train": frozenset({"price", "age"})}),
        facts(columns_read={"df": frozenset({"price"})}),
    )
    assert [c.cell_id for c in graph.column_definers("price")] == ["c0", "c1"]
    assert [c.cell_id for c in graph.column_definers("age")] == ["c1"]


def test_add_execution_of_unknown_cell_creates_it_from_source():
    graph = NotebookGraph(analyze=lambda s: facts(["q"]) if "q" in s else FakeFacts())
    ex = graph.add_execution("new", 1, source="q = 2")
    assert graph.cell("new").source == "q = 2"
    assert ex.defined == {"q"} and [c.cell_id for c in graph.definers("q")] == ["new"]


def test_execution_of_older_source_uses_that_source_facts():
    graph = NotebookGraph(analyze=lambda s: facts([s.split("=")[0].strip()]))
    graph.add_cell("a", "new = 1", index=0)
    ex = graph.add_execution("a", 1, source="old = 1")
    assert ex.defined == {"old"}
    assert [c.cell_id for c in graph.definers("new")] == ["a"]  # definers follow current source


# ---- execution queries -------------------------------------------------------------

def test_out_of_order_run_not_run_definer():
    graph = notebook(facts(["df"]), facts(used=["df"]))
    crash = graph.add_execution("c1", 1, status="error", ename="NameError", error_lineno=1)
    assert not graph.ran_before("c0", crash)
    assert graph.bound_before("df", crash) == []
    status = graph.explain_name("df", crash)
    assert status.verdict == "not-run"
    assert [c.cell_id for c in status.not_run_definers] == ["c0"]
    assert [c.cell_id for c in graph.never_ran()] == ["c0"]


def test_definer_ran_then_bound():
    graph = notebook(facts(["df"]), facts(used=["df"]))
    first = graph.add_execution("c0", 1)
    use = graph.add_execution("c1", 2)
    assert graph.ran_before("c0", use) and not graph.ran_before("c1", use)
    assert graph.bound_before("df", use) == [first]
    assert graph.explain_name("df", use).verdict == "bound"
    assert graph.never_ran() == []


def test_previous_cell_error_before_definition():
    graph = notebook(facts({"model": 1, "y_pred": 3}), facts(used=["y_pred"]))
    failed = graph.add_execution("c0", 1, status="error", error_lineno=2, ename="ValueError")
    crash = graph.add_execution("c1", 2, status="error", ename="NameError")
    assert failed.defined == {"model"}
    assert graph.failed_before_defining("y_pred", crash) == [failed]
    assert graph.failed_before_defining("model", crash) == []  # reached before the error
    status = graph.explain_name("y_pred", crash)
    assert status.verdict == "failed-before-defining" and status.failed_definers == [failed]
    assert graph.explain_name("model", crash).verdict == "bound"


def test_error_on_the_definition_line_counts_as_not_defined():
    graph = notebook(facts({"y": 2}), facts(used=["y"]))
    failed = graph.add_execution("c0", 1, status="error", error_lineno=2)
    crash = graph.add_execution("c1", 2, status="error")
    assert graph.failed_before_defining("y", crash) == [failed]


def test_failure_with_unknown_line_binds_nothing():
    graph = notebook(facts(["a", "b"]), facts(used=["b"]))
    failed = graph.add_execution("c0", 1, status="error", error_lineno=None)
    crash = graph.add_execution("c1", 2, status="error")
    assert failed.defined == frozenset()
    assert graph.failed_before_defining("b", crash) == [failed]


def test_failure_fixed_by_a_later_successful_run():
    graph = notebook(facts({"y": 3}), facts(used=["y"]))
    graph.add_execution("c0", 1, status="error", error_lineno=1)
    fixed = graph.add_execution("c0", 2)
    use = graph.add_execution("c1", 3)
    assert graph.failed_before_defining("y", use) == []
    assert graph.bound_before("y", use) == [fixed]
    assert graph.explain_name("y", use).verdict == "bound"


def test_only_defined_below():
    graph = notebook(facts(used=["later"]), facts(["other"]), facts(["later"]))
    crash = graph.add_execution("c0", 1, status="error", ename="NameError")
    assert graph.only_defined_below("later", "c0")
    assert not graph.only_defined_below("other", "c2")
    assert not graph.only_defined_below("missing", "c0")
    status = graph.explain_name("later", crash)
    assert status.below_only and status.verdict == "only-below"


def test_own_late_definition_does_not_hide_a_definer_below():
    graph = notebook(facts({"x": 3}, used=["x"]), facts(["x"]))
    crash = graph.add_execution("c0", 1, status="error", error_lineno=1)
    status = graph.explain_name("x", crash)
    assert status.self_defines and status.below_only and status.verdict == "only-below"
    assert not graph.only_defined_below("x", "c0")  # the plain query counts every definer
    again = graph.add_execution("c0", 2, status="error", error_lineno=1)
    assert graph.failed_before_defining("x", again) == [crash]
    assert graph.explain_name("x", again).verdict == "only-below"  # its own run is no culprit


def test_defined_above_and_below_is_not_run_not_only_below():
    graph = notebook(facts(["x"]), facts(used=["x"]), facts(["x"]))
    crash = graph.add_execution("c1", 1, status="error")
    assert not graph.only_defined_below("x", "c1")
    assert graph.explain_name("x", crash).verdict == "not-run"


def test_defined_nowhere_and_self_definition():
    graph = notebook(facts(used=["ghost"]), facts({"late": 2}, used=["late"]))
    crash = graph.add_execution("c0", 1, status="error")
    assert graph.explain_name("ghost", crash).verdict == "defined-nowhere"
    own = graph.add_execution("c1", 2, status="error", error_lineno=1)
    status = graph.explain_name("late", own)
    assert status.self_defines and status.verdict == "defined-nowhere"


def test_redefinition_after():
    graph = notebook(facts(["x"]), facts(used=["x"]), facts(["x"]))
    graph.add_execution("c0", 1)
    use = graph.add_execution("c1", 2)
    later = graph.add_execution("c2", 3)
    again = graph.add_execution("c0", 4)
    assert graph.redefined_after("x", use) == [later, again]
    assert graph.redefined_after("x", again) == []
    assert graph.explain_name("x", use).redefined_after == [later, again]


def test_deletion_then_rebinding():
    graph = notebook(facts(["tmp"]), facts(deleted=["tmp"]), facts(used=["tmp"]))
    bound = graph.add_execution("c0", 1)
    gone = graph.add_execution("c1", 2)
    crash = graph.add_execution("c2", 3, status="error")
    assert graph.deleted_before("tmp", crash) == [gone]
    assert graph.bound_before("tmp", crash) == []
    assert graph.explain_name("tmp", crash).verdict == "deleted"
    rebound = graph.add_execution("c0", 4)
    use = graph.add_execution("c2", 5)
    assert graph.deleted_before("tmp", use) == []
    assert graph.bound_before("tmp", use) == [rebound]
    assert graph.explain_name("tmp", use).verdict == "bound"
    assert bound.seq < gone.seq


def test_failed_run_deletes_nothing_unless_told():
    graph = notebook(facts(["t"]), facts(deleted=["t"]), facts(used=["t"]))
    graph.add_execution("c0", 1)
    graph.add_execution("c1", 2, status="error")
    use = graph.add_execution("c2", 3)
    assert graph.deleted_before("t", use) == []
    graph.add_execution("c1", 4, status="error", deleted=["t"])
    assert graph.explain_name("t", graph.add_execution("c2", 5)).verdict == "deleted"


def test_live_namespace_diff_overrides_facts():
    graph = notebook(facts(["a", "b"]), facts(used=["b"]))
    ex = graph.add_execution("c0", 1, defined=["a"])  # e.g. `if cond: b = ...` not taken
    crash = graph.add_execution("c1", 2, status="error")
    assert ex.defined == {"a"}
    assert graph.explain_name("b", crash).verdict == "unknown"


def test_executions_and_last_execution():
    graph = notebook(facts(["x"]), facts())
    assert graph.last_execution() is None
    a = graph.add_execution("c0", 1)
    b = graph.add_execution("c1", 2)
    c = graph.add_execution("c0", 3)
    assert [e.seq for e in graph.executions] == [0, 1, 2]
    assert graph.executions_of("c0") == [a, c] and graph.executions_of("zz") == []
    assert graph.last_execution() is c and b.cell_id == "c1"


def test_to_networkx_nodes_and_edges():
    graph = notebook(
        facts(["df"], columns_written={"df": frozenset({"y"})}),
        facts(used=["df"], columns_read={"df": frozenset({"y"})}),
    )
    graph.add_execution("c0", 1)
    graph.add_execution("c1", 2, status="error")
    g = graph.to_networkx()
    assert graph.to_networkx() is g  # cached
    kinds = {(u, v, d["kind"]) for u, v, d in g.edges(data=True)}
    assert (("cell", "c0"), ("name", "df"), "defines") in kinds
    assert (("cell", "c1"), ("name", "df"), "uses") in kinds
    assert (("cell", "c0"), ("column", "y"), "writes") in kinds
    assert (("exec", 0), ("cell", "c0"), "of") in kinds
    assert (("exec", 0), ("exec", 1), "next") in kinds
    assert (("exec", 0), ("name", "df"), "bound") in kinds
    assert g.nodes[("exec", 1)]["status"] == "error"
    graph.add_execution("c0", 3)
    assert graph.to_networkx() is not g and ("exec", 2) in graph.to_networkx()


def test_defined_names_tolerates_partial_facts():
    class Bare:
        defined = frozenset({"a"})
    assert defined_names(Bare()) == {"a"}


def test_graph_without_analyzer_still_records():
    graph = NotebookGraph()
    ex = graph.add_execution("x", 1, source="a = 1", status="error", ename="E")
    assert ex.status == "error" and graph.never_ran() == []


# ---- property: bound_before agrees with a replay of the history -------------------

OPS = st.lists(st.tuples(st.sampled_from(["bind", "del", "fail", "noop"]), st.integers(0, 3)),
               max_size=30)


@settings(max_examples=150, deadline=None)
@given(OPS)
def test_explain_name_matches_replay(ops):
    cells = {"bind": facts({"v": 1}), "del": facts(deleted=["v"]),
             "fail": facts({"v": 5}), "noop": facts()}
    graph = NotebookGraph(analyze=lambda s: FakeFacts())
    for i, (kind, f) in enumerate(cells.items()):
        graph.add_cell(kind, kind, index=i, facts=f)
    bound = False
    failed_since_bound = False
    for kind, _ in ops:
        ex = graph.add_execution(kind, status="error" if kind == "fail" else "ok", error_lineno=2)
        probe = graph.add_execution("noop")
        bound = kind == "bind" or (bound and kind != "del")
        failed_since_bound = kind == "fail" or (failed_since_bound and kind != "bind")
        status = graph.explain_name("v", probe)
        assert bool(graph.bound_before("v", probe)) == bound == status.bound_before
        assert bool(graph.failed_before_defining("v", probe)) == failed_since_bound
        if not bound:
            assert status.verdict in {"deleted", "failed-before-defining", "not-run"}
        assert ex.seq + 1 == probe.seq


@pytest.mark.parametrize("n", [0, 1, 5])
def test_never_ran_counts_code_cells_only(n):
    graph = NotebookGraph(analyze=lambda s: FakeFacts())
    for i in range(n):
        graph.add_cell(f"m{i}", "# title", index=2 * i, kind="markdown")
        graph.add_cell(f"c{i}", "x", index=2 * i + 1)
    assert [c.cell_id for c in graph.never_ran()] == [f"c{i}" for i in range(n)]


# ---- lazy indexes and the view at an earlier point ------------------------------------

def test_definers_queried_before_a_cell_changes_are_recomputed_after():
    graph = notebook(facts(["a"]), facts(["b"]))
    assert [c.cell_id for c in graph.definers("a")] == ["c0"]
    graph.add_cell("c1", "a = 2", index=1, facts=facts(["a"]))
    assert [c.cell_id for c in graph.definers("a")] == ["c0", "c1"]
    assert graph.definers("b") == []


def test_column_definers_queried_before_a_cell_changes_are_recomputed_after():
    graph = notebook(facts(columns_written={"df": frozenset({"x"})}), facts())
    assert [c.cell_id for c in graph.column_definers("x")] == ["c0"]
    graph.add_cell("c0", "df2 = 1", index=0, facts=facts())
    assert graph.column_definers("x") == []


def test_until_leaves_later_runs_out_and_the_graph_intact():
    graph = notebook(facts(["v"]), facts(used=["v"]), facts(deleted=["v"]))
    graph.add_execution("c1", 1)
    graph.add_execution("c0", 2)
    graph.add_execution("c2", 3)
    crash = graph.executions[0]
    view = graph.until(crash.seq)
    assert [e.seq for e in view.executions] == [0]
    assert view.explain_name("v", crash).verdict == "not-run"
    assert view.redefined_after("v", crash) == []
    assert [c.cell_id for c in view.never_ran()] == ["c0", "c2"]
    # the full graph still sees every run
    assert len(graph.executions) == 3
    assert [e.seq for e in graph.redefined_after("v", crash)] == [1]
    assert graph.never_ran() == []
    assert graph.until(2) is graph


@settings(max_examples=100, deadline=None)
@given(OPS, st.integers(0, 60))
def test_until_answers_like_a_graph_built_up_to_that_run(ops, cut):
    cells = {"bind": facts({"v": 1}), "del": facts(deleted=["v"]),
             "fail": facts({"v": 5}), "noop": facts()}

    def build(limit: int | None) -> NotebookGraph:
        graph = NotebookGraph(analyze=lambda s: FakeFacts())
        for i, (kind, f) in enumerate(cells.items()):
            graph.add_cell(kind, kind, index=i, facts=f)
        for kind, _ in ops[:limit]:
            graph.add_execution(kind, status="error" if kind == "fail" else "ok", error_lineno=2)
        return graph

    full = build(None)
    if not full.executions:
        return
    seq = cut % len(full.executions)
    full.explain_name("v", full.executions[-1])  # fill the lazy indexes first
    view, rebuilt = full.until(seq), build(seq + 1)
    probe = full.executions[seq]
    for graph in (view, rebuilt):
        assert len(graph.executions) == seq + 1
    a, b = view.explain_name("v", probe), rebuilt.explain_name("v", probe)
    assert (a.verdict, a.bound_before, a.below_only) == (b.verdict, b.bound_before, b.below_only)
    for field_name in ("failed_definers", "redefined_after", "deleted_before"):
        assert [e.seq for e in getattr(a, field_name)] == [e.seq for e in getattr(b, field_name)]
    assert [c.cell_id for c in view.never_ran()] == [c.cell_id for c in rebuilt.never_ran()]
