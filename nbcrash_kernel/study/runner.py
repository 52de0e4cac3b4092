"""The study's steps end to end, and the stats/figures/report steps over a labelled table."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Mapping, TextIO

import pandas as pd

from .cluster import run_cluster
from .figures import draw_figures
from .filters import run_filter
from .folder import StudyFolder, write_json
from .ingest import Source, run_ingest
from .label import read_sheet, run_label, run_label_import
from .parallel import Executor
from .report import write_reports
from .sample import run_sample
from .stats import study_statistics


def resolve_labels(target: str | Path) -> tuple[pd.DataFrame, str]:
    """A labelled table from a file, or from a study folder (human labels, else automatic ones)."""
    path = Path(target)
    if path.is_dir():
        folder = StudyFolder(path)
        for candidate in (folder.human_labels, folder.auto_labels):
            if candidate.exists():
                table = pd.read_parquet(candidate)
                if "label_error" in table.columns:  # automatic labels the classifier failed on
                    table = table[table["label_error"].fillna("") == ""]
                if not table.empty:
                    return _with_platform(table, folder), str(candidate)
        raise FileNotFoundError(f"{path} holds no labels: run `nbcrash study label` first")
    return read_sheet(path), str(path)


def _with_platform(table: pd.DataFrame, folder: StudyFolder) -> pd.DataFrame:
    """Fill empty platforms from the crash table (reviewed sheets may omit them)."""
    if folder.crashes.exists() and (table["platform"].astype(str) == "").any():
        platforms = pd.read_parquet(folder.crashes, columns=["crash_id", "platform"]).set_index("crash_id")["platform"]
        missing = table["platform"].astype(str) == ""
        table.loc[missing, "platform"] = table.loc[missing, "crash_id"].map(platforms).fillna("")
    return table


def run_stats(target: str | Path, out: Path | None = None) -> dict[str, Any]:
    labels, origin = resolve_labels(target)
    result = {"labels": origin, **study_statistics(labels)}
    if out is not None:
        write_json(result, out)
    return result


def run_figures(target: str | Path, out_dir: Path) -> list[Path]:
    labels, _ = resolve_labels(target)
    return draw_figures(labels, out_dir)


def run_report(folder: StudyFolder) -> tuple[Path, Path]:
    """Stats and figures from the folder's labels (when any), then both reports."""
    try:
        labels, _ = resolve_labels(folder.root)
    except FileNotFoundError:
        labels = None
    stats = None
    if labels is not None:
        stats = run_stats(folder.root, folder.stats)
        draw_figures(labels, folder.figures)
    return write_reports(folder, labels, stats)


def run_all(folder: StudyFolder, sources: list[Source], executor: Executor | None = None, seed: int = 0,
            p: float | None = None, min_cluster: Mapping[str, int] | None = None,
            reviewed: list[str] | None = None, out: TextIO | None = None) -> int:
    """ingest, filter, cluster, sample, label (and import reviewed sheets), stats, figures, report."""
    out = out or sys.stdout
    folder.ensure()
    for report in (run_ingest(folder, sources, executor), run_filter(folder, executor),
                   run_cluster(folder, executor), run_sample(folder, seed, p, None, min_cluster),
                   run_label(folder, executor)):
        report.print(out)
    if reviewed:
        run_label_import(folder, reviewed).print(out)
    html_path, md_path = run_report(folder)
    print(f"[report] {html_path}\n[report] {md_path}", file=out)
    return 0
