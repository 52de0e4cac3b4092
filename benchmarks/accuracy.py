"""Accuracy of the classifier on the study's labelled crashes (record alone).

Usage: python benchmarks/accuracy.py [CSV] [--rows]

Prints per-dimension accuracy (exception_type, root_cause, origin, stage, and
library on the crashes whose label names one) and the main confusions.

When the study's counts (study_v2_counts.json) lie beside the CSV, it also
estimates the accuracy on the hidden half of the study's labelled crashes:
the hidden half's label mix is the study's counts minus this CSV's, so each
dev recall per platform and label is weighted by how often that label occurs
there. An estimate, not a measurement: it assumes the hidden crashes of one
label are as hard as the dev ones.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

import pandas as pd

from nbcrash_kernel.classify_records import classify_frame

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "crash_labels_dev.csv"
DIMENSIONS = ("exception_type", "root_cause", "origin", "stage")
COUNTS_FILE = "study_v2_counts.json"

# Labellers name some libraries by their umbrella; compare like with like.
LIBRARY_SYNONYMS = {"tensorflow_core": "tensorflow", "tf": "tensorflow", "keras_nlp": "keras_nlp",
                    "fbprophet": "prophet", "Keras": "keras"}


def same_library(predicted: str, label: str) -> bool:
    predicted = LIBRARY_SYNONYMS.get(predicted, predicted)
    label = LIBRARY_SYNONYMS.get(label.strip(), label.strip())
    if predicted == label:
        return True
    return {predicted, label} <= {"keras", "tensorflow"}


def hidden_half_estimate(labels: pd.DataFrame, predicted: pd.DataFrame, dim: str,
                         study_counts: dict[str, dict[str, int]]) -> float:
    """Dev recall per (platform, label), weighted by the labels' counts in the study minus dev."""
    hits = predicted[dim].values == labels[dim].values
    overall = hits.mean()
    by_label = {label: hits[(labels[dim] == label).values].mean()
                for label in labels[dim].unique()}
    weighted = total = 0.0
    for platform, label_counts in study_counts.items():
        on_platform = (labels["platform"] == platform).values
        for label, count in label_counts.items():
            rows = on_platform & (labels[dim] == label).values
            hidden = count - rows.sum()
            if hidden <= 0:
                continue
            recall = hits[rows].mean() if rows.any() else by_label.get(label, overall)
            weighted += hidden * recall
            total += hidden
    return weighted / total if total else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", default=str(DEFAULT))
    parser.add_argument("--rows", action="store_true", help="print every wrong row")
    args = parser.parse_args(argv)
    labels = pd.read_csv(args.csv)
    predicted = classify_frame(labels)
    print(f"{len(labels)} crashes from {args.csv}")
    for dim in DIMENSIONS:
        hits = (predicted[dim].values == labels[dim].values)
        print(f"{dim:15} {hits.mean():6.1%}")
    named = labels["library"].fillna("").str.strip() != ""
    lib_hits = [same_library(p or "", l) for p, l in zip(predicted.loc[named, "library"], labels.loc[named, "library"])]
    print(f"{'library':15} {sum(lib_hits) / max(1, len(lib_hits)):6.1%}  (of {len(lib_hits)} labelled with a library)")
    counts = Path(args.csv).with_name(COUNTS_FILE)
    if counts.is_file() and "platform" in labels:
        study = json.loads(counts.read_text())["counts"]
        estimates = ", ".join(f"{dim} {hidden_half_estimate(labels, predicted, dim, study[dim]):.1%}"
                              for dim in DIMENSIONS if dim in study)
        print(f"estimated on the hidden half (dev recall weighted by its label mix): {estimates}")
    for dim in DIMENSIONS:
        pairs = collections.Counter(
            (l, p) for l, p in zip(labels[dim], predicted[dim]) if l != p)
        top = ", ".join(f"{l}->{p} {n}" for (l, p), n in pairs.most_common(6))
        print(f"confusions {dim:15} {top}")
    if args.rows:
        for i, row in labels.iterrows():
            wrong = [d for d in DIMENSIONS if predicted.at[i, d] != row[d]]
            if wrong:
                print(i, row["ename"], repr(str(row["evalue"])[:70]),
                      {d: (row[d], predicted.at[i, d]) for d in wrong})
    return 0


if __name__ == "__main__":
    sys.exit(main())
