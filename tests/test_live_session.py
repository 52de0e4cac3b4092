"""Session history, namespace diff, notebook file and the pre-run guard (no kernel)."""
from __future__ import annotations

import json
import os
import time

import pytest

from nbcrash_kernel.live.guard import check_cell, unbound_suspects
from nbcrash_kernel.live.notebook_file import NotebookWatcher, locate_notebook, read_notebook
from nbcrash_kernel.live.session import NamespaceTracker, Session, mentioned_names


def write_nb(path, cells, with_ids=True):
    raw = [{"cell_type": kind, "source": src, "metadata": {}, **({"id": cid} if with_ids else {}),
            **({"outputs": [], "execution_count": None} if kind == "code" else {})}
           for cid, kind, src in cells]
    path.write_text(json.dumps({"cells": raw, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


CELLS = [("t", "markdown", "# Title\n## Load"), ("imp", "code", "import numpy as np"),
         ("split", "code", "X_train = np.zeros((3, 2))"), ("fit", "code", "model = X_train.sum()")]


# ---- namespace diff ---------------------------------------------------------------------

def test_diff_reports_new_and_deleted_names():
    ns = {"a": 1, "b": [1]}
    tracker = NamespaceTracker(ns)
    ns["c"] = 3
    assert tracker.diff("c = 3") == ({"c"}, frozenset())
    del ns["b"]
    ns["d"] = 4
    del ns["c"]
    assert tracker.diff("del b, c\nd = 4") == ({"d"}, {"b", "c"})
    assert tracker.diff("") == (frozenset(), frozenset())


def test_diff_ignores_ipython_own_names():
    ns = {}
    tracker = NamespaceTracker(ns, hidden={"exit"})
    ns.update({"_i3": "", "_3": 1, "_": 1, "__": 2, "_ii": "", "In": [], "Out": {}, "exit": 0, "_private": 5})
    defined, _ = tracker.diff("")
    assert defined == {"_private"}


def test_diff_of_a_large_namespace_reads_only_its_new_tail():
    ns = {f"v{i}": i for i in range(50)}
    tracker = NamespaceTracker(ns, max_scan=10)
    ns["bound_by_exec"] = 1
    ns["visible"] = 2
    assert tracker.diff("visible = 2")[0] == {"visible", "bound_by_exec"}
    del ns["v3"], ns["v4"]
    assert tracker.diff("del v3")[1] == {"v3"}  # above max_scan, only mentioned deletions are seen


def test_rebound_names_reach_the_graph_from_static_facts():
    ns = {"a": 1}
    session = Session(ns)
    ns["a"] = 2
    session.record(1, "c1", "a = 2")
    session.record(2, "c2", "a = 3\nb = a / 0\nz = 1", status="error", error_lineno=2)
    ok, failed = session.graph.executions
    assert "a" in ok.defined
    assert "a" in failed.defined and "z" not in failed.defined


def test_mentioned_names_is_a_superset_of_identifiers():
    assert {"df", "x", "mean", "axis"} <= mentioned_names("df.x.mean(axis=0)")


def test_unbound_defined_is_kept_incrementally(tmp_path):
    ns = {}
    session = Session(ns)
    session.use_notebook(read_notebook(write_nb(tmp_path / "a.ipynb", CELLS)))
    assert session.unbound_defined() == {"np", "X_train", "model"}
    ns["np"] = object()
    session.record(1, "imp", "import numpy as np")
    assert session.unbound_defined() == {"X_train", "model"}
    del ns["np"]
    session.record(2, "x", "del np")
    assert "np" in session.unbound_defined()


# ---- session identity -------------------------------------------------------------------

def test_cell_identity_prefers_sent_id_then_source_then_hash(tmp_path):
    session = Session({})
    session.use_notebook(read_notebook(write_nb(tmp_path / "a.ipynb", CELLS)))
    assert session.cell_identity("given", "x") == ("given", True)
    assert session.cell_identity(None, "X_train = np.zeros((3, 2))\n") == ("split", False)
    ident, sent = session.cell_identity(None, "print(1)")
    assert ident.startswith("src-") and not sent
    assert session.cell_identity(None, "print(1)")[0] == ident
    assert session.cell_index("split") == 2


def test_records_feed_the_graph_lazily(tmp_path):
    ns = {}
    session = Session(ns)
    session.use_notebook(read_notebook(write_nb(tmp_path / "a.ipynb", CELLS)))
    ns["np"] = object()
    session.record(1, "imp", "import numpy as np")
    assert session.last().defined == {"np"}
    graph = session.graph
    assert [e.cell_id for e in graph.executions] == ["imp"]
    assert [c.cell_id for c in graph.definers("X_train")] == ["split"]


def test_history_is_bounded():
    session = Session({}, max_history=5)
    for i in range(20):
        session.record(i, f"c{i}", "pass")
    assert len(session.executions) == 5 and session.last().execution_count == 19


# ---- notebook file ----------------------------------------------------------------------

def test_locate_relative_session_name_from_a_subfolder(tmp_path):
    folder = tmp_path / "project" / "nbs"
    folder.mkdir(parents=True)
    nb = write_nb(folder / "a.ipynb", CELLS)
    env = {"JPY_SESSION_NAME": "project/nbs/a.ipynb"}
    assert locate_notebook(environ=env, cwd=folder) == nb.resolve()
    assert locate_notebook(environ={}, user_ns={"__vsc_ipynb_file__": str(nb)}) == nb
    assert locate_notebook(str(nb), environ={}) == nb
    assert locate_notebook(environ={"JPY_SESSION_NAME": "missing.ipynb"}, cwd=folder) is None
    assert locate_notebook(environ={"JPY_SESSION_NAME": "not-a-notebook.txt"}, cwd=folder) is None


def test_read_notebook_ids_sources_and_headings(tmp_path):
    snap = read_notebook(write_nb(tmp_path / "a.ipynb", CELLS))
    assert [c.cell_id for c in snap.cells] == ["t", "imp", "split", "fit"]
    assert snap.headings == ["Title", "Load"]
    old = read_notebook(write_nb(tmp_path / "b.ipynb", CELLS, with_ids=False))
    assert [c.cell_id for c in old.cells] == ["cell-0", "cell-1", "cell-2", "cell-3"]


@pytest.mark.parametrize("content", ["not json", "[]", '{"cells": 5}', ""])
def test_bad_notebook_files_give_none(tmp_path, content):
    path = tmp_path / "bad.ipynb"
    path.write_text(content)
    assert read_notebook(path) is None


def test_watcher_rereads_on_mtime_change(tmp_path, monkeypatch):
    nb = write_nb(tmp_path / "a.ipynb", CELLS)
    monkeypatch.setenv("JPY_SESSION_NAME", str(nb))
    watcher = NotebookWatcher()
    assert watcher.refresh() is True and watcher.refresh() is False
    write_nb(nb, CELLS + [("new", "code", "late = 1")])
    os.utime(nb, (time.time() + 5, time.time() + 5))
    assert watcher.refresh() is True
    assert watcher.snapshot.cells[-1].cell_id == "new"


# ---- guard ------------------------------------------------------------------------------

@pytest.fixture()
def session(tmp_path):
    s = Session({})
    s.use_notebook(read_notebook(write_nb(tmp_path / "a.ipynb", CELLS)))
    return s


def test_guard_warns_about_a_name_only_an_unrun_cell_defines(session):
    warning = check_cell("model = X_train.sum()", {"np": 1}, session, "fit")
    assert warning["kind"] == "execution-order"
    assert warning["names"] == ["X_train"]
    assert warning["cells"][0]["cell_id"] == "split" and warning["cells"][0]["state"] == "not-run"
    assert "cell #3" in warning["message"]  # index 2: the third cell, as JupyterLab counts


@pytest.mark.parametrize("source, ns", [
    ("model = X_train.sum()", {"X_train": 1}),            # bound now
    ("X_train = 5\nmodel = X_train", {}),                 # the cell defines it first
    ("obj.X_train", {"obj": 1}),                          # only an attribute
    ("print('X_train')", {}),                             # only a string
    ("model = undefined_anywhere", {}),                   # nobody defines it: no cell to name
])
def test_guard_stays_quiet(session, source, ns):
    assert check_cell(source, ns, session, "other") is None


def test_guard_names_a_failed_definer(session):
    ns = session.namespace.user_ns
    session.record(1, "split", "X_train = np.zeros((3, 2))", status="error", ename="NameError", error_lineno=1)
    warning = check_cell("model = X_train.sum()", ns, session, "fit")
    assert warning["kind"] == "previous-cell-error"
    assert warning["cells"][0]["state"] == "failed"
    assert "crashed before defining it" in warning["message"]


def test_suspect_scan_skips_builtins_and_keywords(session):
    assert unbound_suspects("print(len([])) if True else None", {}, session, None) == []


COLUMN_CELLS = [("load", "code", "df = pd.DataFrame({'a': [1, 2]})"),
                ("derive", "code", "df['b'] = df['a'] * 2"),
                ("use", "code", "df['b'].sum()")]


@pytest.fixture()
def column_session(tmp_path):
    pd = pytest.importorskip("pandas")
    s = Session({})
    s.use_notebook(read_notebook(write_nb(tmp_path / "c.ipynb", COLUMN_CELLS)))
    return s, pd


def test_guard_warns_about_a_column_only_an_unrun_cell_writes(column_session):
    session, pd = column_session
    ns = {"df": pd.DataFrame({"a": [1, 2]})}
    warning = check_cell("df['b'].sum()", ns, session, "use")
    assert warning["names"] == ["df['b']"]
    assert [c["cell_id"] for c in warning["cells"]] == ["derive"]


def test_a_column_no_cell_writes_is_predicted_missing(column_session):
    session, pd = column_session
    warning = check_cell("df['zzz'].sum()", {"df": pd.DataFrame({"a": [1]})}, session, "use")
    assert warning["kind"] == "missing-column" and warning["key"] == "zzz" and warning["cells"] == []


@pytest.mark.parametrize("source, columns", [
    ("df['b'].sum()", {"a": [1], "b": [2]}),          # the column is there
    ("df['b'] = 1\ndf['b'].sum()", {"a": [1]}),       # the cell writes it first
])
def test_column_guard_stays_quiet(column_session, source, columns):
    session, pd = column_session
    assert check_cell(source, {"df": pd.DataFrame(columns)}, session, "use") is None


def test_ten_thousand_executions(tmp_path):
    ns = {}
    session = Session(ns, max_history=10_000)
    session.use_notebook(read_notebook(write_nb(tmp_path / "a.ipynb", CELLS)))
    for i in range(10_000):
        ns[f"x{i % 50}"] = i
        session.record(i, f"c{i % 50}", f"x{i % 50} = {i % 50}")
    assert len(session.executions) == 10_000
    assert len(session.graph.executions) == 10_000
    warning = check_cell("model = X_train.sum()", ns, session, "fit")
    assert warning["cells"][0]["cell_id"] == "split"
