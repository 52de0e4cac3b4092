"""Tests for nbcrash_kernel.facts.cells: the facts of one cell."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nbcrash_kernel.facts.cells import (
    Call,
    CellFacts,
    analyze_cell,
    analyze_cell_uncached,
    iter_code_cells,
    resolve_qualname,
    transform_ipython,
)

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def facts(source: str) -> CellFacts:
    return analyze_cell_uncached(textwrap.dedent(source))


def calls_by_func(cell: CellFacts) -> dict[str, Call]:
    return {call.func: call for call in cell.calls}


# -- names and scopes ---------------------------------------------------------------------------


def test_assignment_defines_and_reads_free_names():
    cell = facts("x = y + 1\nz = x * 2\n")
    assert cell.defined == {"x", "z"}
    assert cell.used == {"y"}
    assert cell.def_lines == {"x": 1, "z": 2}
    assert cell.use_lines == {"y": 1}


def test_name_read_before_its_binding_in_the_same_cell_is_a_free_use():
    cell = facts("print(a)\na = 1\nprint(a)\n")
    assert "a" in cell.used and "a" in cell.defined
    assert cell.use_lines["a"] == 1 and cell.def_lines["a"] == 2


def test_builtins_and_ipython_names_are_not_free_uses():
    cell = facts("print(len(range(3)))\ndisplay(get_ipython())\nx = _ + _3\n")
    assert cell.used == frozenset()


def test_augmented_assignment_uses_and_defines():
    cell = facts("total += 1\n")
    assert "total" in cell.used and "total" in cell.defined


def test_walrus_binds_at_cell_scope_even_inside_a_comprehension():
    cell = facts("if (n := len(data)) > 3:\n    pass\nys = [w for v in data if (w := v)]\n")
    assert {"n", "w", "ys"} <= cell.defined
    assert "v" not in cell.defined and "v" not in cell.used
    assert cell.used == {"data"}


def test_comprehension_target_is_neither_defined_nor_a_free_use():
    cell = facts("squares = [i * i for i in values]\npairs = {k: v for k, v in items}\n")
    assert cell.defined == {"squares", "pairs"}
    assert cell.used == {"values", "items"}


def test_for_with_except_targets_are_definitions():
    cell = facts("""
        for i, (a, *rest) in enumerate(rows):
            pass
        with open(path) as fh, lock:
            pass
        try:
            pass
        except ValueError as err:
            pass
    """)
    assert {"i", "a", "rest", "fh", "err"} <= cell.defined
    assert cell.used == {"rows", "path", "lock"}


def test_function_body_reads_are_free_unless_the_cell_defines_them_anywhere():
    cell = facts("""
        def score(model):
            local = model.predict(X_test)
            return metric(local, threshold)
        threshold = 0.5
    """)
    assert cell.defined == {"score", "threshold"}
    assert cell.functions == {"score"}
    assert {"X_test", "metric"} <= cell.used
    assert "threshold" not in cell.used  # defined at cell scope: read when the function runs
    assert "model" not in cell.used and "local" not in cell.used
    assert cell.deferred_used == {"X_test", "metric"}


def test_name_assigned_later_in_a_function_is_local_to_it():
    cell = facts("def f():\n    print(x)\n    x = 1\n")
    assert "x" not in cell.used and "x" not in cell.defined


def test_global_declaration_in_a_function_that_assigns_defines_at_cell_scope():
    cell = facts("""
        def setup():
            global config, counter
            config = load()
            counter += 1
    """)
    assert {"config", "counter", "setup"} == cell.defined
    assert cell.def_lines["config"] == 4
    assert "counter" in cell.used  # read by the augmented assignment
    assert "load" in cell.used


def test_nonlocal_refers_to_the_enclosing_function():
    cell = facts("""
        def outer():
            count = 0
            def inner():
                nonlocal count
                count += step
            return inner
    """)
    assert cell.defined == {"outer"}
    assert cell.used == {"step"}


def test_lambda_parameters_are_local_and_free_names_are_uses():
    cell = facts("f = lambda row, k=default: row[col] * k\n")
    assert cell.defined == {"f"}
    assert cell.used == {"default", "col"}


def test_class_body_is_a_scope_and_methods_do_not_see_class_names():
    cell = facts("""
        class Net(Base):
            size = 3
            double = size * 2
            def forward(self):
                return size + self.double
    """)
    assert cell.defined == {"Net"} and cell.classes == {"Net"}
    assert "Base" in cell.used
    assert "size" in cell.used  # the method's read goes to the namespace, not the class
    assert "double" not in cell.used and "self" not in cell.used


def test_del_reads_and_deletes():
    cell = facts("del a, b\nc = 1\ndel c\n")
    assert cell.deleted == {"a", "b", "c"}
    assert {"a", "b"} <= cell.used and "c" not in cell.used


def test_rebinding_after_del_clears_the_deletion():
    assert facts("del x\nx = 1\n").deleted == frozenset()


def test_annotation_without_value_does_not_bind():
    cell = facts("x: int\ny: float = 1.0\n")
    assert cell.defined == {"y"}


def test_match_captures_bind():
    cell = facts("""
        match command:
            case [action, *args]:
                pass
            case {"k": v, **rest}:
                pass
            case Point(x=px) as p:
                pass
    """)
    assert {"action", "args", "v", "rest", "px", "p"} <= cell.defined
    assert {"command", "Point"} <= cell.used


# -- imports and calls ----------------------------------------------------------------------------


def test_imports_and_aliases():
    cell = facts("""
        import numpy as np
        import os.path
        import matplotlib.pyplot as plt
        from sklearn.model_selection import train_test_split as tts
        from . import local_mod
    """)
    assert cell.imports["np"] == "numpy"
    assert cell.imports["os"] == "os"
    assert cell.imports["plt"] == "matplotlib.pyplot"
    assert cell.imports["tts"] == "sklearn.model_selection.train_test_split"
    assert cell.imports["local_mod"] == ".local_mod"
    assert {"np", "os", "plt", "tts", "local_mod"} <= cell.defined


def test_star_import_flagged():
    cell = facts("from keras.layers import *\nfrom pylab import *\n")
    assert cell.star_imports == ("keras.layers", "pylab")


def test_calls_have_qualnames_receivers_lines_and_keywords():
    cell = facts("""
        import pandas as pd
        from sklearn.model_selection import train_test_split
        from sklearn.linear_model import LinearRegression
        df = pd.read_csv('data.csv', sep=';')
        X_train, X_test = train_test_split(df, test_size=0.2, random_state=0)
        model = LinearRegression()
        model.fit(X_train, y)
        df['a'].mean()
        helper()
    """)
    calls = calls_by_func(cell)
    assert calls["pd.read_csv"] == Call("pd.read_csv", "pandas.read_csv", None, 5, ("sep",))
    split = calls["train_test_split"]
    assert split.qualname == "sklearn.model_selection.train_test_split"
    assert split.keywords == ("test_size", "random_state")
    fit = calls["model.fit"]
    assert fit.receiver == "model" and fit.lineno == 8
    assert fit.qualname == "sklearn.linear_model.LinearRegression.fit"  # resolvable: built here
    mean = calls["df[...].mean"]
    assert mean.receiver == "df" and mean.qualname is None
    assert calls["helper"].qualname is None and calls["helper"].receiver is None


def test_method_on_an_unknown_variable_has_no_qualname():
    cell = facts("clf.fit(X, y)\n")
    assert cell.calls[0].qualname is None and cell.calls[0].receiver == "clf"


def test_resolve_qualname_through_any_import_table():
    assert resolve_qualname("np.random.seed", {"np": "numpy"}) == "numpy.random.seed"
    assert resolve_qualname("foo.bar", {"np": "numpy"}) is None


# -- columns and mutation ---------------------------------------------------------------------------


def test_columns_written_read_dropped():
    cell = facts("""
        df['total'] = df['a'] + df.b
        df[['c', 'd']] = 0
        df.loc[:, 'e'] = df.loc[df.a > 0, ['f', 'g']]
        df2 = df.assign(h=1, i=2)
        df3 = df.rename(columns={'old': 'new'})
        X = df.drop(columns=['target'])
        df.drop('junk', axis=1, inplace=True)
        del df['tmp']
        df.groupby('key').size()
        df.columns = ['p', 'q']
    """)
    assert cell.columns_written["df"] == {"total", "c", "d", "e", "p", "q"}
    assert cell.columns_written["df2"] == {"h", "i"}
    assert cell.columns_written["df3"] == {"new"}
    assert cell.columns_read["df"] >= {"a", "b", "f", "g", "old", "target", "junk", "key"}
    assert "loc" not in cell.columns_read["df"] and "groupby" not in cell.columns_read["df"]
    assert cell.columns_dropped == {"X": frozenset({"target"}), "df": frozenset({"junk", "tmp"})}


def test_attribute_reads_of_modules_methods_and_frame_attributes_are_not_columns():
    cell = facts("import numpy as np\nx = np.pi + df.shape[0] + df.values.sum() + model.coef_\ndf.head()\n")
    assert cell.columns_read == {}


def test_mutations():
    cell = facts("""
        model.fit(X, y)
        df.fillna(0, inplace=True)
        items.append(3)
        grid[0] = 1
        cfg.lr = 0.1
        counts['a'] += 1
        del cache[key]
        untouched.predict(X)
    """)
    assert cell.mutated == {"model", "df", "items", "grid", "cfg", "counts", "cache"}


# -- IPython syntax --------------------------------------------------------------------------------


def test_cell_magic_time_first_line_keeps_body_as_code_with_original_lines():
    cell = facts("%%time\nmodel.fit(X, y)\nscore = model.score(X, y)\n")
    assert cell.magics == ("time",)
    assert cell.defined == {"score"} and cell.def_lines["score"] == 3
    assert cell.used == {"model", "X", "y"} and cell.use_lines["model"] == 2
    assert "model" in cell.mutated


def test_capture_cell_magic_binds_its_variable():
    cell = facts("%%capture out\nx = 1\n")
    assert cell.magics == ("capture",)
    assert {"out", "x"} <= cell.defined


def test_non_python_cell_magic_has_no_python_facts():
    cell = facts("%%bash\nls -la\necho $HOME\n")
    assert cell.magics == ("bash",) and cell.syntax_error is None
    assert cell.defined == frozenset() and cell.used == frozenset()


def test_shell_and_line_magics_keep_line_numbers():
    cell = facts("""
        !pip install xgboost
        %matplotlib inline
        import xgboost as xgb
        files = !ls data
        %time booster = xgb.train(params, dtrain)
        df?
        result = booster.predict(dtest)
    """)
    assert cell.syntax_error is None
    assert cell.magics == ("!", "matplotlib", "!", "time", "pinfo")
    assert cell.def_lines == {"xgb": 4, "files": 5, "booster": 6, "result": 8}
    assert cell.use_lines == {"params": 6, "dtrain": 6, "dtest": 8}
    assert calls_by_func(cell)["xgb.train"].qualname == "xgboost.train"


def test_leading_blank_lines_and_continued_magic_keep_alignment():
    source = "\n\n%pip install a \\\n   b\nx = 1\ny = q\n"
    python = transform_ipython(source)
    assert python.splitlines()[4:6] == ["x = 1", "y = q"]
    cell = analyze_cell_uncached(source)
    assert cell.def_lines["x"] == 5 and cell.use_lines["q"] == 6


def test_automagic_without_percent_is_a_magic_not_a_syntax_error():
    cell = facts("cd data/raw\nimport os\nfiles = os.listdir()\n")
    assert cell.syntax_error is None
    assert cell.magics == ("cd",) and cell.def_lines["files"] == 3


def test_transform_fast_path_returns_plain_python_unchanged():
    source = "x = '%d' % 3 != 4\n"
    assert transform_ipython(source) == source


def test_help_syntax_is_transformed():
    assert "pinfo" in transform_ipython("df?\n")
    assert "pinfo2" in transform_ipython("df??\n")


# -- bad input ---------------------------------------------------------------------------------------


def test_syntax_error_is_flagged_with_line():
    cell = analyze_cell("x = 1\ny = (\nz = 2\n")
    assert cell.syntax_error is not None and "line" in cell.syntax_error
    assert cell.error_lineno is not None and cell.error_lineno >= 2
    assert cell.defined == frozenset() and not cell.parsed


def test_python2_print_is_a_syntax_error():
    cell = analyze_cell("print 'hello'\n")
    assert cell.error_lineno == 1 and "print" in cell.syntax_error


def test_null_bytes_and_deep_nesting_are_flagged_not_raised():
    assert analyze_cell("x = 1\x00").syntax_error
    assert analyze_cell("x = " + "(" * 5000 + ")" * 5000).syntax_error


def test_analyze_cell_is_cached_by_source():
    source = "cached_value = 42\n"
    assert analyze_cell(source) is analyze_cell(source)


def test_defines_before():
    cell = facts("a = 1\nprint(b)\nb = 2\n")
    assert cell.defines_before("a", 2) and not cell.defines_before("b", 2)
    assert cell.defines_before("b", 4) and not cell.defines_before("zzz", 10)


PYTHONISH = st.sampled_from(
    ["x", "df", " ", "\n", "=", "(", ")", "[", "]", ":", "def ", "class ", "lambda ", "for ",
     " in ", "if ", "global ", "nonlocal ", "del ", "import ", "from ", "*", "%", "%%time\n", "!",
     "?", "'", '"', "'''", "\\", "\t", "    ", ":=", "+=", "yield", "return", "async ", "await ",
     "@", ",", ".", "1", "0x", "#", "match ", "case ", "with ", "as ", "try:", "except ", "{", "}"]
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_arbitrary_text(text):
    assert transform_ipython(text) is not None
    assert isinstance(analyze_cell_uncached(text), CellFacts)


@settings(max_examples=500, deadline=None)
@given(st.lists(PYTHONISH, max_size=40).map("".join))
def test_never_raises_on_python_like_tokens(text):
    assert isinstance(transform_ipython(text), str)
    result = analyze_cell_uncached(text)
    assert isinstance(result, CellFacts)
    assert (result.syntax_error is None) or result.defined == frozenset()


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus folder absent")
def test_every_corpus_cell_is_analyzed_without_exception():
    analyzed = parsed = 0
    for path in sorted(CORPUS.rglob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for source in iter_code_cells(notebook):
            result = analyze_cell_uncached(source)
            assert isinstance(result, CellFacts)
            assert not (result.syntax_error or "").startswith("nbcrash could not")
            analyzed += 1
            parsed += result.syntax_error is None
    assert analyzed > 1000
    assert parsed / analyzed > 0.95


IPYTHON_LINES = ["x = 1", "%time y = f(x)", "!ls -la", "%pip install a \\", "   b", "df?", "df??",
                 "files = !ls", "%%time", "%%bash", "echo hi", "def f():", "    %ls",
                 "    return 1", "", "   ", "x = %who_ls", "# why?", "cd data", "if x:",
                 "    !pip install y", "%%capture out"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(IPYTHON_LINES), max_size=12))
@example(["%%time", "%%bash", "x = 1"])
@example(["%%time", "", "%%bash", "x = 1"])
@example(["%%time", "", "%%time", "%%bash", "x = 1"])
def test_transform_keeps_every_python_line_at_its_original_number(lines):
    source = "\n".join(lines) + "\n"
    out = transform_ipython(source).splitlines()
    assert len(out) == len(source.splitlines())
    body = list(lines)
    while True:  # IPython drops a cell's leading blank lines, a Python cell magic's body's too
        body = body[next((i for i, line in enumerate(body) if line.strip()), len(body)):]
        if not body or body[0] not in ("%%time", "%%capture out"):  # cell magics whose body is Python
            break
        body = body[1:]
    first = body[0] if body else ""
    if first == "%%bash":
        return  # a non-Python cell magic (at the top, or as the body of %%time): the cell is one call
    for index, line in enumerate(lines):
        continued = index > 0 and lines[index - 1].endswith("\\")
        if line == "x = 1" and not continued:
            assert out[index] == "x = 1"


def test_analysis_leaves_the_garbage_collector_as_it_found_it():
    import gc

    assert gc.isenabled()
    analyze_cell_uncached("x = [i for i in range(3)]\n")
    analyze_cell_uncached("def broken(:\n")
    assert gc.isenabled()
    gc.disable()
    try:
        analyze_cell_uncached("y = 1\n")
        assert not gc.isenabled()
    finally:
        gc.enable()
