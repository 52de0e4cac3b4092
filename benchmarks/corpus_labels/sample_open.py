"""Draw the OPEN real-crash sample from the GitHub corpus.

Every error output of the notebooks under /work/shared/corpus/github that have no row in
sample.csv nor sample_b.csv (the blind samples), at most 2 per notebook, chosen with
random.Random(20261207). Plain json; no nbcrash import (the enumeration comes from sample.py).
Writes sample_open.csv next to this file: file, cell_index, execution_count, ename.
"""
import csv
from pathlib import Path

from sample import enumerate_rows, pick

HERE = Path(__file__).parent
OUT = HERE / "sample_open.csv"
SEED = 20261207
PER_NOTEBOOK = 2


def blind_files():
    files = set()
    for name in ("sample.csv", "sample_b.csv"):
        with (HERE / name).open() as fh:
            files.update(r["file"] for r in csv.DictReader(fh))
    return files


def main():
    rows, skipped = enumerate_rows()
    blind = blind_files()
    rows = [r for r in rows if r["file"] not in blind]
    picked = pick(rows, SEED, PER_NOTEBOOK)
    picked.sort(key=lambda r: (r["file"], r["cell_index"]))
    with OUT.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "cell_index", "execution_count", "ename"])
        w.writeheader()
        w.writerows(picked)
    print(f"{len(rows)} error outputs in {len({r['file'] for r in rows})} open notebooks "
          f"({len(blind)} blind notebooks excluded, {len(skipped)} unreadable); "
          f"sampled {len(picked)} -> {OUT}")


if __name__ == "__main__":
    main()
