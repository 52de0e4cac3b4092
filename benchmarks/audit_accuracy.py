"""Accuracy of `nbcrash audit` with the notebook in view, on the crash zoo; NB / IMPL on the real corpus.

Usage: python benchmarks/audit_accuracy.py [--corpus DIR] [--sample N] [--rows] [--json]

Zoo: each executed notebook of ``benchmarks/zoo/notebooks`` is audited in process by the code path
of ``nbcrash audit --format json`` (``audit_notebook``), and the diagnosis of the recorded crash
(the error output of the record's cell, at its execution count) is scored per dimension against
the case's labels: accuracy, confusions, per zoo group. Beside it, the same crashes classified
from the record alone (ename, evalue, traceback), as ``benchmarks/accuracy.py`` does, so the gain
from the notebook shows. The zoo is labelled by construction; rules written reading zoo cases
make these figures in-sample for them.

Corpus (``--corpus``, default /work/shared/corpus, unlabelled): how many crashes get each root
cause, NB and IMPL by detail, and a sample of NB / IMPL verdicts with their evidence to read.
"""
from __future__ import annotations

import argparse
import collections
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: benchmarks/ is on the path, the repository is not
    sys.path.insert(0, str(ROOT))

from benchmarks.zoo.records import HERE as ZOO, load_records  # noqa: E402
from nbcrash_kernel.audit.notebook import audit_notebook  # noqa: E402

DIMENSIONS = ("exception_type", "root_cause", "stage", "origin")
CORPUS = Path("/work/shared/corpus")
MISSING = "(not found)"


def recorded_crash(report, record: dict) -> dict | None:
    """The audit's diagnosis of the record's crash: its cell's error output at its execution count."""
    crashes = [c for c in report.crashes if c.get("cell_index") == record["cell_index"]]
    exact = [c for c in crashes if c.get("execution_count") == record.get("execution_count")]
    return (exact or crashes or [None])[0]


def audit_zoo(records: list[dict]) -> list[dict | None]:
    """The audit's diagnosis of each record's crash (None when the audit did not report it)."""
    return [recorded_crash(audit_notebook(str(ZOO / record["notebook"])), record) for record in records]


def record_alone(records: list[dict]) -> list[dict]:
    """Each crash classified from its record alone, as ``benchmarks/accuracy.py`` does."""
    from nbcrash_kernel.classify.records import classify_rows

    rows = [{"crash_id": r["crash_id"], "ename": r["ename"], "evalue": r["evalue"], "traceback": r["traceback"]}
            for r in records]
    return list(classify_rows(rows))


def predicted(diagnosis: dict | None, dim: str) -> str:
    return MISSING if diagnosis is None else str(diagnosis.get(dim) or "")


def score(records: list[dict], diagnoses: list[dict | None], top: int = 8) -> dict:
    """Accuracy and the main confusions (label->predicted count) per dimension."""
    figures: dict = {"rows": len(records), "missing": sum(d is None for d in diagnoses)}
    for dim in DIMENSIONS:
        pairs = [(r[dim], predicted(d, dim)) for r, d in zip(records, diagnoses)]
        figures[dim] = _figure(pairs, top)
    return figures


def library_score(records: list[dict], diagnoses: list[dict | None], top: int = 6) -> dict:
    """The library, on the records whose label names one (``accuracy.same_library``: umbrella names match)."""
    from benchmarks.accuracy import same_library

    named = [(str(r["library"]).strip(), "" if d is None else str(d.get("library") or ""))
             for r, d in zip(records, diagnoses) if str(r.get("library") or "").strip()]
    return _figure(named, top, same=lambda label, guess: same_library(guess, label))


def stage_without_none(records: list[dict], diagnoses: list[dict | None]) -> dict:
    """The stage over the records not labelled NONE (taxonomy.md: not part of an ML pipeline; no rule says it)."""
    piped = [(r["stage"], predicted(d, "stage")) for r, d in zip(records, diagnoses) if r["stage"] != "NONE"]
    figure = _figure(piped, 0)
    del figure["confusions"]
    return figure


def _figure(pairs: list[tuple[str, str]], top: int, same=lambda label, guess: label == guess) -> dict:
    hits = sum(same(label, guess) for label, guess in pairs)
    wrong = collections.Counter(p for p in pairs if not same(*p))
    return {"n": len(pairs), "hits": hits, "accuracy": hits / len(pairs) if pairs else None,
            "confusions": [[l, p, n] for (l, p), n in wrong.most_common(top)]}


def by_group(records: list[dict], diagnoses: list[dict | None]) -> dict[str, dict]:
    groups: dict[str, list[int]] = collections.defaultdict(list)
    for i, record in enumerate(records):
        groups[record["group"]].append(i)
    return {group: score([records[i] for i in rows], [diagnoses[i] for i in rows])
            for group, rows in sorted(groups.items())}


def recall(records: list[dict], diagnoses: list[dict | None], dim: str) -> dict[str, str]:
    """Per label of ``dim``: found / total."""
    totals, found = collections.Counter(), collections.Counter()
    for record, diagnosis in zip(records, diagnoses):
        totals[record[dim]] += 1
        found[record[dim]] += record[dim] == predicted(diagnosis, dim)
    return {label: f"{found[label]}/{n}" for label, n in totals.most_common()}


