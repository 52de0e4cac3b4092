"""Calibrated confidence: how often each root-cause rule is right, measured, not guessed.

Usage: python benchmarks/calibrate.py [--write]

A diagnosis' ``confidence`` is the chance that its root cause is right. A rule's hand-set
confidence is a guess; here each root-cause rule's hit rate is counted on the labelled crashes
that rules may be written from (the dev set's open half and the crash zoo), shrunk towards the
hand-set value when a rule has decided few crashes:

    p = (hits + K * prior) / (decided + K)

It prints the reliability of both (per confidence bin: crashes, mean confidence, share right,
and the expected calibration error):

- out of fold: grouped 5-fold cross-validation over the open half and the zoo, grouped by error
  cluster (a dev crash's exception name and message with numbers and quoted names blanked; a zoo
  crash's template), so no crash is scored by a rate counted on a near-copy of itself;
- on the frozen dev half (aggregate only, never read row by row), with rates counted on all of
  the open half and the zoo.

``--write`` rewrites ``nbcrash_kernel/knowledge/rule_confidence.py`` (plain data, read by the
engine) from the rates counted on all of the open half and the zoo.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.accuracy import labelled_sets  # noqa: E402
from benchmarks.dev_split import DEV_CSV  # noqa: E402
from nbcrash_kernel.classifier.rules import REGISTRY  # noqa: E402
from nbcrash_kernel.classify.records import classify_frame  # noqa: E402

K = 10.0                     # pseudo-crashes of the hand-set prior (chosen by the out-of-fold error: 2, 4, 10, 20 tried)
FOLDS = 5
BINS = (0.0, 0.4, 0.55, 0.7, 0.85, 1.01)
TABLE = ROOT / "nbcrash_kernel" / "knowledge" / "rule_confidence.py"


def error_cluster(ename: str, evalue: str) -> str:
    """Crashes that differ only in numbers and quoted names fall in one cluster."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'_'", str(evalue)[:200])
    return f"{ename}:{re.sub(r'[0-9]+', '#', text)}"


def observations(sets: dict) -> dict:
    """Per set: (group, deciding root-cause rule, right or not) for each crash."""
    out = {}
    for name in ("dev_open", "dev_frozen", "zoo"):
        labels = sets[name]
        predicted = classify_frame(labels)
        groups = (labels["template"] if name == "zoo"
                  else [error_cluster(e, v) for e, v in zip(labels["ename"], labels["evalue"])])
        rules = [trace["root_cause"]["rule"] for trace in predicted["trace"]]
        right = predicted["root_cause"].values == labels["root_cause"].values
        out[name] = list(zip((f"{name}:{g}" for g in groups), rules, right))
    return out


def prior(rule_id: str) -> float:
    rule = REGISTRY.by_id.get(rule_id)
    return rule.confidence if rule is not None and rule.confidence is not None else 0.5


def fit(rows: list) -> dict[str, tuple[float, int]]:
    """Shrunk hit rate and count per deciding rule."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _, rule, right in rows:
        counts[rule][0] += bool(right)
        counts[rule][1] += 1
    return {rule: ((hits + K * prior(rule)) / (n + K), n) for rule, (hits, n) in counts.items()}


def predict(table: dict, rule: str) -> float:
    return table[rule][0] if rule in table else prior(rule)


def reliability(pairs: list[tuple[float, bool]]) -> tuple[list[tuple], float]:
    """Per bin (low, high, crashes, mean confidence, share right) and the expected calibration error."""
    rows, error = [], 0.0
    for low, high in zip(BINS, BINS[1:]):
        inside = [(c, r) for c, r in pairs if low <= c < high]
        if inside:
            mean = sum(c for c, _ in inside) / len(inside)
            share = sum(r for _, r in inside) / len(inside)
            rows.append((low, min(high, 1.0), len(inside), mean, share))
            error += len(inside) / len(pairs) * abs(mean - share)
    return rows, error


def out_of_fold(rows: list) -> list[tuple[float, float, bool]]:
    """(hand-set, fitted, right) for each crash, the fitted rate counted without its group's fold."""
    groups = sorted({g for g, _, _ in rows})
    fold_of = {g: i % FOLDS for i, g in enumerate(groups)}
    scored = []
    for fold in range(FOLDS):
        table = fit([r for r in rows if fold_of[r[0]] != fold])
        scored += [(prior(rule), predict(table, rule), right) for g, rule, right in rows if fold_of[g] == fold]
    return scored


def print_reliability(title: str, pairs: list[tuple[float, bool]]) -> None:
    rows, error = reliability(pairs)
    print(f"{title}: expected calibration error {error:.3f} over {len(pairs)} crashes")
    for low, high, n, mean, share in rows:
        print(f"    confidence {low:.2f}-{high:.2f}: {n:4} crashes, mean confidence {mean:.2f}, right {share:.1%}")


def write_table(table: dict) -> None:
    lines = ['"""Measured confidence of each root-cause rule: generated by benchmarks/calibrate.py --write.',
             "",
             "Each value is the rule's share of right root causes on the crashes rules may be written",
             "from (the dev set's open half and the crash zoo), shrunk towards the rule's hand-set",
             f"confidence by {K:g} pseudo-crashes; the count is how many crashes the rule decided there.",
             "Rules absent here keep their hand-set confidence. Do not edit by hand.",
             '"""',
             "CONFIDENCE: dict[str, tuple[float, int]] = {"]
    lines += [f"    {rule!r}: ({p:.3f}, {n})," for rule, (p, n) in sorted(table.items())]
    lines.append("}")
    TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {TABLE.relative_to(ROOT)} ({len(table)} rules)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite nbcrash_kernel/knowledge/rule_confidence.py")
    args = parser.parse_args(argv)
    sets = labelled_sets(str(DEV_CSV))
    observed = observations(sets)
    learn = observed["dev_open"] + observed["zoo"]
    scored = out_of_fold(learn)
    print("root-cause confidence, grouped 5-fold out of fold (dev open half + zoo, grouped by error cluster):")
    print_reliability("  hand-set", [(hand, right) for hand, _, right in scored])
    print_reliability("  measured", [(fitted, right) for _, fitted, right in scored])
    table = fit(learn)
    frozen = observed["dev_frozen"]
    print("root-cause confidence on the frozen dev half (rates counted on all of the open half and the zoo):")
    print_reliability("  hand-set", [(prior(rule), right) for _, rule, right in frozen])
    print_reliability("  measured", [(predict(table, rule), right) for _, rule, right in frozen])
    if args.write:
        write_table(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
