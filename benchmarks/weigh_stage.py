"""Learned weights for the stage rules: fitted on the rules' own evidence, measured out of fold and on the frozen half.

Usage: python benchmarks/weigh_stage.py [--c C ...] [--dev-weight W ...]

The stage is a vote of rules (classifier/stages.py, stage_flow.py) whose weights were set by hand.
Here each rule's weight per stage becomes a feature: for every labelled crash of the dev set's OPEN
half and of the crash zoo (never the frozen half's rows; zoo rows labelled NONE aside, a stage no
rule gives), the weight each stage rule added to each stage, as classify_stage adds them. Two
learned verdicts are fitted on those features and compared with the hand weights:

- ``rule scale``: one multiplier per rule and one offset per stage (a conditional logit, fitted by
  L-BFGS on the softmax log-loss with an L2 pull of the multipliers towards the hand weights, 1).
  It keeps the vote explainable: the trace can still name the rule that gave the winner most.
- ``logistic``: scikit-learn's multinomial logistic regression over the rule x stage features.

Grouped 5-fold cross-validation (groups as in benchmarks/calibrate.py: a dev crash's error cluster,
a zoo crash's template) gives the out-of-fold accuracy; weights fitted on all of the open half and
the zoo give the frozen half's aggregate figure. A learned verdict would be adopted only if it beat
the hand weights out of fold and the frozen half did not fall. The notebook's rules (ST-HEADINGS,
ST-COMMENTS, ST-DATAFLOW) weigh nothing on records alone, so no weight could be learned for them here.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.accuracy import labelled_sets  # noqa: E402
from benchmarks.calibrate import FOLDS, error_cluster  # noqa: E402
from benchmarks.dev_split import DEV_CSV  # noqa: E402
import nbcrash_kernel.classifier  # noqa: E402,F401  (registers every rule)
from nbcrash_kernel.classifier.engine import decide_exception_type  # noqa: E402
from nbcrash_kernel.classifier.rules import REGISTRY  # noqa: E402
from nbcrash_kernel.classifier.signals import Signals  # noqa: E402
from nbcrash_kernel.classifier.stages import FALLBACK  # noqa: E402
from nbcrash_kernel.classify.records import crash_context  # noqa: E402

STAGES = ("DATAP", "DATAV", "ENVS", "EVAL", "MCONS", "TRAIN")  # DATAP first: it wins ties, as in classify_stage
RULES = [r for r in REGISTRY.ordered("stage") if r.id != FALLBACK] + [REGISTRY.by_id[FALLBACK]]


def gains(record: dict) -> np.ndarray:
    """(rules x stages): the weight each stage rule added to each stage, in classify_stage's order."""
    signals = Signals.from_context(crash_context(record))
    decide_exception_type(signals)
    scores: dict[str, float] = {}
    table = np.zeros((len(RULES), len(STAGES)))
    for i, scorer in enumerate(RULES):
        before = dict(scores)
        scorer.predicate(signals, scores)
        for stage, total in scores.items():
            table[i, STAGES.index(stage)] = total - before.get(stage, 0.0)
    return table


def dataset(sets: dict) -> dict:
    """Features, labels, sets and groups of the open half, the zoo (NONE aside) and the frozen half."""
    x, y, names, groups = [], [], [], []
    for name in ("dev_open", "zoo", "dev_frozen"):
        for record in sets[name].to_dict("records"):
            if record["stage"] not in STAGES:
                continue
            group = record["template"] if name == "zoo" else error_cluster(record["ename"], record["evalue"])
            x.append(gains(record))
            y.append(STAGES.index(record["stage"]))
            names.append(name)
            groups.append(f"{name}:{group}")
    return {"x": np.array(x), "y": np.array(y), "set": np.array(names), "group": np.array(groups)}


