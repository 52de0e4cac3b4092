"""Accuracy of the classifier on the study's labelled crashes (record alone).

Usage: python benchmarks/accuracy.py [CSV] [--rows]

Prints per-dimension accuracy (exception_type, root_cause, origin, stage, and
library on the crashes whose label names one) and the main confusions.
"""
from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import pandas as pd

from nbcrash_kernel.classify_records import classify_frame

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "crash_labels_dev.csv"
DIMENSIONS = ("exception_type", "root_cause", "origin", "stage")

# Labellers name some libraries by their umbrella; compare like with like.
LIBRARY_SYNONYMS = {"tensorflow_core": "tensorflow", "tf": "tensorflow", "keras_nlp": "keras_nlp",
                    "fbprophet": "prophet", "Keras": "keras"}


def same_library(predicted: str, label: str) -> bool:
    predicted = LIBRARY_SYNONYMS.get(predicted, predicted)
    label = LIBRARY_SYNONYMS.get(label.strip(), label.strip())
    if predicted == label:
        return True
    return {predicted, label} <= {"keras", "tensorflow"}


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
