"""Sample size and stratified sampling of the study."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from nbcrash_kernel.study.sample import (REST_STRATUM, largest_variance_proportion, sample_crashes,
                                         sample_size, stratified_sample)


def test_study_sample_sizes():
    assert sample_size(88_667, 244 / 394) == 360
    assert sample_size(3_875, 199 / 324) == 332


def test_sample_size_edges():
    assert sample_size(0) == 0
    assert 0 < sample_size(10) <= 10          # never more than the population
    assert sample_size(1_000_000) == 384    # the textbook value for p = 0.5


def test_largest_variance_proportion_picks_share_nearest_half():
    pilot = pd.DataFrame({"root_cause": ["A"] * 7 + ["B"] * 3, "origin": ["ML"] * 9 + ["PY"]})
    assert largest_variance_proportion(pilot) == pytest.approx(0.7)
    assert largest_variance_proportion(pd.DataFrame()) == 0.5


def _crashes(sizes: dict[int, int], platform: str = "github") -> pd.DataFrame:
    rows = [(f"{platform}-{c}-{i}", platform, c) for c, n in sizes.items() for i in range(n)]
    return pd.DataFrame(rows, columns=["crash_id", "platform", "cluster"])


def test_strata_get_ceil_of_their_share():
    crashes = _crashes({0: 300, 1: 150, 2: 40, 3: 30})
    drawn = stratified_sample(crashes, n=100, min_cluster=100, seed=1)
    counts = drawn.groupby("stratum").size().to_dict()
    N = len(crashes)
    assert counts == {REST_STRATUM: math.ceil(100 * 70 / N), 0: math.ceil(100 * 300 / N), 1: math.ceil(100 * 150 / N)}
    assert drawn["crash_id"].is_unique


def test_seeded_and_platform_thresholds():
    crashes = pd.concat([_crashes({0: 200, 1: 50}), _crashes({0: 20, 1: 5, 2: 3}, "kaggle")])
    first, report = sample_crashes(crashes, seed=3)
    again, _ = sample_crashes(crashes, seed=3)
    other, _ = sample_crashes(crashes, seed=4)
    assert first["crash_id"].tolist() == again["crash_id"].tolist()
    assert first["crash_id"].tolist() != other["crash_id"].tolist()
    kaggle = first[first.platform == "kaggle"]
    assert set(kaggle["stratum"]) == {0, REST_STRATUM}             # k = 10 on Kaggle
    github = first[first.platform == "github"]
    assert set(github["stratum"]) == {0, REST_STRATUM}             # k = 100 on GitHub
    assert len(report.counts) == 2
