"""Tests for nbcrash_kernel.facts.inference: which library a variable's value comes from."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbcrash_kernel.facts.cells import iter_code_cells
from nbcrash_kernel.facts.inference import infer_origins, infer_origins_for, library_of_call

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

ML_NOTEBOOK = [
    "import pandas as pd\nimport numpy as np\nimport torch\n"
    "from sklearn.model_selection import train_test_split\n",
    "%matplotlib inline\ndf = pd.read_csv('train.csv')\n",
    "y = df['target']\nX = df.drop(columns=['target'])\nmask = df.age > 30\n",
    "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)\n",
    "arr = np.zeros(3)\nt = torch.tensor([1.0])\nn = len(df)\nname = 'model'\n",
]


def test_library_of_call():
    assert library_of_call("sklearn.model_selection.train_test_split") == "sklearn"
    assert library_of_call("tensorflow.keras.models.Sequential") == "tensorflow"
    assert library_of_call("pandas") == "pandas"
    assert library_of_call(".local.helper") is None
    assert library_of_call("") is None and library_of_call(None) is None


def test_origins_from_calls_subscripts_methods_and_unpacking():
    origins = infer_origins(ML_NOTEBOOK)
    assert origins["df"] == "pandas"
    assert origins["y"] == "pandas" and origins["X"] == "pandas" and origins["mask"] == "pandas"
    for name in ("X_train", "X_test", "y_train", "y_test"):
        assert origins[name] == "sklearn"
    assert origins["arr"] == "numpy" and origins["t"] == "torch"
    assert origins["np"] == "numpy"  # module aliases map to their library
    assert "n" not in origins and "name" not in origins  # builtins and literals are plain Python


def test_keras_model_from_tensorflow_or_keras():
    via_tf = ["from tensorflow.keras.models import Sequential\nmodel = Sequential()\n"]
    via_keras = ["from keras.models import Sequential\nfrom keras.layers import Dense\n",
                 "model = Sequential()\nmodel.add(Dense(1))\nhistory = model.fit(X, y)\n"]
    assert infer_origins_for(via_tf, "model") == "tensorflow"
    assert infer_origins_for(via_keras, "model") == "keras"
    assert infer_origins_for(via_keras, "history") == "keras"


def test_star_import_of_a_single_library_explains_capitalised_constructors():
    assert infer_origins_for(["from keras.models import *\nm = Sequential()\n"], "m") == "keras"


def test_rebinding_to_plain_python_forgets_the_origin():
    sources = ["import pandas as pd\ndf = pd.DataFrame()\n", "df = [1, 2]\n"]
    assert infer_origins_for(sources, "df") is None


def test_execution_order_matters():
    sources = ["x = [1]\n", "import numpy as np\nx = np.array(x)\n"]
    assert infer_origins_for(sources, "x") == "numpy"
    assert infer_origins_for(list(reversed(sources)), "x") is None


def test_return_value_of_a_notebook_function():
    sources = ["import pandas as pd\n",
               "def load(path):\n    frame = pd.read_csv(path)\n    return frame.dropna()\n",
               "data = load('a.csv')\n"]
    assert infer_origins_for(sources, "data") == "pandas"


def test_conventional_alias_without_import_in_the_given_cells():
    assert infer_origins_for(["a = np.ones(2)\n"], "a") == "numpy"


def test_stdlib_values_are_not_library_origins():
    assert infer_origins_for(["import os\nfiles = os.listdir('.')\n"], "files") is None


def test_cells_that_do_not_parse_are_skipped():
    sources = ["import numpy as np\n", "x = (\n", "z = np.eye(2)\n"]
    assert infer_origins_for(sources, "z") == "numpy"


def test_user_class_takes_the_origin_of_its_base():
    sources = ["import torch.nn as nn\n",
               "class Net(nn.Module):\n    def forward(self, x):\n        return x\n",
               "net = Net()\n"]
    assert infer_origins_for(sources, "net") == "torch"


def test_astroid_fallback_follows_methods_the_cheap_pass_does_not(tmp_path, monkeypatch):
    package = tmp_path / "nbcrash_fakelib"
    package.mkdir()
    (package / "__init__.py").write_text("class Frame:\n    pass\ndef load():\n    return Frame()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    sources = ["import nbcrash_fakelib\n",
               "class Box:\n    def get(self):\n        return nbcrash_fakelib.load()\n",
               "value = Box().get()\n"]
    assert infer_origins_for(sources, "value") is None  # cheap pass: methods are not followed
    assert infer_origins_for(sources, "value", astroid_budget=10.0) == "nbcrash_fakelib"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=60), max_size=5))
def test_never_raises(sources):
    assert isinstance(infer_origins(sources), dict)


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus folder absent")
def test_corpus_notebooks_infer_pandas_frames():
    notebooks_with_read_csv = frames = 0
    for path in sorted(CORPUS.rglob("*.ipynb"))[:150]:
        sources = list(iter_code_cells(json.loads(path.read_text(encoding="utf-8"))))
        origins = infer_origins(sources)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in origins.items())
        if any("pd.read_csv(" in s for s in sources):
            notebooks_with_read_csv += 1
            frames += "pandas" in {v for k, v in origins.items() if k != "pd"}
    assert notebooks_with_read_csv > 0
    assert frames / notebooks_with_read_csv > 0.8
