"""Step 3, cluster: crashes grouped by the similarity of their preprocessed error values.

Distinct processed values are linked when the Jaccard similarity of their word sets is at
least 0.7; clusters are the connected components; every crash with an empty processed value
falls in one extra cluster. Clusters are numbered 0, 1, ... by decreasing size (ties: the
smallest processed value first), so reruns give the same numbers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from .errtext import preprocess_error_value, tokens
from .folder import StudyFolder, read_table, write_table
from .jaccard import DEFAULT_THRESHOLD, jaccard_components
from .parallel import Executor, map_items
from .stepreport import StepReport


@dataclass
class ClusterResult:
    processed: list[str]
    cluster: list[int]
    n_clusters: int


def cluster_processed_values(processed: Sequence[str], threshold=DEFAULT_THRESHOLD) -> list[int]:
    """A cluster number per processed value (see the module docstring for the numbering)."""
    unique = sorted({p for p in processed if p})
    labels = jaccard_components([tokens(p) for p in unique], threshold)
    label_of = dict(zip(unique, labels))
    empty_label = object()
    raw = [label_of[p] if p else empty_label for p in processed]
    sizes: dict[object, int] = {}
    first: dict[object, str] = {}
    for label, value in zip(raw, processed):
        sizes[label] = sizes.get(label, 0) + 1
        first[label] = min(first.get(label, value), value)
    ordered = sorted(sizes, key=lambda lab: (-sizes[lab], first[lab]))
    number = {lab: i for i, lab in enumerate(ordered)}
    return [number[lab] for lab in raw]


def cluster_error_values(values: Sequence[object], executor: Executor | None = None,
                         threshold=DEFAULT_THRESHOLD) -> ClusterResult:
    """Preprocess error values (on the executor) and cluster them."""
    processed = map_items(preprocess_error_value, list(values), executor, desc="preprocess")
    clusters = cluster_processed_values(processed, threshold)
    return ClusterResult(processed, clusters, len(set(clusters)))


def run_cluster(folder: StudyFolder, executor: Executor | None = None) -> StepReport:
    """Read crashes.parquet, write clusters.parquet (one row a crash)."""
    crashes = read_table(folder.crashes)
    report = StepReport("cluster")
    result = cluster_error_values(crashes["evalue"].tolist(), executor)
    table = pd.DataFrame({
        "crash_id": crashes["crash_id"], "platform": crashes["platform"],
        "evalue": crashes["evalue"], "processed": result.processed, "cluster": result.cluster,
    })
    table["cluster_size"] = table.groupby("cluster")["crash_id"].transform("size")
    write_table(table, folder.clusters)
    n_empty = int((table["processed"] == "").sum())
    report.count("crashes clustered", "crashes", len(table), 0)
    report.notes.update({
        "n_clusters": result.n_clusters,
        "n_unique_processed_values": int(table.loc[table["processed"] != "", "processed"].nunique()),
        "n_crashes_with_empty_processed_value": n_empty,
        "largest_clusters": _largest(table),
    })
    report.save(folder.step_report("cluster"))
    return report


def _largest(table: pd.DataFrame, top: int = 10) -> list[dict]:
    summary = (table.groupby("cluster")
               .agg(size=("crash_id", "size"), example=("processed", "first"))
               .sort_values("size", ascending=False).head(top))
    return [{"cluster": int(c), "size": int(r["size"]), "example": r["example"]} for c, r in summary.iterrows()]
