"""The names counted from the libraries' documentation (knowledge/doc_names.py, written by
benchmarks/doc_names.py), their lookup (knowledge/object_names.py) and the rules that read them."""
from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest

from benchmarks import doc_names as generator
from nbcrash_kernel.classifier import CrashContext, classify
from nbcrash_kernel.knowledge import doc_names
from nbcrash_kernel.knowledge.libraries import STUDY_LIBRARIES
from nbcrash_kernel.knowledge.modules import CONVENTIONAL_ALIASES, IMPLICIT_ALIASES
from nbcrash_kernel.knowledge.object_names import callable_object_name, data_or_model_name, normal
from tests.test_classifier import tb


def test_the_table_names_its_source_and_the_versions_it_was_counted_against():
    header = " ".join(doc_names.__doc__.split())
    assert "benchmarks/doc_names.py" in header
    for library in ("sklearn", "pandas", "numpy", "torch", "keras", "python"):
        assert re.search(rf"\b{library} \d", header), library


def test_every_entry_passes_its_threshold():
    assert all(n >= doc_names.MIN_BOUND_DOCS for n in doc_names.DATA_MODEL_NAMES.values())
    assert all(n >= doc_names.MIN_CALLED_DOCS for n in doc_names.CALLABLE_OBJECT_NAMES.values())
    assert all(n >= doc_names.MIN_IMPLICIT_DOCS for n in doc_names.IMPLICIT_USES.values())
    assert set(doc_names.DATA_MODEL_NAMES) == {normal(n) for n in doc_names.DATA_MODEL_NAMES}


def test_aliases_are_modules_and_a_collision_is_left_unresolved():
    for alias, module in doc_names.IMPORT_ALIASES.items():
        assert re.fullmatch(r"[A-Za-z_]\w*(\.\w+)*", module), alias
        assert alias not in doc_names.COLLISIONS, alias
    assert CONVENTIONAL_ALIASES["np"] == "numpy" and CONVENTIONAL_ALIASES["pd"] == "pandas"
    assert CONVENTIONAL_ALIASES["plt"] == "matplotlib.pyplot" and CONVENTIONAL_ALIASES["tf"] == "tensorflow"
    assert "pl" not in CONVENTIONAL_ALIASES  # polars and pytorch_lightning both document `as pl`
    assert all(CONVENTIONAL_ALIASES[name] == name for name in STUDY_LIBRARIES)
    assert IMPLICIT_ALIASES <= set(CONVENTIONAL_ALIASES) and {"np", "pd"} <= IMPLICIT_ALIASES


def test_aliases_stated_only_on_the_web_name_their_source():
    for alias, source in doc_names.DOCUMENTED_ALIASES.items():
        assert f"as {alias}" in source or f"as {alias})" in source, alias
        assert alias in CONVENTIONAL_ALIASES


@pytest.mark.parametrize("name, documented", [
    ("X_train", "x_train"), ("X_train_scaled", "x_train"), ("train_df", "df"), ("df2", "df"),
    ("best_model", "model"), ("y_pred_lr", "y_pred"), ("clf", "clf"),
    ("data", None),   # Python's own examples bind it as readily
    ("x", None), ("result", None), ("max_k", None),  # one-letter words in a compound do not count
])
def test_data_and_model_names_are_looked_up_in_the_documented_form(name, documented):
    assert data_or_model_name(name) == documented


def test_callable_object_names_are_those_bound_to_callables():
    assert callable_object_name("model") == "model" and callable_object_name("Model2") == "model"
    assert callable_object_name("train_model") is None  # libraries name functions so: load_model, log_loss
    assert callable_object_name("clf") is None  # an sklearn estimator defines no __call__
    assert callable_object_name("preprocess") is None


def _doc(text: str) -> generator.Doc:
    return generator.Doc(generator.examples(text), set(generator.LIBRARIES), {"np": "numpy"})


def test_the_generator_counts_bindings_to_library_values_and_calls_of_them():
    doc = _doc("""
    Examples
    --------
    >>> import torch.nn as nn
    >>> from sklearn.model_selection import train_test_split
    >>> X_train, X_test = train_test_split(np.arange(10))
    >>> m = nn.Linear(2, 3)
    >>> out = m(X_train)
    >>> total = sum([1, 2])
    """)
    assert doc.bound["m"] == "torch.nn.Linear" and doc.bound["X_train"] == "sklearn.model_selection.train_test_split"
    assert "out" in doc.bound and "total" not in doc.bound
    assert doc.called == {"m"}
    assert doc.aliases == {"nn": "torch.nn", "train_test_split": "sklearn.model_selection.train_test_split"}
    assert doc.unimported == {"np"}


def test_import_lines_are_read_from_any_documentation_text():
    text = "Usage::\n\n    import seaborn as sns\n    >>> from torch import nn\n    from . import x\n"
    assert generator.import_lines(text) == {("sns", "seaborn"), ("nn", "torch.nn")}
    assert generator.normal("X_train2") == "x_train" == normal("X_train_2")


def _name_error(name: str, line: str):
    evalue = f"name '{name}' is not defined"
    return classify(CrashContext(ename="NameError", evalue=evalue, traceback=tb(line, "NameError", evalue)))


def test_the_rules_read_the_documented_names():
    d = _name_error("X_train_scaled", "print(X_train_scaled.shape)")
    assert (d.origin, d.trace["origin"]["rule"]) == ("ML", "OR-ML-NAME")
    assert _name_error("counter", "print(counter + 1)").origin == "PY"
    d = _name_error("model", "out = model(x)")
    assert (d.exception_type, d.trace["exception_type"]["rule"]) == ("VNF", "ET-NAME-CALLED-VARIABLE")
    assert _name_error("preprocess", "out = preprocess(x)").exception_type == "NAME"
    assert _name_error("train_model", "train_model(x)").exception_type == "NAME"
    assert _name_error("sns", "sns.heatmap(m)").exception_type == "MODULE"
    d = _name_error("json", "json.loads(s)")  # a standard module, read dotted
    assert d.exception_type == "MODULE" and any("import json" in fix for fix in d.suggestions)


def test_reading_the_table_imports_no_library():
    code = ("import sys; import nbcrash_kernel.knowledge.object_names, nbcrash_kernel.knowledge.modules; "
            "print(sorted(m for m in ('sklearn', 'torch', 'pandas', 'numpy', 'keras') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_generated_module_is_plain_data():
    tree = ast.parse(open(doc_names.__file__, encoding="utf-8").read())
    assert not [n for n in ast.walk(tree) if isinstance(n, (ast.Call, ast.FunctionDef, ast.Lambda))]


def test_a_single_letter_names_no_kind_of_object():
    from nbcrash_kernel.knowledge.object_names import callable_object_name, data_or_model_name

    assert [data_or_model_name(n) for n in ("k", "w", "h", "g")] == [None] * 4
    assert callable_object_name("m") is None
    assert data_or_model_name("df2") == "df"
