"""Weighed root cause: fit weights over the rules' evidence, measure them out of fold, write them as plain data.

Usage: python benchmarks/weigh_root_cause.py [--write]

For each labelled crash of the dev set's OPEN half and of the crash zoo (never the frozen half's
rows), the features of ``nbcrash_kernel/classifier/weighed_evidence.py`` (which root-cause rules
fire, the exception type, origin, library, stage, message families, traceback facts) feed a
multinomial logistic regression (scikit-learn, here only). It prints, over grouped 5-fold
cross-validation (groups as in benchmarks/calibrate.py: a dev crash's error cluster, a zoo
crash's template), the root-cause accuracy and per-class recall of the hand rules' first match and
of the weighed step at each margin, both run end to end through ``classify_frame`` on the same
folds, and the reliability (expected calibration error) of the weights' probability.

The weighed step is adopted (``ENABLED = True``) only when its out-of-fold accuracy beats the hand
rules' and the frozen dev half's aggregate root-cause accuracy does not fall. ``--write`` rewrites
``nbcrash_kernel/knowledge/root_cause_weights.py`` from the weights fitted on all of the open half
and the zoo.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.accuracy import labelled_sets  # noqa: E402
from benchmarks.calibrate import FOLDS, error_cluster, print_reliability  # noqa: E402
from benchmarks.dev_split import DEV_CSV  # noqa: E402
from nbcrash_kernel.classifier import weighed  # noqa: E402
from nbcrash_kernel.classifier.engine import decide_exception_type  # noqa: E402
from nbcrash_kernel.classifier.rules import REGISTRY, first_match  # noqa: E402
from nbcrash_kernel.classifier.signals import Signals  # noqa: E402
from nbcrash_kernel.classifier.weighed_evidence import features  # noqa: E402
from nbcrash_kernel.classify.records import classify_frame, crash_context  # noqa: E402

TABLE = ROOT / "nbcrash_kernel" / "knowledge" / "root_cause_weights.py"
MARGINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
# The settings below were chosen by the out-of-fold accuracy alone, over a grid (C 0.1, 0.3, 1; dev
# weight 1, 3, 8; the open causes with and without NB, MODEL, UNK; supported or not): see --help.
SETTINGS = SimpleNamespace(
    open=("API", "DATA", "IMPL", "UNK"),  # causes the record alone often leaves open
    c=0.1,                # inverse L2 strength of the regression
    dev_weight=3.0,       # a dev crash counts this many zoo crashes: the study's labelling is the target
    supported=False,      # override the first rule only with a cause another rule that fired gives
    fit_open_only=False,  # fit only on the crashes whose first rule gives an open cause
)


def crash_features(row: dict) -> list[str]:
    ctx = crash_context(row)
    signals = Signals.from_context(ctx)
    decide_exception_type(signals)
    return features(signals, first_match(REGISTRY.for_type(signals.etype.code), signals))


def learning_rows(sets: dict) -> list[dict]:
    """Each open-half and zoo crash: its set, group, features, label and record (for classify_frame)."""
    rows = []
    for name in ("dev_open", "zoo"):
        frame = sets[name]
        for record in frame.to_dict("records"):
            group = record["template"] if name == "zoo" else error_cluster(record["ename"], record["evalue"])
            rows.append({"set": name, "group": f"{name}:{group}", "features": crash_features(record),
                         "label": record["root_cause"], "record": record})
    return rows


def first_cause(row: dict) -> str:
    """The cause the first rule that fired gives (the weights only ever weigh crashes whose cause is open)."""
    return REGISTRY.by_id[row["features"][0].split("=", 1)[1]].code


def fit(rows: list[dict]):
    """(vectorizer, regression) fitted on ``rows``."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if SETTINGS.fit_open_only:
        rows = [r for r in rows if first_cause(r) in SETTINGS.open]
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(r["features"], 1) for r in rows])
    weights = [SETTINGS.dev_weight if r["set"] == "dev_open" else 1.0 for r in rows]
    model = LogisticRegression(C=SETTINGS.c, max_iter=2000)
    model.fit(x, [r["label"] for r in rows], sample_weight=weights)
    return vectorizer, model


