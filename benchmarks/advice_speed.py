"""Speed of the did-you-mean over a large namespace, against difflib over all of it.

Usage: python benchmarks/advice_speed.py [--names N] [--repeat R]

Builds a namespace of N identifiers (random letters and underscores, 3 to 16
long, plus the real target), asks for the closest name to a few misspellings,
and prints the median time per query for ``advice.similar.closest`` and, as the
baseline, ``difflib.get_close_matches`` over the whole namespace. The target is
20 ms per query at 10,000 names.
"""
from __future__ import annotations

import argparse
import difflib
import random
import statistics
import string
import time

QUERIES = {"learnig_rate": "learning_rate", "X_trian": "X_train", "dataframe_clen": "dataframe_clean",
           "lenght": "length", "modle": "model", "PI": "pi"}


def namespace(size: int, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    names = ["".join(rng.choice(string.ascii_lowercase + "_") for _ in range(rng.randint(3, 16)))
             for _ in range(size - len(QUERIES))]
    names.extend(QUERIES.values())
    rng.shuffle(names)
    return names


def timed(function, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    from nbcrash_kernel.advice.similar import closest

    parser = argparse.ArgumentParser()
    parser.add_argument("--names", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    names = namespace(args.names)
    print(f"namespace: {len(names)} names; median of {args.repeat} runs per query")
    print(f"{'query':<18} {'advice':>10} {'difflib':>10}  advice answer / difflib answer")
    worst = 0.0
    for query, meant in QUERIES.items():
        ours = timed(lambda: closest(query, names), args.repeat)
        base = timed(lambda: difflib.get_close_matches(query, names, n=1), args.repeat)
        worst = max(worst, ours)
        theirs = difflib.get_close_matches(query, names, n=1)
        print(f"{query:<18} {ours * 1e3:>8.1f}ms {base * 1e3:>8.1f}ms  {closest(query, names)} / "
              f"{theirs[0] if theirs else None} (meant {meant})")
    print(f"slowest advice query: {worst * 1e3:.1f} ms (target 20 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
