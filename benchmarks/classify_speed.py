"""Throughput of ``nbcrash classify`` on one core: records per second.

Usage: python benchmarks/classify_speed.py [CSV] [--repeat N]

Classifies the dev set's records N times (each time with fresh caches off for
the classifier itself) and prints records/s for the classifier alone and for
the whole command (reading CSV + classifying + writing JSONL).
"""
from __future__ import annotations

import argparse
import io
import os
import subprocess
import tempfile
import sys
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "crash_labels_dev.csv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv", nargs="?", default=str(DEFAULT))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    from nbcrash_kernel.classify.records import classify_rows, read_records, write_records

    rows = read_records(args.csv).to_dict("records")
    start = time.process_time()
    for _ in range(200):
        sum(range(10_000))
    print(f"machine: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; fixed Python loop "
          f"{(time.process_time() - start) * 1e3:.0f} ms (lower is faster: the machine's speed now)")
    list(classify_rows(rows[:5]))  # warm the imports
    cpu = time.process_time()
    start = time.perf_counter()
    for _ in range(args.repeat):
        records = list(classify_rows(rows))
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    total = len(rows) * args.repeat
    print(f"classifier: {total} records in {elapsed:.2f} s = {total / elapsed:,.0f} records/s (one core, wall clock)")
    print(f"classifier: {cpu:.2f} s of CPU = {total / cpu:,.0f} records/s per core (CPU time: "
          f"what an idle core gives; load average now {os.getloadavg()[0]:.1f})")
    sink = io.StringIO()
    start = time.perf_counter()
    write_records(records, None, sink)
    print(f"JSONL writing: {len(records) / (time.perf_counter() - start):,.0f} records/s")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / "labels.jsonl")
        subprocess.run([sys.executable, "-m", "nbcrash_kernel", "classify", args.csv, "-o", out], check=True)
    wall = time.perf_counter() - start
    print(f"whole command (start-up included): {len(rows)} records in {wall:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
