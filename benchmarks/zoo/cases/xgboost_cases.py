"""xgboost: labels, feature names and shapes of the boosters."""
from __future__ import annotations

from ..case import CaseSet
from .common import MODELS, SEEDS, XS, YS, lab, vary

DATA = ("import numpy as np\nimport pandas as pd\nrng = np.random.default_rng($seed)\n"
        "$X = pd.DataFrame(rng.normal(size=(40, 3)), columns=['f1', 'f2', 'f3'])\n$y = (rng.random(40) > 0.5).astype(int)")


def _rows(count, seed):
    return vary(count, seed, X=XS, y=YS, m=MODELS, seed=SEEDS)


def build():
    s = CaseSet("xgboost")
    s.add("labels-start", ename="ValueError", labels=lab("DVIOL/DATA", "ML", "TRAIN", "xgboost"),
          cells=[DATA, "import xgboost as xgb\n$m = xgb.XGBClassifier(n_estimators=3).fit($X, $y + 1)"], variants=_rows(5, "ls"))
    s.add("feature-names", ename="ValueError", labels=lab("FNAME/DATA", "ML", "EVAL", "xgboost"),
          cells=[DATA, "import xgboost as xgb\n$m = xgb.XGBClassifier(n_estimators=3).fit($X, $y)", "pred = $m.predict($X.rename(columns={'f1': 'F1'}))"],
          variants=_rows(5, "fn"))
    s.add("feature-count", ename="ValueError", labels=lab("FNAME/DATA", "ML", "EVAL", "xgboost"),
          cells=[DATA, "import xgboost as xgb\n$m = xgb.XGBRegressor(n_estimators=3).fit($X, $y)", "pred = $m.predict($X[['f1', 'f2']])"],
          variants=_rows(5, "fc"))
    s.add("not-fitted", ename="NotFittedError", labels=lab("INIT/API", "ML", "EVAL", "xgboost"),
          cells=[DATA, "import xgboost as xgb\n$m = xgb.XGBClassifier()", "pred = $m.predict($X)"], variants=_rows(5, "nf"))
    s.add("object-column", ename="ValueError", labels=lab("VALUE/DATA", "ML", "TRAIN", "xgboost"),
          cells=[DATA + "\n$X['city'] = ['paris', 'lima'] * 20", "import xgboost as xgb\n$m = xgb.XGBClassifier(n_estimators=3).fit($X, $y)"],
          variants=_rows(5, "oc"))
    s.add("bad-objective", ename="XGBoostError", labels=lab("IARG/API", "ML", "TRAIN", "xgboost", rc="invalid argument"),
          cells=[DATA, "import xgboost as xgb\n$m = xgb.XGBClassifier(n_estimators=3, objective='$o').fit($X, $y)"],
          variants=[dict(r, o=o) for r, o in zip(_rows(4, "bo"), ["binary:logit", "multi:softmaxx", "reg:squared", "binary"])])
    return s.cases
