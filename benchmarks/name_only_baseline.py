"""The exception-name-only baseline, out of fold on dev: how far dev figures carry to unseen crashes.

Usage: python benchmarks/name_only_baseline.py [CSV] [--folds K] [--seeds N]

A model that predicts, for each dimension, the commonest label of the crash's exception name in
the training folds (the commonest label overall for a name it never saw). It has nothing to
overfit but one table, so its random k-fold figure on dev estimates its figure on unseen crashes
of the same study. The team measured this model, fitted on all of dev, on the 378 hidden crashes:
62.2 / 51.9 / 66.7 / 34.4% (exception type / root cause / origin / stage). When the two agree,
dev and the hidden set are alike, and a gap between a rule set's dev figure and its hidden figure
comes from the rules, not from the data.
"""
from __future__ import annotations

import argparse
import csv
import random
from collections import Counter, defaultdict
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "crash_labels_dev.csv"
DIMENSIONS = ("exception_type", "root_cause", "origin", "stage")
HIDDEN = {"exception_type": 62.2, "root_cause": 51.9, "origin": 66.7, "stage": 34.4}


def fit(rows: list[dict], dim: str) -> tuple[dict[str, str], str]:
    """The commonest label per exception name, and overall."""
    per_name: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        per_name[row["ename"].lower()][row[dim]] += 1
    overall = Counter(row[dim] for row in rows).most_common(1)[0][0]
    return {name: counts.most_common(1)[0][0] for name, counts in per_name.items()}, overall


def out_of_fold(rows: list[dict], dim: str, folds: int, seed: int) -> float:
    """Share of rows predicted right by a table fitted on the other folds."""
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    fold_of = {index: position % folds for position, index in enumerate(order)}
    right = 0
    for k in range(folds):
        table, overall = fit([r for i, r in enumerate(rows) if fold_of[i] != k], dim)
        right += sum(table.get(r["ename"].lower(), overall) == r[dim] for i, r in enumerate(rows) if fold_of[i] == k)
    return 100 * right / len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", default=str(DEFAULT))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args(argv)
    with open(args.csv, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    print(f"exception-name-only model on {len(rows)} dev crashes; random {args.folds}-fold, mean of {args.seeds} seeds")
    print(f"{'dimension':16s} {'in-sample':>10s} {'out of fold':>12s} {'hidden (team)':>14s}")
    for dim in DIMENSIONS:
        table, overall = fit(rows, dim)
        in_sample = 100 * sum(table[r["ename"].lower()] == r[dim] for r in rows) / len(rows)
        oof = sum(out_of_fold(rows, dim, args.folds, seed) for seed in range(args.seeds)) / args.seeds
        print(f"{dim:16s} {in_sample:9.1f}% {oof:11.1f}% {HIDDEN[dim]:13.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
