"""The weighed root cause: generated weights that are current, read by a pure-Python scorer."""
from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import weigh_root_cause  # noqa: E402
from nbcrash_kernel.classifier import classify, weighed  # noqa: E402
from nbcrash_kernel.classifier.engine import decide_exception_type  # noqa: E402
from nbcrash_kernel.classifier.examples import example_context  # noqa: E402
from nbcrash_kernel.classifier.rules import REGISTRY, first_match  # noqa: E402
from nbcrash_kernel.classifier.signals import Signals  # noqa: E402
from nbcrash_kernel.classifier.weighed_evidence import features  # noqa: E402
from nbcrash_kernel.facts.context import CrashContext  # noqa: E402
from nbcrash_kernel.knowledge import root_cause_weights  # noqa: E402

EXAMPLE = REGISTRY.by_id["RC-WEIGHED"].examples[0]


def test_the_weights_are_current(tmp_path, monkeypatch, capsys):
    """Refitting on the labelled crashes gives the committed module (and prints the out-of-fold figures)."""
    target = tmp_path / "root_cause_weights.py"
    monkeypatch.setattr(weigh_root_cause, "TABLE", target)
    monkeypatch.setattr(weigh_root_cause, "ROOT", tmp_path)
    weigh_root_cause.main(["--write"])
    out = capsys.readouterr().out
    assert "hand rules" in out and "expected calibration error" in out and "frozen dev half" in out
    committed = (ROOT / "nbcrash_kernel" / "knowledge" / "root_cause_weights.py").read_text(encoding="utf-8")
    assert target.read_text(encoding="utf-8") == committed, \
        "root_cause_weights.py is stale: run `python benchmarks/weigh_root_cause.py --write`"


def test_the_kernel_reads_plain_data_without_scikit_learn_or_pickles():
    code = ("import sys, nbcrash_kernel.classifier; "
            "print(any(m.split('.')[0] in ('sklearn', 'pickle', 'joblib') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          check=True).stdout.strip() == "False"
    assert len(root_cause_weights.INTERCEPTS) == len(root_cause_weights.CLASSES)
    assert all(len(c) == len(root_cause_weights.CLASSES) for c in root_cause_weights.COEFFICIENTS.values())


def _signals(example: dict) -> tuple[Signals, object]:
    signals = Signals.from_context(example_context(example))
    decide_exception_type(signals)
    return signals, first_match(REGISTRY.for_type(signals.etype.code), signals)


def _table(toward: str, strength: float, record_code: str, **more) -> SimpleNamespace:
    """Two classes; one feature pushes toward ``toward``."""
    classes = tuple(sorted({"API", record_code}))
    push = tuple(strength if c == toward else 0.0 for c in classes)
    settings = dict(ENABLED=True, MARGIN=0.2, SUPPORTED=False, OPEN=frozenset({"API", "DATA", "IMPL"}),
                    CLASSES=classes, INTERCEPTS=(0.0,) * len(classes), COEFFICIENTS={"pushed": push})
    settings.update(more)
    return SimpleNamespace(**settings)


def test_the_scorer_is_the_softmax_of_intercepts_plus_present_coefficients():
    table = SimpleNamespace(CLASSES=("A", "B"), INTERCEPTS=(0.5, 0.0), COEFFICIENTS={"f": (0.0, 1.5), "g": (1.0, 0.0)})
    p = weighed.probabilities(["f", "unknown", "f"], table)
    assert p["B"] == pytest.approx(math.exp(1.5) / (math.exp(1.5) + math.exp(0.5)))
    assert sum(p.values()) == pytest.approx(1.0)


def test_confident_weights_override_an_open_first_rule_and_the_trace_names_rc_weighed(monkeypatch):
    signals, record = _signals(EXAMPLE)
    assert record.rule.code in {"DATA", "IMPL"}, "the example's first rule gives an open cause other than API"
    pushed = features(signals, record)[0]  # the first rule that fired: a feature this crash has
    table = _table("API", 3.0, record.rule.code)
    table.COEFFICIENTS = {pushed: table.COEFFICIENTS["pushed"]}
    monkeypatch.setattr(weighed, "weights", table)
    diagnosis = classify(example_context(EXAMPLE))
    trace = diagnosis.trace["root_cause"]
    assert trace["rule"] == "RC-WEIGHED" and diagnosis.root_cause == "API"
    assert diagnosis.confidence == pytest.approx(1 / (1 + math.exp(-3.0)))
    assert trace["candidates"][0] == {"rule": "RC-WEIGHED", "verdict": "API", "score": round(diagnosis.confidence, 3)}
    assert record.rule.id in [c["rule"] for c in trace["candidates"]]  # the rule it overrode


def test_weights_that_are_not_confident_enough_leave_the_first_rule(monkeypatch):
    signals, record = _signals(EXAMPLE)
    table = _table("API", 0.2, record.rule.code)  # 55% against 45%: below the margin of 0.2
    table.COEFFICIENTS = {features(signals, record)[0]: table.COEFFICIENTS["pushed"]}
    assert weighed.weigh(signals, record, table) is record


def test_a_cause_the_record_settles_is_never_weighed():
    example = {"ename": "ModuleNotFoundError", "evalue": "No module named 'xgboost'", "traceback": ""}
    signals, record = _signals(example)
    assert record.rule.code == "ENV"
    table = _table("API", 9.0, "ENV", COEFFICIENTS={f: (9.0, 0.0) for f in features(signals, record)})
    assert weighed.weigh(signals, record, table) is record


def test_the_notebook_rules_keep_precedence_over_weights(monkeypatch):
    example = REGISTRY.by_id["RC-NB-NOT-RUN"].examples[0]
    signals, record = _signals(example)
    table = _table("API", 9.0, record.rule.code, OPEN=frozenset({"API", record.rule.code}))
    table.COEFFICIENTS = {f: table.COEFFICIENTS["pushed"] for f in features(signals, record)}
    assert weighed.weigh(signals, record, table).rule.id == "RC-WEIGHED"  # the record alone: weighed
    monkeypatch.setattr(weighed, "weights", table)
    assert classify(example_context(example)).trace["root_cause"]["rule"] == "RC-NB-NOT-RUN"


def test_switched_off_weights_change_nothing(monkeypatch):
    monkeypatch.setattr(weighed, "weights", SimpleNamespace(ENABLED=False))
    ctx = CrashContext(ename="KeyError", evalue="'price'", traceback="")
    assert classify(ctx).trace["root_cause"]["rule"] != "RC-WEIGHED"
