"""Step 7a, figures: the study's figures from a labelled table, as PNG and SVG (matplotlib Agg)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd

from .stats import clean_labels, contingency, prune_small_categories, residuals

FIGURE_NAMES = ("top10_exception_types", "root_causes", "exception_type_x_root_cause",
                "root_causes_ml_vs_python", "stages_by_platform")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _shares(labels: pd.DataFrame, column: str) -> pd.DataFrame:
    """Percent of each platform's crashes per category (columns: platforms)."""
    table = contingency(labels, column, "platform")
    return table / table.sum(axis=0) * 100


def _bars(ax, table: pd.DataFrame, xlabel: str) -> None:
    table.plot.barh(ax=ax, width=0.8)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.legend(title="")


def top10_exception_types(labels: pd.DataFrame, ax) -> None:
    shares = _shares(labels, "exception_type")
    top = labels["exception_type"].value_counts().head(10).index
    _bars(ax, shares.loc[top], "% of crashes")
    ax.set_title("Top-10 exception types")


def root_causes(labels: pd.DataFrame, ax) -> None:
    shares = _shares(labels, "root_cause")
    _bars(ax, shares.loc[labels["root_cause"].value_counts().index], "% of crashes")
    ax.set_title("Root causes")


def exception_type_x_root_cause(labels: pd.DataFrame, ax) -> None:
    table = pd.crosstab(labels["exception_type"], labels["root_cause"])
    table = table.loc[table.sum(axis=1).sort_values(ascending=False).index]
    image = ax.imshow(table.to_numpy(), cmap="Blues", aspect="auto")
    ax.set_xticks(range(table.shape[1]), table.columns, rotation=45, ha="right")
    ax.set_yticks(range(table.shape[0]), table.index)
    for (i, j), value in pd.DataFrame(table.to_numpy()).stack().items():
        if value:
            ax.text(j, i, str(value), ha="center", va="center", fontsize=7)
    ax.figure.colorbar(image, ax=ax, label="crashes")
    ax.set_title("Exception type x root cause")


def root_causes_ml_vs_python(labels: pd.DataFrame, ax) -> None:
    table = contingency(labels, "root_cause", "origin")
    _bars(ax, table / table.sum(axis=0) * 100, "% of crashes of that origin")
    ax.set_title("Root causes of ML vs Python crashes")


def stages_by_platform(labels: pd.DataFrame, ax) -> None:
    shares = _shares(labels, "stage")
    _bars(ax, shares, "% of crashes")
    pruned = prune_small_categories(contingency(labels, "stage", "platform"))
    if pruned.shape[0] >= 1 and pruned.shape[1] >= 2:
        _, adjusted = residuals(pruned)
        platforms = list(shares.columns)
        for row, stage in enumerate(shares.index):
            if stage in adjusted.index:
                text = ", ".join(f"{p}: {adjusted.loc[stage, p]:+.2f}" for p in platforms if p in adjusted.columns)
                ax.text(shares.loc[stage].max() + 1, row, f"adj. res. {text}", va="center", fontsize=7)
    ax.set_title("Pipeline stages by platform (adjusted residuals)")


DRAWERS: dict[str, Callable] = {name: globals()[name] for name in FIGURE_NAMES}


def draw_figures(labels: pd.DataFrame, out_dir: Path) -> list[Path]:
    """Draw every figure as PNG and SVG in ``out_dir``; the paths written."""
    plt = _pyplot()
    out_dir.mkdir(parents=True, exist_ok=True)
    labels = clean_labels(labels)
    written = []
    for name, draw in DRAWERS.items():
        if labels.empty:
            break
        fig, ax = plt.subplots(figsize=(9, 6))
        try:
            draw(labels, ax)
            fig.tight_layout()
            for suffix in ("png", "svg"):
                path = out_dir / f"{name}.{suffix}"
                fig.savefig(path, dpi=120, metadata={"Date": None} if suffix == "svg" else None)
                written.append(path)
        finally:
            plt.close(fig)
    return written

