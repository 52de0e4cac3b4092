"""Step 4, sample: how many crashes to label per platform, and which, stratified by cluster.

Sample size (Cochran's formula with the finite population correction, truncated):
``n = z^2 p (1-p) / (e^2 + z^2 p (1-p) / N)``. Strata of a platform: each cluster with at least
``k`` crashes of that platform, plus one stratum for all the others; a stratum of size s gets
``ceil(n s / N)`` crashes drawn at random with the seed.
"""
from __future__ import annotations

import math
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from .folder import StudyFolder, read_table, write_table
from .stepreport import StepReport

Z_95 = 1.96
MARGIN = 0.05
STUDY_MIN_CLUSTER = {"github": 100, "kaggle": 10}
DEFAULT_MIN_CLUSTER = 10
REST_STRATUM = -1


def sample_size(population: int, p: float = 0.5, z: float = Z_95, margin: float = MARGIN) -> int:
    """Crashes to label so that a proportion p is estimated within ``margin`` at confidence z."""
    if population <= 0:
        return 0
    variance = z * z * p * (1 - p)
    return min(population, int(variance / (margin * margin + variance / population)))


def largest_variance_proportion(pilot: pd.DataFrame, dimensions: Iterable[str] = ("exception_type", "root_cause", "origin", "stage")) -> float:
    """Among the category shares of a pilot labelling, the one closest to 1/2 (largest
    ``p(1-p)``); 0.5 when the pilot is empty."""
    best, best_variance = 0.5, -1.0
    for dim in dimensions:
        if dim not in pilot.columns:
            continue
        shares = pilot[dim].dropna().value_counts(normalize=True)
        for share in shares:
            if share * (1 - share) > best_variance:
                best, best_variance = float(share), share * (1 - share)
    return best


def strata(clusters: pd.Series, min_cluster: int) -> pd.Series:
    """The stratum of each crash: its cluster when the cluster is big enough, else the rest."""
    sizes = clusters.map(clusters.value_counts())
    return clusters.where(sizes >= min_cluster, REST_STRATUM)


def stratified_sample(crashes: pd.DataFrame, n: int, min_cluster: int, seed: int) -> pd.DataFrame:
    """``ceil(n s / N)`` crashes of each stratum of size s, drawn with ``seed``; for one platform."""
    population = len(crashes)
    if population == 0 or n <= 0:
        return crashes.iloc[0:0].assign(stratum=pd.Series(dtype="int64"))
    frame = crashes.assign(stratum=strata(crashes["cluster"], min_cluster))
    rng = np.random.default_rng(seed)
    picked = []
    for stratum, group in frame.sort_values("crash_id").groupby("stratum", sort=True):
        take = min(len(group), math.ceil(n * len(group) / population))
        picked.append(group.sample(n=take, random_state=rng))
    return pd.concat(picked).sort_values(["stratum", "crash_id"]).reset_index(drop=True)


def sample_crashes(clusters: pd.DataFrame, seed: int = 0, p: float = 0.5,
                   min_cluster: Mapping[str, int] | None = None, z: float = Z_95,
                   margin: float = MARGIN) -> tuple[pd.DataFrame, StepReport]:
    """The sample of every platform and the step report (population, n, strata)."""
    thresholds = {**STUDY_MIN_CLUSTER, **(min_cluster or {})}
    report = StepReport("sample")
    report.notes.update({"p": p, "z": z, "margin": margin, "seed": seed})
    parts = []
    for platform, group in sorted(clusters.groupby("platform"), key=lambda kv: str(kv[0])):
        k = thresholds.get(platform, DEFAULT_MIN_CLUSTER)
        n = sample_size(len(group), p, z, margin)
        drawn = stratified_sample(group, n, k, seed)
        parts.append(drawn)
        report.count(f"{platform}: sampled (n={n}, k={k}, strata={drawn['stratum'].nunique()})",
                     "crashes", len(drawn), len(group) - len(drawn))
    columns = list(clusters.columns) + ["stratum"]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    return table, report


def run_sample(folder: StudyFolder, seed: int = 0, p: float | None = None, pilot: str | None = None,
               min_cluster: Mapping[str, int] | None = None) -> StepReport:
    clusters = read_table(folder.clusters)
    if p is None:
        p = largest_variance_proportion(_read_labels(pilot)) if pilot else 0.5
    crashes = read_table(folder.crashes)
    joined = clusters[["crash_id", "cluster", "processed"]].merge(crashes, on="crash_id")
    table, report = sample_crashes(joined, seed, p, min_cluster)
    write_table(table, folder.sample)
    report.save(folder.step_report("sample"))
    return report


def _read_labels(path: str) -> pd.DataFrame:
    from .label import read_sheet

    return read_sheet(path)
