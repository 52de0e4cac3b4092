"""Every saved error output diagnosed, with the notebook's history as it was at the crash."""
from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from nbcrash_kernel.record import taxonomy
from nbcrash_kernel.audit import crashes as crashes_module
from nbcrash_kernel.audit.notebook import audit_notebook


def _error(ename, evalue):
    return new_output("error", ename=ename, evalue=evalue,
                      traceback=[f"\x1b[0;31m{ename}\x1b[0m: {evalue}"])


def _out_of_order_notebook():
    return new_notebook(cells=[
        new_markdown_cell("# Data loading\n## Cleaning"),
        new_code_cell("import pandas as pd", execution_count=1),
        new_code_cell("df = pd.DataFrame({'a': [1]})"),
        new_code_cell("df.head()", execution_count=2,
                      outputs=[_error("NameError", "name 'df' is not defined")]),
        new_code_cell("df = 3", execution_count=7),
        new_code_cell("int('x')", execution_count=5,
                      outputs=[_error("ValueError", "invalid literal for int() with base 10: 'x'")]),
    ])


def _audit(nb):
    return audit_notebook("mem.ipynb", nbformat.writes(nb).encode())


def test_every_error_output_gets_a_valid_record_with_its_cell():
    nb = _out_of_order_notebook()
    report = _audit(nb)
    assert report.error is None
    assert [(c["cell_index"], c["execution_count"], c["ename"]) for c in report.crashes] == [
        (3, 2, "NameError"), (5, 5, "ValueError")]
    for crash in report.crashes:
        assert crash["cell_id"] == nb.cells[crash["cell_index"]].id
        assert crash["exception_type"] in taxonomy.EXCEPTION_TYPES
        assert crash["root_cause"] in taxonomy.ROOT_CAUSES
        assert crash["origin"] in taxonomy.ORIGINS
        assert crash["stage"] in taxonomy.STAGES
        assert "internal_error" not in crash


def test_name_defined_by_a_cell_that_never_ran_is_notebook_specific():
    crash = _audit(_out_of_order_notebook()).crashes[0]
    assert crash["root_cause"] == "NB"
    related = {(c["index"], c["role"]) for c in crash["related_cells"]}
    assert (2, "definer-not-run") in related


def test_classifier_sees_the_history_up_to_the_crash_and_the_headings(monkeypatch):
    seen = []
    from nbcrash_kernel import classifier

    real = classifier.classify

    def spy(context):  # the history as the classifier sees it, at the call (views are replayed on)
        context.counts = [e.execution_count for e in context.graph.executions]
        context.last_cell = context.graph.last_execution().cell_id
        seen.append(context)
        return real(context)

    monkeypatch.setattr(classifier, "classify", spy)
    _audit(_out_of_order_notebook())
    first, second = seen
    assert first.headings == ["Data loading", "Cleaning"]
    assert first.cell_source == "df.head()" and first.cell_index == 3
    # At the NameError (count 2), only counts 1 and 2 had run: not the later `df = 3` (count 7).
    assert first.counts == [1, 2]
    assert first.last_cell == first.cell_id
    assert second.counts == [1, 2, 5]
    # The cells themselves are all known, with their facts.
    assert len(first.graph.cells) == 6


def test_a_classifier_failure_still_yields_a_record(monkeypatch):
    from nbcrash_kernel import classifier

    def broken(context):
        raise RuntimeError("boom")

    monkeypatch.setattr(classifier, "classify", broken)
    report = _audit(_out_of_order_notebook())
    assert report.error is None and len(report.crashes) == 2
    assert all(c["root_cause"] == "UNK" and "boom" in c["internal_error"] for c in report.crashes)


def test_crash_without_execution_count_and_several_errors_in_one_cell():
    nb = new_notebook(cells=[new_code_cell("x", outputs=[
        _error("NameError", "name 'x' is not defined"), _error("KeyboardInterrupt", "")])])
    report = _audit(nb)
    assert [(c["output_index"], c["execution_count"]) for c in report.crashes] == [(0, None), (1, None)]
    assert all(c["root_cause"] in taxonomy.ROOT_CAUSES for c in report.crashes)


@pytest.mark.parametrize("count", [None, 3])
def test_graph_at_crash_without_a_matching_execution_is_the_whole_graph(count):
    from nbcrash_kernel.facts.history import history_from_notebook

    nb = _out_of_order_notebook()
    graph = history_from_notebook(nbformat.from_dict(nb))
    same = crashes_module.graph_at_crash(graph, nb.cells[2].id, count)  # never ran
    assert same is graph
