"""Execution history of saved notebooks: order, errors, ids, formats, headings."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from nbcrash_kernel.facts.graph import NotebookGraph
from nbcrash_kernel.facts.history import (
    NotebookError,
    history_from_notebook,
    markdown_headings,
    text_of,
)

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def error_output(ename: str, evalue: str, line: int, count: int) -> dict:
    tb = [
        "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
        f"\x1b[0;31m{ename}\x1b[0m                                 Traceback (most recent call last)",
        f"Cell \x1b[0;32mIn[{count}], line {line}\x1b[0m\n\x1b[0;32m----> {line}\x1b[0m x\n",
        f"\x1b[0;31m{ename}\x1b[0m: {evalue}",
    ]
    return new_output("error", ename=ename, evalue=evalue, traceback=tb)


def code(source: str, count: int | None = None, outputs=()) -> dict:
    return new_code_cell(source, execution_count=count, outputs=list(outputs))


def as_json(nb) -> dict:
    """What a reader gets from disk: plain dicts, no NotebookNode."""
    return json.loads(nbformat.writes(nb))


# ---- execution order ---------------------------------------------------------------

def test_order_follows_execution_counts_not_positions():
    nb = new_notebook(cells=[
        code("a = 1", 3), new_markdown_cell("# Title"), code("b = a", 1), code("c = 2", None),
    ])
    graph = history_from_notebook(as_json(nb))
    ids = [c.cell_id for c in graph.cells]
    assert [graph.cell(e.cell_id).index for e in graph.executions] == [2, 0]
    assert [e.execution_count for e in graph.executions] == [1, 3]
    assert [c.index for c in graph.never_ran()] == [3]
    assert len(ids) == 4 and graph.cells[1].kind == "markdown"


def test_error_output_gives_failed_execution_with_line():
    nb = new_notebook(cells=[
        code("import pandas as pd\ndf = pd.read_csv('x')\ny = df['y']", 1,
             [error_output("FileNotFoundError", "no x", 2, 1)]),
        code("print(y)", 2, [error_output("NameError", "name 'y' is not defined", 1, 2)]),
    ])
    graph = history_from_notebook(as_json(nb))
    failed, crash = graph.executions
    assert (failed.status, failed.ename, failed.evalue) == ("error", "FileNotFoundError", "no x")
    assert failed.error_lineno == 2 and crash.error_lineno == 1
    assert crash.status == "error" and crash.ename == "NameError"


def test_ids_are_kept_or_made_stable():
    nb = as_json(new_notebook(cells=[code("x = 1", 1), code("y = 2", 2)]))
    real_ids = [c["id"] for c in nb["cells"]]
    assert [c.cell_id for c in history_from_notebook(nb).cells] == real_ids
    for cell in nb["cells"]:
        del cell["id"]
    nb["cells"].append({"cell_type": "code", "source": "z", "id": None})
    graph = history_from_notebook(nb)
    assert [c.cell_id for c in graph.cells] == ["cell-0", "cell-1", "cell-2"]
    assert [c.cell_id for c in history_from_notebook(nb).cells] == ["cell-0", "cell-1", "cell-2"]


def test_duplicate_ids_are_made_unique():
    nb = as_json(new_notebook(cells=[code("x = 1", 1), code("y = 2", 2)]))
    nb["cells"][1]["id"] = nb["cells"][0]["id"]
    graph = history_from_notebook(nb)
    assert len({c.cell_id for c in graph.cells}) == 2 and len(graph.executions) == 2


def test_bad_cells_are_tolerated():
    nb = {"nbformat": 4, "nbformat_minor": 2, "metadata": {}, "cells": [
        "not a cell",
        {"cell_type": "code", "source": ["x = ", "1\n", 5], "execution_count": 2},
        {"cell_type": "code", "source": None, "execution_count": "7", "outputs": None},
        {"cell_type": "code", "execution_count": True},
        {"cell_type": "code", "source": "err", "execution_count": 3,
         "outputs": [None, {"output_type": "error", "traceback": "not a list", "ename": 3}]},
        {"source": "no type", "execution_count": 1},
    ]}
    graph = history_from_notebook(nb)
    assert graph.cells[0].source == "x = 1\n"
    assert [e.execution_count for e in graph.executions] == [1, 2, 3]
    last = graph.executions[-1]
    assert last.status == "error" and last.ename is None and last.error_lineno is None


def test_equal_counts_are_ordered_by_position():
    nb = new_notebook(cells=[code("a", 1), code("b", 1), code("c", 0)])
    graph = history_from_notebook(as_json(nb))
    assert [graph.cell(e.cell_id).index for e in graph.executions] == [2, 0, 1]


def test_equal_counts_put_the_crash_first():
    """Count 1 twice means a restart: the crash at 1 saw nothing else at 1."""
    nb = new_notebook(cells=[
        code("import pandas as pd", 1),
        code("pd.read_csv('x')", 1, [error_output("NameError", "name 'pd' is not defined", 1, 1)]),
    ])
    graph = history_from_notebook(as_json(nb))
    assert [graph.cell(e.cell_id).index for e in graph.executions] == [1, 0]


def test_not_a_notebook_raises_clear_error():
    for bad in ([1, 2], "text", {"metadata": {}}, {"cells": "nope"}, None):
        with pytest.raises(NotebookError, match="not a notebook"):
            history_from_notebook(bad)
    with pytest.raises(NotebookError):
        markdown_headings({"foo": 1}, 0)


def test_nbformat3_worksheets():
    nb = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "heading", "level": 1, "source": ["Training"], "metadata": {}},
        {"cell_type": "code", "input": ["m = 1\n", "n = m"], "prompt_number": 4,
         "language": "python", "outputs": []},
        {"cell_type": "code", "input": "n + q", "prompt_number": 5, "language": "python",
         "outputs": [{"output_type": "pyerr", "ename": "NameError",
                      "evalue": "name 'q' is not defined", "traceback": []}]},
        {"cell_type": "code", "input": "never", "language": "python", "outputs": []},
    ]}]}
    graph = history_from_notebook(nb)
    assert graph.cell("cell-1").source == "m = 1\nn = m"
    assert [(e.cell_id, e.status) for e in graph.executions] == [("cell-1", "ok"),
                                                                  ("cell-2", "error")]
    assert graph.executions[1].ename == "NameError"
    assert [c.cell_id for c in graph.never_ran()] == ["cell-3"]
    assert markdown_headings(nb, 2) == ["Training"]


def test_graph_uses_injected_analyzer_for_facts():
    seen = []
    nb = new_notebook(cells=[code("x = 1", 1), new_markdown_cell("# h")])
    graph = history_from_notebook(as_json(nb), analyze=lambda s: seen.append(s) or object())
    assert isinstance(graph, NotebookGraph) and seen == ["x = 1"]


def test_text_of():
    assert text_of(["a\n", "b"]) == "a\nb" and text_of("s") == "s" and text_of(None) == ""


def test_error_line_is_the_crashing_cells_own_not_a_called_function():
    pytest.importorskip("nbcrash_kernel.record.tracebacks")
    tb = [
        "NameError                                 Traceback (most recent call last)",
        "Cell In[5], line 3\n      1 a = 1\n      2 b = 2\n----> 3 c = f()\n",
        "Cell In[2], line 2, in f()\n      1 def f():\n----> 2     return undefined_thing\n",
        "NameError: name 'undefined_thing' is not defined",
    ]
    out = new_output("error", ename="NameError", evalue="x", traceback=tb)
    nb = new_notebook(cells=[code("def f():\n    return undefined_thing", 2),
                             code("a = 1\nb = 2\nc = f()", 5, [out])])
    crash = history_from_notebook(as_json(nb)).executions[-1]
    assert crash.error_lineno == 3


def test_uncounted_cells_with_outputs_ran_after_the_counted_cell_above():
    printed = new_output("stream", name="stdout", text="hi\n")
    nb = new_notebook(cells=[
        code("a = 1", 4),
        code("print(a)", None, [printed]),
        code("b = 2", 2),
        code("never = 1", None),
        code("boom", None, [error_output("NameError", "name 'boom' is not defined", 1, 9)]),
    ])
    graph = history_from_notebook(as_json(nb))
    order = [graph.cell(e.cell_id).index for e in graph.executions]
    assert order == [2, 4, 0, 1]
    crash = graph.executions[1]
    assert crash.status == "error" and crash.error_lineno == 1
    assert crash.execution_count == 9  # recovered from 'Cell In[9]'
    assert graph.executions[-1].execution_count is None
    assert [c.index for c in graph.never_ran()] == [3]


# ---- headings ----------------------------------------------------------------------

def test_markdown_headings_outline_nearest_last():
    nb = as_json(new_notebook(cells=[
        new_markdown_cell("# Project\nintro"),
        new_markdown_cell("## Data\n```\n# not a heading\n```"),
        code("x", 1),
        new_markdown_cell("Cleaning\n--------\n### Drop NaN"),
        code("y", 2),
        new_markdown_cell("<h2>Model <b>training</b></h2>"),
        code("z", 3),
    ]))
    assert markdown_headings(nb, 2) == ["Project", "Data"]
    assert markdown_headings(nb, 4) == ["Project", "Cleaning", "Drop NaN"]
    assert markdown_headings(nb, 4, limit=2) == ["Cleaning", "Drop NaN"]
    assert markdown_headings(nb, 6) == ["Project", "Model training"]
    assert markdown_headings(nb, 0) == []


# ---- with the real cell analyzer, once it exists ------------------------------------

def test_history_with_real_cell_facts_explains_previous_cell_error():
    cells = pytest.importorskip("nbcrash_kernel.facts.cells")
    assert callable(cells.analyze_cell)
    nb = new_notebook(cells=[
        code("import numpy as np\nmodel = fit()\ny_pred = model.predict(X)", 1,
             [error_output("NameError", "name 'fit' is not defined", 2, 1)]),
        code("score(y_test, y_pred)", 2,
             [error_output("NameError", "name 'y_pred' is not defined", 1, 2)]),
        code("late = 1", None),
        code("print(late)", 3, [error_output("NameError", "name 'late' is not defined", 1, 3)]),
    ])
    graph = history_from_notebook(as_json(nb))
    failed, crash, late_crash = graph.executions
    assert failed.defined >= {"np"} and "y_pred" not in failed.defined
    assert graph.explain_name("y_pred", crash).verdict == "failed-before-defining"
    assert graph.explain_name("np", crash).verdict == "bound"
    assert graph.explain_name("late", late_crash).verdict == "not-run"
    assert graph.explain_name("y_test", crash).verdict == "defined-nowhere"


def test_real_facts_deletion_magics_and_columns():
    pytest.importorskip("nbcrash_kernel.facts.cells")
    nb = new_notebook(cells=[
        code("%matplotlib inline\nimport pandas as pd\ndf = pd.DataFrame()", 1),
        code("df['price'] = 1\ntmp = df", 2),
        code("del tmp", 3),
        code("tmp.head()", 4, [error_output("NameError", "name 'tmp' is not defined", 1, 4)]),
    ])
    graph = history_from_notebook(as_json(nb))
    crash = graph.executions[-1]
    assert [c.index for c in graph.definers("pd")] == [0]
    assert [c.index for c in graph.column_definers("price")] == [1]
    assert graph.explain_name("tmp", crash).verdict == "deleted"
    assert graph.explain_name("df", crash).verdict == "bound"


# ---- the real corpus ---------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_every_corpus_notebook_builds_a_graph():
    paths = sorted(CORPUS.rglob("*.ipynb"))
    assert paths
    failed_runs = located = 0
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        graph = history_from_notebook(nb)
        assert graph.cells, path.name
        failed_runs += sum(e.status == "error" for e in graph.executions)
        located += sum(e.error_lineno is not None for e in graph.executions)
        for ex in graph.executions:
            if ex.status == "error":
                assert isinstance(markdown_headings(nb, graph.cell(ex.cell_id).index), list)
    assert failed_runs >= len(paths)  # every corpus notebook has a saved crash
    assert located > failed_runs // 2  # most saved tracebacks name the cell's line


# ---- property: any JSON is a graph or a NotebookError, never another exception -------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 30) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=4),
    max_leaves=12,
)
CELL_VALUES = {
    "cell_type": st.sampled_from(["code", "markdown", "raw", "heading", 7, None]),
    "source": st.one_of(st.text(max_size=30), st.lists(st.text(max_size=10) | st.none(),
                                                       max_size=3), JSON),
    "input": st.text(max_size=20),
    "execution_count": st.one_of(st.integers(-2, 12), st.none(), st.text(max_size=2)),
    "prompt_number": st.integers(0, 5),
    "id": st.one_of(st.sampled_from(["a", "b", ""]), st.none(), st.integers()),
    "outputs": st.one_of(JSON, st.lists(st.fixed_dictionaries({
        "output_type": st.sampled_from(["error", "pyerr", "stream"]),
        "ename": JSON, "evalue": JSON, "traceback": st.lists(st.text(max_size=40)) | JSON,
    }), max_size=2)),
    "level": JSON,
}
CELL = st.fixed_dictionaries({}, optional=CELL_VALUES)


@settings(max_examples=100, deadline=None)
@given(st.one_of(
    st.fixed_dictionaries({"cells": st.lists(CELL | JSON, max_size=6)}),
    st.fixed_dictionaries({"worksheets": st.lists(
        st.fixed_dictionaries({"cells": st.lists(CELL, max_size=4)}) | JSON, max_size=2)}),
    JSON,
), st.integers(-1, 8))
def test_any_json_gives_a_graph_or_notebook_error(nb, index):
    try:
        graph = history_from_notebook(nb)
    except NotebookError:
        return
    seqs = [e.seq for e in graph.executions]
    assert seqs == list(range(len(seqs)))
    assert all(graph.cell(e.cell_id) is not None for e in graph.executions)
    assert all(isinstance(h, str) and h for h in markdown_headings(nb, index))
