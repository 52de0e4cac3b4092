"""ST-TYPE-PRIOR is a fallback: the exception type guesses the stage only when the code says nothing."""
from __future__ import annotations

import pytest

from nbcrash_kernel.classifier import classify
from nbcrash_kernel.classifier.examples import example_context
from nbcrash_kernel.classifier.rules import CELL_FILE, REGISTRY, example, traceback_text
from nbcrash_kernel.classifier.stages import _TYPE_PRIOR, FALLBACK


def _stage(ename: str, evalue: str, line: str, cell: str | None = None) -> dict:
    more = {"cell_source": cell} if cell is not None else {}
    diagnosis = classify(example_context(example(ename, evalue, traceback_text(ename, evalue, (CELL_FILE, line)),
                                                 **more)))
    return diagnosis.trace["stage"] | {"stage": diagnosis.stage}


def test_the_fallback_is_weighed_last():
    assert REGISTRY.by_id[FALLBACK].dimension == "stage"


@pytest.mark.parametrize("ename,evalue,stage", [
    ("ModuleNotFoundError", "No module named 'xgboost'", "ENVS"),
    ("MemoryError", "", "TRAIN"),
    ("KeyError", "'x'", "DATAP"),
])
def test_when_the_code_says_nothing_the_exception_type_decides(ename, evalue, stage):
    decided = _stage(ename, evalue, "v = d[k]")
    assert decided["rule"] == FALLBACK and decided["stage"] == stage


def test_a_light_hint_of_the_code_outweighs_the_exception_type():
    # One plotting call elsewhere in the cell (ST-CELL-VOCAB, weighed lightly) says more about where the
    # KeyError happened than "KeyErrors are mostly data preparation": the taxonomy judges the code.
    decided = _stage("KeyError", "'x'", "v = d['x']", cell="plt.show()\nv = d['x']")
    assert decided["stage"] == "DATAV" and decided["rule"] == "ST-CELL-VOCAB"
    assert all(c["rule"] != FALLBACK for c in decided["candidates"])


def test_every_exception_type_has_a_fallback_stage():
    from nbcrash_kernel.record.taxonomy import EXCEPTION_TYPES

    assert set(_TYPE_PRIOR) == set(EXCEPTION_TYPES)


def test_a_keyword_arguments_name_is_the_callees_parameter_not_a_users_variable():
    from nbcrash_kernel.knowledge.pipeline import score_stages

    # `axis` in `np.argmax(p, axis=1)` is numpy's parameter: the `^ax` shape of an Axes variable does not apply.
    assert "DATAV" not in score_stages("cls = np.argmax(y_prob, axis=1)")
    assert "DATAV" in score_stages("ax = axes[0]")  # an Axes variable still names plotting
    assert score_stages("ax = axes[0]") == score_stages("ax = axes[0]\n")
    # a keyword the hand table lists still counts (the figure size every matplotlib plot takes)
    assert "DATAV" in score_stages("s.plot(kind=k, figsize=(10, 6))")
    # a comparison inside a call is not a keyword argument
    assert "EVAL" in score_stages("print(pred == 1)")
