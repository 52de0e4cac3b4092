"""The exception-name-only baseline scores what a table of commonest labels would, out of fold."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import name_only_baseline as baseline  # noqa: E402


def rows(pairs):
    return [{"ename": ename, "stage": stage} for ename, stage in pairs]


def test_fit_takes_the_commonest_label_per_name_and_overall():
    table, overall = baseline.fit(rows([("KeyError", "DATAP"), ("KeyError", "DATAP"), ("KeyError", "EVAL"),
                                        ("NameError", "EVAL"), ("nameerror", "EVAL")]), "stage")
    assert table == {"keyerror": "DATAP", "nameerror": "EVAL"}
    assert overall == "EVAL"


def test_a_label_that_follows_the_name_is_predicted_out_of_fold():
    data = rows([("KeyError", "DATAP")] * 10 + [("NameError", "EVAL")] * 10)
    assert baseline.out_of_fold(data, "stage", folds=5, seed=0) == 100.0


def test_a_name_unseen_in_training_gets_the_overall_label():
    data = rows([("KeyError", "DATAP")] * 9 + [("OSError", "ENVS")])
    assert baseline.out_of_fold(data, "stage", folds=5, seed=0) == 90.0


def test_main_prints_every_dimension_beside_the_hidden_figure(capsys):
    assert baseline.main(["--seeds", "2"]) == 0
    out = capsys.readouterr().out
    for dim in baseline.DIMENSIONS:
        assert dim in out and f"{baseline.HIDDEN[dim]:.1f}%" in out