def measure_zoo() -> dict:
    records = load_records()
    audited, alone = audit_zoo(records), record_alone(records)
    return {"records": records, "audit": audited, "alone": alone,
            "figures": {"audit": score(records, audited), "record_alone": score(records, alone)},
            "groups": {"audit": by_group(records, audited), "record_alone": by_group(records, alone)},
            "root_cause_recall": {"audit": recall(records, audited, "root_cause"),
                                  "record_alone": recall(records, alone, "root_cause")}}


def audit_corpus(corpus: Path) -> list[tuple[str, dict]]:
    """``(notebook name, diagnosis)`` for every crash saved in the corpus's notebooks."""
    crashes = []
    for path in sorted(corpus.rglob("*.ipynb")):
        report = audit_notebook(str(path), findings=False)
        crashes.extend((str(path.relative_to(corpus)), crash) for crash in report.crashes)
    return crashes


def corpus_counts(crashes: list[tuple[str, dict]]) -> dict:
    root = collections.Counter(c.get("root_cause") for _, c in crashes)
    details = collections.Counter(c.get("root_cause_detail") for _, c in crashes if c.get("root_cause") in ("NB", "IMPL"))
    return {"crashes": len(crashes), "root_cause": dict(root.most_common()), "nb_impl_details": dict(details.most_common())}


def print_zoo(result: dict) -> None:
    figures, groups = result["figures"], result["groups"]
    print(f"crash zoo: {figures['audit']['rows']} recorded crashes, audited with their executed notebooks "
          f"({figures['audit']['missing']} crashes the audit did not report)")
    print(f"{'':16}{'audit':>10}{'record alone':>14}{'gain':>8}")
    for dim in DIMENSIONS:
        a, r = figures["audit"][dim]["accuracy"], figures["record_alone"][dim]["accuracy"]
        print(f"{dim:16}{a:10.1%}{r:14.1%}{a - r:+8.1%}")
    for name in ("audit", "record_alone"):
        for dim in DIMENSIONS:
            top = ", ".join(f"{l}->{p} {n}" for l, p, n in figures[name][dim]["confusions"])
            print(f"confusions {name:13}{dim:15} {top}")
    for name in ("audit", "record_alone"):
        print(f"root cause recall ({name}): " + ", ".join(f"{k} {v}" for k, v in result["root_cause_recall"][name].items()))
    print("zoo by group (audit / record alone)" + "".join(f"{dim[:14]:>16}" for dim in DIMENSIONS))
    for group in groups["audit"]:
        a, r = groups["audit"][group], groups["record_alone"][group]
        cells = "".join(f"{a[d]['accuracy']:7.0%} /{r[d]['accuracy']:5.0%}  " for d in DIMENSIONS)
        print(f"  {group:12} ({a['rows']:3})                     {cells}")


def print_rows(result: dict) -> None:
    for record, diagnosis in zip(result["records"], result["audit"]):
        wrong = {d: (record[d], predicted(diagnosis, d)) for d in DIMENSIONS if record[d] != predicted(diagnosis, d)}
        if wrong:
            evidence = (diagnosis or {}).get("evidence") or []
            print(record["case"], record["ename"], repr(record["evalue"][:60]), wrong, evidence[:2])


def print_corpus(crashes: list[tuple[str, dict]], counts: dict, sample: int) -> None:
    print(f"\nreal corpus: {counts['crashes']} crashes (unlabelled)")
    print("  root cause: " + ", ".join(f"{k} {v}" for k, v in counts["root_cause"].items()))
    print("  NB / IMPL details: " + ", ".join(f"{k} {v}" for k, v in counts["nb_impl_details"].items()))
    rng = random.Random(12)
    for code in ("NB", "IMPL"):
        chosen = [c for c in crashes if c[1].get("root_cause") == code]
        for name, crash in rng.sample(chosen, min(sample, len(chosen))):
            print(f"  [{code}] {name} cell {crash.get('cell_index')} In [{crash.get('execution_count')}] "
                  f"{crash.get('ename')}: {str(crash.get('evalue'))[:60]!r}")
            print(f"        {crash.get('root_cause_detail')}; evidence: {(crash.get('evidence') or [])[:3]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(CORPUS), help="folder of real notebooks ('' to skip)")
    parser.add_argument("--sample", type=int, default=8, help="NB and IMPL verdicts to print from the corpus")
    parser.add_argument("--rows", action="store_true", help="print the zoo crashes the audit gets wrong")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    result = measure_zoo()
    corpus = Path(args.corpus) if args.corpus else None
    crashes = audit_corpus(corpus) if corpus and corpus.is_dir() else []
    counts = corpus_counts(crashes)
    if args.json:
        print(json.dumps({"zoo": result["figures"], "zoo_by_group": result["groups"],
                          "zoo_root_cause_recall": result["root_cause_recall"], "corpus": counts}, indent=1))
        return 0
    print_zoo(result)
    if args.rows:
        print_rows(result)
    if crashes:
        print_corpus(crashes, counts, args.sample)
    return 0


if __name__ == "__main__":
    sys.exit(main())
