"""scikit-learn: fitting on the wrong data, unfitted models, removed arguments, feature names."""
from __future__ import annotations

from ..case import CaseSet
from .common import MODELS, SEEDS, SIZES, XS, YS, lab, vary

DATA = ("import numpy as np\nrng = np.random.default_rng($seed)\n$X = rng.normal(size=($n, 3))\n"
        "$y = (rng.random($n) > 0.5).astype(int)")
ESTIMATORS = ["LogisticRegression", "RandomForestClassifier", "SVC", "KNeighborsClassifier", "DecisionTreeClassifier",
              "GaussianNB"]
IMPORTS = {"LogisticRegression": "linear_model", "RandomForestClassifier": "ensemble", "SVC": "svm",
           "KNeighborsClassifier": "neighbors", "DecisionTreeClassifier": "tree", "GaussianNB": "naive_bayes"}


def _estimators(count: int, seed: str) -> list[dict]:
    rows = vary(count, seed, X=XS, y=YS, m=MODELS, n=[20, 24, 30, 36, 40, 50], seed=SEEDS, est=ESTIMATORS)
    for row in rows:
        row["mod"] = IMPORTS[row["est"]]
    return rows


def build():
    s = CaseSet("sklearn")
    s.add("string-features", ename="ValueError", labels=lab("VALUE/DATA", "ML", "TRAIN", "sklearn", et="cast exception"),
          cells=["import pandas as pd\nfrom sklearn.$mod import $est\n$X = pd.DataFrame({'size': [1, 2, 3, 4], 'city': ['paris', 'lima', 'oslo', 'rome']})\n$y = [0, 1, 0, 1]",
                 "$m = $est().fit($X, $y)"], variants=_estimators(6, "sf"))
    s.add("nan-input", ename="ValueError", labels=lab("DVIOL/DATA", "ML", "TRAIN", "sklearn"),
          cells=[DATA + "\n$X[2, 1] = np.nan", "from sklearn.linear_model import LogisticRegression\n$m = LogisticRegression().fit($X, $y)"],
          variants=_estimators(6, "nn"))
    s.add("inf-input", ename="ValueError", labels=lab("DVIOL/DATA", "ML", "TRAIN", "sklearn"),
          cells=[DATA + "\n$X[0, 0] = np.inf", "from sklearn.linear_model import LinearRegression\n$m = LinearRegression().fit($X, $y)"],
          variants=_estimators(5, "ii"))
    s.add("not-fitted", ename="NotFittedError", labels=lab("INIT/API", "ML", "EVAL", "sklearn"),
          cells=[DATA, "from sklearn.$mod import $est\n$m = $est()", "pred = $m.predict($X)"], variants=_estimators(6, "nf"))
    s.add("scaler-not-fitted", ename="NotFittedError", labels=lab("INIT/API", "ML", "DATAP", "sklearn"),
          cells=[DATA, "from sklearn.preprocessing import StandardScaler\nscaler = StandardScaler()\n$X = scaler.transform($X)"],
          variants=_estimators(4, "sn"))
    s.add("1d-input", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "TRAIN", "sklearn"),
          cells=[DATA, "from sklearn.linear_model import LinearRegression\n$m = LinearRegression().fit($X[:, 0], $y)"],
          variants=_estimators(6, "1d"))
    s.add("inconsistent-samples", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "TRAIN", "sklearn"),
          cells=[DATA, "from sklearn.$mod import $est\n$m = $est().fit($X, $y[:-2])"], variants=_estimators(6, "is"))
    s.add("feature-count", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "EVAL", "sklearn"),
          cells=[DATA, "from sklearn.$mod import $est\n$m = $est().fit($X, $y)", "pred = $m.predict($X[:, :2])"],
          variants=_estimators(6, "fc"))
    s.add("feature-names", ename="ValueError", labels=lab("FNAME/DATA", "ML", "EVAL", "sklearn"),
          cells=["import pandas as pd\nfrom sklearn.linear_model import LinearRegression\n$X = pd.DataFrame({'$a': [1.0, 2, 3, 4], 'b': [2.0, 1, 4, 3]})\n$y = [1.0, 2, 3, 4]\n$m = LinearRegression().fit($X, $y)",
                 "test = pd.DataFrame({'$a2': [5.0], 'b': [1.0]})\npred = $m.predict(test)"],
          variants=[dict(r, a=a, a2=a2) for r, (a, a2) in zip(_estimators(6, "fn"), [("age", "Age"), ("price", "prices"), ("income", "salary"),
                                                                                      ("rooms", "n_rooms"), ("area", "Area"), ("temp", "temperature")])])
    s.add("single-class", ename="ValueError", labels=lab("DVIOL/DATA", "ML", "TRAIN", "sklearn"),
          cells=[DATA + "\n$y[:] = 1", "from sklearn.linear_model import LogisticRegression\n$m = LogisticRegression().fit($X, $y)"],
          variants=_estimators(5, "sc"))
    s.add("continuous-target", ename="ValueError", labels=lab("DVIOL/IMPL", "ML", "TRAIN", "sklearn"),
          cells=[DATA + "\n$y = rng.normal(size=$n)", "from sklearn.$mod import $est\n$m = $est().fit($X, $y)"],
          variants=[r for r in _estimators(8, "ct") if r["est"] != "KNeighborsClassifier"][:5])
    s.add("metric-mix", ename="ValueError", labels=lab("DVIOL/IMPL", "ML", "EVAL", "sklearn"),
          cells=[DATA + "\nscores = rng.random($n)", "from sklearn.metrics import accuracy_score\nacc = accuracy_score($y, scores)"],
          variants=_estimators(5, "mx"))
    s.add("normalize-removed", ename="TypeError", labels=lab("IARG/LIB", "ML", "MCONS", "sklearn"),
          cells=["from sklearn.linear_model import LinearRegression", "$m = LinearRegression(normalize=True)"], variants=_estimators(4, "nr"))
    s.add("sparse-removed", ename="TypeError", labels=lab("IARG/LIB", "ML", "DATAP", "sklearn"),
          cells=["from sklearn.preprocessing import OneHotEncoder", "enc = OneHotEncoder(sparse=False)"], variants=_estimators(4, "sr"))
    s.add("plot-confusion-removed", ename="ImportError", labels=lab("ENV/LIB", "ML", "ENVS", "sklearn"),
          cells=["from sklearn.metrics import $name"], variants=[{"name": n} for n in ["plot_confusion_matrix", "plot_roc_curve",
                                                                                     "plot_precision_recall_curve"]])
    s.add("bad-penalty", ename="ValueError", labels=lab("IARG/API", "ML", "TRAIN", "sklearn", rc="invalid argument"),
          cells=[DATA, "from sklearn.linear_model import LogisticRegression\n$m = LogisticRegression(penalty='$p', solver='lbfgs').fit($X, $y)"],
          variants=[dict(r, p=p) for r, p in zip(_estimators(4, "bp"), ["l1", "elasticnet", "l1", "elasticnet"])])
    s.add("unexpected-kwarg", ename="TypeError", labels=lab("IARG/API", "ML", "EVAL", "sklearn", rc="invalid argument"),
          cells=[DATA, "from sklearn.metrics import confusion_matrix\ncm = confusion_matrix($y, $y, $kw=['a', 'b'])"],
          variants=[dict(r, kw=k) for r, k in zip(_estimators(4, "uk"), ["target_names", "classes", "display_labels", "names"])])
    s.add("proba-svc", ename="AttributeError", labels=lab("ATTR/MODEL", "ML", "EVAL", "sklearn"),
          cells=[DATA, "from sklearn.svm import SVC\n$m = SVC().fit($X, $y)", "p = $m.predict_proba($X)"], variants=_estimators(4, "ps"))
    s.add("no-importances", ename="AttributeError", labels=lab("ATTR/API", "ML", "EVAL", "sklearn"),
          cells=[DATA, "from sklearn.svm import SVC\n$m = SVC(kernel='rbf').fit($X, $y)", "imp = $m.$attr"],
          variants=[dict(r, attr=a) for r, a in zip(_estimators(4, "ni"), ["feature_importances_", "coef_", "feature_importances_", "coef_"])])
    s.add("unseen-label", ename="ValueError", labels=lab("DVIOL/DATA", "ML", "DATAP", "sklearn"),
          cells=["from sklearn.preprocessing import LabelEncoder\nenc = LabelEncoder().fit(['$u', '$v'])", "codes = enc.transform(['$u', '$w'])"],
          variants=vary(5, "ul", u=["cat", "red", "paris", "low", "yes"], v=["dog", "blue", "lima", "high", "no"], w=["bird", "green", "oslo", "mid", "maybe"]))
    s.add("split-too-small", ename="InvalidParameterError", labels=lab("IARG/API", "ML", "DATAP", "sklearn", rc="invalid argument"),
          cells=[DATA, "from sklearn.model_selection import train_test_split\nparts = train_test_split($X, $y, test_size=$t)"],
          variants=[dict(r, t=t) for r, t in zip(_estimators(4, "ts"), ["1.5", "0", "-0.2", "2.0"])])
    s.add("unpack-split", ename="ValueError", labels=lab("VALUE/API", "ML", "DATAP", "sklearn", et="valueerror - data range mismatch"),
          cells=[DATA, "from sklearn.model_selection import train_test_split\n$X_tr, $X_te = train_test_split($X, $y)"],
          variants=[dict(r, X_tr="X_train", X_te="X_test") for r in _estimators(4, "us")])
    s.add("cv-folds", ename="ValueError", labels=lab("DVIOL/API", "ML", "TRAIN", "sklearn", rc="invalid argument"),
          cells=[DATA, "from sklearn.model_selection import cross_val_score\nfrom sklearn.$mod import $est\nscores = cross_val_score($est(), $X[:4], $y[:4], cv=$k)"],
          variants=[dict(r, k=k) for r, k in zip(_estimators(4, "cv"), [5, 10, 6, 8])])
    return s.cases
