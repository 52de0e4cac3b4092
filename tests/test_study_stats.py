"""The study's statistics reproduce the p-values the study printed, from its own counts."""
from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nbcrash_kernel.study import stats

COUNTS_FILE = Path(__file__).resolve().parent / "data" / "study_v2_counts.json"

pytestmark = pytest.mark.skipif(not COUNTS_FILE.exists(), reason="shared data folder absent")


def _expand_joint(counts: dict) -> pd.DataFrame:
    """One row a crash, consistent with every joint table of the counts file.

    The joints (root cause, origin), (stage, origin) and (exception type, root cause) form a
    chain, so pairing rows within each shared code reproduces all three exactly.
    """
    rows = []
    for platform, by_origin in counts["root_cause_by_origin"].items():
        stages = defaultdict(list)
        for stage, by_o in counts["stage_by_origin"][platform].items():
            for origin, n in by_o.items():
                stages[origin] += [stage] * n
        excs = defaultdict(list)
        for exc, by_rc in counts["exception_type_by_root_cause"][platform].items():
            for cause, n in by_rc.items():
                excs[cause] += [exc] * n
        for origin, by_rc in sorted(by_origin.items()):
            for cause, n in sorted(by_rc.items()):
                for _ in range(n):
                    rows.append({"platform": platform, "origin": origin, "root_cause": cause,
                                 "stage": stages[origin].pop(), "exception_type": excs[cause].pop()})
        assert not any(stages.values()) and not any(excs.values()), "counts file not consistent"
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def study():
    data = json.loads(COUNTS_FILE.read_text())
    labels = _expand_joint(data["counts"])
    return data, labels, stats.study_statistics(labels)


def _same6(a: float, b: float) -> bool:
    return f"{a:.6g}" == f"{b:.6g}" or math.isclose(a, b, rel_tol=5e-6)


def test_expansion_matches_every_marginal(study):
    data, labels, _ = study
    for dim in stats.DIMENSIONS:
        for platform, by_code in data["counts"][dim].items():
            got = labels[labels.platform == platform][dim].value_counts().to_dict()
            assert got == by_code


def test_every_expected_scalar_p_value(study):
    data, _, result = study
    expected = data["expected_p_values"]
    scalars = {k: v for k, v in expected.items() if k.startswith("chi2_")}
    assert len(scalars) == 9
    for key, value in scalars.items():
        assert key in result, key
        assert _same6(result[key], value), (key, result[key], value)


def test_barnard_origin_per_stage(study):
    data, _, result = study
    expected = data["expected_p_values"]["barnard_origin_github_vs_kaggle_in_stage"]
    got = result["barnard_origin_github_vs_kaggle_in_stage"]
    assert set(got) == set(expected)
    for stage, value in expected.items():
        assert _same6(got[stage], value), (stage, got[stage], value)


def test_bonferroni_significant_exception_root_cause_pairs(study):
    data, _, result = study
    expected = data["expected_p_values"]["barnard_bonferroni_significant"]
    got = result["barnard_bonferroni_significant"]
    assert [(g["exception_type"], g["root_cause"]) for g in got] == \
        [(e["exception_type"], e["root_cause"]) for e in expected]
    for g, e in zip(got, expected):
        assert _same6(g["raw_p"], e["raw_p"]) and _same6(g["corrected_p"], e["corrected_p"])


@pytest.mark.parametrize("kind", ["pearson", "adjusted"])
def test_stage_residuals(study, kind):
    data, _, result = study
    expected = data["expected_p_values"][f"{kind}_residuals_stage_github"]
    got = result[f"{kind}_residuals_stage_github"]
    for stage, value in expected.items():
        assert round(got[stage], 3) == pytest.approx(value, abs=1e-9), stage
    # two platforms: the other column's Pearson residuals sum with github's to zero weighted
    other = result[f"{kind}_residuals_stage_kaggle"]
    assert set(other) == set(got)


def test_small_categories_are_deleted_before_chi2():
    table = pd.DataFrame({"github": [50, 40, 3], "kaggle": [30, 60, 10]}, index=["A", "B", "C"])
    pruned = stats.prune_small_categories(table)
    assert list(pruned.index) == ["A", "B"]
    from scipy.stats import chi2_contingency
    assert stats.chi2_pvalue(table) == pytest.approx(chi2_contingency(pruned.to_numpy()).pvalue)


def test_untestable_tables_give_none():
    assert stats.chi2_pvalue(pd.DataFrame({"github": [10], "kaggle": [12]}, index=["A"])) is None
    assert stats.barnard_pvalue(np.array([[0, 0], [3, 4]])) is None


def test_missing_columns_are_reported():
    with pytest.raises(ValueError, match="lacks columns"):
        stats.study_statistics(pd.DataFrame({"platform": ["github"]}))


def test_expand_counts_round_trip():
    frame = stats.expand_counts({"github": {"A": 2, "B": 1}, "kaggle": {"A": 3}}, "root_cause")
    assert len(frame) == 6
    assert frame.groupby(["platform", "root_cause"]).size().to_dict() == \
        {("github", "A"): 2, ("github", "B"): 1, ("kaggle", "A"): 3}
