"""statsmodels: formulas, object data, removed modules, shapes."""
from __future__ import annotations

from ..case import CaseSet
from .common import COLUMNS, FRAMES, SEEDS, SIZES, lab, vary

DATA = ("import numpy as np\nimport pandas as pd\nrng = np.random.default_rng($seed)\n"
        "$df = pd.DataFrame({'$a': rng.normal(size=$n), '$b': rng.normal(size=$n)})")


def build():
    s = CaseSet("statsmodels")
    s.add("formula-missing", ename="PatsyError", labels=lab("KEY/DATA", "ML", "TRAIN", "statsmodels"),
          cells=[DATA, "import statsmodels.formula.api as smf\nfit = smf.ols('$b ~ $m', data=$df).fit()"],
          variants=vary(6, "fm", df=FRAMES, a=COLUMNS, b=["y", "sales", "target", "yield_", "demand", "cost"], n=SIZES[3:], seed=SEEDS,
                        m=["Price", "age2", "X1", "temp_c", "Income", "ratio"]))
    s.add("object-data", ename="ValueError", labels=lab("VALUE/DATA", "ML", "TRAIN", "statsmodels", et="cast exception"),
          cells=[DATA + "\n$df['grp'] = ['a', 'b'] * ($n // 2)", "import statsmodels.api as sm\nfit = sm.OLS($df['$b'], $df[['$a', 'grp']]).fit()"],
          variants=vary(6, "od", df=FRAMES, a=COLUMNS, b=["y", "sales", "target", "yield_", "demand", "cost"], n=[10, 12, 20, 24, 30, 40], seed=SEEDS))
    s.add("arima-removed", ename="NotImplementedError", labels=lab("OTHER/LIB", "ML", "MCONS", "statsmodels"),
          cells=[DATA, "from statsmodels.tsa.arima_model import ARIMA\n$m = ARIMA($df['$a'], order=(1, 0, 0))"],
          variants=vary(4, "ar", df=FRAMES, a=COLUMNS, b=["y", "sales", "target", "cost"], n=SIZES[3:], seed=SEEDS, m=["model", "arima", "mod", "ts_model"]))
    s.add("exog-shape", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "TRAIN", "statsmodels"),
          cells=[DATA, "import statsmodels.api as sm\nfit = sm.OLS($df['$b'].values, $df[['$a']].values[:-3]).fit()"],
          variants=vary(5, "es", df=FRAMES, a=COLUMNS, b=["y", "sales", "target", "demand", "cost"], n=SIZES[3:], seed=SEEDS))
    s.add("predict-shape", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "EVAL", "statsmodels"),
          cells=[DATA, "import statsmodels.api as sm\nX = sm.add_constant($df[['$a']])\nfit = sm.OLS($df['$b'], X).fit()", "pred = fit.predict($df[['$a']])"],
          variants=vary(5, "ps", df=FRAMES, a=COLUMNS, b=["y", "sales", "target", "demand", "cost"], n=SIZES[3:], seed=SEEDS))
    s.add("decompose-period", ename="ValueError", labels=lab("VALUE/API", "ML", "DATAP", "statsmodels"),
          cells=[DATA, "from statsmodels.tsa.seasonal import seasonal_decompose\nparts = seasonal_decompose($df['$a'].values)"],
          variants=vary(5, "dp", df=FRAMES, a=COLUMNS, b=["y", "sales", "target", "demand", "cost"], n=SIZES[3:], seed=SEEDS))
    return s.cases
