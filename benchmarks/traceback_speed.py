"""Parsing speed of saved tracebacks, and the cost of pathological ones.

Prints: records/s for every traceback of ``crash_labels_dev.csv`` and every
error output of the corpus (best of several passes, CPU time of one core,
with cold and warm path caches; the cache of parsed tracebacks is emptied
before every pass, so parsing is what is measured); the time for a 10 MB
traceback, a 3000-frame recursion traceback and a live 3000-frame
RecursionError; and, to compare machines, the time of a fixed pure-Python loop.

    .venv/bin/python benchmarks/traceback_speed.py
"""
from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

from nbcrash_kernel.record import tracebacks
from nbcrash_kernel.record.tracebacks import from_exception, parse_traceback, paths

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEV_CSV = Path(__file__).resolve().parents[1] / "tests" / "data" / "crash_labels_dev.csv"
PASSES = 7


def dev_tracebacks() -> list[list[str]]:
    with DEV_CSV.open(newline="", encoding="utf-8") as handle:
        return [json.loads(row["traceback"]) for row in csv.DictReader(handle)]


def corpus_tracebacks() -> list[list[str]]:
    found = []
    for path in sorted((SHARED / "corpus").rglob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook.get("cells") or []:
            for output in cell.get("outputs") or []:
                if output.get("output_type") == "error":
                    found.append(output.get("traceback") or [])
    return found


def clear_caches() -> None:
    paths.library_of_path.cache_clear()
    paths._file_kind.cache_clear()


def records_per_second(records: list, *, cold: bool) -> float:
    best = float("inf")
    for _ in range(PASSES):
        tracebacks.clear_parse_cache()  # measure parsing, not the cache of parsed lists
        if cold:
            clear_caches()
        start = time.process_time()
        for record in records:
            parse_traceback(record)
        best = min(best, time.process_time() - start)
    return len(records) / best


def seconds(action) -> float:
    start = time.process_time()
    action()
    return time.process_time() - start


def python_loop_ms() -> float:
    """A fixed pure-Python workload: compares this machine with others."""
    start = time.process_time()
    for _ in range(200):
        sum(range(10_000))
    return (time.process_time() - start) * 1e3


def recursion_error() -> RecursionError:
    def recurse(n: int) -> int:
        return recurse(n + 1)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(3000)
    try:
        recurse(0)
    except RecursionError as error:
        return error
    finally:
        sys.setrecursionlimit(limit)
    raise AssertionError("no RecursionError")


def main() -> None:
    print(f"machine: fixed Python loop {python_loop_ms():.0f} ms (lower is faster)")
    for name, records in (("dev labels", dev_tracebacks()), ("corpus", corpus_tracebacks())):
        lines = sum(len("\n".join(r).splitlines()) for r in records) / max(1, len(records))
        cold = records_per_second(records, cold=True)
        warm = records_per_second(records, cold=False)
        print(f"{name:>10}: {len(records)} tracebacks, {lines:.0f} lines each on average: "
              f"{cold:,.0f} records/s (cold caches), {warm:,.0f} records/s (warm)")

    frame = "/opt/conda/lib/python3.7/site-packages/pandas/core/frame.py in f(x)\n--> 10     g(x)\n"
    huge = "<ipython-input-1-ab> in <module>\n----> 1 f(1)\n" + frame * (10_000_000 // len(frame))
    huge += "ValueError: boom\n"
    print(f"10 MB traceback string: {seconds(lambda: parse_traceback(huge)) * 1e3:.0f} ms")
    deep = ["Cell In[1], line 3\n----> 3 r(0)\n"]
    deep += ["Cell In[1], line 2, in r(n)\n      1 def r(n):\n----> 2     return r(n+1)\n"] * 3000
    deep += ["RecursionError: maximum recursion depth exceeded"]
    print(f"3000-frame traceback text: {seconds(lambda: parse_traceback(deep)) * 1e3:.0f} ms")
    error = recursion_error()
    print(f"live RecursionError (~3000 frames): {seconds(lambda: from_exception(error)) * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
