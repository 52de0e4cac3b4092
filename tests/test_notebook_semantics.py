"""Notebook-in-view verdicts from how Jupyter executes: re-runs, names bound to None, the notebook's
own literals, unfitted models, restarts, names bound where no static reading sees.

Saved notebooks are the crash zoo's real executed notebooks (audited as `nbcrash audit` does) or
small notebooks written here; the live tests run a real kernel with nbcrash loaded.
"""
from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from benchmarks.zoo.records import HERE as ZOO, load_records
from nbcrash_kernel.audit.notebook import audit_notebook

RECORDS = {r["case"]: r for r in load_records()}


def zoo_crash(case: str) -> dict:
    record = RECORDS[case]
    report = audit_notebook(str(ZOO / record["notebook"]))
    return next(c for c in report.crashes if c["cell_index"] == record["cell_index"])


def rule_of(crash: dict) -> str:
    return crash["trace"]["root_cause"]["rule"]


def saved(tmp_path, cells, name="nb.ipynb") -> dict:
    """A saved notebook of ``(source, execution count, error (ename, evalue, line) or None)``; its crashes."""
    nb = new_notebook()
    for source, count, error in cells:
        outputs = []
        if error:
            ename, evalue, line = error
            traceback = ["Traceback (most recent call last):", f"Cell In[{count}], line {line}",
                         f"{ename}: {evalue}"]
            outputs = [new_output("error", ename=ename, evalue=evalue, traceback=traceback)]
        nb.cells.append(new_code_cell(source, execution_count=count, outputs=outputs))
    path = tmp_path / name
    nbformat.write(nb, path)
    return audit_notebook(str(path)).crashes


# -- a cell run again on its own output ------------------------------------------------------------

@pytest.mark.parametrize("case", ["notebook-pop-twice-01", "notebook-reshape-twice-01", "notebook-dummies-twice-01"])
def test_a_cell_run_twice_on_its_own_output_is_execution_order(case):
    crash = zoo_crash(case)
    count = RECORDS[case]["execution_count"]
    assert (crash["root_cause"], crash["root_cause_detail"], rule_of(crash)) == (
        "NB", "nb specific - execution order", "RC-NB-RERUN")
    assert f"no cell shows In [{count - 1}]" in " ".join(crash["evidence"])
    assert [(c["role"], c["execution_count"]) for c in crash["related_cells"]] == [("rerun", count)]


DROP = "df = df.drop(columns=['city'])"
KEY = ("KeyError", "\"['city'] not found in axis\"", 1)


def test_no_rerun_without_a_hidden_run(tmp_path):
    """Counts one after the other: nothing ran in between, the column was never there (the record's rules decide)."""
    [crash] = saved(tmp_path, [("import pandas as pd\ndf = pd.DataFrame({'a': [1]})", 1, None), (DROP, 2, KEY)])
    assert rule_of(crash) != "RC-NB-RERUN"


def test_no_rerun_when_the_cell_makes_its_input_afresh(tmp_path):
    source = "df = pd.DataFrame({'a': [1]})\n" + DROP
    [crash] = saved(tmp_path, [("import pandas as pd", 1, None), (source, 3, ("KeyError", KEY[1], 2))])
    assert rule_of(crash) != "RC-NB-RERUN"


def test_no_rerun_for_a_key_the_statement_does_not_remove(tmp_path):
    [crash] = saved(tmp_path, [("import pandas as pd\ndf = pd.DataFrame({'a': [1]})", 1, None),
                               (DROP, 3, ("KeyError", "\"['town'] not found in axis\"", 1))])
    assert rule_of(crash) != "RC-NB-RERUN"


# -- a name bound to None by the notebook -----------------------------------------------------------

@pytest.mark.parametrize("case, why", [("stdlib-attr-none-01", "`sort()` changes the object in place"),
                                       ("stdlib-none-subscript-01", "returns no value")])
def test_a_name_the_notebook_binds_to_none_is_implementation(case, why):
    crash = zoo_crash(case)
    assert (crash["root_cause"], rule_of(crash)) == ("IMPL", "RC-NB-BOUND-TO-NONE")
    assert why in " ".join(crash["evidence"])


def test_a_library_call_that_returns_none_is_not_blamed(tmp_path):
    """``re.match`` returns None on no match: data, not the notebook's code."""
    [crash] = saved(tmp_path, [("import re\nm = re.match('a', 'b')", 1, None),
                               ("m.group(0)", 2, ("AttributeError", "'NoneType' object has no attribute 'group'", 1))])
    assert rule_of(crash) != "RC-NB-BOUND-TO-NONE"


