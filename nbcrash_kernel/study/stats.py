"""The study's statistical tests, from a labelled table of crashes.

Input: one row a crash with columns ``platform``, ``exception_type``, ``root_cause``,
``origin`` and ``stage`` in taxonomy codes. Conventions (those of the study's replication
package, which these functions reproduce to the printed digits):

- chi-square tables are categories x groups; every category with a count below 5 in any group is
  deleted first; ``scipy.stats.chi2_contingency`` with its defaults (Yates' correction on 2x2);
- Barnard's exact test (``scipy.stats.barnard_exact`` defaults) on 2x2 tables whose rows are the
  outcome (ML/PY origin; has/has not the root cause) and whose columns are the two platforms;
- residuals of the stage x platform table: Pearson ``(O-E)/sqrt(E)`` and adjusted
  ``(O-E)/sqrt(E (1-row/N) (1-col/N))``.
"""
from __future__ import annotations

import math
from typing import Any, Iterable

import numpy as np
import pandas as pd

DIMENSIONS: tuple[str, ...] = ("root_cause", "stage", "origin", "exception_type")
PLATFORM_ORDER: tuple[str, ...] = ("github", "kaggle", "other")
MIN_CELL_COUNT = 5
BONFERRONI_FACTOR = 9
ALPHA = 0.05


def contingency(labels: pd.DataFrame, category: str, group: str) -> pd.DataFrame:
    """Counts of ``category`` (rows) by ``group`` (columns), zeros filled, sorted labels."""
    table = pd.crosstab(labels[category], labels[group])
    return table.reindex(sorted(table.index), axis=0).reindex(_ordered(table.columns), axis=1)


def prune_small_categories(table: pd.DataFrame, minimum: int = MIN_CELL_COUNT) -> pd.DataFrame:
    """Delete every category row whose count is below ``minimum`` in any column."""
    return table[(table >= minimum).all(axis=1)]


def chi2_pvalue(table: pd.DataFrame, minimum: int = MIN_CELL_COUNT) -> float | None:
    """p-value of the chi-square test after pruning small categories; None when untestable."""
    from scipy.stats import chi2_contingency

    pruned = prune_small_categories(table, minimum)
    if pruned.shape[0] < 2 or pruned.shape[1] < 2:
        return None
    return float(chi2_contingency(pruned.to_numpy()).pvalue)


