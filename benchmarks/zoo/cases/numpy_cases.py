"""NumPy: shapes, broadcasting, indexing, casts, memory."""
from __future__ import annotations

from ..case import CaseSet
from .common import ARRAYS, SEEDS, SIZES, lab, vary

SHAPES = [(3, 4), (4, 5), (2, 6), (5, 3), (6, 2), (8, 3)]


def build():
    s = CaseSet("numpy")
    s.add("broadcast", ename="ValueError", labels=lab("BCAST/DATA", "ML", "DATAP", "numpy"),
          cells=["import numpy as np\n$a = np.ones(($r, $c))\n$b = np.arange($c + 1)", "$a + $b"],
          variants=vary(6, "bc", a=ARRAYS, b=["bias", "offset", "row", "shift", "delta", "w"],
                        r=SIZES, c=[2, 3, 4, 5, 6, 7]))
    s.add("dot-not-aligned", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "TRAIN", "numpy"),
          cells=["import numpy as np\nrng = np.random.default_rng($seed)\n$a = rng.normal(size=($r, $c))\n$w = rng.normal(size=($r, 1))",
                 "pred = np.dot($a, $w)"],
          variants=vary(6, "da", a=ARRAYS, w=["w", "theta", "coef", "beta", "weights_", "params"], r=SIZES[2:], c=[2, 3, 4, 5],
                        seed=SEEDS))
    s.add("matmul", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "TRAIN", "numpy"),
          cells=["import numpy as np\n$a = np.zeros(($r, $c))\n$w = np.zeros(($r, 2))", "out = $a @ $w"],
          variants=vary(5, "mm", a=ARRAYS, w=["w", "theta", "kernel", "proj", "basis"], r=[3, 5, 7, 9, 11], c=[2, 4, 6]))
    s.add("reshape", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "DATAP", "numpy"),
          cells=["import numpy as np\n$a = np.arange($n * 7)", "img = $a.reshape(-1, $n + 1, 3)"],
          variants=vary(6, "rs", a=ARRAYS, n=SIZES))
    s.add("axis", ename="AxisError", labels=lab("INDEX/DATA", "ML", "EVAL", "numpy"),
          cells=["import numpy as np\n$a = np.array([$n, 0.2, 0.7])", "cls = np.argmax($a, axis=1)"],
          variants=vary(6, "ax", a=["probs", "scores", "pred", "logits", "out", "y_prob"], n=[0.1, 0.3, 0.5, 0.05, 0.9]))
    s.add("index-bounds", ename="IndexError", labels=lab("INDEX/DATA", "ML", "DATAP", "numpy"),
          cells=["import numpy as np\n$a = np.zeros(($n, 3))", "row = $a[$n]"], variants=vary(6, "ib", a=ARRAYS, n=SIZES))
    s.add("float-index", ename="IndexError", labels=lab("INDEX/API", "ML", "DATAP", "numpy"),
          cells=["import numpy as np\n$a = np.arange($n)", "mid = $a[len($a) / 2]"], variants=vary(6, "fi", a=ARRAYS, n=SIZES))
    s.add("cast", ename="ValueError", labels=lab("VALUE/DATA", "ML", "DATAP", "numpy", et="cast exception"),
          cells=["import numpy as np\n$raw = ['1.5', '$v', '3']", "$a = np.array($raw).astype(float)"],
          variants=vary(6, "ca", raw=["raw", "column", "cells", "fields", "text", "entries"], a=ARRAYS,
                        v=["n/a", "-", "1,5", "?", "missing", "12 kg"]))
    s.add("truth-ambiguous", ename="ValueError", labels=lab("VALUE/IMPL", "ML", "DATAP", "numpy", et="valueerror - data range mismatch"),
          cells=["import numpy as np\n$a = np.linspace(0, 1, $n)", "if $a > 0.5:\n    print('high')"],
          variants=vary(6, "ta", a=ARRAYS, n=SIZES))
    s.add("memory", ename="MemoryError", labels=lab("OOM/RSC", "ML", "DATAP", "numpy"),
          cells=["import numpy as np", "$a = np.zeros(($n * 100000, 10000000))"],
          variants=vary(6, "me", a=["grid", "cube", "distances", "pairwise", "big", "cache"], n=[2, 3, 4, 5, 6, 7]))
    s.add("float-attr", ename="AttributeError", labels=lab("ATTR/LIB", "ML", "DATAP", "numpy"),
          cells=["import numpy as np\n$a = [1, 2, 3]", "$b = np.array($a, dtype=np.$t)"],
          variants=[{"a": a, "b": b, "t": t} for a, b, t in [("vals", "arr", "float"), ("xs", "x", "int"),
                                                             ("ys", "y", "object"), ("ws", "w", "float")]])
    s.add("values-attr", ename="AttributeError", labels=lab("ATTR/API", "ML", "DATAP", "numpy"),
          cells=["import numpy as np\n$a = np.arange($n)", "$a.values.mean()"], variants=vary(5, "va", a=ARRAYS, n=SIZES))
    s.add("linalg-singular", ename="LinAlgError", labels=lab("OTHER/DATA", "ML", "TRAIN", "numpy"),
          cells=["import numpy as np\n$a = np.ones(($n, $n))", "inv = np.linalg.inv($a)"], variants=vary(5, "ls", a=ARRAYS, n=SIZES))
    s.add("choice-prob", ename="ValueError", labels=lab("DVIOL/DATA", "ML", "DATAP", "numpy"),
          cells=["import numpy as np\nrng = np.random.default_rng($seed)\n$p = np.array([0.5, 0.4, $q])",
                 "pick = rng.choice(3, size=$n, p=$p)"],
          variants=vary(5, "cp", p=["p", "probs", "weights", "dist", "prior"], q=[0.3, 0.5, -0.1, 0.2, 0.7], n=SIZES, seed=SEEDS))
    return s.cases