# -- the notebook's own literals ---------------------------------------------------------------------

@pytest.mark.parametrize("case", ["stdlib-dict-key-01", "stdlib-list-index-01", "stdlib-zero-division-01",
                                  "stdlib-dict-changed-01"])
def test_a_crash_on_the_notebooks_own_literals_is_implementation(case):
    crash = zoo_crash(case)
    assert (crash["root_cause"], rule_of(crash)) == ("IMPL", "RC-NB-LITERAL-VALUES")
    assert "as a literal" in " ".join(crash["evidence"])


def test_a_frame_built_from_a_literal_is_still_data():
    """pd.DataFrame({...}) is a library call: its columns are data (the zoo labels the missing column DATA)."""
    crash = zoo_crash("pandas-missing-column-01")
    assert rule_of(crash) != "RC-NB-LITERAL-VALUES"


def test_a_literal_filled_in_later_is_no_longer_the_literal(tmp_path):
    fill = "totals = []\nfor v in range(3):\n    totals.append(v)"
    [crash] = saved(tmp_path, [(fill, 1, None), ("totals[7]", 2, ("IndexError", "list index out of range", 1))])
    assert rule_of(crash) != "RC-NB-LITERAL-VALUES"


# -- models used before fitting -------------------------------------------------------------------------

def test_an_unfitted_model_no_cell_fits_is_api_misuse():
    crash = zoo_crash("sklearn-not-fitted-01")
    assert (crash["root_cause"], rule_of(crash)) == ("API", "RC-NB-NEVER-FITTED")


def test_backward_twice_is_not_a_model_left_unfitted():
    assert "fits" not in " ".join(zoo_crash("torch-backward-twice-01")["evidence"])


def test_a_module_is_never_the_model_left_unfitted(tmp_path):
    cells = [("import matplotlib.pyplot as plt\nfrom sklearn.decomposition import PCA\npca = PCA(2)", 1, None),
             ("plt.imshow(pca.components_)", 2,
              ("AttributeError", "'PCA' object has no attribute 'components_'", 1))]
    [crash] = saved(tmp_path, cells)
    assert crash["trace"]["root_cause"]["why"] == "no other cell of the notebook fits `pca` before it is used"


# -- restarts, and names bound where no static reading sees ------------------------------------------

def test_a_name_bound_only_before_a_restart_is_execution_order(tmp_path):
    cells = [("import numpy as np", 1, None), ("X_train = np.ones(3)", 2, None), ("print(1)", 2, None),
             ("X_train.sum()", 3, ("NameError", "name 'X_train' is not defined", 1))]
    [crash] = saved(tmp_path, cells)
    assert (crash["root_cause"], rule_of(crash)) == ("NB", "RC-NB-EARLIER-SESSION")
    assert "cell #2" in " ".join(crash["evidence"])
    assert [c["index"] for c in crash["related_cells"]] == [1]


def test_one_session_gives_no_restart(tmp_path):
    """Bound in the same session yet missing (the cell was edited since it ran): no verdict from the notebook."""
    cells = [("X_train = 1", 1, None), ("X_train + 1", 2, ("NameError", "name 'X_train' is not defined", 1))]
    [crash] = saved(tmp_path, cells)
    assert rule_of(crash) != "RC-NB-EARLIER-SESSION"


@pytest.mark.parametrize("opaque", ["from helpers import *", "%run helpers.py", "%store -r", "exec(open('h.py').read())",
                                    "run helpers.py", "store -r"])
def test_defined_nowhere_is_unproven_beside_code_that_binds_unseen_names(tmp_path, opaque):
    cells = [(opaque, 1, None), ("print(threshold)", 2, ("NameError", "name 'threshold' is not defined", 1))]
    [crash] = saved(tmp_path, cells)
    assert not rule_of(crash).startswith("RC-NB-UNDEFINED")


@pytest.mark.parametrize("plain", ["x = 1", "x = engine.exec(query)", "run = 3"])
def test_defined_nowhere_is_still_implementation_in_a_plain_notebook(tmp_path, plain):
    cells = [(plain, 1, None), ("print(threshold)", 2, ("NameError", "name 'threshold' is not defined", 1))]
    [crash] = saved(tmp_path, cells)
    assert (crash["root_cause"], rule_of(crash)) == ("IMPL", "RC-NB-UNDEFINED-VARIABLE")


# -- live: the same verdicts from a real kernel ----------------------------------------------------------

