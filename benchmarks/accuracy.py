"""Accuracy of the classifier, record alone (ename, evalue, traceback), on four sets.

Usage: python benchmarks/accuracy.py [CSV] [--json] [--rows]

Per dimension (exception_type, root_cause, origin, stage, and library on the crashes whose
label names one) it prints:

- dev, all rows: IN-SAMPLE, the hand rules were written reading these rows; no estimate;
- dev, open half: in-sample as well (rules may still be written reading it);
- dev, FROZEN half (benchmarks/dev_split.py): the out-of-sample estimate for hand rules, valid
  for rules written after the freeze (2026-12-04) without reading these rows;
- the crash zoo (benchmarks/zoo): real crashes labelled by construction, not study crashes.

and the main confusions (label->predicted count) of each set. ``stage w/o NONE`` is the stage
over the rows not labelled NONE (taxonomy.md: not part of an ML pipeline): the zoo labels its
standard-library crashes so, the study labelled none of its crashes so, and no rule says NONE. ``--json`` prints the same
figures as one JSON object; ``--rows`` prints the wrong rows of the open half and the zoo
(never of the frozen half).
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: benchmarks/ is on the path, the repository is not
    sys.path.insert(0, str(ROOT))

from benchmarks.dev_split import DEV_CSV, split  # noqa: E402
from benchmarks.zoo.records import load_frame  # noqa: E402
from nbcrash_kernel.classify.records import classify_frame  # noqa: E402

DEFAULT = DEV_CSV
DIMENSIONS = ("exception_type", "root_cause", "origin", "stage")
ALL_DIMENSIONS = (*DIMENSIONS, "library")
SET_NOTES = {
    "dev": "in-sample: rules were written reading these rows",
    "dev_open": "in-sample: the half rules may be written from",
    "dev_frozen": ("out-of-sample estimate for hand rules written after the freeze (2026-12-04); "
                   "rules older than the freeze read these rows"),
    "zoo": "crash zoo: real crashes, labelled by construction",
}

# Labellers name some libraries by their umbrella; compare like with like.
LIBRARY_SYNONYMS = {"tensorflow_core": "tensorflow", "tf": "tensorflow", "keras_nlp": "keras_nlp",
                    "fbprophet": "prophet", "Keras": "keras"}


def same_library(predicted: str, label: str) -> bool:
    predicted = LIBRARY_SYNONYMS.get(predicted, predicted)
    label = LIBRARY_SYNONYMS.get(label.strip(), label.strip())
    if predicted == label:
        return True
    return {predicted, label} <= {"keras", "tensorflow"}


def _library_hits(labels: pd.DataFrame, predicted: pd.DataFrame) -> list[bool]:
    named = labels["library"].fillna("").astype(str).str.strip() != ""
    return [same_library(p or "", str(l)) for p, l in zip(predicted.loc[named, "library"], labels.loc[named, "library"])]


def _confusions(labels: pd.DataFrame, predicted: pd.DataFrame, dim: str, top: int = 6) -> list[list]:
    pairs = collections.Counter((l, p) for l, p in zip(labels[dim], predicted[dim]) if l != p)
    return [[l, p, n] for (l, p), n in pairs.most_common(top)]


def _calibration_error(labels: pd.DataFrame, predicted: pd.DataFrame) -> float | None:
    """Expected calibration error of the root cause's confidence (bins of benchmarks/calibrate.py)."""
    from benchmarks.calibrate import reliability

    pairs = list(zip(predicted["confidence"].astype(float), predicted["root_cause"].values == labels["root_cause"].values))
    return reliability(pairs)[1] if pairs else None


def score(labels: pd.DataFrame, predicted: pd.DataFrame) -> dict:
    """Accuracy and confusions per dimension of one labelled set."""
    figures: dict = {"rows": len(labels)}
    for dim in DIMENSIONS:
        hits = predicted[dim].values == labels[dim].values
        figures[dim] = {"n": len(hits), "accuracy": float(hits.mean()) if len(hits) else None,
                        "confusions": _confusions(labels, predicted, dim)}
    # The zoo labels its crashes outside any ML pipeline (the standard library group) with taxonomy.md's
    # stage NONE; the study labelled none of its 746 crashes so (tests/data/study_v2_counts.json) and the
    # classifier never says NONE. Shown beside, not instead of, the stage row: the stage over the rest.
    piped = labels["stage"].values != "NONE"
    hits = predicted["stage"].values[piped] == labels["stage"].values[piped]
    figures["stage_no_none"] = {"n": int(piped.sum()), "accuracy": float(hits.mean()) if len(hits) else None,
                                "confusions": []}
    lib = _library_hits(labels, predicted)
    figures["library"] = {"n": len(lib), "accuracy": sum(lib) / len(lib) if lib else None, "confusions": []}
    figures["root_cause_calibration_error"] = _calibration_error(labels, predicted)
    figures["classifier_errors"] = int(predicted["error"].notna().sum()) if "error" in predicted else 0
    return figures


