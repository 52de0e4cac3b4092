"""Draw the second blind-labelling sample (labeller B) from the GitHub corpus.

Same enumeration and the same seeded shuffle as sample.py (imported from it). Output sample_b.csv:
- part=overlap: the first 40 rows of sample.csv (relabelled independently, to measure agreement);
- part=new: the next 160 rows in the same shuffled order that are not in sample.csv, at most 2 rows
  per notebook counted over sample.csv and the new part together.
Plain json; no nbcrash import.
"""
import csv
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from sample import SEED, PER_NOTEBOOK, enumerate_rows  # noqa: E402

OUT = HERE / "sample_b.csv"
N_OVERLAP = 40
N_NEW = 160
FIELDS = ["file", "cell_index", "execution_count", "ename"]


def key(r):
    return (r["file"], str(r["cell_index"]), str(r["execution_count"]), r["ename"])


def main():
    with (HERE / "sample.csv").open(newline="") as fh:
        first = list(csv.DictReader(fh))
    first_keys = {key(r) for r in first}
    per_nb = {}
    for r in first:
        per_nb[r["file"]] = per_nb.get(r["file"], 0) + 1

    rows, _ = enumerate_rows()
    rng = random.Random(SEED)
    order = list(range(len(rows)))
    rng.shuffle(order)
    new = []
    for k in order:
        r = rows[k]
        if key(r) in first_keys:
            continue
        f = r["file"]
        if per_nb.get(f, 0) >= PER_NOTEBOOK:
            continue
        per_nb[f] = per_nb.get(f, 0) + 1
        new.append(r)
        if len(new) == N_NEW:
            break

    with OUT.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS + ["part"])
        w.writeheader()
        for r in first[:N_OVERLAP]:
            w.writerow({**{f: r[f] for f in FIELDS}, "part": "overlap"})
        for r in new:
            w.writerow({**{f: r[f] for f in FIELDS}, "part": "new"})
    print(f"{N_OVERLAP} overlap + {len(new)} new rows -> {OUT}")


if __name__ == "__main__":
    main()