LIVE = [("sorted", "items = [3, 1, 2]\nitems = items.sort()"), ("use", "items.append(4)"),
        ("frame", "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2], 'city': ['x', 'y']})"),
        ("drop", "df = df.drop(columns=['city'])")]


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    from nbcrash_kernel.live.driver import KernelDriver

    path = tmp_path_factory.mktemp("live") / "live.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(src, id=cid) for cid, src in LIVE]), path)
    driver = KernelDriver(notebook=path)
    yield driver
    driver.shutdown()


@pytest.mark.slow
def test_live_a_name_bound_to_none(kernel):
    cells = dict(LIVE)
    assert kernel.run(cells["sorted"], cell_id="sorted").status == "ok"
    [card] = kernel.run(cells["use"], cell_id="use").crashes
    assert (card["root_cause"], card["trace"]["root_cause"]["rule"]) == ("IMPL", "RC-NB-BOUND-TO-NONE")


@pytest.mark.slow
def test_live_a_cell_run_twice(kernel):
    cells = dict(LIVE)
    assert kernel.run(cells["frame"], cell_id="frame").status == "ok"
    first = kernel.run(cells["drop"], cell_id="drop")
    assert first.status == "ok"
    [card] = kernel.run(cells["drop"], cell_id="drop").crashes
    assert (card["root_cause"], card["trace"]["root_cause"]["rule"]) == ("NB", "RC-NB-RERUN")
    assert "it ran before as In [" in json.dumps(card["evidence"])


@pytest.fixture(scope="module")
def kernel_without_notebook():
    """A kernel that cannot read its notebook (nbclient and jupyter_client set no JPY_SESSION_NAME)."""
    from nbcrash_kernel.live.driver import KernelDriver

    driver = KernelDriver()
    yield driver
    driver.shutdown()


def card_after(kernel, setup: str, line: str) -> dict:
    """Run ``setup`` (it must succeed), then ``line``: the one card of its crash."""
    assert kernel.run(setup).status == "ok"
    [card] = kernel.run(line).crashes
    return card


@pytest.mark.slow
def test_live_without_the_notebook_an_unknown_name_is_not_called_defined_nowhere(kernel_without_notebook):
    """Only the cells that ran are known: a cell that never ran may define the name, so no "defined nowhere"."""
    card = card_after(kernel_without_notebook, "import numpy as np", "model.fit(np.ones(3))")
    assert not card["trace"]["root_cause"]["rule"].startswith("RC-NB-UNDEFINED")
    assert card["root_cause"] == "NB"
    assert "no cell of the notebook defines" not in json.dumps(card)


@pytest.mark.slow
def test_live_without_the_notebook_a_typo_is_still_a_typo(kernel_without_notebook):
    card = card_after(kernel_without_notebook, "learning_rate = 0.1", "print(learning_rat)")
    assert (card["root_cause"], card["trace"]["root_cause"]["rule"]) == ("IMPL", "RC-NB-TYPO")
    assert "no cell that ran defines 'learning_rat'" in card["trace"]["root_cause"]["why"]


@pytest.mark.slow
def test_live_a_removed_numpy_alias_is_the_librarys_api_change(kernel_without_notebook):
    """numpy's module ``__getattr__`` raises AttributeError without ``obj``: the owner is unknown, not None."""
    card = card_after(kernel_without_notebook, "import numpy as np", "x = np.float(3)")
    assert (card["root_cause"], card["root_cause_detail"], card["library"]) == ("LIB", "API change", "numpy")


@pytest.mark.slow
def test_live_a_module_called_names_its_own_library_not_its_arguments(kernel_without_notebook):
    """A live module's type is ``module`` (builtins): its library is its own package, here before the DataFrame's."""
    setup = "import pandas as pd\nimport matplotlib.pyplot as plt\ntrain = pd.DataFrame({'a': [1, 2]})"
    card = card_after(kernel_without_notebook, setup, "plt(train)")
    assert (card["origin"], card["library"]) == ("ML", "matplotlib")


@pytest.mark.slow
def test_live_a_missing_function_touches_none_of_its_arguments(kernel_without_notebook):
    """``titanic = clean(titanic)``: Python loads ``clean`` before its argument, so no DataFrame took part."""
    setup = "import pandas as pd\ntitanic = pd.DataFrame({'a': [1.0, None]})"
    card = card_after(kernel_without_notebook, setup, "titanic = clean_rows(titanic)")
    assert card["origin"] == "PY"
    [card] = kernel_without_notebook.run("titanic.fillna(fill_value)").crashes
    assert (card["origin"], card["library"]) == ("ML", "pandas")  # the frame was read before the missing name


