"""Write the demo notebooks: ``tour.ipynb`` and one small notebook per root cause.

Run ``python notebooks/make_notebooks.py`` after editing; the .ipynb files are committed
without outputs. Each notebook's metadata ``nbcrash.tour_order`` lists the cell ids in
the order a hurried user runs them (``nbcrash tour NOTEBOOK`` follows it), and
``nbcrash.expect`` the root cause each crash should get.
Everything runs offline; the tour needs only numpy and pandas (dependencies of nbcrash), the
other notebooks also matplotlib and scikit-learn's bundled datasets.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

IMPORTS = """import numpy as np
import pandas as pd
from sklearn.datasets import load_iris"""
LOAD = """iris = load_iris(as_frame=True)
df = iris.frame
df.head()"""


def code(cell_id: str, source: str):
    return new_code_cell(source, id=cell_id)


def md(cell_id: str, source: str):
    return new_markdown_cell(source, id=cell_id)


def notebook(title: str, cells: list, order: list[str], expect: dict[str, str]):
    nb = new_notebook(cells=[md("title", f"# {title}"), *cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["nbcrash"] = {"tour_order": order, "expect": expect}
    return nb


TOUR_LOAD = """rng = np.random.default_rng(0)
species = rng.integers(0, 3, 150)
df = pd.DataFrame({'sepal length (cm)': 5.0 + 0.8 * species + rng.normal(0, 0.3, 150),
                   'petal length (cm)': 1.5 + 2.0 * species + rng.normal(0, 0.4, 150),
                   'target': species})
df.head()"""


def tour():
    """The default tour: numpy and pandas only, so ``pip install nbcrash`` is enough to run it."""
    cells = [
        md("intro", "A small flower classifier (least squares on two measurements), run the way a "
                    "hurried person runs a notebook: some cells skipped, some run twice, typos on the way."),
        code("imports", "import numpy as np\nimport pandas as pd"),
        md("h-data", "## Load and explore the data"),
        code("load", TOUR_LOAD),
        code("explore", "df['petal length'].describe()"),
        code("explore-fixed", "df['petal length (cm)'].describe()"),
        code("group", "df.groupby('target').mean()"),
        md("h-split", "## Train / test split"),
        code("split", "X = df[['sepal length (cm)', 'petal length (cm)']].to_numpy()\n"
                      "X = np.column_stack([X, np.ones(len(X))])\ny = df['target'].to_numpy()\n"
                      "X_train, X_test, y_train, y_test = X[:112], X[112:], y[:112], y[112:]"),
        md("h-train", "## Training"),
        code("train", "weights, *_ = np.linalg.lstsq(X_train, y_train, rcond=None)\nweights"),
        md("h-eval", "## Evaluation"),
        code("evaluate", "predicted = np.clip(np.rint(X_test @ weights), 0, 2)\n"
                         "scores = pd.concat(pd.Series(predicted), pd.Series(y_test))"),
        code("report", "results = pd.DataFrame({'model': ['least squares'], 'accuracy': [0.97]})\n"
                       "results = results.append({'model': 'baseline', 'accuracy': 0.33}, ignore_index=True)"),
    ]
    order = ["imports", "load", "explore", "explore-fixed", "group", "train", "split", "train",
             "evaluate", "report"]
    expect = {"explore": "DATA", "train": "NB", "evaluate": "API", "report": "LIB"}
    return notebook("nbcrash tour", cells, order, expect)


def out_of_order():
    cells = [
        code("imports", IMPORTS + "\nfrom sklearn.model_selection import train_test_split\n"
                                  "from sklearn.linear_model import LogisticRegression"),
        code("load", LOAD),
        code("split", "X_train, X_test, y_train, y_test = train_test_split(\n"
                      "    df.drop(columns='target'), df['target'], random_state=0)"),
        code("train", "model = LogisticRegression(max_iter=500)\nmodel.fit(X_train, y_train)"),
    ]
    return notebook("NB: out-of-order execution", cells, ["imports", "load", "train"], {"train": "NB"})


def previous_cell_error():
    cells = [
        code("imports", IMPORTS),
        code("load", LOAD),
        code("features", "df['petal ratio'] = df['petal length (cm)'] / df['petal width']\n"
                         "features = df.drop(columns='target')"),
        code("use", "features.shape"),
    ]
    return notebook("NB: previous cell error", cells, ["imports", "load", "features", "use"],
                    {"features": "DATA", "use": "NB"})


def implementation_error():
    cells = [
        code("imports", IMPORTS),
        code("load", LOAD),
        code("stats", "def mean_by_class(frame):\n"
                      "    return frame.groupby('target').mean()\n\n"
                      "summary = mean_by_clas(df)"),
    ]
    return notebook("IMPL: implementation error", cells, ["imports", "load", "stats"], {"stats": "IMPL"})


def environment():
    cells = [
        code("imports", "import pandas as pd"),
        code("load", "df = pd.read_csv('data/iris.csv')\ndf.head()"),
    ]
    return notebook("ENV: file not found", cells, ["imports", "load"], {"load": "ENV"})


def api_misuse():
    cells = [
        code("imports", IMPORTS + "\nfrom sklearn.ensemble import RandomForestClassifier"),
        code("load", LOAD),
        code("model", "model = RandomForestClassifier(n_estimator=100)"),
    ]
    return notebook("API: wrong argument", cells, ["imports", "load", "model"], {"model": "API"})


def data_confusion():
    cells = [
        code("imports", IMPORTS),
        code("load", LOAD),
        code("column", "df['species'].value_counts()"),
    ]
    return notebook("DATA: a column that is not there", cells, ["imports", "load", "column"], {"column": "DATA"})


def library_change():
    cells = [
        code("imports", IMPORTS),
        code("load", LOAD),
        code("append", "extra = df.head(2)\ndf2 = df.append(extra)"),
    ]
    return notebook("LIB: an API the library removed", cells, ["imports", "load", "append"], {"append": "LIB"})


def resources():
    cells = [
        code("imports", "import numpy as np"),
        code("allocate", "distances = np.zeros((1_000_000, 1_000_000))"),
    ]
    return notebook("RSC: not enough memory", cells, ["imports", "allocate"], {"allocate": "RSC"})


NOTEBOOKS = {
    "tour.ipynb": tour,
    "nb_out_of_order.ipynb": out_of_order,
    "nb_previous_cell_error.ipynb": previous_cell_error,
    "impl_typo.ipynb": implementation_error,
    "env_missing_file.ipynb": environment,
    "api_wrong_argument.ipynb": api_misuse,
    "data_missing_column.ipynb": data_confusion,
    "lib_removed_api.ipynb": library_change,
    "rsc_out_of_memory.ipynb": resources,
}


def main() -> None:
    for name, build in NOTEBOOKS.items():
        nb = build()
        nbformat.validate(nb)
        nbformat.write(nb, HERE / name)
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
