"""Small programs that crash, each with the suggestion a trustworthy card must carry.

nbcrash's own cases (written for this suite, one per hint of issue 13 and more):
``code`` runs as one notebook cell after ``setup`` (another cell), and the card's
fixes must contain ``expect`` (any one of them, when a tuple). ``forbid`` lists
claims that would be wrong for that program.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    id: str
    code: str
    expect: str | tuple[str, ...]
    setup: str = ""
    forbid: tuple[str, ...] = ()

    @property
    def expected(self) -> tuple[str, ...]:
        return self.expect if isinstance(self.expect, tuple) else (self.expect,)


C = Case
NAMES = [
    C("name-typo-local", "counter = 1\nprint(countr)", "`counter`"),
    C("name-typo-builtin", "lenght = 3\nprnt(lenght)", "`print`"),
    C("name-typo-len", "items = [1]\nlne(items)", "`len`"),
    C("name-case", "Total = 5\nprint(total)", "`Total`"),
    C("name-true", "flag = true", "`True`"),
    C("name-false", "flag = false", "`False`"),
    C("name-null", "value = null", "`None`"),
    C("name-none-lower", "value = none", "`None`"),
    C("name-TRUE", "ok = TRUE", "`True`"),
    C("name-np", "np.zeros(3)", "import numpy as np"),
    C("name-pd", "pd.DataFrame({'a': [1]})", "import pandas as pd"),
    C("name-plt", "plt.plot([1, 2])", "import matplotlib.pyplot as plt"),
    C("name-math", "math.sqrt(4)", "import math"),
    C("name-os", "os.getcwd()", "import os"),
    C("name-json", "json.dumps({})", "import json"),
    C("name-Math", "Math.cos(0)", "`math`", forbid=("atanh",)),
    C("name-random", "random.random()", "import random"),
    C("name-self-attr", "class Box:\n    def __init__(self):\n        self.width = 3\n    def area(self):\n        return width * 2\nBox().area()",
      "`self.width`"),
    C("name-func-typo", "def compute_mean(v):\n    return sum(v) / len(v)\ncompute_maen([1, 2])", "`compute_mean`"),
    C("name-in-function-typo", "def f(values):\n    return sum(valeus)\nf([1])", "`values`"),
    C("name-free-variable", "def outer():\n    def inner():\n        return total\n    inner()\n    total = 1\nouter()",
      "`total`", forbid=("``",)),
    C("name-class-typo", "class DataLoaderX:\n    pass\nDataLoaderY()", "`DataLoaderX`"),
    C("name-plural", "scores = [1, 2]\nprint(score)", "`scores`"),
    C("name-underscore", "train_data = [1]\nprint(traindata)", "`train_data`"),
    C("name-sns", "sns.histplot([1, 2])", "import seaborn as sns"),
    C("name-collections", "collections.Counter('ab')", "import collections"),
    C("name-string-method-global", "text = 'a'\nprint(txet)", "`text`"),
]
UNBOUND = [
    C("unbound-global", "count = 0\ndef bump():\n    count += 1\nbump()", "global count",
      forbid=("Define `count` before",)),
    C("unbound-global-read-then-assign", "rate = 0.1\ndef step():\n    print(rate)\n    rate = 0.2\nstep()", "global rate"),
    C("unbound-nonlocal", "def outer():\n    n = 0\n    def inc():\n        n += 1\n    inc()\nouter()", "nonlocal n"),
    C("unbound-local-only", "def f(flag):\n    if flag:\n        result = 1\n    return result\nf(False)",
      "Assign `result`"),
    C("unbound-loop", "def g():\n    for i in []:\n        last = i\n    return last\ng()", "Assign `last`"),
]
ATTRIBUTES = [
    C("attr-str-typo", "'abc'.uper()", "`.upper`"),
    C("attr-list-typo", "xs = [3, 1]\nxs.apend(2)", "`.append`"),
    C("attr-dict-typo", "d = {}\nd.iteritems()", "`.items`"),
    C("attr-module-typo", "import math\nmath.sqroot(4)", "`.sqrt`"),
    C("attr-module-case", "import math\nmath.Pi", "`.pi`"),
    C("attr-none", "x = None\nx.b", "None", forbid=("matplotlib", "visible=")),
    C("attr-user-class-b", "class P:\n    pass\nP().b", "P", forbid=("matplotlib", "visible=")),
    C("attr-slots", "class S:\n    __slots__ = ('a',)\ns = S()\ns.b = 1", "__slots__", forbid=("matplotlib", "visible=")),
    C("attr-user-typo", "class Car:\n    def __init__(self):\n        self.speed = 1\nCar().sped", "`.speed`"),
    C("attr-sort-none", "xs = [3, 1].sort()\nxs.append(1)", "None"),
    C("attr-submodule", "import xml\nxml.dom.minidom", "import xml.dom"),
    C("attr-df-column", "import pandas as pd\ndf = pd.DataFrame({'price': [1]})\ndf.prices", "['price']"),
    C("attr-df-method", "import pandas as pd\ndf = pd.DataFrame({'a': [1]})\ndf.drop_duplicate()", "`.drop_duplicates`"),
    C("attr-np-typo", "import numpy as np\nnp.arange(3).resahpe(3, 1)", "`.reshape`"),
    C("attr-np-module", "import numpy as np\nnp.zeroes(3)", "`.zeros`"),
    C("attr-int", "n = 5\nn.bit_lenght()", "`.bit_length`"),
    C("attr-int-cut", "n = 5\nn.real_part", "`.real`"),
    C("attr-class-typo", "class K:\n    LIMIT = 3\nK.LIMTI", "`.LIMIT`"),
    C("attr-sklearn-fitted", "from sklearn.linear_model import LinearRegression\nLinearRegression().coef_", ".fit("),
    C("attr-str-lowercase", "'A'.lowercase()", "`.lower`"),
    C("attr-set-typo", "s = {1}\ns.ad(2)", "`.add`"),
    C("attr-tuple-append", "t = (1, 2)\nt.apend(3)", ("`.count`", "`.index`", "tuple")),
    C("attr-df-np-removed", "import numpy as np\nnp.float(1)", ("float64", "float")),
]
KEYS = [
    C("key-typo", "d = {'price': 1}\nd['prise']", "['price']"),
    C("key-case", "d = {'Name': 1}\nd['name']", "['Name']"),
    C("key-space", "d = {' price': 1}\nd['price']", "[' price']"),
    C("key-tuple-as-str", "d = {(0, 0): 1}\nd['(0, 0)']", "the tuple `(0, 0)`"),
    C("key-int-as-str", "d = {1: 'a'}\nd['1']", "the int `1`"),
    C("key-str-as-int", "d = {'1': 'a'}\nd[1]", "the str `'1'`"),
    C("key-df-column", "import pandas as pd\ndf = pd.DataFrame({'Age': [1]})\ndf['age']", "['Age']"),
    C("key-df-typo", "import pandas as pd\ndf = pd.DataFrame({'salary': [1]})\ndf['salery']", "['salary']"),
    C("key-df-space", "import pandas as pd\ndf = pd.DataFrame({'total ': [1]})\ndf['total']", "['total ']"),
    C("key-nested", "cfg = {'model': {'lr': 1}}\ncfg['model']['lrr']", ("['lr']", "lr")),
    C("key-npz", "import numpy as np, io\nbuf = io.BytesIO()\nnp.savez(buf, weights=np.ones(2))\nbuf.seek(0)\narc = np.load(buf)\narc['weight']",
      "`'weights'`", forbid=("columns.tolist",)),
    C("key-absent", "d = {'a': 1}\nd['zzz_unrelated']", ("`.get", "list(d", "keys")),
]
ARGUMENTS = [
    C("kw-typo-user", "def train(data, epochs=1):\n    return data\ntrain([1], epoch=3)", "`epochs=`"),
    C("kw-typo-sklearn", "from sklearn.linear_model import LogisticRegression\nLogisticRegression(max_iters=10)", "`max_iter=`"),
    C("kw-typo-pandas", "import pandas as pd\npd.DataFrame({'a': [1]}).sort_values(bye='a')", "`by=`"),
    C("kw-typo-sorted", "def rank(items, reverse=False):\n    return items\nrank([1], revers=True)", "`reverse=`"),
    C("kw-unknown", "def f(a):\n    return a\nf(1, zzz=2)", ("Remove `zzz=`", "zzz")),
    C("args-missing", "def area(w, h):\n    return w * h\narea(3)", "`h`"),
    C("args-too-many", "def one(x):\n    return x\none(1, 2)", "1 positional argument"),
    C("args-method-no-self", "class A:\n    def run():\n        return 1\nA().run()", "`self`"),
    C("args-multiple", "def f(a, b):\n    return a\nf(1, a=2)", "once"),
    C("args-unbound-method", "class A:\n    def run(self):\n        return 1\nA.run()", "instance"),
    C("kw-typo-range", "import numpy as np\nnp.linspace(0, 1, nums=5)", "`num=`"),
    C("kw-class-init", "class Model:\n    def __init__(self, layers=2):\n        self.layers = layers\nModel(layer=3)", "`layers=`"),
]
MODULES = [
    C("mod-tkinter", "import Tkinter", "import tkinter", forbid=("pip install Tkinter", "pip install tkinter")),
    C("mod-os-pathh", "import os.pathh", "import os.path", forbid=("pip install os",)),
    C("mod-configparser", "import ConfigParser", "import configparser", forbid=("pip install",)),
    C("mod-urllib2", "import urllib2", "urllib.request", forbid=("pip install",)),
    C("mod-typo-stdlib", "import colections", "import collections", forbid=("pip install",)),
    C("mod-typo-installed", "import sklean", "import sklearn", forbid=("pip install",)),
    C("mod-typo-numpy", "import numpyy", "import numpy", forbid=("pip install",)),
    C("mod-submodule-typo", "import matplotlib.pyplt", "matplotlib.pyplot", forbid=("pip install",)),
    C("mod-renamed", "from sklearn.cross_validation import train_test_split", "sklearn.model_selection",
      forbid=("pip install scikit-learn", "pip install sklearn")),
    C("mod-renamed-grid", "from sklearn.grid_search import GridSearchCV", "sklearn.model_selection",
      forbid=("pip install",)),
    C("mod-missing", "import nbcrash_surely_missing_pkg", "pip install nbcrash-surely-missing-pkg"),
    C("mod-cpickle", "import cPickle", "import pickle", forbid=("pip install",)),
    C("mod-stringio", "import StringIO", "import io", forbid=("pip install",)),
    C("mod-queue", "import Queue", "import queue", forbid=("pip install",)),
    C("from-math-PI", "from math import PI", "import pi", forbid=("installed version does not provide",)),
    C("from-os-typo", "from os import getcwdd", "import getcwd"),
    C("from-collections", "from collections import Counterr", "import Counter"),
    C("from-sklearn-typo", "from sklearn.model_selection import train_test_splt", "import train_test_split"),
    C("from-sklearn-removed", "from sklearn.metrics import plot_confusion_matrix", "ConfusionMatrixDisplay",
      forbid=("pip install",)),
    C("from-itertools", "from itertools import permutation", "import permutations"),
]
TYPES = [
    C("call-int-literal", "3(4 + 4)", "3 * (4 + 4)", forbid=("overwritten",)),
    C("call-after-paren", "x = (1 + 2)(3)", "* (3)", forbid=("overwritten",)),
    C("call-float-var", "rate = 0.5\nrate(2)", "`rate` holds a float"),
    C("call-shadowed-list", "list = [1, 2]\nlist('ab')", "del list"),
    C("call-shadowed-sum", "sum = 3\nsum([1, 2])", "del sum"),
    C("call-module", "import tqdm\ntqdm([1])", ("from tqdm import tqdm", "tqdm.tqdm")),
    C("call-df", "import pandas as pd\ndf = pd.DataFrame({'a': [1]})\ndf('a')", "df['col']"),
    C("call-str", "name = 'x'\nname()", "`name` holds a str"),
    C("op-int-str", "1 + 'a'", "str(n)"),
    C("op-str-int-concat", "'age: ' + 3", "str(value)"),
    C("op-none", "x = None\nx + 1", "None"),
    C("op-list-int", "[1, 2] * 1.5", "convert the values to numbers"),
    C("op-list-minus", "[1, 2] - 1", "np.array"),
    C("concat-list-int", "[1] + 2", "lst + [value]"),
    C("subscript-int", "n = 5\nn[0]", "a number (int), not a list"),
    C("subscript-none", "def f():\n    pass\nf()[0]", "None"),
    C("subscript-function", "def f(x):\n    return x\nf[1]", "`(...)`, not `[...]`"),
    C("iter-int", "for i in 5:\n    pass", "range(n)"),
    C("iter-none", "for i in None:\n    pass", "None"),
    C("unhashable-list", "{[1, 2]: 'a'}", "tuple(x)"),
    C("unhashable-set", "s = {1}\nd = {s: 1}", "frozenset"),
    C("unhashable-dict-in-set", "{{'a': 1}}", "tuple"),
    C("str-item-assign", "s = 'abc'\ns[0] = 'z'", "build a new one"),
    C("tuple-item-assign", "t = (1, 2)\nt[0] = 5", "convert to a list"),
    C("compare-str-int", "'3' < 4", "int(s)"),
    C("len-int", "len(5)", "len(str(n))"),
    C("list-index-str", "xs = [1, 2]\nxs['a']", "int(i)"),
    C("list-index-float", "xs = [1, 2, 3]\nxs[3 / 2]", "i // 2"),
    C("string-indices", "s = '{\"a\": 1}'\ns['a']", "json.loads"),
    C("init-typo", "class P:\n    def __int__(self, x):\n        self.x = x\nP(1)", "__init__"),
    C("int-of-list", "int([1, 2])", "astype"),
    C("next-list", "next([1, 2])", "iter(x)"),
    C("unpack-int", "a, b = 5", "tuple"),
    C("mul-seq-float", "'ab' * 2.5", "convert"),
]
VALUES = [
    C("unpack-too-many", "a, b = [1, 2, 3]", "*rest"),
    C("unpack-not-enough", "a, b, c = [1, 2]", "*rest"),
    C("unpack-dict-loop", "d = {'a': 1, 'b': 2}\nfor k, v in d:\n    pass", ".items()"),
    C("int-decimal", "int('3.5')", "int(float('3.5'))"),
    C("int-word", "int('abc')", "to_numeric"),
    C("int-empty", "int('')", "empty"),
    C("float-word", "float('n/a')", "to_numeric"),
    C("float-thousands", "float('1,234')", "replace(',', '')"),
    C("math-domain-sqrt", "import math\nmath.sqrt(-1)", "cmath"),
    C("math-domain-log", "import math\nmath.log(0)", "domain"),
    C("list-remove", "xs = [1]\nxs.remove(5)", "if x in lst"),
    C("list-index", "[1, 2].index(9)", "if x in lst"),
    C("substring", "'abc'.index('z')", "s.find(sub)"),
    C("max-empty", "max([])", "default="),
    C("truth-array", "import numpy as np\na = np.arange(3)\nif a > 0:\n    pass", ".any()"),
    C("truth-series", "import pandas as pd\ns = pd.Series([1, 2])\nif s:\n    pass", ".all()"),
    C("closed-file", "import tempfile\nwith tempfile.TemporaryFile('w') as f:\n    pass\nf.write('x')", "with open"),
    C("strptime", "import datetime\ndatetime.datetime.strptime('2020-01-01', '%d/%m/%Y')", "format"),
]
INDEXES = [
    C("index-list", "xs = [1, 2, 3]\nxs[3]", "0 to 2"),
    C("index-tuple", "t = (1,)\nt[4]", "0 to 0"),
    C("index-str", "s = 'ab'\ns[5]", "0 to 1"),
    C("index-pop", "xs = []\nxs.pop()", "if items:"),
    C("index-numpy", "import numpy as np\nnp.zeros(5)[5]", "0 to 4"),
    C("index-numpy-axis1", "import numpy as np\nnp.zeros((2, 3))[0, 3]", "0 to 2"),
    C("index-too-many", "import numpy as np\nnp.zeros(3)[0, 1]", "reshape(-1, 1)"),
    C("index-iloc", "import pandas as pd\npd.DataFrame({'a': [1]}).iloc[5]", "len(df)"),
]
ARITHMETIC = [
    C("zero-div", "1 / 0", "x / y if y else"),
    C("zero-mod", "5 % 0", "divisor is zero"),
    C("zero-float", "total, n = 1.0, 0.0\ntotal / n", "guard the division"),
    C("overflow-pow", "2.0 ** 1600", "2 ** 1600", forbid=("number of values",)),
    C("overflow-exp", "import math\nmath.exp(1000)", "logarithms", forbid=("number of values",)),
    C("overflow-int-float", "float(10 ** 400)", "decimal.Decimal"),
    C("recursion", "def f(n):\n    return f(n - 1)\nf(3)", "base case"),
    C("stop-iteration", "it = iter([])\nnext(it)", "next(it, default)"),
    C("assert", "x = 1\nassert x == 2", "assert"),
    C("not-implemented", "class Base:\n    def run(self):\n        raise NotImplementedError\nBase().run()", "subclass"),
    C("file-missing", "open('surely_missing_file_123.csv')", ("%pwd", "working directory")),
    C("json-empty", "import json\njson.loads('')", "not JSON"),
    C("file-exists", "import os, tempfile\nd = tempfile.mkdtemp()\nos.makedirs(d)", "exist_ok=True"),
    C("is-a-directory", "open('.')", "folder"),
]
ML = [
    C("ml-2d-expected", "import numpy as np\nfrom sklearn.linear_model import LinearRegression\nX = np.arange(5.0)\nLinearRegression().fit(X, X)",
      "reshape(-1, 1)"),
    C("ml-2d-df-column", "import pandas as pd\nfrom sklearn.linear_model import LinearRegression\ndf = pd.DataFrame({'x': [1.0, 2, 3], 'y': [1.0, 2, 3]})\nLinearRegression().fit(df['x'], df['y'])",
      "df[['x']]"),
    C("ml-matmul-transpose", "import numpy as np\nX_test = np.ones((5, 3))\nW = np.ones((3, 2))\nX_test @ W.T",
      "X_test @ W`"),
    C("ml-matmul-plain", "import numpy as np\nA = np.ones((4, 3))\nB = np.ones((4, 3))\nA @ B", "A @ B.T"),
    C("ml-dot", "import numpy as np\nA = np.ones((4, 3))\nB = np.ones((4, 3))\nnp.dot(A, B)", "A @ B.T"),
    C("ml-broadcast-rows", "import numpy as np\nM = np.ones((3, 4))\nv = np.ones(3)\nM - v", "v[:, None]"),
    C("ml-broadcast-other", "import numpy as np\nnp.ones((2, 3)) + np.ones((4, 5))", "equal or 1"),
    C("ml-not-fitted", "import numpy as np\nfrom sklearn.linear_model import LinearRegression\nLinearRegression().predict(np.ones((2, 1)))",
      ".fit(X, y)"),
    C("ml-n-features", "import numpy as np\nfrom sklearn.linear_model import LinearRegression\nm = LinearRegression().fit(np.ones((4, 2)), np.ones(4))\nm.predict(np.ones((2, 3)))",
      "same 2 feature"),
    C("ml-inconsistent", "import numpy as np\nfrom sklearn.linear_model import LinearRegression\nLinearRegression().fit(np.ones((4, 2)), np.ones(3))",
      "one row per sample"),
    C("ml-feature-names", "import pandas as pd\nfrom sklearn.linear_model import LinearRegression\nm = LinearRegression().fit(pd.DataFrame({'a': [1.0, 2], 'b': [1.0, 3]}), [1, 2])\nm.predict(pd.DataFrame({'b': [1.0], 'a': [2.0]}))",
      "feature_names_in_"),
    C("ml-nan", "import numpy as np\nfrom sklearn.linear_model import LinearRegression\nLinearRegression().fit(np.array([[1.0], [np.nan]]), [1, 2])",
      ("dropna", "fillna", "Imput")),
    C("ml-mixed-targets", "from sklearn.metrics import accuracy_score\naccuracy_score([0, 1, 1], [0.2, 0.7, 0.9])",
      "threshold the probabilities", forbid=("isna",)),
    C("ml-continuous-labels", "import numpy as np\nfrom sklearn.linear_model import LogisticRegression\n"
      "LogisticRegression().fit(np.ones((3, 1)), [0.5, 1.5, 2.5])", "regressor"),
    C("ml-reshape", "import numpy as np\nnp.arange(10).reshape(3, 4)", ("reshape", "shape")),
    C("ml-pandas-length", "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2]})\ndf['b'] = [1, 2, 3]", ("length", "shape", "rows")),
]
CASES: list[Case] = NAMES + UNBOUND + ATTRIBUTES + KEYS + ARGUMENTS + MODULES + TYPES + VALUES + INDEXES + ARITHMETIC + ML

# Records without a live kernel (libraries not installed here, or CPython 3.12+ messages):
# (ename, evalue, traceback text, expected suggestion).
RECORDS = [
    ("RuntimeError", "Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!",
     "", ".to(device)"),
    ("RuntimeError", "expected scalar type Float but found Double", "", ".float()"),
    ("RuntimeError", "mat1 and mat2 must have the same dtype", "", ".float()"),
    ("RuntimeError", "mat1 and mat2 shapes cannot be multiplied (64x100 and 50x10)", "", "nn.Linear(100, 10)"),
    ("RuntimeError", "Input type (torch.FloatTensor) and weight type (torch.cuda.FloatTensor) should be the same", "",
     "model.to(device)"),
    ("TypeError", "can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.",
     "", ".cpu().numpy()"),
    ("ValueError", "Input 0 of layer \"dense\" is incompatible with the layer: expected axis -1 of input shape to have value 784, "
     "but received input with shape (None, 28, 28)", "", "Flatten()"),
    ("ImportError", "cannot import name 'PI' from 'math' (/usr/lib/python3.12/lib-dynload/math.so)",
     "ImportError: cannot import name 'PI' from 'math'. Did you mean: 'pi'?", "import pi"),
    ("NameError", "name 'mth' is not defined", "NameError: name 'mth' is not defined. Did you mean: 'math'?", "`math`"),
    ("NameError", "name 'sys' is not defined", "NameError: name 'sys' is not defined. Did you forget to import 'sys'?",
     "import sys"),
    ("ModuleNotFoundError", "No module named 'Tkinter'", "", "import tkinter"),
    ("ModuleNotFoundError", "No module named 'sklearn.cross_validation'", "", "sklearn.model_selection"),
    ("AttributeError", "'NoneType' object has no attribute 'b'", "", "None"),
    ("ValueError", "shapes (5,3) and (2,3) not aligned: 3 (dim 1) != 2 (dim 0)", "", "@"),
    ("OverflowError", "(34, 'Numerical result out of range')", "", "2 ** 1600"),
    ("ZeroDivisionError", "division by zero", "", "guard the division"),
    ("RecursionError", "maximum recursion depth exceeded", "", "base case"),
    ("KeyError", "'weight is not a file in the archive'", "", ".files"),
    ("ValueError", "Classification metrics can't handle a mix of binary and continuous targets", "",
     "threshold the probabilities"),
]

MORE = [
    C("attr-list-length", "xs = [1, 2]\nxs.length", "len(x)"),
    C("attr-list-push", "xs = []\nxs.push(1)", "x.append(v)"),
    C("attr-str-append", "s = 'ab'\ns.append('c')", "method of list"),
    C("attr-list-lower", "names = ['A']\nnames.lower()", "[v.lower() for v in x]"),
    C("attr-str-decode", "'abc'.decode('utf-8')", "already a str"),
    C("attr-dict-append", "d = {}\nd.append(1)", "method of list"),
    C("attr-int-append", "n = 1\nn.append(2)", "method of list"),
    C("attr-str-trim", "' a '.trim()", "s.strip()"),
    C("attr-shadowed-module", "import pathlib\npathlib.Path('random.py').write_text('x = 1')\nimport importlib, sys\n"
      "sys.path.insert(0, '.')\nsys.modules.pop('random', None)\nimport random\ntry:\n    random.randint(1, 2)\nfinally:\n"
      "    sys.path.remove('.')\n    sys.modules.pop('random', None)\n    pathlib.Path('random.py').unlink()", "shadows"),
    C("name-nan", "x = nan", "float('nan')"),
    C("name-inf", "x = -inf", "math.inf"),
    C("iter-method", "d = {'a': 1}\nfor k, v in d.items:\n    pass", "add `()`"),
    C("in-int", "3 in 5", "`in` needs a container"),
    C("range-str", "range('3')", "int(x)"),
    C("percent-format", "'%s' % (1, 2)", "f-string"),
    C("join-ints", "', '.join([1, 2])", "map(str, items)"),
    C("unary-str", "-'3'", "-float(x)"),
    C("len-generator", "len(x for x in [1])", "len(list(it))"),
    C("popitem-empty", "{}.popitem()", "if d:"),
    C("circular-import", "import pathlib, sys\npathlib.Path('nbc_circ.py').write_text('from nbc_circ import thing\\n')\n"
      "sys.path.insert(0, '.')\ntry:\n    import nbc_circ\nfinally:\n    sys.path.remove('.')\n    pathlib.Path('nbc_circ.py').unlink()",
      "rename it"),
]
CASES += MORE
