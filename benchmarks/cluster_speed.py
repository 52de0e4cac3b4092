"""Speed of the study's exact error-value clustering (issue 5, step 3).

Prints the time to cluster >= 100,000 error values (synthetic ones in the shapes real notebooks
print, plus the real error values of tests/data/crash_labels_dev.csv), then on a subset the
naive all-pairs time and whether both give the same components.

    .venv/bin/python benchmarks/cluster_speed.py [--n 100000] [--subset 12000] [--seed 0]
"""
from __future__ import annotations

import argparse
import csv
import random
import string
import sys
import time
from pathlib import Path

from nbcrash_kernel.study.cluster import cluster_error_values
from nbcrash_kernel.study.errtext import preprocess_error_value, tokens
from nbcrash_kernel.study.jaccard import canonical_labels, jaccard_components, naive_components

DEV_CSV = Path(__file__).resolve().parents[1] / "tests" / "data" / "crash_labels_dev.csv"

# Shapes of error values as notebooks print them; {n} names, {i} numbers, {p} paths,
# {w} plain words (the part that survives preprocessing and makes values distinct).
TEMPLATES = [
    "name '{n}' is not defined",
    "'{n}' object has no attribute '{n}'",
    "module '{n}' has no attribute '{n}'",
    "[Errno 2] No such file or directory: '{p}'",
    "No module named '{n}'",
    "'{n}'",
    "{i}",
    "could not convert string to float: '{w}'",
    "Input contains NaN, infinity or a value too large for dtype('float64').",
    "Found input variables with inconsistent numbers of samples: [{i}, {i}]",
    "shapes ({i},{i}) and ({i},{i}) not aligned: {i} (dim 1) != {i} (dim 0)",
    "operands could not be broadcast together with shapes ({i},) ({i},)",
    "Error when checking input: expected {n} to have {i} dimensions, but got array with shape ({i}, {i})",
    "Unknown label type: '{w}'",
    "{w} {w} {w} is not in index",
    "None of [Index(['{n}', '{n}'], dtype='object')] are in the [columns]",
    "index {i} is out of bounds for axis {i} with size {i}",
    "list index out of range",
    "unsupported operand type(s) for +: '{n}' and '{n}'",
    "{n}() got an unexpected keyword argument '{n}'",
    "{w} {w} expected {w} {w} got {w}",
    "CUDA out of memory. Tried to allocate {i}.{i} MiB (GPU {i}; {i}.{i} GiB total capacity)",
    "Expected {i}D array, got {i}D array instead:\narray={p}.\nReshape your data either using array.reshape(-1, 1)",
    "invalid literal for int() with base 10: '{w}'",
    "the {w} {w} must be {w} not {w}",
    "Cannot {w} a {w} with {w} {w} to a {w}",
    "This {n} instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator.",
    "HTTP Error {i}: {w} {w}",
    "{w} {w} {w} {w} {w} {w}",
]


def _words(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9))) for _ in range(count)]


def synthetic_error_values(n: int, seed: int = 0) -> list[str]:
    """n error values drawn from TEMPLATES with random names, numbers, paths and words."""
    rng = random.Random(seed)
    vocabulary = _words(rng, 3000)
    names = [f"{w}_{rng.randint(0, 99)}" if rng.random() < 0.3 else w for w in _words(rng, 5000)]

    def fill(template: str) -> str:
        out = template
        while "{" in out:
            head, _, rest = out.partition("{")
            key, _, tail = rest.partition("}")
            value = {"n": lambda: rng.choice(names), "i": lambda: str(rng.randint(0, 5000)),
                     "p": lambda: f"data/{rng.choice(names)}.csv",
                     "w": lambda: rng.choice(vocabulary)}[key]()
            out = head + value + tail
        return out

    return [fill(rng.choice(TEMPLATES)) for _ in range(n)]


def dev_error_values() -> list[str]:
    if not DEV_CSV.exists():
        return []
    with DEV_CSV.open(newline="", encoding="utf-8") as handle:
        return [row.get("evalue") or "" for row in csv.DictReader(handle)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--subset", type=int, default=12000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    dev = dev_error_values()
    values = dev + synthetic_error_values(max(0, args.n - len(dev)), args.seed)
    start = time.perf_counter()
    result = cluster_error_values(values)
    elapsed = time.perf_counter() - start
    n_unique = len({p for p in result.processed if p})
    print(f"error values: {len(values)} ({len(dev)} real from the dev csv), "
          f"unique processed values: {n_unique}, clusters: {result.n_clusters}")
    print(f"fast exact clustering (preprocess + components): {elapsed:.2f} s")

    rng = random.Random(args.seed)
    processed = sorted({preprocess_error_value(v) for v in rng.sample(values, min(args.subset, len(values)))} - {""})
    sets = [tokens(p) for p in processed]
    start = time.perf_counter()
    fast = canonical_labels(jaccard_components(sets))
    fast_time = time.perf_counter() - start
    start = time.perf_counter()
    naive = canonical_labels(naive_components(sets))
    naive_time = time.perf_counter() - start
    equal = fast == naive
    print(f"subset: {len(sets)} unique processed values, {len(set(naive))} components")
    print(f"  naive all-pairs: {naive_time:.2f} s; fast: {fast_time:.3f} s; components equal: {equal}")
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
