"""Notebook execution semantics: cells skipped, run twice, run after a crashed cell, or before
the cell that defines what they need (taxonomy.md's three notebook-specific details)."""
from __future__ import annotations

from ..case import CaseSet
from .common import CATEGORIES, COLUMNS, FILES, FRAMES, FUNCS, MODELS, SEEDS, XS, YS, lab, vary

ORDER = "nb specific - execution order"
PREVIOUS = "nb specific - previous cell error"
FUTURE = "nb specific - need execute future cells"
LOAD = "import pandas as pd\nimport numpy as np"
MAKE = "$df = pd.DataFrame({'$a': [1.0, 2.0, 3.0, 4.0], '$c': [$vals, 'x']})"


def _frames(count, seed, **extra):
    return vary(count, seed, df=FRAMES, a=COLUMNS, c=CATEGORIES,
                vals=["'paris', 'lima', 'oslo'", "'red', 'blue', 'red'", "'a', 'b', 'c'", "'m', 'f', 'm'"], **extra)


def build():
    s = CaseSet("notebook")
    s.add("skipped-definer", ename="NameError", labels=lab("VNF/NB", "ML", "DATAP", rc=ORDER),
          cells=[LOAD, MAKE, "summary = $df.describe()"], order=(0, 2), variants=_frames(6, "sd"))
    s.add("skipped-split", ename="NameError", labels=lab("VNF/NB", "ML", "TRAIN", rc=ORDER),
          cells=[LOAD + "\nfrom sklearn.model_selection import train_test_split\nfrom sklearn.linear_model import LogisticRegression\n"
                 "rng = np.random.default_rng($seed)\nX = rng.normal(size=(30, 2))\ny = (X[:, 0] > 0).astype(int)",
                 "$Xt, X_test, $yt, y_test = train_test_split(X, y, random_state=0)",
                 "$m = LogisticRegression().fit($Xt, $yt)"],
          order=(0, 2), variants=vary(6, "ss", Xt=XS[1:], yt=YS[1:], m=MODELS, seed=SEEDS))
    s.add("skipped-training", ename="NameError", labels=lab("VNF/NB", "ML", "EVAL", rc=ORDER),
          cells=[LOAD + "\nfrom sklearn.tree import DecisionTreeClassifier\nX = np.eye(6)\ny = [0, 1, 0, 1, 0, 1]",
                 "$m = DecisionTreeClassifier().fit(X, y)", "$p = $m.predict(X)", "print(($p == y).mean())"],
          order=(0, 2), variants=vary(6, "st", m=MODELS, p=["pred", "y_pred", "preds", "predictions", "yhat", "out"]))
    s.add("skipped-import", ename="NameError", labels=lab("MODULE/NB", "ML", "DATAP", rc=ORDER),
          cells=["import $mod as $alias", "$a = $alias.$call"], order=(1,),
          variants=[{"mod": m, "alias": al, "a": a, "call": c} for m, al, a, c in [
              ("numpy", "np", "arr", "zeros(3)"), ("pandas", "pd", "df", "DataFrame({'a': [1]})"),
              ("numpy", "np", "grid", "linspace(0, 1, 5)"), ("pandas", "pd", "s", "Series([1, 2])"),
              ("matplotlib.pyplot", "plt", "fig", "figure()"), ("numpy", "np", "w", "ones((2, 2))")]])
    s.add("skipped-class-import", ename="NameError", labels=lab("NAME/NB", "ML", "MCONS", et="class not found", rc=ORDER),
          cells=["from sklearn.$mod import $cls", "$m = $cls()"], order=(1,),
          variants=[{"mod": mo, "cls": c, "m": m} for (mo, c), m in zip(
              [("ensemble", "RandomForestClassifier"), ("linear_model", "Ridge"), ("svm", "SVR"), ("cluster", "KMeans"),
               ("preprocessing", "StandardScaler"), ("neighbors", "KNeighborsRegressor")], MODELS)])
    s.add("skipped-function", ename="NameError", labels=lab("NAME/NB", "PY", "DATAP", rc=ORDER),
          cells=["def $f(values):\n    return [v * 2 for v in values]", "$items = $f([1, 2, 3])"], order=(1,),
          variants=vary(6, "sf", f=FUNCS, items=["out", "result", "scaled", "rows", "clean", "vals"]))
    s.add("future-function", ename="NameError", labels=lab("NAME/NB", "PY", "DATAP", rc=FUTURE),
          cells=[LOAD + "\n" + MAKE, "$df = $f($df)", "def $f(frame):\n    return frame.dropna()"], order=(0, 1),
          variants=_frames(6, "ff", f=FUNCS))
    s.add("future-variable", ename="NameError", labels=lab("VNF/NB", "ML", "TRAIN", rc=FUTURE),
          cells=[LOAD, "print($v * 2)", "$v = np.arange(5)"], order=(0, 1),
          variants=vary(6, "fv", v=["epochs", "batch_size", "learning_rate", "n_classes", "threshold", "max_len"]))
    s.add("after-crash", ename="NameError", labels=lab("VNF/NB", "ML", "DATAP", rc=PREVIOUS),
          cells=[LOAD, "$df = pd.read_csv('$f')\n$df['$a'] = $df['$a'].fillna(0)", "$df.head()"], order=(0, 1, 2), prior_errors=(1,),
          variants=vary(6, "ac", df=FRAMES, f=FILES, a=COLUMNS))
    s.add("after-crash-model", ename="NameError", labels=lab("VNF/NB", "ML", "EVAL", rc=PREVIOUS),
          cells=[LOAD + "\nfrom sklearn.linear_model import LinearRegression\nX = np.arange(10.0).reshape(-1, 1)\ny = np.arange(10.0)",
                 "$m = LinearRegression().fit(X, y[:-1])", "score = $m.score(X, y)"], order=(0, 1, 2), prior_errors=(1,),
          variants=vary(6, "am", m=MODELS))
    s.add("after-crash-split", ename="NameError", labels=lab("VNF/NB", "ML", "TRAIN", rc=PREVIOUS),
          cells=[LOAD + "\nX = np.ones((10, 2))\ny = np.zeros(10)", "scale = 1 / missing_factor\n$Xt = X[:8]\n$yt = y[:8]",
                 "print($Xt.shape)"], order=(0, 1, 2), prior_errors=(1,),
          variants=vary(6, "as", Xt=XS[1:], yt=YS[1:]))
    s.add("drop-twice", ename="KeyError", labels=lab("KEY/NB", "ML", "DATAP", "pandas", rc=ORDER),
          cells=[LOAD + "\n" + MAKE, "$df = $df.drop(columns=['$c'])"], order=(0, 1, 1), variants=_frames(6, "dt"))
    s.add("dummies-twice", ename="KeyError", labels=lab("KEY/NB", "ML", "DATAP", "pandas", rc=ORDER),
          cells=[LOAD + "\n" + MAKE, "$df = pd.get_dummies($df, columns=['$c'])"], order=(0, 1, 1), variants=_frames(5, "gd"))
    s.add("pop-twice", ename="KeyError", labels=lab("KEY/NB", "ML", "DATAP", "pandas", rc=ORDER),
          cells=[LOAD + "\n" + MAKE, "$y = $df.pop('$a')"], order=(0, 1, 1), variants=_frames(5, "pt", y=YS))
    s.add("reshape-twice", ename="ValueError", labels=lab("TSHAPE/NB", "ML", "DATAP", "numpy", rc=ORDER),
          cells=[LOAD + "\n$x = np.arange($n * 4.0)", "$x = $x.reshape($n, 4)\n$x = $x[:, :3].reshape(-1)"], order=(0, 1, 1),
          variants=vary(5, "rt", x=["x", "pixels", "images", "data_arr", "flat"], n=[5, 7, 9, 11, 13]))
    return s.cases