def barnard_pvalue(table: np.ndarray) -> float | None:
    """Barnard's exact test p-value of a 2x2 table; None when a row or column is empty."""
    from scipy.stats import barnard_exact

    table = np.asarray(table, dtype=int)
    if table.shape != (2, 2) or (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
        return None
    return float(barnard_exact(table).pvalue)


def residuals(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pearson and adjusted (standardised) residuals of a contingency table."""
    observed = table.to_numpy(dtype=float)
    total = observed.sum()
    row = observed.sum(axis=1, keepdims=True)
    col = observed.sum(axis=0, keepdims=True)
    expected = row @ col / total
    pearson = (observed - expected) / np.sqrt(expected)
    adjusted = (observed - expected) / np.sqrt(expected * (1 - row / total) * (1 - col / total))
    as_frame = lambda values: pd.DataFrame(values, index=table.index, columns=table.columns)  # noqa: E731
    return as_frame(pearson), as_frame(adjusted)


def study_statistics(labels: pd.DataFrame, bonferroni_factor: int = BONFERRONI_FACTOR) -> dict[str, Any]:
    """Every test of the study on a labelled table, as one JSON-ready dict of p-values."""
    labels = clean_labels(labels)
    if labels.empty:
        return {"n_crashes": 0, "platforms": []}
    platforms = _ordered(labels["platform"].unique())
    versus = "_vs_".join(platforms)
    result: dict[str, Any] = {"n_crashes": int(len(labels)), "platforms": platforms}
    for dim in DIMENSIONS:
        result[f"chi2_{dim}_{versus}"] = _chi2(labels, dim, "platform")
    for origin in ("ML", "PY"):
        subset = labels[labels["origin"] == origin]
        result[f"chi2_root_cause_of_{origin}_bugs_{versus}"] = _chi2(subset, "root_cause", "platform")
    for platform in platforms:
        subset = labels[labels["platform"] == platform]
        result[f"chi2_root_cause_ML_vs_PY_{platform}"] = _chi2(subset, "root_cause", "origin")
    result["chi2_root_cause_ML_vs_PY_combined"] = _chi2(labels, "root_cause", "origin")
    if len(platforms) == 2:
        result[f"barnard_origin_{versus}_in_stage"] = barnard_origin_by_stage(labels, platforms)
        tests = barnard_exception_by_root_cause(labels, platforms, bonferroni_factor)
        result["barnard_exception_type_x_root_cause"] = tests
        result["barnard_bonferroni_factor"] = bonferroni_factor
        result["barnard_bonferroni_significant"] = [t for t in tests if t["corrected_p"] < ALPHA]
    stage_table = prune_small_categories(contingency(labels, "stage", "platform"))
    if stage_table.shape[0] >= 1 and stage_table.shape[1] >= 2:
        pearson, adjusted = residuals(stage_table)
        for platform in stage_table.columns:
            result[f"pearson_residuals_stage_{platform}"] = _column_dict(pearson[platform])
            result[f"adjusted_residuals_stage_{platform}"] = _column_dict(adjusted[platform])
    return result


def barnard_origin_by_stage(labels: pd.DataFrame, platforms: list[str]) -> dict[str, float | None]:
    """Barnard's test of ML/PY origin between the two platforms, within each stage."""
    out: dict[str, float | None] = {}
    for stage in sorted(labels["stage"].unique()):
        subset = labels[labels["stage"] == stage]
        table = pd.crosstab(subset["origin"], subset["platform"])
        table = table.reindex(["ML", "PY"], fill_value=0).reindex(platforms, axis=1, fill_value=0)
        out[stage] = barnard_pvalue(table.to_numpy())
    return out


def barnard_exception_by_root_cause(
    labels: pd.DataFrame, platforms: list[str], factor: int = BONFERRONI_FACTOR
) -> list[dict[str, Any]]:
    """For each exception type and root cause: Barnard's test of the root cause's share between
    the platforms, within the exception type, with the Bonferroni-corrected p-value."""
    tests = []
    for exc in sorted(labels["exception_type"].unique()):
        subset = labels[labels["exception_type"] == exc]
        totals = subset["platform"].value_counts().reindex(platforms, fill_value=0)
        for cause in sorted(labels["root_cause"].unique()):
            hits = subset[subset["root_cause"] == cause]["platform"].value_counts()
            hits = hits.reindex(platforms, fill_value=0)
            p = barnard_pvalue(np.array([hits.to_numpy(), (totals - hits).to_numpy()]))
            if p is None:
                continue
            tests.append({"exception_type": exc, "root_cause": cause, "raw_p": p,
                          "corrected_p": min(1.0, p * factor)})
    return tests


def expand_counts(counts: dict[str, dict[str, int]], column: str) -> pd.DataFrame:
    """Rows of a table from nested counts ``{platform: {code: n}}`` (used by tests and demos)."""
    rows = [(platform, code) for platform, by_code in counts.items()
            for code, n in by_code.items() for _ in range(int(n))]
    return pd.DataFrame(rows, columns=["platform", column])


def _chi2(labels: pd.DataFrame, category: str, group: str) -> float | None:
    if labels.empty:
        return None
    return chi2_pvalue(contingency(labels, category, group))


def clean_labels(labels: pd.DataFrame) -> pd.DataFrame:
    """Keep rows with every needed column filled; codes as upper-case strings."""
    needed = ["platform", *DIMENSIONS]
    missing = [c for c in needed if c not in labels.columns]
    if missing:
        raise ValueError(f"labelled table lacks columns: {', '.join(missing)}")
    frame = labels[needed].dropna().astype(str)
    for dim in DIMENSIONS:
        frame[dim] = frame[dim].str.strip().str.upper()
    frame["platform"] = frame["platform"].str.strip().str.lower()
    return frame[(frame != "").all(axis=1)]


def _ordered(values: Iterable[str]) -> list[str]:
    """Platforms in the study's order (github, kaggle, other), then any others sorted."""
    values = [str(v) for v in values]
    known = [p for p in PLATFORM_ORDER if p in values]
    return known + sorted(v for v in values if v not in PLATFORM_ORDER)


def _column_dict(series: pd.Series) -> dict[str, float]:
    return {str(k): float(v) for k, v in series.items() if not math.isnan(v)}
