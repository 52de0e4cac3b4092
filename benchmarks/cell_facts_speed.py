"""Speed of cell facts and library inference.

Prints: analyze_cell (cache bypassed) on a realistic 100-line cell (target: median <= 1 ms) and
on every code cell of the corpus; the cost of the lazily imported IPython transformer; a cache
hit; and infer_origins per corpus notebook (cheap pass, cold and warm cell cache), plus the
astroid fallback on a sample. Run: ``.venv/bin/python benchmarks/cell_facts_speed.py``.
"""
from __future__ import annotations

import ast
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nbcrash_kernel.facts.cells import (  # noqa: E402
    analyze_cell,
    analyze_cell_uncached,
    iter_code_cells,
    transform_ipython,
)
from nbcrash_kernel.facts.cells.analyze import _analyze_cached  # noqa: E402
from nbcrash_kernel.facts.cell_code import parse_python  # noqa: E402
from nbcrash_kernel.facts.inference import infer_origins  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"

REALISTIC_CELL = '''\
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns
from sklearn.model_selection import train_test_split, GridSearchCV
from sklearn.preprocessing import StandardScaler, LabelEncoder
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, classification_report, confusion_matrix

df = pd.read_csv("../input/train.csv")
test = pd.read_csv("../input/test.csv")
print(df.shape, test.shape)
df.head()

df["Age"] = df["Age"].fillna(df["Age"].median())
df["Fare"] = df["Fare"].fillna(df.Fare.mean())
df["Embarked"].fillna("S", inplace=True)
df["FamilySize"] = df["SibSp"] + df["Parch"] + 1
df["IsAlone"] = (df["FamilySize"] == 1).astype(int)
df["Title"] = df.Name.str.extract(r" ([A-Za-z]+)\\.", expand=False)
df["Title"] = df["Title"].replace(["Lady", "Countess", "Capt", "Col"], "Rare")
df = df.drop(columns=["Cabin", "Ticket", "Name"])
df = df.rename(columns={"Pclass": "PassengerClass"})

encoders = {}
for col in ["Sex", "Embarked", "Title"]:
    le = LabelEncoder()
    df[col] = le.fit_transform(df[col].astype(str))
    encoders[col] = le

def add_features(frame, bins=5):
    frame = frame.copy()
    frame["AgeBin"] = pd.cut(frame["Age"], bins=bins, labels=False)
    frame["FareBin"] = pd.qcut(frame["Fare"], q=bins, labels=False, duplicates="drop")
    frame["FarePerPerson"] = frame["Fare"] / frame["FamilySize"]
    return frame

df = add_features(df)
features = [c for c in df.columns if c not in ("Survived", "PassengerId")]
X = df[features]
y = df["Survived"]

X_train, X_val, y_train, y_val = train_test_split(
    X, y, test_size=0.2, random_state=42, stratify=y
)
scaler = StandardScaler()
X_train_s = scaler.fit_transform(X_train)
X_val_s = scaler.transform(X_val)

param_grid = {
    "n_estimators": [100, 200, 400],
    "max_depth": [4, 6, 8, None],
    "min_samples_leaf": [1, 2, 4],
}
search = GridSearchCV(
    RandomForestClassifier(random_state=0, n_jobs=-1),
    param_grid,
    cv=5,
    scoring="accuracy",
)
search.fit(X_train_s, y_train)
best = search.best_estimator_
print("best params:", search.best_params_)

preds = best.predict(X_val_s)
acc = accuracy_score(y_val, preds)
print(f"validation accuracy: {acc:.3f}")
print(classification_report(y_val, preds))

cm = confusion_matrix(y_val, preds)
fig, axes = plt.subplots(1, 2, figsize=(12, 5))
sns.heatmap(cm, annot=True, fmt="d", ax=axes[0])
axes[0].set_title("Confusion matrix")
importances = pd.Series(best.feature_importances_, index=features).sort_values()
importances.plot.barh(ax=axes[1])
axes[1].set_title("Feature importance")
plt.tight_layout()
plt.show()

results = []
for depth in range(2, 10):
    model = RandomForestClassifier(max_depth=depth, random_state=0)
    model.fit(X_train_s, y_train)
    score = model.score(X_val_s, y_val)
    results.append({"depth": depth, "score": score})
    if score > acc:
        print("better at depth", depth)

history = pd.DataFrame(results)
history.plot(x="depth", y="score", marker="o")
plt.show()

test = add_features(test)
test_X = scaler.transform(test[features])
submission = pd.DataFrame({"PassengerId": test["PassengerId"], "Survived": best.predict(test_X)})
submission.to_csv("submission.csv", index=False)
print(submission.head())
'''


