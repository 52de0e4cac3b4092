"""How much a model learned from the labels could add to the hand-set rules (stage, origin).

Usage: python benchmarks/accuracy_ceiling.py [CSV]

Two learned baselines, each scored by 10-fold stratified cross-validation (repeated over
seeds) so that no crash is predicted by a model that saw its label:

1. Stage, re-weighted evidence: the per-stage scores of each evidence source the stage rules
   use (failing line, cell line, the crash's visible cell code, library frames, exception-type
   prior, library prior) become 36 features of a multinomial logistic regression.
2. Stage and origin, words + rules: TF-IDF of the record's code words (failing line, cell line,
   visible cell code, exception name, libraries in the traceback) plus the rules' own verdict
   as a one-hot feature, in a logistic regression: what any word the rules ignore could add.

Also printed: the rules' stage accuracy by how clearly the best stage wins (score margin),
which shows how much of the rest is labellers disagreeing.
"""
from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from nbcrash_kernel.classifier import classify
from nbcrash_kernel.classifier.signals import Signals
from nbcrash_kernel.classifier.stages import _LIBRARY_PRIOR, _TYPE_PRIOR, classify_stage
from nbcrash_kernel.classify.records import crash_context
from nbcrash_kernel.knowledge.pipeline import score_cell, score_library_frames, score_stages

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "crash_labels_dev.csv"
STAGES = ("ENVS", "DATAP", "DATAV", "MCONS", "TRAIN", "EVAL")


def _features(signals: Signals, exception_type: str) -> list[float]:
    cell_line = signals.cell_line if signals.cell_line != signals.crashing_line else ""
    sources = [score_stages(signals.crashing_line, 1.0, {}), score_stages(cell_line, 1.0, {}),
               score_cell(signals.code_context, 1.0, {}), score_library_frames(signals.frames, 1.0, {})]
    prior = _TYPE_PRIOR.get(exception_type)
    sources.append({prior[0]: prior[1]} if prior else {})
    library = _LIBRARY_PRIOR.get(signals.libraries[0]) if signals.libraries else None
    sources.append({library[0]: library[1]} if library else {})
    return [source.get(stage, 0.0) for source in sources for stage in STAGES]


def _words(signals: Signals) -> str:
    return " ".join([signals.crashing_line, signals.cell_line, signals.code_context, signals.ename,
                     " ".join(signals.libraries)])


def words_and_rules_accuracy(texts: list[str], rules: np.ndarray, y: np.ndarray, c: float,
                             seeds: int = 3) -> float:
    """Mean 10-fold CV accuracy of logistic regression on TF-IDF words + the rules' verdict."""
    codes = sorted(set(y) | set(rules))
    verdict = sparse.csr_matrix((rules[:, None] == np.array(codes)[None, :]).astype(float))
    accuracies = []
    for seed in range(seeds):
        predicted = np.empty(len(y), dtype=object)
        for train, test in StratifiedKFold(10, shuffle=True, random_state=seed).split(texts, y):
            vectorizer = TfidfVectorizer(token_pattern=r"[A-Za-z_]{2,}", sublinear_tf=True, min_df=2)
            fit_x = sparse.hstack([vectorizer.fit_transform([texts[i] for i in train]), verdict[train]])
            test_x = sparse.hstack([vectorizer.transform([texts[i] for i in test]), verdict[test]])
            model = LogisticRegression(C=c, max_iter=3000).fit(fit_x.tocsr(), y[train])
            predicted[test] = model.predict(test_x.tocsr())
        accuracies.append((predicted == y).mean())
    return float(np.mean(accuracies))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", default=str(DEFAULT))
    args = parser.parse_args(argv)
    labels = pd.read_csv(args.csv)
    features, rules, origins, texts = [], [], [], []
    margins = collections.defaultdict(lambda: [0, 0])
    for _, row in labels.iterrows():
        ctx = crash_context(row)
        diagnosis = classify(ctx)
        signals = Signals.from_context(ctx)
        features.append(_features(signals, diagnosis.exception_type))
        rules.append(diagnosis.stage)
        origins.append(diagnosis.origin)
        texts.append(_words(signals))
        scores = sorted(classify_stage(signals, diagnosis.exception_type).scores.values(),
                        reverse=True) + [0.0, 0.0]
        margin = scores[0] - scores[1]
        band = "< 1" if margin < 1 else "< 3" if margin < 3 else "< 6" if margin < 6 else ">= 6"
        margins[band][0] += diagnosis.stage == row["stage"]
        margins[band][1] += 1
    X, y = np.array(features), labels["stage"].to_numpy()
    print(f"{len(y)} crashes from {args.csv}")
    print(f"rules (record alone): {(np.array(rules) == y).mean():.1%}")
    for band in ("< 1", "< 3", "< 6", ">= 6"):
        hits, total = margins[band]
        print(f"  best stage wins by {band:>4}: {hits}/{total} = {hits / max(1, total):.0%}")
    for c in (0.01, 0.03, 0.1, 0.3, 1.0):
        accuracies = [
            (cross_val_predict(LogisticRegression(C=c, max_iter=5000), X, y,
                               cv=StratifiedKFold(10, shuffle=True, random_state=seed)) == y).mean()
            for seed in range(5)]
        print(f"stage, re-weighted evidence, C={c:<5} 10-fold CV x5: {np.mean(accuracies):.1%} "
              f"(sd {np.std(accuracies):.1%})")
    for dimension, verdicts in (("stage", rules), ("origin", origins)):
        truth = labels[dimension].to_numpy()
        print(f"{dimension}: rules {(np.array(verdicts) == truth).mean():.1%}; words + rules, 10-fold CV x3: "
              + ", ".join(f"C={c} {words_and_rules_accuracy(texts, np.array(verdicts), truth, c):.1%}"
                          for c in (0.3, 1.0, 3.0)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