def table(vectorizer, model, margin: float, enabled: bool = True) -> SimpleNamespace:
    """The fitted weights in the plain-data form the kernel reads (knowledge/root_cause_weights.py)."""
    names = vectorizer.get_feature_names_out()
    coefficients = {name: tuple(round(float(c), 4) for c in model.coef_[:, j]) for j, name in enumerate(names)}
    return SimpleNamespace(ENABLED=enabled, MARGIN=margin, SUPPORTED=SETTINGS.supported, OPEN=frozenset(SETTINGS.open),
                           CLASSES=tuple(str(c) for c in model.classes_),
                           INTERCEPTS=tuple(round(float(b), 4) for b in model.intercept_),
                           COEFFICIENTS={n: c for n, c in coefficients.items() if any(c)})


def predict_with(weights, frame) -> list[str]:
    """Root causes of ``frame`` classified end to end with these weights (None: the hand rules alone)."""
    saved = weighed.weights
    weighed.weights = weights or SimpleNamespace(ENABLED=False)
    try:
        return list(classify_frame(frame)["root_cause"])
    finally:
        weighed.weights = saved


def folds(rows: list[dict]) -> dict[str, int]:
    groups = sorted({r["group"] for r in rows})
    return {g: i % FOLDS for i, g in enumerate(groups)}


def out_of_fold(rows: list[dict]) -> tuple[dict, list[tuple[float, bool]]]:
    """Per crash: the hand rules' and each margin's root cause; and (weights' top probability, right)."""
    import pandas as pd

    fold_of = folds(rows)
    predicted: dict = {"hand": [None] * len(rows), **{m: [None] * len(rows) for m in MARGINS}}
    reliability = []
    for fold in range(FOLDS):
        train = [r for r in rows if fold_of[r["group"]] != fold]
        held = [i for i, r in enumerate(rows) if fold_of[r["group"]] == fold]
        frame = pd.DataFrame([rows[i]["record"] for i in held])
        vectorizer, model = fit(train)
        probabilities = model.predict_proba(vectorizer.transform([dict.fromkeys(rows[i]["features"], 1) for i in held]))
        for i, p in zip(held, probabilities):
            reliability.append((float(p.max()), model.classes_[p.argmax()] == rows[i]["label"]))
        for key in predicted:
            weights = None if key == "hand" else table(vectorizer, model, key)
            for i, cause in zip(held, predict_with(weights, frame)):
                predicted[key][i] = cause
    return predicted, reliability


def accuracy(predicted: list[str], rows: list[dict], subset: str | None = None) -> float:
    pairs = [(p, r["label"]) for p, r in zip(predicted, rows) if subset is None or r["set"] == subset]
    return sum(p == l for p, l in pairs) / len(pairs)


def recalls(predicted: list[str], rows: list[dict]) -> dict[str, float]:
    totals = Counter(r["label"] for r in rows)
    hits = Counter(r["label"] for p, r in zip(predicted, rows) if p == r["label"])
    return {label: hits[label] / n for label, n in sorted(totals.items())}


def print_out_of_fold(predicted: dict, rows: list[dict]) -> None:
    labels = sorted({r["label"] for r in rows})
    sizes = Counter(r["set"] for r in rows)
    print(f"root cause, grouped {FOLDS}-fold out of fold over dev open half ({sizes['dev_open']}) "
          f"+ zoo ({sizes['zoo']}), end to end:")
    print(f"  {'':12}{'all':>8}{'dev_open':>10}{'zoo':>8}  recall " + " ".join(f"{l:>6}" for l in labels))
    for key, causes in predicted.items():
        name = "hand rules" if key == "hand" else f"margin {key:.1f}"
        recall = recalls(causes, rows)
        print(f"  {name:12}{accuracy(causes, rows):8.1%}{accuracy(causes, rows, 'dev_open'):10.1%}"
              f"{accuracy(causes, rows, 'zoo'):8.1%}         " + " ".join(f"{recall[l]:6.0%}" for l in labels))
    counts = Counter(r["label"] for r in rows)
    print("  (crashes per class: " + ", ".join(f"{l} {counts[l]}" for l in labels) + ")")


