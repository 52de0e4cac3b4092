"""Draw the blind-labelling sample of crashes from the GitHub corpus.

Enumerates every error output of every notebook under /work/shared/corpus/github (sorted paths),
one row per error output, and draws a seeded sample of 160 rows, at most 2 per notebook.
Plain json; no nbcrash import. nbformat 3 files (worksheets) are read by flattening the
worksheets' cells in order, which is how nbformat 4 conversion numbers them.
Writes sample.csv next to this file: file, cell_index, execution_count, ename.
"""
import csv
import json
import random
from pathlib import Path

CORPUS = Path("/work/shared/corpus")
ROOT = CORPUS / "github"
OUT = Path(__file__).with_name("sample.csv")
SEED = 20261206
N = 160
PER_NOTEBOOK = 2


def cells_of(nb):
    if "cells" in nb:
        return nb["cells"]
    cells = []
    for ws in nb.get("worksheets", []):  # nbformat 3
        cells.extend(ws.get("cells", []))
    return cells


def enumerate_rows():
    rows, skipped = [], []
    for path in sorted(ROOT.rglob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except Exception as exc:  # unreadable notebook
            skipped.append((str(path), repr(exc)))
            continue
        for i, cell in enumerate(cells_of(nb)):
            if cell.get("cell_type") != "code":
                continue
            ec = cell.get("execution_count", cell.get("prompt_number"))
            for out in cell.get("outputs", []) or []:
                if out.get("output_type") in ("error", "pyerr"):
                    rows.append({
                        "file": str(path.relative_to(CORPUS)),
                        "cell_index": i,
                        "execution_count": "" if ec is None else ec,
                        "ename": out.get("ename", ""),
                    })
    return rows, skipped


def pick(rows, seed, per_notebook, limit=None):
    """Rows in a seeded shuffled order, at most ``per_notebook`` per notebook, the first ``limit``."""
    rng = random.Random(seed)
    order = list(range(len(rows)))
    rng.shuffle(order)
    per_nb, picked = {}, []
    for k in order:
        f = rows[k]["file"]
        if per_nb.get(f, 0) >= per_notebook:
            continue
        per_nb[f] = per_nb.get(f, 0) + 1
        picked.append(rows[k])
        if len(picked) == limit:
            break
    return picked


def main():
    rows, skipped = enumerate_rows()
    picked = pick(rows, SEED, PER_NOTEBOOK, N)
    with OUT.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "cell_index", "execution_count", "ename"])
        w.writeheader()
        w.writerows(picked)
    print(f"{len(rows)} error outputs in {len({r['file'] for r in rows})} notebooks; "
          f"{len(skipped)} unreadable; sampled {len(picked)} -> {OUT}")


if __name__ == "__main__":
    main()
