"""Out-of-sample accuracy on real crashes labelled blind: the corpus samples of benchmarks/corpus_labels.

Usage: python benchmarks/corpus_accuracy.py [--corpus DIR] [--labels CSV ...] [--json]

The labels were written by reading the notebooks and the taxonomy only, without running nbcrash
(benchmarks/corpus_labels/README.md), and no rule is written reading these rows: the figures are
an out-of-sample estimate for every rule, old or new. Each labelled crash is diagnosed twice:

- record alone (ename, evalue, traceback of the saved error output), as ``accuracy.py`` does;
- through the audit (``nbcrash audit``'s code path, the whole notebook in view).

Two labellers worked independently (labels.csv, then labels_b.csv); the second also relabelled
40 crashes of the first sample (rows with ``part`` = overlap), which measure how often two blind
labellers agree, and are not counted twice. Only aggregate figures are printed (accuracy per
dimension, on all rows and on the rows the labeller marked sure, the labellers' agreement and the
commonest confusions); there is deliberately no option to print rows. The notebooks stay in ../shared/corpus (read in place); without it the script says so.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: benchmarks/ is on the path, the repository is not
    sys.path.insert(0, str(ROOT))

from benchmarks.audit_accuracy import DIMENSIONS, library_score, score as score_dimensions

LABELS = (ROOT / "benchmarks" / "corpus_labels" / "labels.csv", ROOT / "benchmarks" / "corpus_labels" / "labels_b.csv")
CORPUS = ROOT.parent / "shared" / "corpus"


def read_labels(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row.get("exception_type")]


def load_labels(*paths: Path) -> list[dict]:
    """The labelled crashes of every file, each once (a later file's ``overlap`` rows are left out)."""
    return [row for path in paths for row in read_labels(path) if row.get("part", "") != "overlap"]


def agreement(*paths: Path) -> dict:
    """How often the second labeller's overlap labels equal the first labeller's, per dimension."""
    first = {(r["file"], r["cell_index"]): r for path in paths for r in read_labels(path) if r.get("part", "") != "overlap"}
    pairs = [(first[key], row) for path in paths for row in read_labels(path)
             if row.get("part") == "overlap" and (key := (row["file"], row["cell_index"])) in first]
    figures: dict = {"rows": len(pairs)}
    for dim in (*DIMENSIONS, "library"):
        figures[dim] = sum(a[dim] == b[dim] for a, b in pairs) / len(pairs) if pairs else None
    return figures


def _cells(notebook: dict) -> list[dict]:
    if "cells" in notebook:
        return notebook["cells"]
    return [cell for sheet in notebook.get("worksheets", []) for cell in sheet.get("cells", [])]


def error_output(corpus: Path, label: dict) -> dict | None:
    """The labelled crash's saved error output (the first one of its cell with the labelled ename)."""
    notebook = json.loads((corpus / label["file"]).read_text(encoding="utf-8"))
    cells = _cells(notebook)
    index = int(label["cell_index"])
    if index >= len(cells):
        return None
    errors = [o for o in cells[index].get("outputs", []) if o.get("output_type") in ("error", "pyerr")]
    same = [o for o in errors if o.get("ename") == label.get("ename")]
    return (same or errors or [None])[0]


def record_alone(corpus: Path, labels: list[dict]) -> list[dict | None]:
    from nbcrash_kernel.classify.records import classify_row

    diagnoses: list[dict | None] = []
    for label in labels:
        output = error_output(corpus, label)
        diagnoses.append(None if output is None else classify_row(
            {"crash_id": f"{label['file']}#{label['cell_index']}", "ename": output.get("ename", ""),
             "evalue": output.get("evalue", ""), "traceback": output.get("traceback", [])}))
    return diagnoses


def audited(corpus: Path, labels: list[dict]) -> list[dict | None]:
    from nbcrash_kernel.audit.notebook import audit_notebook

    reports: dict[str, object] = {}
    diagnoses: list[dict | None] = []
    for label in labels:
        if label["file"] not in reports:
            reports[label["file"]] = audit_notebook(str(corpus / label["file"]), findings=False)
        crashes = [c for c in reports[label["file"]].crashes if str(c.get("cell_index")) == label["cell_index"]]
        diagnoses.append(crashes[0] if crashes else None)
    return diagnoses


def score(labels: list[dict], diagnoses: list[dict | None], top: int = 6) -> dict:
    """audit_accuracy's accuracy and confusions per dimension, and the library on the labels that name one."""
    figures = score_dimensions(labels, diagnoses, top)
    figures["library"] = library_score(labels, diagnoses, top)
    return figures


def measure(corpus: Path, labels: list[dict]) -> dict:
    sure = [i for i, label in enumerate(labels) if label.get("sure", "").strip().lower() == "yes"]
    result = {}
    for name, diagnoses in (("record_alone", record_alone(corpus, labels)), ("audit", audited(corpus, labels))):
        result[name] = {"all": score(labels, diagnoses),
                        "sure": score([labels[i] for i in sure], [diagnoses[i] for i in sure])}
    return result


def print_result(result: dict) -> None:
    rows = result["record_alone"]["all"]["rows"]
    sure = result["record_alone"]["sure"]["rows"]
    print(f"real corpus crashes labelled: {rows} ({sure} marked sure); out-of-sample for every rule when the labels are the blind ones")
    agreed = result.get("agreement") or {}
    if agreed.get("rows"):
        print(f"two blind labellers agree on {agreed['rows']} crashes both labelled: " + ", ".join(
            f"{dim} {agreed[dim]:.1%}" for dim in (*DIMENSIONS, "library")))
    print(f"{'':16}{'record alone':>14}{'(sure)':>9}{'audit':>9}{'(sure)':>9}")
    for dim in (*DIMENSIONS, "library"):
        cells = [result[name][subset][dim]["accuracy"] for name in ("record_alone", "audit") for subset in ("all", "sure")]
        print(f"{dim:16}" + "".join(f"{c:>{w}.1%}" if c is not None else f"{'-':>{w}}" for c, w in zip(cells, (14, 9, 9, 9))))
    print(f"{'(library n)':16}{result['record_alone']['all']['library']['n']:>14}")
    missing = result["audit"]["all"]["missing"]
    if missing:
        print(f"({missing} labelled crashes the audit did not report)")
    for name in ("record_alone", "audit"):
        for dim in DIMENSIONS:
            top = ", ".join(f"{a}->{b} {n}" for a, b, n in result[name]["all"][dim]["confusions"])
            print(f"confusions {name:13}{dim:15} {top}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(CORPUS), help="folder of the corpus notebooks")
    parser.add_argument("--labels", nargs="+", default=[str(p) for p in LABELS], help="CSVs of blind labels")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    corpus, labels_paths = Path(args.corpus), [Path(p) for p in args.labels]
    missing = [str(p) for p in labels_paths if not p.is_file()]
    if missing:
        print(f"corpus_accuracy: no labels at {', '.join(missing)}", file=sys.stderr)
        return 2
    if not corpus.is_dir():
        print(f"corpus_accuracy: the corpus is not at {corpus} (it is not in the repository; pass --corpus)",
              file=sys.stderr)
        return 2
    result = measure(corpus, load_labels(*labels_paths))
    result["agreement"] = agreement(*labels_paths)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print_result(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