def vote(x: np.ndarray, scale: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """The stage with the most weight (DATAP on a tie: it is first, and argmax takes the first)."""
    return (np.einsum("nrs,r->ns", x, scale) + offset).argmax(1)


def fit_scale(x: np.ndarray, y: np.ndarray, weight: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray]:
    """Per-rule multipliers and per-stage offsets maximising the softmax log-likelihood of the labels."""
    from scipy.optimize import minimize

    rules, stages = x.shape[1], x.shape[2]
    onehot = np.eye(stages)[y]

    def loss(theta):
        scale, offset = theta[:rules], theta[rules:]
        z = np.einsum("nrs,r->ns", x, scale) + offset
        z -= z.max(1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(1, keepdims=True))
        value = -(weight * (onehot * log_p).sum(1)).sum() + l2 * (((scale - 1) ** 2).sum() + (offset ** 2).sum())
        g_z = -weight[:, None] * (onehot - np.exp(log_p))
        gradient = np.concatenate([np.einsum("ns,nrs->r", g_z, x) + 2 * l2 * (scale - 1), g_z.sum(0) + 2 * l2 * offset])
        return value, gradient

    theta = minimize(loss, np.concatenate([np.ones(rules), np.zeros(stages)]), jac=True, method="L-BFGS-B").x
    return theta[:rules], theta[rules:]


def fit_logistic(x: np.ndarray, y: np.ndarray, weight: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=5000).fit(x.reshape(len(x), -1), y, sample_weight=weight)


def predictors(train: dict, weight: np.ndarray, c: float):
    """name -> function of features -> stages, fitted on ``train``."""
    scale, offset = fit_scale(train["x"], train["y"], weight, 1.0 / c)
    model = fit_logistic(train["x"], train["y"], weight, c)
    ones, zeros = np.ones(len(RULES)), np.zeros(len(STAGES))
    return {"hand weights": lambda x: vote(x, ones, zeros),
            "rule scale": lambda x: vote(x, scale, offset),
            "logistic": lambda x: model.classes_[model.predict(x.reshape(len(x), -1))]}, scale


def subset(data: dict, mask: np.ndarray) -> dict:
    return {k: v[mask] for k, v in data.items()}


def evaluate(data: dict, c: float, dev_weight: float) -> dict:
    learn = subset(data, data["set"] != "dev_frozen")
    frozen = subset(data, data["set"] == "dev_frozen")
    weight = np.where(learn["set"] == "dev_open", dev_weight, 1.0)
    groups = sorted(set(learn["group"]))
    fold = np.array([groups.index(g) % FOLDS for g in learn["group"]])
    out_of_fold: dict[str, np.ndarray] = {}
    for k in range(FOLDS):
        models, _ = predictors(subset(learn, fold != k), weight[fold != k], c)
        for name, predict in models.items():
            out_of_fold.setdefault(name, np.zeros(len(learn["y"]), dtype=int))[fold == k] = predict(learn["x"][fold == k])
    models, scale = predictors(learn, weight, c)
    figures = {}
    for name, predicted in out_of_fold.items():
        right = predicted == learn["y"]
        figures[name] = {"oof open": right[learn["set"] == "dev_open"].mean(), "oof zoo": right[learn["set"] == "zoo"].mean(),
                         "oof all": right.mean(), "frozen": (models[name](frozen["x"]) == frozen["y"]).mean()}
    return {"figures": figures, "scale": {r.id: round(float(s), 2) for r, s in zip(RULES, scale)}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, nargs="+", default=[0.1, 1.0], help="inverse L2 strengths")
    parser.add_argument("--dev-weight", type=float, nargs="+", default=[1.0, 3.0], help="weights of a dev crash")
    args = parser.parse_args(argv)
    data = dataset(labelled_sets(str(DEV_CSV)))
    sizes = {name: int((data["set"] == name).sum()) for name in ("dev_open", "zoo", "dev_frozen")}
    print(f"stage, grouped {FOLDS}-fold out of fold over the open half ({sizes['dev_open']}) and the zoo without NONE "
          f"({sizes['zoo']}); frozen half ({sizes['dev_frozen']}) with weights fitted on both")
    adopted = False
    for c in args.c:
        for dev_weight in args.dev_weight:
            result = evaluate(data, c, dev_weight)
            hand = result["figures"]["hand weights"]
            print(f"C {c}, dev weight {dev_weight}:")
            for name, f in result["figures"].items():
                print(f"  {name:13} out of fold: open {f['oof open']:.1%}, zoo {f['oof zoo']:.1%}, all {f['oof all']:.1%};"
                      f" frozen {f['frozen']:.1%}")
                wins = name != "hand weights" and f["oof all"] > hand["oof all"] and f["frozen"] >= hand["frozen"]
                adopted = adopted or wins
            print(f"  rule multipliers: {result['scale']}")
    print(f"adopted: {adopted} (a learned verdict must beat the hand weights out of fold and keep the frozen half)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
