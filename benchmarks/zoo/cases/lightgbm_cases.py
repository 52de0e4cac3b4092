"""LightGBM: labels, feature counts, parameters."""
from __future__ import annotations

from ..case import CaseSet
from .common import MODELS, SEEDS, XS, YS, lab, vary

DATA = ("import numpy as np\nrng = np.random.default_rng($seed)\n"
        "$X = rng.normal(size=(60, 4))\n$y = (rng.random(60) > 0.5).astype(int)")


def _rows(count, seed):
    return vary(count, seed, X=XS, y=YS, m=MODELS, seed=SEEDS)


def build():
    s = CaseSet("lightgbm")
    s.add("feature-count", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "EVAL", "lightgbm"),
          cells=[DATA, "import lightgbm as lgb\n$m = lgb.LGBMClassifier(n_estimators=3, verbose=-1).fit($X, $y)", "pred = $m.predict($X[:, :3])"],
          variants=_rows(5, "fc"))
    s.add("not-fitted", ename="NotFittedError", labels=lab("INIT/API", "ML", "EVAL", "lightgbm"),
          cells=[DATA, "import lightgbm as lgb\n$m = lgb.LGBMRegressor()", "pred = $m.predict($X)"], variants=_rows(5, "nf"))
    s.add("nan-label", ename="ValueError", labels=lab("DVIOL/DATA", "ML", "TRAIN", "lightgbm"),
          cells=[DATA + "\n$y = $y.astype(float)\n$y[3] = np.nan", "import lightgbm as lgb\n$m = lgb.LGBMClassifier(n_estimators=3, verbose=-1).fit($X, $y)"],
          variants=_rows(5, "nl"))
    s.add("bad-param", ename="LightGBMError", labels=lab("IARG/API", "ML", "TRAIN", "lightgbm", rc="invalid argument"),
          cells=[DATA, "import lightgbm as lgb\ntrain = lgb.Dataset($X, label=$y)\nbooster = lgb.train({'objective': '$o', 'verbose': -1}, train, num_boost_round=2)"],
          variants=[dict(r, o=o) for r, o in zip(_rows(4, "bp"), ["binary_logloss", "classification", "softmax2", "regress"])])
    s.add("length-mismatch", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "TRAIN", "lightgbm"),
          cells=[DATA, "import lightgbm as lgb\n$m = lgb.LGBMRegressor(n_estimators=3, verbose=-1).fit($X, $y[:50])"], variants=_rows(5, "lm"))
    return s.cases