def print_overrides(hand: list[str], weighed_causes: list[str], rows: list[dict]) -> None:
    """Where the weights changed the hand rules' cause: per change and set, how many they fixed and broke."""
    changes: dict = {}
    for before, after, row in zip(hand, weighed_causes, rows):
        if before != after:
            counts = changes.setdefault((before, after, row["set"]), [0, 0, 0])
            counts[0] += after == row["label"]
            counts[1] += before == row["label"]
            counts[2] += 1
    print("  changes of the chosen margin (hand -> weighed, set: fixed / broke / changed):")
    for (before, after, name), (fixed, broken, n) in sorted(changes.items(), key=lambda kv: -kv[1][2]):
        print(f"    {before:>5} -> {after:<5} {name:8}: {fixed:3} / {broken:3} / {n:3}")


def frozen_accuracy(frozen, weights) -> float:
    causes = predict_with(weights, frozen)
    return sum(p == l for p, l in zip(causes, frozen["root_cause"])) / len(frozen)


def write_table(weights: SimpleNamespace) -> None:
    lines = ['"""Weights of the weighed root cause: generated by benchmarks/weigh_root_cause.py --write. Do not edit.',
             "",
             "A multinomial logistic regression over the feature names of classifier/weighed_evidence.py,",
             "fitted on the dev set's open half and the crash zoo; read by classifier/weighed.py. ENABLED is",
             "whether it won out of fold and did not lower the frozen half's root-cause accuracy; MARGIN is by",
             "how much its probability must beat the first rule's cause, chosen out of fold.",
             '"""',
             f"ENABLED = {weights.ENABLED}",
             f"MARGIN = {weights.MARGIN}",
             f"SUPPORTED = {weights.SUPPORTED}",
             f"OPEN: frozenset[str] = frozenset({sorted(weights.OPEN)!r})",
             f"CLASSES: tuple[str, ...] = {weights.CLASSES!r}",
             f"INTERCEPTS: tuple[float, ...] = {weights.INTERCEPTS!r}",
             "COEFFICIENTS: dict[str, tuple[float, ...]] = {"]
    lines += [f"    {name!r}: {values!r}," for name, values in sorted(weights.COEFFICIENTS.items())]
    lines.append("}")
    TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {TABLE.relative_to(ROOT)} ({len(weights.COEFFICIENTS)} features, enabled: {weights.ENABLED})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite nbcrash_kernel/knowledge/root_cause_weights.py")
    parser.add_argument("--c", type=float, default=SETTINGS.c, help="inverse L2 strength")
    parser.add_argument("--dev-weight", type=float, default=SETTINGS.dev_weight, help="weight of a dev crash")
    parser.add_argument("--open", default=",".join(SETTINGS.open), help="the causes the weights may decide")
    parser.add_argument("--supported", action="store_true", help="only a cause another fired rule gives")
    parser.add_argument("--fit-open-only", action="store_true", help="fit on the crashes with an open first cause")
    args = parser.parse_args(argv)
    SETTINGS.c, SETTINGS.dev_weight, SETTINGS.supported = args.c, args.dev_weight, args.supported
    SETTINGS.open, SETTINGS.fit_open_only = tuple(args.open.split(",")), args.fit_open_only
    sets = labelled_sets(str(DEV_CSV))
    rows = learning_rows(sets)
    predicted, reliability = out_of_fold(rows)
    print_out_of_fold(predicted, rows)
    print_reliability("weights' top-class probability, out of fold", reliability)
    hand = accuracy(predicted["hand"], rows)
    margin = max(MARGINS, key=lambda m: (accuracy(predicted[m], rows), m))
    print_overrides(predicted["hand"], predicted[margin], rows)
    vectorizer, model = fit(rows)
    final = table(vectorizer, model, margin)
    before, after = frozen_accuracy(sets["dev_frozen"], None), frozen_accuracy(sets["dev_frozen"], final)
    print(f"frozen dev half, root cause (aggregate; weights fitted on all of the open half and the zoo): "
          f"hand rules {before:.1%}, weighed at margin {margin:.1f} {after:.1%}")
    final.ENABLED = accuracy(predicted[margin], rows) > hand and after >= before
    print(f"chosen margin {margin:.1f}: out of fold {accuracy(predicted[margin], rows):.1%} vs hand rules {hand:.1%}; "
          f"adopted: {final.ENABLED}")
    if args.write:
        write_table(final)
    return 0


if __name__ == "__main__":
    sys.exit(main())