def labelled_sets(csv: str) -> dict[str, pd.DataFrame]:
    dev = pd.read_csv(csv)
    open_half, frozen_half = split(dev)
    zoo = load_frame().drop(columns=["cell_source"])  # the record alone, as for the dev rows
    return {"dev": dev, "dev_open": open_half, "dev_frozen": frozen_half, "zoo": zoo}


def measure(csv: str) -> tuple[dict, dict[str, tuple[pd.DataFrame, pd.DataFrame]]]:
    sets = labelled_sets(csv)
    results, frames = {}, {}
    for name, labels in sets.items():
        predicted = classify_frame(labels) if len(labels) else pd.DataFrame(columns=[*ALL_DIMENSIONS, "error"])
        frames[name] = (labels, predicted)
        results[name] = {"note": SET_NOTES[name], **score(labels, predicted)}
    return results, frames


def by_group(labels: pd.DataFrame, predicted: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Zoo accuracy per library group and dimension (which kinds of crash the rules miss)."""
    table = {}
    for group, rows in labels.groupby("group").groups.items():
        table[group] = {"rows": len(rows), **{dim: float((predicted.loc[rows, dim] == labels.loc[rows, dim]).mean())
                                              for dim in DIMENSIONS}}
    return table


def print_groups(table: dict) -> None:
    print("zoo by group   " + "".join(f"{dim[:12]:>13}" for dim in DIMENSIONS))
    for group, figures in table.items():
        print(f"  {group:12} " + "".join(f"{figures[dim]:13.1%}" for dim in DIMENSIONS) + f"   ({figures['rows']})")


def _cell(figure: dict) -> str:
    return "   n/a" if figure["accuracy"] is None else f"{figure['accuracy']:6.1%}"


def print_table(results: dict) -> None:
    names = list(results)
    print(f"{'':15}" + "".join(f"{name:>12}" for name in names))
    print(f"{'rows':15}" + "".join(f"{results[n]['rows']:>12}" for n in names))
    for dim in ALL_DIMENSIONS:
        print(f"{dim:15}" + "".join(f"{_cell(results[n][dim]):>12}" for n in names))
    print(f"{'(library n)':15}" + "".join(f"{results[n]['library']['n']:>12}" for n in names))
    print(f"{'stage w/o NONE':15}" + "".join(f"{_cell(results[n]['stage_no_none']):>12}" for n in names)
          + "   (rows labelled NONE, not part of an ML pipeline, left out: "
          + ", ".join(f"{n} {results[n]['rows'] - results[n]['stage_no_none']['n']}" for n in names) + ")")
    print(f"{'confidence ECE':15}" + "".join(f"{results[n]['root_cause_calibration_error'] or 0:12.3f}" for n in names)
          + "   (root cause; reliability per bin: benchmarks/calibrate.py)")
    for name in names:
        print(f"  {name}: {results[name]['note']}")
    for name in names:
        for dim in DIMENSIONS:
            top = ", ".join(f"{l}->{p} {n}" for l, p, n in results[name][dim]["confusions"])
            print(f"confusions {name:10} {dim:15} {top}")
        if results[name]["classifier_errors"]:
            print(f"classifier failed on {results[name]['classifier_errors']} {name} rows (see --rows)")


def print_rows(frames: dict) -> None:
    for name in ("dev_open", "zoo"):
        labels, predicted = frames[name]
        for i, row in labels.iterrows():
            wrong = [d for d in DIMENSIONS if predicted.at[i, d] != row[d]]
            if wrong or (isinstance(predicted.at[i, "error"], str)):
                print(name, row["crash_id"], row["ename"], repr(str(row["evalue"])[:70]),
                      {d: (row[d], predicted.at[i, d]) for d in wrong}, predicted.at[i, "error"] or "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", default=str(DEFAULT))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--rows", action="store_true", help="print the wrong rows of the open half and the zoo")
    args = parser.parse_args(argv)
    results, frames = measure(args.csv)
    results["zoo"]["by_group"] = by_group(*frames["zoo"]) if results["zoo"]["rows"] else {}
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        print(f"dev crashes from {args.csv}; zoo records from benchmarks/zoo/records/zoo.jsonl")
        print_table(results)
        print_groups(results["zoo"]["by_group"])
    if args.rows:
        print_rows(frames)
    return 0


if __name__ == "__main__":
    sys.exit(main())
