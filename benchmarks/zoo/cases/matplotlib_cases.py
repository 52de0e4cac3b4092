"""matplotlib: plot shapes, styles, colours, backends, subplots."""
from __future__ import annotations

from ..case import CaseSet
from .common import ARRAYS, SIZES, lab, vary

PLT = "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\nimport numpy as np"


def build():
    s = CaseSet("matplotlib")
    s.add("xy-length", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "DATAV", "matplotlib"),
          cells=[PLT + "\n$x = np.arange($n)\n$y = np.arange($n - 1) ** 2", "plt.plot($x, $y)"],
          variants=vary(6, "xy", x=["epochs", "x", "days", "steps", "t", "years"], y=["loss", "y", "sales", "acc", "signal", "counts"], n=SIZES))
    s.add("scatter-size", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "DATAV", "matplotlib"),
          cells=[PLT + "\n$x = np.random.rand($n)\n$y = np.random.rand($n + 2)", "plt.scatter($x, $y)"],
          variants=vary(5, "ss", x=["x", "height", "age", "lat", "pc1"], y=["y", "weight", "income", "lon", "pc2"], n=SIZES))
    s.add("style-removed", ename="OSError", labels=lab("IO/LIB", "ML", "DATAV", "matplotlib", et="unsupported file type (read file)"),
          cells=[PLT, "plt.style.use('$style')"], variants=[{"style": st} for st in ["seaborn", "seaborn-whitegrid", "seaborn-darkgrid",
                                                                                     "seaborn-pastel", "seaborn-colorblind"]])
    s.add("bad-color", ename="ValueError", labels=lab("IARG/API", "ML", "DATAV", "matplotlib", rc="invalid argument"),
          cells=[PLT + "\n$x = np.arange($n)", "plt.plot($x, $x * 2, color='$c')"],
          variants=vary(6, "bc", x=ARRAYS, n=SIZES, c=["lightred", "darkpink", "bleu", "grey50", "#12345", "reddish"]))
    s.add("bad-kwarg", ename="AttributeError", labels=lab("IARG/API", "ML", "DATAV", "matplotlib", rc="invalid argument"),
          cells=[PLT + "\n$x = np.arange($n)", "plt.plot($x, $x, $kw=2)"],
          variants=vary(5, "bk", x=ARRAYS, n=SIZES, kw=["width", "size", "thickness", "line_width", "colour"]))
    s.add("subplots-index", ename="IndexError", labels=lab("INDEX/IMPL", "ML", "DATAV", "matplotlib"),
          cells=[PLT + "\nfig, $axes = plt.subplots(1, $n)", "$axes[$n].set_title('last')"],
          variants=vary(5, "si", axes=["axes", "ax", "axs", "panels", "grid"], n=[2, 3, 4, 5, 6]))
    s.add("subplots-2d", ename="AttributeError", labels=lab("ATTR/API", "ML", "DATAV", "matplotlib"),
          cells=[PLT + "\nfig, $axes = plt.subplots(2, $n)", "$axes[0].plot([1, 2, 3])"],
          variants=vary(5, "s2", axes=["axes", "ax", "axs", "panels", "grid"], n=[2, 3, 4, 5, 6]))
    s.add("backend-tk", ename="ImportError", labels=lab("ENV/ENV", "ML", "ENVS", "matplotlib", et="environment setup", rc="settings(permission, environment)"),
          cells=["import matplotlib\nimport matplotlib.pyplot as plt", "plt.switch_backend('$b')"],
          variants=[{"b": b} for b in ["TkAgg", "QtAgg", "GTK4Agg"]], fresh=False)
    s.add("imshow-shape", ename="TypeError", labels=lab("TSHAPE/DATA", "ML", "DATAV", "matplotlib"),
          cells=[PLT + "\n$img = np.zeros(($n, $n, 2))", "plt.imshow($img)"],
          variants=vary(5, "im", img=["img", "image", "frame", "picture", "sample"], n=SIZES))
    return s.cases