def test_a_statement_that_raised_bound_nothing(tmp_path):
    """``X = scale(X)`` failed: X still holds the array of the run before, and the old value is what it read."""
    cells = [("import numpy as np\nX = np.ones(3)", 1, None),
             ("def scale(values):\n    raise ValueError('bad scale')", 2, None),
             ("print('scaling')\nX = scale(X)", 3, ("ValueError", "bad scale", 2))]
    [crash] = saved(tmp_path, cells)
    assert (crash["origin"], crash["library"]) == ("ML", "numpy")


def test_a_failed_runs_completed_part_is_what_precedes_the_failing_statement():
    from nbcrash_kernel.classifier.run_sources import completed_part

    source = "import numpy as np\nX = np.ones(3)\nX = scale(\n    X)\nY = 1"
    assert completed_part(source, 4) == completed_part(source, 3) == "import numpy as np\nX = np.ones(3)"
    assert completed_part(source, None) == ""                                  # unknown: nothing known to be done
    assert completed_part("%matplotlib inline\nx = 1\ny = f(x)", 3) == "%matplotlib inline\nx = 1"


@pytest.mark.slow
def test_live_a_library_function_on_the_line_names_its_library(kernel_without_notebook):
    """A function's type is builtins' ``function``: its library is its own ``__module__`` (sklearn), read before X's."""
    setup = "import numpy as np\nfrom sklearn.model_selection import train_test_split\nX = np.ones((4, 2))\ny = np.ones(4)"
    card = card_after(kernel_without_notebook, setup, "X_train, X_test = train_test_split(X, y)")
    assert (card["origin"], card["library"]) == ("ML", "sklearn")


def test_the_library_of_a_module_is_read_without_calling_its_code():
    import types

    from nbcrash_kernel.classifier.signals import _library_of_object

    class Hostile(types.ModuleType):
        def __getattr__(self, name):
            raise RuntimeError("hostile")

        @property
        def __class__(self):
            raise RuntimeError("hostile")

    class Meta(type):
        @property
        def __module__(cls):
            raise RuntimeError("hostile")

    class Local(metaclass=Meta):
        pass

    assert _library_of_object(Hostile("torch.nn")) == "torch"
    assert _library_of_object(Local) == __name__.split(".")[0]  # where it was defined; the property never ran
    assert _library_of_object(types.ModuleType("json")) == "json" and _library_of_object(3) is None


def test_a_session_knows_every_cell_only_with_its_notebook_or_as_the_whole_session():
    from nbcrash_kernel.live.session import Session

    assert not Session({}).graph.knows_all_cells
    assert Session({}, whole_session=True).graph.knows_all_cells


# -- the notebook's own recursion -------------------------------------------------------------------------

def test_endless_recursion_in_the_notebooks_function_is_implementation():
    crash = zoo_crash("stdlib-recursion-01")
    assert (crash["root_cause"], rule_of(crash)) == ("IMPL", "RC-NB-ENDLESS-RECURSION")
    assert "calls itself until Python's recursion limit" in " ".join(crash["evidence"])


def test_recursion_inside_a_library_is_not_the_notebooks(tmp_path):
    frames = "\n".join('File "/usr/lib/python3.11/copy.py", line 146, in deepcopy\n    y = copier(x, memo)' for _ in range(3))
    nb = new_notebook(cells=[new_code_cell("import copy\nclone = copy.deepcopy(tree)", execution_count=1, outputs=[
        new_output("error", ename="RecursionError", evalue="maximum recursion depth exceeded",
                   traceback=["Traceback (most recent call last):", 'Cell In[1], line 2', frames,
                              "RecursionError: maximum recursion depth exceeded"])])])
    nbformat.write(nb, tmp_path / "lib.ipynb")
    [crash] = audit_notebook(str(tmp_path / "lib.ipynb")).crashes
    assert rule_of(crash) != "RC-NB-ENDLESS-RECURSION"


# -- review fixes: what returns None --------------------------------------------------------------------

SUBSCRIPT_NONE = ("TypeError", "'NoneType' object is not subscriptable", 1)


@pytest.mark.parametrize("define", ["def make():\n    yield 1\nrows = make()",
                                    "async def make():\n    pass\nrows = make()"])
def test_a_generator_or_coroutine_function_does_not_return_none(tmp_path, define):
    [crash] = saved(tmp_path, [(define, 1, None), ("rows[0]", 2, SUBSCRIPT_NONE)])
    assert rule_of(crash) != "RC-NB-BOUND-TO-NONE"


@pytest.mark.parametrize("binding", ["import torch.nn as nn\nact = nn.ReLU(inplace=True)",
                                     "import torch\nact = torch.nn.ReLU(inplace=True)",
                                     "import torch.nn.functional as F\nact = F.relu(x, inplace=True)"])
