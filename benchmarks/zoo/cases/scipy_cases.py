"""SciPy: statistics on bad data, optimisation that does not converge, removed names."""
from __future__ import annotations

from ..case import CaseSet
from .common import ARRAYS, SEEDS, SIZES, lab, vary


def build():
    s = CaseSet("scipy")
    s.add("boxcox-negative", ename="ValueError", labels=lab("DVIOL/DATA", "ML", "DATAP", "scipy"),
          cells=["import numpy as np\nfrom scipy import stats\n$a = np.array([$n, 2.0, -1.0, 4.0])", "out, lam = stats.boxcox($a)"],
          variants=vary(6, "bx", a=ARRAYS, n=SIZES))
    s.add("curve-fit-maxfev", ename="RuntimeError", labels=lab("RUNTIME/UNK", "ML", "TRAIN", "scipy"),
          cells=["import numpy as np\nfrom scipy.optimize import curve_fit\n$x = np.linspace(0, 1, $n)\n$y = np.sin(40 * $x) + $x",
                 "def $f(x, a, b, c):\n    return a * np.exp(b * x) + c", "params, cov = curve_fit($f, $x, $y, p0=[1, 50, 1], maxfev=$m)"],
          variants=vary(5, "cf", x=["t", "x", "days", "dose", "time"], y=["y", "resp", "growth", "signal", "obs"], n=[30, 40, 50, 60, 80],
                        f=["model", "expo", "func", "growth_fn", "fit_fn"], m=[2, 3, 2, 3, 2]))
    s.add("interp-bounds", ename="ValueError", labels=lab("DVIOL/DATA", "ML", "DATAP", "scipy"),
          cells=["import numpy as np\nfrom scipy.interpolate import interp1d\n$f = interp1d(np.arange($n), np.arange($n) ** 2)", "v = $f($n + 3)"],
          variants=vary(5, "ib", f=["f", "curve", "interp", "lookup", "g"], n=SIZES))
    s.add("removed-interp", ename="AttributeError", labels=lab("ATTR/LIB", "ML", "DATAP", "scipy"),
          cells=["import scipy\nimport numpy as np", "$a = scipy.$f(np.arange(3), np.arange(5), np.arange(5))"],
          variants=[{"a": a, "f": f} for a, f in [("vals", "interp"), ("grid", "interp"), ("ys", "interp"), ("res", "interp")]])
    s.add("removed-misc", ename="ImportError", labels=lab("ENV/LIB", "ML", "ENVS", "scipy"),
          cells=["from scipy.misc import $f"], variants=[{"f": f} for f in ["imread", "imresize", "comb", "factorial", "logsumexp"]])
    s.add("ttest-shape", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "EVAL", "scipy"),
          cells=["import numpy as np\nfrom scipy import stats\n$a = np.ones(($n, 2))\n$b = np.ones(($n, 3))", "res = stats.ttest_rel($a, $b)"],
          variants=vary(5, "tt", a=["before", "group_a", "ctrl", "x1", "base"], b=["after", "group_b", "treat", "x2", "new"], n=SIZES))
    s.add("sparse-matmul", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "DATAP", "scipy"),
          cells=["import numpy as np\nfrom scipy import sparse\n$m = sparse.random($n, 4, density=0.5, random_state=$seed)", "out = $m @ np.ones($n)"],
          variants=vary(5, "sm", m=["counts", "tfidf", "adj", "mat", "bow"], n=[5, 6, 7, 9, 11], seed=SEEDS))
    s.add("minimize-args", ename="TypeError", labels=lab("IARG/API", "ML", "TRAIN", "scipy", rc="invalid argument"),
          cells=["import numpy as np\nfrom scipy.optimize import minimize\ndef $f(w, data):\n    return ((w - data) ** 2).sum()", "res = minimize($f, np.zeros($n))"],
          variants=vary(5, "ma", f=["loss", "cost", "objective", "sse", "energy"], n=SIZES))
    return s.cases
