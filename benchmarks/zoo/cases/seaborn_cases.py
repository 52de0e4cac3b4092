"""seaborn: column names, numeric data, removed and misnamed APIs."""
from __future__ import annotations

from ..case import CaseSet
from .common import CATEGORIES, COLUMNS, FRAMES, lab, vary

SNS = ("import matplotlib\nmatplotlib.use('Agg')\nimport seaborn as sns\nimport pandas as pd\n"
       "$df = pd.DataFrame({'$a': [1.0, 2.0, 3.0, 4.0], '$c': ['x', 'y', 'x', 'y']})")


def build():
    s = CaseSet("seaborn")
    s.add("missing-column", ename="ValueError", labels=lab("KEY/DATA", "ML", "DATAV", "seaborn"),
          cells=[SNS, "sns.histplot(data=$df, x='$m')"], variants=vary(6, "mc", df=FRAMES, a=COLUMNS, c=CATEGORIES,
                                                                     m=["Price", "AGE", "total", "value", "Income", "rating_"]))
    s.add("scatter-missing", ename="ValueError", labels=lab("KEY/DATA", "ML", "DATAV", "seaborn"),
          cells=[SNS, "sns.scatterplot(data=$df, x='$a', y='$m')"], variants=vary(5, "sm", df=FRAMES, a=COLUMNS, c=CATEGORIES,
                                                                               m=["Price", "target", "score2", "y", "count"]))
    s.add("heatmap-strings", ename="ValueError", labels=lab("VALUE/DATA", "ML", "DATAV", "pandas", et="cast exception"),
          cells=[SNS, "sns.heatmap($df.corr())"], variants=vary(5, "hm", df=FRAMES, a=COLUMNS, c=CATEGORIES))
    s.add("module-call", ename="TypeError", labels=lab("TYPE/API", "ML", "DATAV", "seaborn", et="typeerror-notcallable", rc="misunderstanding of libraries"),
          cells=[SNS, "sns($df)"], variants=vary(4, "mo", df=FRAMES, a=COLUMNS, c=CATEGORIES))
    s.add("no-function", ename="AttributeError", labels=lab("ATTR/API", "ML", "DATAV", "seaborn"),
          cells=[SNS, "sns.$f($df['$a'])"], variants=vary(5, "nf", df=FRAMES, a=COLUMNS, c=CATEGORIES,
                                                           f=["histogram", "lineplt", "heatplot", "scatter", "barchart"]))
    s.add("bad-palette", ename="ValueError", labels=lab("IARG/API", "ML", "DATAV", "seaborn", rc="invalid argument"),
          cells=[SNS, "sns.barplot(data=$df, x='$c', y='$a', hue='$c', palette='$p')"],
          variants=vary(5, "bp", df=FRAMES, a=COLUMNS, c=CATEGORIES, p=["rainbowz", "coolwarmm", "pastels", "virdis", "bluez"]))
    s.add("bad-kwarg", ename="AttributeError", labels=lab("IARG/API", "ML", "DATAV", "seaborn", rc="invalid argument"),
          cells=[SNS, "sns.lineplot(data=$df, x='$a', y='$a', $kw=3)"],
          variants=vary(4, "bk", df=FRAMES, a=COLUMNS, c=CATEGORIES, kw=["width", "thickness", "size_", "colour"]))
    return s.cases