def test_a_module_function_with_inplace_does_not_return_none(tmp_path, binding):
    """``inplace=True`` makes a pandas method return None, not a module's function or class."""
    [crash] = saved(tmp_path, [(binding, 1, None), ("act(1)", 2, ("TypeError", "'NoneType' object is not callable", 1))])
    assert rule_of(crash) != "RC-NB-BOUND-TO-NONE"


def test_a_frame_method_with_inplace_returns_none(tmp_path):
    binding = "import pandas as pd\ndf = pd.DataFrame({'a': [1]})\ndf = df.dropna(inplace=True)"
    [crash] = saved(tmp_path, [(binding, 1, None), ("df['a']", 2, SUBSCRIPT_NONE)])
    assert rule_of(crash) == "RC-NB-BOUND-TO-NONE"
    assert "inplace=True" in " ".join(crash["evidence"])


@pytest.mark.parametrize("imports, verdict", [("from random import shuffle", True), ("import random as rnd", True),
                                              ("from sklearn.utils import shuffle", False), ("", False)])
def test_shuffle_returns_none_only_as_random_shuffle(tmp_path, imports, verdict):
    call = "rows = rnd.shuffle(rows)" if "rnd" in imports else "rows = shuffle(rows)"
    [crash] = saved(tmp_path, [(f"{imports}\nrows = [1, 2]\n{call}", 1, None), ("rows[0]", 2, SUBSCRIPT_NONE)])
    assert (rule_of(crash) == "RC-NB-BOUND-TO-NONE") is verdict


@pytest.mark.parametrize("binding", ["items = [3, 1]\nitems = items.sort()", "items = list(range(3))\nitems = items.sort()",
                                     "items = {3: 1}\nitems = items.update(a=2)", "items = set()\nitems = items.add(1)",
                                     "items = [3, 1].sort()"])
def test_a_built_in_containers_in_place_method_returns_none(tmp_path, binding):
    [crash] = saved(tmp_path, [(binding, 1, None), ("items[0]", 2, SUBSCRIPT_NONE)])
    assert rule_of(crash) == "RC-NB-BOUND-TO-NONE"


@pytest.mark.parametrize("cells", [["items = client.get(key)\nitems = items.update(values)"],
                                   ["items = client.get(key)", "items = items.sort()"]])
def test_another_objects_sort_or_update_is_not_blamed(tmp_path, cells):
    """Only the built-in containers' in-place methods are known to return None; a library's may return a value."""
    runs = [(source, count, None) for count, source in enumerate(cells, 1)]
    [crash] = saved(tmp_path, runs + [("items[0]", len(cells) + 1, SUBSCRIPT_NONE)])
    assert rule_of(crash) != "RC-NB-BOUND-TO-NONE"


@pytest.mark.parametrize("cells", [["cfg = {'lr': 0.1}", "fill(cfg)"], ["cfg = {'lr': 0.1}\nfill(cfg)"],
                                   ["cfg = {'lr': 0.1}\nsetup(options=cfg)"]])
def test_a_literal_handed_to_a_function_may_have_changed(tmp_path, cells):
    """``fill(cfg)`` may add the key: the value need no longer be the literal."""
    runs = [(source, count, None) for count, source in enumerate(cells, 1)]
    [crash] = saved(tmp_path, runs + [("cfg['epochs']", len(cells) + 1, ("KeyError", "'epochs'", 1))])
    assert rule_of(crash) != "RC-NB-LITERAL-VALUES"


def test_a_literal_only_printed_is_still_the_literal(tmp_path):
    cells = [("cfg = {'lr': 0.1}", 1, None), ("print(len(cfg))", 2, None), ("cfg['epochs']", 3, ("KeyError", "'epochs'", 1))]
    [crash] = saved(tmp_path, cells)
    assert (crash["root_cause"], rule_of(crash)) == ("IMPL", "RC-NB-LITERAL-VALUES")


def test_a_binding_inside_an_earlier_function_does_not_make_the_input_afresh(tmp_path):
    """``df`` bound in a function's body is the function's own: the cell still consumes the notebook's ``df``."""
    source = "def load():\n    df = pd.DataFrame({'a': [1]})\n    return df\n" + DROP
    [crash] = saved(tmp_path, [("import pandas as pd\ndf = pd.DataFrame({'a': [1], 'city': ['x']})", 1, None),
                               (source, 3, ("KeyError", KEY[1], 4))])
    assert rule_of(crash) == "RC-NB-RERUN"
