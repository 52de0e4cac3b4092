"""The measured root-cause confidence: generated from the labelled crashes, used by every diagnosis."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import calibrate  # noqa: E402
from nbcrash_kernel.classifier import classify  # noqa: E402
from nbcrash_kernel.classifier.rules import REGISTRY  # noqa: E402
from nbcrash_kernel.facts.context import CrashContext  # noqa: E402
from nbcrash_kernel.knowledge.rule_confidence import CONFIDENCE  # noqa: E402


def test_every_measured_rule_is_a_registered_root_cause_rule():
    assert CONFIDENCE
    for rule_id, (p, n) in CONFIDENCE.items():
        assert REGISTRY.by_id[rule_id].dimension == "root_cause"
        assert 0.0 < p < 1.0 and n >= 1


def test_the_table_is_current(tmp_path, monkeypatch, capsys):
    """Regenerating the table from the labelled crashes gives the committed file."""
    target = tmp_path / "rule_confidence.py"
    monkeypatch.setattr(calibrate, "TABLE", target)
    monkeypatch.setattr(calibrate, "ROOT", tmp_path)
    calibrate.main(["--write"])
    out = capsys.readouterr().out
    assert "expected calibration error" in out and "frozen dev half" in out
    committed = (ROOT / "nbcrash_kernel" / "knowledge" / "rule_confidence.py").read_text(encoding="utf-8")
    assert target.read_text(encoding="utf-8") == committed, \
        "rule_confidence.py is stale: run `python benchmarks/calibrate.py --write`"


def test_a_diagnosis_carries_its_rules_measured_confidence():
    diagnosis = classify(CrashContext(ename="KeyError", evalue="'price'", traceback=""))
    rule_id = diagnosis.trace["root_cause"]["rule"]
    expected = CONFIDENCE[rule_id][0] if rule_id in CONFIDENCE else REGISTRY.by_id[rule_id].confidence
    assert diagnosis.confidence == expected


def test_reliability_bins_and_error():
    rows, error = calibrate.reliability([(0.9, True), (0.9, False), (0.3, False)])
    assert [(n, round(share, 2)) for *_, n, _, share in rows] == [(1, 0.0), (2, 0.5)]
    assert round(error, 3) == round((1 / 3) * 0.3 + (2 / 3) * 0.4, 3)