def percentiles(samples: list[float]) -> tuple[float, float, float, float]:
    """(min, median, p99, max) in milliseconds."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return ordered[0] * 1e3, statistics.median(ordered) * 1e3, p99 * 1e3, ordered[-1] * 1e3


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def report(label: str, samples: list[float]) -> None:
    best, median, p99, worst = percentiles(samples)
    print(f"{label:<58} n={len(samples):>5}  min {best:7.3f}  median {median:7.3f}  "
          f"p99 {p99:8.3f}  max {worst:7.1f} ms")


def bench_realistic_cell() -> None:
    lines = REALISTIC_CELL.count("\n")
    analyze_cell_uncached(REALISTIC_CELL)  # warm the interpreter, not a cache
    samples = [timed(analyze_cell_uncached, REALISTIC_CELL + f"# {i}\n") for i in range(500)]
    report(f"analyze_cell, realistic {lines}-line cell, distinct sources", samples)
    magic_cell = "%matplotlib inline\n!pip install -q xgboost\n" + REALISTIC_CELL
    transform_ipython(magic_cell)
    samples = [timed(analyze_cell_uncached, magic_cell + f"# {i}\n") for i in range(300)]
    report(f"analyze_cell, same cell + 2 magic lines (IPython transform)", samples)
    analyze_cell(REALISTIC_CELL)
    report("analyze_cell, cache hit", [timed(analyze_cell, REALISTIC_CELL) for _ in range(1000)])


def bench_transformer_import() -> None:
    code = ("import time; t = time.perf_counter(); "
            "from IPython.core.inputtransformer2 import TransformerManager; "
            "print(time.perf_counter() - t)")
    seconds = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                   check=True).stdout)
    print(f"{'lazy import of IPython TransformerManager (cold process)':<58} {seconds * 1e3:8.1f} ms")


def corpus_notebooks() -> list[list[str]]:
    notebooks = []
    for path in sorted(CORPUS.rglob("*.ipynb")):
        try:
            notebooks.append(list(iter_code_cells(json.loads(path.read_text(encoding="utf-8")))))
        except (OSError, ValueError):
            continue
    return notebooks


def bench_corpus(notebooks: list[list[str]]) -> None:
    cells = [source for notebook in notebooks for source in notebook]
    samples = [timed(analyze_cell_uncached, source) for source in cells]
    report("analyze_cell, every corpus code cell", samples)
    big = [t for t, s in zip(samples, cells) if s.count("\n") >= 80]
    if big:
        report("analyze_cell, corpus cells with >= 80 lines", big)
    failed = sum(analyze_cell_uncached(s).syntax_error is not None for s in cells)
    print(f"corpus: {len(notebooks)} notebooks, {len(cells)} code cells, {failed} do not parse")

    cold, warm = [], []
    for notebook in notebooks:
        _analyze_cached.cache_clear()
        parse_python.cache_clear()
        cold.append(timed(infer_origins, notebook))
        warm.append(timed(infer_origins, notebook))  # the notebook's cells are now cached
    report("infer_origins per notebook, cheap pass, cold caches", cold)
    report("infer_origins per notebook, cheap pass, cells cached", warm)
    found = [len(infer_origins(notebook)) for notebook in notebooks]
    print(f"infer_origins: median {statistics.median(found):.0f} names with an origin per notebook")


def bench_astroid(notebooks: list[list[str]], sample: int = 5, budget: float = 30.0) -> None:
    """The astroid fallback alone, on the first notebooks that leave names open."""
    from nbcrash_kernel.facts import inference

    samples, added, asked = [], 0, 0
    for notebook in notebooks:
        if len(samples) == sample:
            break
        propagation = inference._Propagation()
        for source in notebook:
            propagation.run_cell(source)
        open_names = [n for n in propagation.unknown if n not in propagation.origins]
        if not open_names:
            continue
        with inference._ASTROID_LOCK:  # wait for any earlier inference thread to finish
            pass
        start = time.perf_counter()
        found = inference._astroid_origins(notebook, open_names, budget)
        samples.append(time.perf_counter() - start)
        added += len(found)
        asked += len(open_names)
    if samples:
        report(f"astroid fallback alone (budget {budget:.0f} s), {len(samples)} notebooks", samples)
        print(f"astroid fallback: {added} of {asked} open names given a library")


def main() -> None:
    if hasattr(os, "getloadavg"):
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
              f"ast.parse of the realistic cell alone: "
              f"min {min(timed(ast.parse, REALISTIC_CELL) for _ in range(200)) * 1e3:.3f} ms")
    bench_realistic_cell()
    bench_transformer_import()
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}: skipping corpus figures")
        return
    notebooks = corpus_notebooks()
    bench_corpus(notebooks)
    bench_astroid(notebooks)


if __name__ == "__main__":
    main()
