"""benchmarks/live_accuracy.py: the zoo replayed in real kernels with nbcrash, in three modes."""
from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

import pytest

from benchmarks import live_accuracy as live
from benchmarks.zoo.case import Case, Labels
from benchmarks.zoo.cases import all_cases

pytestmark = pytest.mark.slow

CASES = ("notebook-skipped-definer-01", "notebook-after-crash-01", "stdlib-zero-division-01")
PY = Labels("OTHER", "zerodivisionerror", "IMPL", "wrong implementation", "PY", "NONE")


@pytest.fixture(scope="module")
def result():
    chosen = [c for c in all_cases() if c.id in CASES]
    assert len(chosen) == len(CASES)
    return live.measure(chosen, live.MODES, faces=True, log=lambda *a, **k: None)


def replay(result, mode: str, case_id: str) -> live.Replay:
    return next(r for r in result["replays"][mode] if r.case.id == case_id)


def test_every_case_reproduces_in_every_mode_and_gets_a_card(result):
    assert result["not_reproduced"] == {mode: [] for mode in live.MODES}
    assert len(result["scored"]) == len(CASES)
    for mode in live.MODES:
        assert all(r.card is not None and r.internal_errors == 0 for r in result["replays"][mode])


def test_lab_mode_reads_the_notebook_so_a_skipped_definer_is_not_run(result):
    card = replay(result, "lab", "notebook-skipped-definer-01").card
    assert (card["root_cause"], card["trace"]["root_cause"]["rule"]) == ("NB", "RC-NB-NOT-RUN")
    case = next(c for c in all_cases() if c.id == "notebook-skipped-definer-01")
    assert card["cell_id"] == live.cell_id(case, case.run_order()[-1])  # the cellId was sent


def test_blind_kernel_knows_only_the_cells_that_ran(result):
    blind = replay(result, "blind", "notebook-skipped-definer-01")
    assert blind.notebook is None
    assert not blind.rule.startswith("RC-NB-UNDEFINED") and blind.rule != "RC-NB-NOT-RUN"
    assert blind.card["cell_id"].startswith("src-")  # no cellId, no notebook to match the source in


def test_nbclient_mode_finds_the_notebook_by_the_cells_that_ran(result):
    found = replay(result, "nbclient", "notebook-skipped-definer-01")
    assert found.found_by_what_ran and found.notebook.endswith("notebook-skipped-definer-01.ipynb")
    assert found.rule == "RC-NB-NOT-RUN"
    assert all(r.notebook and not r.found_by_what_ran for r in result["replays"]["lab"])  # named, not found


def test_the_other_faces_are_scored_on_the_same_cases(result):
    figures = result["figures"]
    assert set(figures) == {*live.MODES, "audit", "alone"}
    assert {f["cases"] for f in figures.values()} == {len(CASES)}


def test_score_counts_right_and_wrong_and_library_only_where_labelled():
    labels = [Labels("VNF", "variable not found", "NB", "x", "ML", "DATAP", "pandas").as_dict(), PY.as_dict()]
    cards = [{"exception_type": "VNF", "root_cause": "NB", "origin": "ML", "stage": "DATAP", "library": "pandas"},
             {"exception_type": "OTHER", "root_cause": "DATA", "origin": "PY", "stage": "DATAP", "library": "numpy"}]
    figures = live.score(labels, cards)
    assert figures["exception_type"]["accuracy"] == 1.0
    assert figures["root_cause"]["hits"] == 1 and figures["root_cause"]["confusions"] == [["IMPL", "DATA", 1]]
    assert (figures["library"]["n"], figures["library"]["hits"]) == (1, 1)  # the unlabelled library is not scored
    assert figures["stage_no_none"] == {"n": 1, "hits": 1, "accuracy": 1.0}
    assert live.score(labels, [None, None])["no_card"] == 2
    assert live.wrong_dims(labels[1], cards[1]) == {"root_cause": ["IMPL", "DATA"], "stage": ["NONE", "DATAP"]}


def test_the_reset_between_cases_leaves_no_name_and_no_history():
    defines = Case("t-defines", "stdlib", ("x = 1\nimport os", "1 / 0"), "ZeroDivisionError", PY)
    reads = Case("t-reads", "stdlib", ("print(x)",), "NameError", PY)
    with tempfile.TemporaryDirectory() as tmp:
        kernel = live.SharedKernel("lab", Path(tmp))
        try:
            assert not kernel.replay(defines).problem
            second = kernel.replay(reads)
            assert not second.problem  # x is gone: NameError, as in a fresh kernel
            history = kernel.driver.run("%nbcrash history").text
            cwd = kernel.driver.run("import os; print(os.getcwd())").text.strip()
        finally:
            kernel.close()
    assert "x = 1" not in history and "reset" not in history and len(history.strip().splitlines()) == 1
    assert cwd.endswith("/lab/t-reads")
    assert second.notebook.endswith("t-reads.ipynb")  # the new session reads the new case's notebook


def test_skipped_groups_are_named():
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(live.GROUP_REQUIRES, "stdlib", "no_such_module_for_nbcrash")
        keep, skipped = live.runnable_groups(["stdlib", "notebook"])
    assert keep == ["notebook"] and skipped == {"stdlib": "no_such_module_for_nbcrash not importable"}


def test_the_printout_says_in_sample(result):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        live.print_result(result, {"torch": "torch not importable"}, live.MODES)
    text = out.getvalue()
    assert "IN-SAMPLE" in text and "skipped groups: torch" in text and "blind kernel" in text
