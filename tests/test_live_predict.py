"""Pre-run prediction in a real kernel: buggy/fixed pairs of small ML notebooks.

Each pair is a few setup cells and a cell in two variants. Run in a kernel with nbcrash loaded
(as JupyterLab runs it), the buggy variant must get a warning before it runs that names the key
(column, attribute, path, keyword, module, estimator) and must really crash; the fixed variant
must get no warning and must run. ``test_detection_and_false_alarm_rates`` prints both rates.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from nbcrash_kernel.live.driver import KernelDriver

pytestmark = pytest.mark.slow

FRAME = ("import pandas as pd\nimport numpy as np\n"
         "df = pd.DataFrame({'price': [1.0, 2.0, 3.0, 4.0], 'qty': [1, 2, 3, 4], 'sex': ['m', 'f', 'm', 'f'],\n"
         "                   'label': [0, 1, 0, 1], 'amount': pd.Series(['1', '2', '3', '4'], dtype='str')})")
MODEL = "from sklearn.linear_model import LinearRegression, LogisticRegression\nfrom sklearn.preprocessing import StandardScaler"
FITTED = MODEL + "\nreg = LinearRegression().fit(df[['price', 'qty']], df['label'])"
ARRAYS = "import numpy as np\nA = np.ones((3, 4))\nB = np.ones((4, 2))\nv = np.arange(4)"
FUNC = "def total(frame, column):\n    return frame[column].sum()"
FILES = "open('train.csv', 'w').write('a,b\\n1,2\\n')"

# (name, setup cells, buggy cell, fixed cell, key the warning must name)
PAIRS = [
    ("column typo", [FRAME], "df['prcie'].sum()", "df['price'].sum()", "prcie"),
    ("column list", [FRAME], "df[['price', 'qtty']]", "df[['price', 'qty']]", "qtty"),
    ("column via alias", [FRAME], "data = df\ndata['Price'].mean()", "data = df\ndata['price'].mean()", "Price"),
    ("column made later", [FRAME], "df['total'].sum()\ndf['total'] = df['price'] * df['qty']",
     "df['total'] = df['price'] * df['qty']\ndf['total'].sum()", "total"),
    ("column in literal loop", [FRAME], "for c in ['price', 'quantity']:\n    print(df[c].max())",
     "for c in ['price', 'qty']:\n    print(df[c].max())", "quantity"),
    ("one-hot f-string loop", [FRAME, "df['sex_0'] = 1\ndf['sex_1'] = 0"],
     "for i in range(3):\n    df[f'sex_{i}'].sum()", "for i in range(2):\n    df[f'sex_{i}'].sum()", "sex_2"),
    ("column in a notebook function", [FRAME, FUNC], "total(df, 'quantity')", "total(df, 'qty')", "quantity"),
    ("column in a function of the cell", [FRAME], "def first(f):\n    return f['lable'].iloc[0]\nfirst(df)",
     "def first(f):\n    return f['label'].iloc[0]\nfirst(df)", "lable"),
    ("groupby column", [FRAME], "df.groupby('gender').size()", "df.groupby('sex').size()", "gender"),
    ("sort_values column", [FRAME], "df.sort_values('cost')", "df.sort_values('price')", "cost"),
    ("drop column", [FRAME], "df.drop(columns=['weight'])", "df.drop(columns=['qty'])", "weight"),
    ("drop without axis", [FRAME], "df2 = df.drop('qty')", "df2 = df.drop('qty', axis=1)", "qty"),
    ("get_dummies column", [FRAME], "pd.get_dummies(df, columns=['gender'])", "pd.get_dummies(df, columns=['sex'])",
     "gender"),
    ("frame attribute", [FRAME], "df.sorted_values('price')", "df.sort_values('price')", "sorted_values"),
    ("series attribute", [FRAME], "df['price'].to_lst()", "df['price'].to_list()", "to_lst"),
    ("pandas function", [FRAME], "pd.read_exel('x.xlsx')", "pd.read_csv.__name__", "read_exel"),
    ("numpy removed alias", [FRAME], "x = np.float(3)", "x = np.float64(3)", "float"),
    ("array attribute", [ARRAYS], "A.lenght", "A.shape", "lenght"),
    ("text column mean", [FRAME], "df['amount'].mean()", "pd.to_numeric(df['amount']).mean()", "amount"),
    ("predict before fit", [FRAME, MODEL + "\nclf = LogisticRegression()"], "clf.predict(df[['price']])",
     "clf.fit(df[['price']], df['label'])\nclf.predict(df[['price']])", "clf"),
    ("transform before fit", [FRAME, MODEL + "\nscaler = StandardScaler()"], "scaler.transform(df[['price']])",
     "scaler.fit_transform(df[['price']])", "scaler"),
    ("unfitted attribute", [FRAME, MODEL + "\nlin = LinearRegression()"], "lin.coef_",
     "lin.fit(df[['price']], df['label'])\nlin.coef_", "lin"),
    ("built and used unfitted", [FRAME, MODEL], "m = LinearRegression()\nm.predict(df[['price']])",
     "m = LinearRegression()\nm.fit(df[['price']], df['label'])\nm.predict(df[['price']])", "m"),
    ("feature count", [FRAME, FITTED], "reg.predict(df[['price']])", "reg.predict(df[['price', 'qty']])", "reg"),
    ("feature count array", [FRAME, FITTED], "reg.predict(np.ones((2, 3)))", "reg.predict(np.ones((2, 2)))", "reg"),
    ("feature names", [FRAME, FITTED], "reg.predict(df[['price', 'label']])", "reg.predict(df[['price', 'qty']])",
     "qty"),
    ("series where 2-D needed", [FRAME, MODEL], "LinearRegression().fit(df['price'], df['label'])",
     "LinearRegression().fit(df[['price']], df['label'])", "df['price']"),
    ("1-D array to fit", [FRAME, ARRAYS, MODEL], "LinearRegression().fit(v, v)",
     "LinearRegression().fit(v.reshape(-1, 1), v)", "v"),
    ("1-D to predict", [FRAME, FITTED], "reg.predict(df['price'])", "reg.predict(df[['price', 'qty']])",
     "df['price']"),
    ("sample counts", [FRAME, MODEL], "LinearRegression().fit(df[['price']], [0, 1, 0])",
     "LinearRegression().fit(df[['price']], [0, 1, 0, 1])", "df[['price']]"),
    ("split sample counts", [FRAME, "from sklearn.model_selection import train_test_split"],
     "train_test_split(df[['price']], df['label'][:3])", "train_test_split(df[['price']], df['label'])",
     "df[['price']]"),
    ("fitted in the same cell", [FRAME, MODEL],
     "m2 = LinearRegression()\nm2.fit(df[['price', 'qty']], df['label'])\nm2.predict(df[['qty']])",
     "m2 = LinearRegression()\nm2.fit(df[['price', 'qty']], df['label'])\nm2.predict(df[['price', 'qty']])", "m2"),
    ("PCA components", [ARRAYS, "from sklearn.decomposition import PCA"], "PCA(n_components=4).fit(A)",
     "PCA(n_components=3).fit(A)", "n_components"),
    ("KMeans clusters", [ARRAYS, "from sklearn.cluster import KMeans\nkm = KMeans(n_clusters=5, n_init=1)"],
     "km.fit(A)", "km.set_params(n_clusters=3)\nkm.fit(A)", "n_clusters"),
    ("matmul", [ARRAYS], "C = A @ A", "C = A @ B", "A @ A"),
    ("broadcast", [ARRAYS], "D = A + B", "D = A + v", "A + B"),
    ("index out of range", [ARRAYS], "A[:, 4]", "A[:, 3]", "A[:, 4]"),
    ("off-by-one loop", [ARRAYS], "for j in range(5):\n    A[:, j]", "for j in range(4):\n    A[:, j]", "A[:, j]"),
    ("missing file", [FRAME, FILES], "pd.read_csv('trian.csv')", "pd.read_csv('train.csv')", "trian.csv"),
    ("missing file open", [FILES], "open('data/train.csv').read()", "open('train.csv').read()", "data/train.csv"),
    ("keyword typo", [FRAME], "pd.read_csv('train.csv', sepp=',')", "pd.DataFrame(data={'a': [1]})", "sepp"),
    ("estimator keyword", [MODEL], "LogisticRegression(max_iters=10)", "LogisticRegression(max_iter=10)",
     "max_iters"),
    ("method keyword", [FRAME], "df.drop(colums=['qty'])", "df.drop(columns=['qty'])", "colums"),
    ("notebook function keyword", [FRAME, FUNC], "total(df, col='qty')", "total(df, column='qty')", "col"),
    ("module not installed", [], "import nbcrash_no_such_module_xyz", "import json", "nbcrash_no_such_module_xyz"),
    ("from-import not installed", [], "from nbcrash_absent_pkg import thing", "from json import dumps",
     "nbcrash_absent_pkg"),
]

# Cells that look risky and do not crash: no warning allowed.
SAFE = [
    ("get", [FRAME], "df.get('nope')"),
    ("try", [FRAME], "try:\n    df['nope']\nexcept KeyError:\n    pass"),
    ("if in", [FRAME], "if 'nope' in df:\n    df['nope']"),
    ("created first", [FRAME], "df['nope'] = 1\ndf['nope'].sum()"),
    ("conditional create", [FRAME], "if len(df) > 0:\n    df['nope'] = 1\ndf['nope']"),
    ("lambda", [FRAME], "f = lambda: df['nope']"),
    ("short circuit", [FRAME], "False and df['nope']"),
    ("write then read file", [FRAME], "df.to_csv('made.csv')\npd.read_csv('made.csv')"),
    ("stateless transform", [FRAME, "from sklearn.preprocessing import Normalizer"],
     "Normalizer().transform(df[['price', 'qty']])"),
    ("vectorizer takes 1-D", [FRAME, "from sklearn.feature_extraction.text import CountVectorizer"],
     "CountVectorizer().fit(pd.Series(['red apple', 'green pear']))"),
    ("column by attribute", [FRAME], "df.price.sum()"),
    ("index label drop", [FRAME], "df.drop(0)"),
    ("kwargs callee", [FRAME], "df.plot(kind='bar', colr='red') if False else None"),
    ("inplace rename then read", [FRAME], "df.rename(columns={'qty': 'n'}, inplace=True)\ndf['n'].sum()"),
]


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("predict")
    notebook = folder / "pairs.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("pass", id="only")]), notebook)
    driver = KernelDriver(notebook=notebook)
    yield driver
    driver.shutdown()


def run_variant(kernel, setup: list[str], cell: str):
    kernel.run("%reset -f", cell_id="reset")
    for i, code in enumerate(setup):
        run = kernel.run(code, cell_id=f"setup-{i}")
        assert run.status == "ok", (code, run.error)
    return kernel.run(cell, cell_id="target")


def warned(run, key: str) -> bool:
    return any(key in (w.get("key"), *w.get("names", [])) or key in w.get("message", "") for w in run.warnings)


@pytest.mark.parametrize("name,setup,buggy,fixed,key", PAIRS, ids=[p[0] for p in PAIRS])
def test_pair(kernel, name, setup, buggy, fixed, key):
    bad = run_variant(kernel, setup, buggy)
    assert bad.status == "error", f"{name}: the buggy cell did not crash"
    assert warned(bad, key), f"{name}: no warning naming {key!r}: {bad.warnings}"
    good = run_variant(kernel, setup, fixed)
    assert good.status == "ok", (name, good.error)
    assert not good.warnings, f"{name}: false alarm {good.warnings}"


@pytest.mark.parametrize("name,setup,cell", SAFE, ids=[s[0] for s in SAFE])
def test_safe_cell_has_no_warning(kernel, name, setup, cell):
    run = run_variant(kernel, setup, cell)
    assert run.status == "ok", (name, run.error)
    assert not run.warnings, f"{name}: false alarm {run.warnings}"


def test_block_mode_stops_a_predicted_crash(kernel):
    kernel.run("%nbcrash guard block")
    try:
        run = run_variant(kernel, [FRAME], "ran_marker = 1\ndf['prcie'].sum()")
        assert run.warnings and run.warnings[0]["blocked"] is True
        assert "ran_marker" not in kernel.run("print(sorted(globals()))").text
    finally:
        kernel.run("%nbcrash guard warn")


def test_warning_carries_kind_key_and_fix(kernel):
    run = run_variant(kernel, [FRAME], "df['prcie'].sum()")
    warning = run.warnings[0]
    assert warning["kind"] == "missing-column" and warning["key"] == "prcie"
    assert "'price'" in warning["fix"] and "'price'" in warning["message"]


@pytest.mark.parametrize("cell,meant", [("import Tkinter", "tkinter"), ("import Tkinter.ttk as ttk", "tkinter")])
def test_a_missing_module_warning_never_offers_to_install_what_is_meant(kernel, cell, meant):
    run = run_variant(kernel, [], cell)
    warning = next(w for w in run.warnings if w["kind"] == "module-not-installed")
    assert meant in warning["fix"] and "pip install" not in warning["fix"]


def test_detection_and_false_alarm_rates(kernel):
    detected = alarms = 0
    fixed_cells = len(PAIRS) + len(SAFE)
    for _, setup, buggy, fixed, key in PAIRS:
        detected += warned(run_variant(kernel, setup, buggy), key)
        alarms += bool(run_variant(kernel, setup, fixed).warnings)
    for _, setup, cell in SAFE:
        alarms += bool(run_variant(kernel, setup, cell).warnings)
    print(f"\npre-run prediction: {detected}/{len(PAIRS)} buggy cells warned naming the key "
          f"({detected / len(PAIRS):.0%}); {alarms}/{fixed_cells} fixed or safe cells warned "
          f"({alarms / fixed_cells:.1%})")
    assert detected / len(PAIRS) >= 0.9 and alarms == 0


class _Tripwire:
    """A user object whose attribute access, properties and calls record that they ran."""

    touched: list[str] = []
    shape = property(lambda self: _Tripwire.touched.append("shape") or (1, 2))
    columns = property(lambda self: _Tripwire.touched.append("columns") or ["a"])

    def __getattr__(self, name):
        _Tripwire.touched.append(name)
        raise AttributeError(name)

    def __len__(self):
        _Tripwire.touched.append("__len__")
        return 1


@pytest.mark.parametrize("cell", ["obj['a']", "obj.missing", "obj.fit(obj, obj)", "obj.predict([1])",
                                  "obj @ obj", "x = obj\nx['b']", "pd_like = obj.shape"])
def test_prediction_runs_no_user_code(cell):
    import numpy

    from nbcrash_kernel.live.predict import predict, worth_parsing

    source = f"np.ones(1)\n{cell}"  # a live module mentioned: the cell is parsed and walked
    namespace = {"obj": _Tripwire(), "np": numpy}
    _Tripwire.touched = []
    assert worth_parsing(source, namespace)
    assert predict(source, namespace) is None
    assert _Tripwire.touched == []


def test_fingerprints_run_no_user_code():
    from nbcrash_kernel.live.fingerprint import fingerprint_names

    _Tripwire.touched = []
    assert fingerprint_names({"obj": _Tripwire()}, ["obj"]) == {}
    assert _Tripwire.touched == []
