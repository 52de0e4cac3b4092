"""Tests of the traceback model: saved traceback text (IPython 5 to 9, plain
Python) and live exceptions, on small realistic samples and on the real data."""
from __future__ import annotations

import csv
import json
import linecache
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbcrash_kernel.record.tracebacks import (
    Frame,
    ParsedTraceback,
    from_exception,
    library_of_path,
    parse_traceback,
    strip_ansi,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
RULE = "-" * 75

# --------------------------------------------------------------------------
# Samples, modelled on real error outputs


def ipython_header(ename: str) -> list[str]:
    return [RULE, f"{ename:<42}Traceback (most recent call last)"]


IPYTHON5_ANSI = [
    "\x1b[0;31m" + RULE + "\x1b[0m",
    "\x1b[0;31mNameError\x1b[0m                                 Traceback (most recent call last)",
    "\x1b[0;32m<ipython-input-76-c83080cf4d36>\x1b[0m in \x1b[0;36m<module>\x1b[0;34m()\x1b[0m\n"
    "\x1b[0;32m      1\x1b[0m \x1b[0mx\x1b[0m \x1b[0;34m=\x1b[0m \x1b[0;36m1\x1b[0m\x1b[0;34m\x1b[0m\x1b[0m\n"
    "\x1b[0;32m----> 2\x1b[0;31m \x1b[0mprint\x1b[0m\x1b[0;34m(\x1b[0m\x1b[0mcontent1\x1b[0m\x1b[0;34m)\x1b[0m\x1b[0;34m\x1b[0m\x1b[0m\n",
    "\x1b[0;31mNameError\x1b[0m: name 'content1' is not defined",
]

IPYTHON7_KAGGLE = ipython_header("KeyError") + [
    "/tmp/ipykernel_27/2056638.py in <module>\n      1 df = load()\n----> 2 df['price'].mean()\n",
    "/opt/conda/lib/python3.7/site-packages/pandas/core/frame.py in __getitem__(self, key)\n"
    "   3456             if self.columns.nlevels > 1:\n"
    "-> 3458             indexer = self.columns.get_loc(key)\n",
    "/opt/conda/lib/python3.7/site-packages/pandas/core/indexes/base.py in get_loc(self, key, method, tolerance)\n"
    "   3361             except KeyError as err:\n"
    "-> 3363                 raise KeyError(key) from err\n",
    "KeyError: 'price'",
]

IPYTHON8 = ipython_header("KeyError") + [
    "Cell In[5], line 3\n      1 import pandas as pd\n      2 df = pd.DataFrame({'a': [1]})\n"
    "----> 3 df['missing']\n",
    "File ~/miniconda3/lib/python3.11/site-packages/pandas/core/frame.py:3761, in DataFrame.__getitem__(self, key)\n"
    "   3759 if self.columns.nlevels > 1:\n   3760     return self._getitem_multilevel(key)\n"
    "-> 3761 indexer = self.columns.get_loc(key)\n   3762 if is_integer(indexer):\n",
    "File ~/miniconda3/lib/python3.11/site-packages/pandas/core/indexes/base.py:3655, in Index.get_loc(self, key)\n"
    "   3653     return self._engine.get_loc(casted_key)\n   3654 except KeyError as err:\n"
    "-> 3655     raise KeyError(key) from err\n   3656 except TypeError:\n",
    "KeyError: 'missing'",
]

IPYKERNEL6_FUNCTION = ipython_header("ZeroDivisionError") + [
    "File /tmp/ipykernel_27/2056638.py:5\n      2     return 1 / x\n      4 y = 0\n----> 5 f(y)\n",
    "File /tmp/ipykernel_27/2056638.py:2, in f(x)\n      1 def f(x):\n----> 2     return 1 / x\n",
    "ZeroDivisionError: division by zero",
]

IPYTHON8_INPUT_IN = ipython_header("ValueError") + [
    "Input In [45], in <cell line: 2>()\n      1 model = make()\n----> 2 model.fit(X, y)\n",
    "ValueError: Found input variables with inconsistent numbers of samples: [10, 9]",
]

COLAB_KERAS = ipython_header("ValueError") + [
    "<ipython-input-18-420e7edea7d4> in <module>()\n----> 1 model.fit(X_train, y_train, epochs=10)\n",
    "/usr/local/lib/python3.6/dist-packages/keras/engine/training.py in fit(self, x, y, batch_size, epochs, "
    "verbose, callbacks, validation_split, validation_data, shuffle, class_weight, sample_weight, "
    "initial_epoch, steps_per_epoch, validation_steps, **kwargs)\n"
    "    950             sample_weight=sample_weight,\n--> 952             batch_size=batch_size)\n",
    "/usr/local/lib/python3.6/dist-packages/keras/engine/training_utils.py in standardize_input_data(data, names, "
    "shapes, check_batch_axis, exception_prefix)\n    136                             ': expected ' + names[i])\n"
    "--> 138                             str(data_shape))\n",
    "ValueError: Error when checking input: expected dense_1_input to have shape (4,) but got array with shape (3,)",
]

WINDOWS = ipython_header("ValueError") + [
    "~\\AppData\\Local\\Temp\\ipykernel_804\\4230054193.py in <module>\n----> 1 clf.fit(X, y)\n",
    "c:\\users\\x\\anaconda3\\lib\\site-packages\\sklearn\\base.py in fit(self, X, y)\n--> 20     X = check(X)\n",
    "C:\\Python38\\lib\\json\\decoder.py in decode(self, s, _w)\n--> 337         obj, end = self.raw_decode(s)\n",
    "ValueError: bad input",
]

PLAIN = (
    "Traceback (most recent call last):\n"
    '  File "train.py", line 3, in <module>\n'
    "    main()\n"
    '  File "train.py", line 2, in main\n'
    "    return json.loads(text)\n"
    "           ^^^^^^^^^^^^^^^^\n"
    '  File "/usr/lib/python3.11/json/__init__.py", line 346, in loads\n'
    "    return _default_decoder.decode(s)\n"
    "json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)\n"
)

SYNTAX_IPYTHON7 = [
    '\x1b[1;36m  File \x1b[1;32m"<ipython-input-20-38e293cc00ae>"\x1b[1;36m, line \x1b[1;32m2\x1b[0m\n'
    "\x1b[1;33m    data = [[551, 'a' 1]]\x1b[0m\n"
    "\x1b[1;37m                      ^\x1b[0m\n"
    "\x1b[1;31mSyntaxError\x1b[0m\x1b[1;31m:\x1b[0m invalid syntax\n"
]

SYNTAX_IPYTHON8 = ["  Cell In[7], line 1\n    print 'x'\n    ^\nSyntaxError: Missing parentheses in call to 'print'.\n"]

CHAINED_CAUSE = ipython_header("_RemoteTraceback") + [
    '_RemoteTraceback: \n"""\nTraceback (most recent call last):\n'
    '  File "/opt/conda/lib/python3.7/multiprocessing/queues.py", line 113, in get\n'
    "    return _ForkingPickler.loads(res)\nModuleNotFoundError: No module named 'sklearn.ensemble._gb'\n\"\"\"",
    "\nThe above exception was the direct cause of the following exception:\n",
    "BrokenProcessPool                         Traceback (most recent call last)",
    "/tmp/ipykernel_27/498622388.py in <module>\n     15 # Fit\n---> 16 model.fit(X_train, y_train)\n",
    "/opt/conda/lib/python3.7/site-packages/joblib/parallel.py in __call__(self, iterable)\n"
    "-> 1098                 self.retrieve()\n",
    "/opt/conda/lib/python3.7/concurrent/futures/_base.py in __get_result(self)\n--> 384             raise self._exception\n",
    "BrokenProcessPool: A task has failed to un-serialize.",
]

CHAINED_CONTEXT = ipython_header("KeyError") + [
    "/usr/local/lib/python3.10/dist-packages/pandas/core/indexes/base.py in get_loc(self, key)\n"
    "-> 3802                 return self._engine.get_loc(casted_key)\n",
    "pandas/_libs/index.pyx in pandas._libs.index.IndexEngine.get_loc()\n",
    "KeyError: 'Age'",
    "\nDuring handling of the above exception, another exception occurred:\n",
    "KeyError                                  Traceback (most recent call last)",
    "<ipython-input-3-1699cf33d87c> in <cell line: 1>()\n----> 1 df['Age']\n",
    "/usr/local/lib/python3.10/dist-packages/pandas/core/frame.py in __getitem__(self, key)\n"
    "-> 3807             indexer = self.columns.get_loc(key)\n",
    "KeyError: 'Age'",
]


def lines_of(traceback: list[str] | str) -> list[str]:
    return [traceback] if isinstance(traceback, str) else traceback


# --------------------------------------------------------------------------
# Small pieces


def test_strip_ansi_removes_colour_codes():
    assert strip_ansi("\x1b[0;31mKeyError\x1b[0m: 'a'") == "KeyError: 'a'"
    assert strip_ansi("\x1b[38;5;241;43m.\x1b[39;49m") == "."


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/opt/conda/lib/python3.10/site-packages/pandas/core/frame.py", ("pandas", "pandas.core.frame", False)),
        ("/usr/local/lib/python3.6/dist-packages/keras/engine/training.py", ("keras", "keras.engine.training", False)),
        ("c:\\users\\x\\anaconda3\\lib\\site-packages\\sklearn\\utils\\validation.py",
         ("sklearn", "sklearn.utils.validation", False)),
        ("C:\\Python38\\lib\\json\\decoder.py", ("json", "json.decoder", True)),
        ("/usr/lib/python3.8/concurrent/futures/_base.py", ("concurrent", "concurrent.futures._base", True)),
        ("~/.pyenv/versions/3.8.12/lib/python3.8/json/__init__.py", ("json", "json", True)),
        ("~/env/lib/python3.7/site-packages/tensorflow_core/python/client/session.py",
         ("tensorflow", "tensorflow_core.python.client.session", False)),
        ("/x/site-packages/foo-1.0-py3.7.egg/foo/bar.py", ("foo", "foo.bar", False)),
        ("pandas/_libs/lib.pyx", ("pandas", "pandas._libs.lib", False)),
        ("/home/me/project/lib/utils.py", (None, None, False)),
        ("/home/me/work/lib/random.py", (None, None, False)),  # 'lib' alone is not a Python install
        ("~/checkout/scikit-learn/sklearn/linear_model/base.py", ("sklearn", "sklearn.linear_model.base", False)),
        ("/usr/local/spark/python/lib/py4j-0.10.7-src.zip/py4j/protocol.py", ("py4j", "py4j.protocol", False)),
        ("/tmp/ipykernel_27/2056638.py", (None, None, False)),
        ("<ipython-input-3-abc>", (None, None, False)),
    ],
)
def test_library_of_path(path, expected):
    assert library_of_path(path) == expected


# --------------------------------------------------------------------------
# Styles of saved tracebacks


def test_ipython5_ansi_input_cell():
    tb = parse_traceback(IPYTHON5_ANSI)
    assert (tb.ename, tb.evalue) == ("NameError", "name 'content1' is not defined")
    (frame,) = tb.frames
    assert frame.filename == "<ipython-input-76-c83080cf4d36>"
    assert frame.is_cell and frame.is_user and frame.execution_count == 76
    assert frame.function == "<module>" and frame.lineno == 2
    assert frame.line == "print(content1)"
    assert frame.context == ("x = 1", "print(content1)")
    assert "\x1b" not in tb.text
    assert not tb.raised_in_library


def test_ipython7_kaggle_library_frames():
    tb = parse_traceback(IPYTHON7_KAGGLE)
    assert [f.library for f in tb.frames] == [None, "pandas", "pandas"]
    assert tb.frames[0].is_cell and tb.frames[0].execution_count is None
    assert tb.crash_frame is tb.frames[0]
    assert tb.crashing_line == "df['price'].mean()"
    inner = tb.innermost_library_frame
    assert inner.module == "pandas.core.indexes.base" and inner.function == "get_loc"
    assert inner.line == "raise KeyError(key) from err" and inner.lineno == 3363
    assert tb.libraries == ("pandas",)
    assert tb.raised_in_library


def test_ipython8_cell_and_file_headers():
    tb = parse_traceback(IPYTHON8)
    cell, frame, index = tb.frames
    assert (cell.filename, cell.execution_count, cell.lineno) == ("Cell In[5]", 5, 3)
    assert cell.line == "df['missing']" and cell.function == "<module>"
    assert frame.filename.startswith("~/miniconda3") and frame.lineno == 3761
    assert frame.function == "DataFrame.__getitem__" and frame.module == "pandas.core.frame"
    assert frame.line == "indexer = self.columns.get_loc(key)"
    assert "if self.columns.nlevels > 1:" in frame.context
    assert index.function == "Index.get_loc"
    assert tb.evalue == "'missing'"


def test_ipykernel6_file_header_of_a_cell_function():
    tb = parse_traceback(IPYKERNEL6_FUNCTION)
    outer, inner = tb.frames
    assert outer.is_cell and inner.is_cell and inner.function == "f" and inner.lineno == 2
    assert tb.crash_frame is inner and tb.crashing_line == "return 1 / x"
    assert outer.line == "f(y)"


def test_ipython8_input_in_header():
    tb = parse_traceback(IPYTHON8_INPUT_IN)
    (frame,) = tb.frames
    assert frame.is_cell and frame.execution_count == 45 and frame.function == "<module>"
    assert frame.lineno == 2 and frame.line == "model.fit(X, y)"


def test_colab_dist_packages_and_long_signatures():
    tb = parse_traceback(COLAB_KERAS)
    assert [f.function for f in tb.frames] == ["<module>", "fit", "standardize_input_data"]
    assert tb.libraries == ("keras",)
    assert tb.innermost_library_frame.module == "keras.engine.training_utils"
    assert tb.crashing_line == "model.fit(X_train, y_train, epochs=10)"
    assert tb.frames[0].execution_count == 18


def test_windows_paths_library_and_stdlib():
    tb = parse_traceback(WINDOWS)
    cell, sk, js = tb.frames
    assert cell.is_cell and cell.line == "clf.fit(X, y)"
    assert (sk.library, sk.is_stdlib, sk.is_user) == ("sklearn", False, False)
    assert (js.library, js.module, js.is_stdlib, js.is_user) == ("json", "json.decoder", True, False)
    assert tb.libraries == ("sklearn",) and tb.innermost_library_frame is sk


def test_plain_python_traceback_text():
    tb = parse_traceback(PLAIN)
    assert [f.function for f in tb.frames] == ["<module>", "main", "loads"]
    script = tb.frames[1]
    assert script.is_user and not script.is_cell and script.filename == "train.py"
    assert script.line == "return json.loads(text)" and script.lineno == 2
    assert tb.crash_frame is script
    assert tb.frames[2].is_stdlib and tb.frames[2].library == "json"
    assert tb.ename == "JSONDecodeError"
    assert tb.qualified_ename == "json.decoder.JSONDecodeError"
    assert tb.libraries == ()


@pytest.mark.parametrize("sample, count", [(SYNTAX_IPYTHON7, 20), (SYNTAX_IPYTHON8, 7)])
def test_syntax_error_outputs(sample, count):
    tb = parse_traceback(sample)
    assert tb.ename == "SyntaxError"
    (frame,) = tb.frames
    assert frame.is_cell and frame.execution_count == count
    assert frame.line and "^" not in frame.line and frame.line == tb.crashing_line


def test_chained_direct_cause_keeps_earlier_exception():
    tb = parse_traceback(CHAINED_CAUSE)
    assert tb.ename == "BrokenProcessPool" and tb.link == "cause"
    assert tb.crashing_line == "model.fit(X_train, y_train)"
    (remote,) = tb.chained
    assert remote.ename == "_RemoteTraceback"
    # the traceback quoted in the message stays message text
    assert "No module named 'sklearn.ensemble._gb'" in remote.evalue
    assert remote.frames == ()
    assert tb.frames[-1].is_stdlib and tb.frames[-1].module == "concurrent.futures._base"
    assert tb.libraries == ("joblib",)


def test_chained_during_handling_and_cython_frames():
    tb = parse_traceback(CHAINED_CONTEXT)
    assert tb.link == "context" and len(tb.chained) == 1
    first = tb.chained[0]
    assert [f.library for f in first.frames] == ["pandas", "pandas"]
    cython = first.frames[1]
    assert cython.module == "pandas._libs.index" and cython.function == "IndexEngine.get_loc"
    assert tb.crash_frame.execution_count == 3 and tb.crashing_line == "df['Age']"
    assert tb.all_exceptions == (first, tb)


def test_message_that_quotes_a_traceback_is_not_a_new_exception():
    lines = ipython_header("ProcessRaisedException") + [
        "/tmp/ipykernel_17/31.py in <module>\n---> 23     train_model()\n",
        "ProcessRaisedException: \n\n-- Process 1 terminated with the following error:\n"
        'Traceback (most recent call last):\n  File "/opt/conda/lib/python3.7/site-packages/torch/x.py", '
        "line 69, in _wrap\n    fn(i, *args)\nRuntimeError: CUDA error",
    ]
    tb = parse_traceback(lines)
    assert tb.ename == "ProcessRaisedException" and tb.chained == ()
    assert len(tb.frames) == 1 and "RuntimeError: CUDA error" in tb.evalue


def test_frames_as_one_string_and_as_json_list_string():
    joined = "\n".join(IPYTHON7_KAGGLE)
    for form in (joined, json.dumps(IPYTHON7_KAGGLE)):
        tb = parse_traceback(form)
        assert [f.library for f in tb.frames] == [None, "pandas", "pandas"]
        assert tb.ename == "KeyError" and tb.crashing_line == "df['price'].mean()"


def test_skipped_frames_are_counted():
    lines = ipython_header("RecursionError") + [
        "Cell In[1], line 3\n      1 def r(n):\n----> 3 r(0)\n",
        "Cell In[1], line 2, in r(n)\n----> 2     return r(n+1)\n",
        "    [... skipping similar frames: r at line 2 (988 times)]\n",
        "Cell In[1], line 2, in r(n)\n----> 2     return r(n+1)\n",
        "    [... skipping hidden 1 frame]\n",
        "RecursionError: maximum recursion depth exceeded",
    ]
    tb = parse_traceback(lines)
    assert tb.skipped_frames == 989 and len(tb.frames) == 3
    plain = parse_traceback(
        'Traceback (most recent call last):\n  File "a.py", line 2, in r\n    return r()\n'
        "  [Previous line repeated 996 more times]\nRecursionError: maximum recursion depth exceeded\n"
    )
    assert plain.skipped_frames == 996 and plain.frames[0].line == "return r()"


def test_exception_group_text():
    text = (
        "  + Exception Group Traceback (most recent call last):\n"
        '  |   File "job.py", line 9, in <module>\n'
        "  |     run()\n"
        "  | ExceptionGroup: many (2 sub-exceptions)\n"
        "  +-+---------------- 1 ----------------\n"
        "    | Traceback (most recent call last):\n"
        '    |   File "job.py", line 3, in step\n'
        "    |     int('x')\n"
        "    | ValueError: invalid literal for int() with base 10: 'x'\n"
        "    +---------------- 2 ----------------\n"
        "    | TypeError: b\n"
        "    +------------------------------------\n"
    )
    tb = parse_traceback(text)
    assert tb.ename == "ExceptionGroup" and tb.evalue == "many (2 sub-exceptions)"
    assert [f.line for f in tb.frames] == ["run()"]
    assert [m.ename for m in tb.sub_exceptions] == ["ValueError", "TypeError"]
    assert tb.sub_exceptions[0].crashing_line == "int('x')"


def test_arrow_without_code():
    tb = parse_traceback(ipython_header("KeyError") + ["Cell In[2], line 4\n      3 x = 1\n----> 4\n", "KeyError: 1"])
    (frame,) = tb.frames
    assert frame.lineno == 4 and frame.line is None and frame.context == ("x = 1", "")
    assert not any(w.startswith("parser error") for w in tb.warnings)


def test_colab_install_note_is_not_an_exception():
    lines = ipython_header("ImportError") + [
        "<ipython-input-65-d8> in <module>\n----> 1 from scipy.stats import anova\n",
        "ImportError: cannot import name 'anova' from 'scipy.stats'",
        "",
        RULE + "\nNOTE: If your import is failing due to a missing package, you can\n"
        "manually install dependencies using either !pip or !apt.\n" + RULE + "\n",
    ]
    tb = parse_traceback(lines)
    assert tb.ename == "ImportError" and tb.chained == ()
    assert tb.crashing_line == "from scipy.stats import anova"


def test_vscode_cell_links():
    lines = ipython_header("AttributeError") + [
        "/Users/me/nb/week3.ipynb Cell 33' in <module>\n----> <a href='vscode-notebook-cell:/Users/me/nb/"
        "week3.ipynb#ch0000037?line=0'>1</a> train.columns()\n",
        "AttributeError: 'numpy.ndarray' object has no attribute 'columns'",
    ]
    tb = parse_traceback(lines)
    assert tb.frames[0].is_cell and tb.crashing_line == "train.columns()"


@pytest.mark.parametrize(
    "filename, count",
    [("/tmp/ipython-input-3-2227513437.py", 3), ("/tmp/ipython-input-9146871.py", None),
     ("/var/folders/yf/53d2/T/ipykernel_28585/4288466171.py", None),
     ("C:\\Users\\Acer pc\\AppData\\Local\\Temp\\ipykernel_2624\\25180972.py", None)],
)
def test_cell_file_names(filename, count):
    tb = parse_traceback(ipython_header("NameError") + [f"{filename} in <module>\n----> 1 f()\n", "NameError: f"])
    (frame,) = tb.frames
    assert frame.is_cell and frame.execution_count == count and frame.filename == filename


def test_pseudo_files():
    lines = ipython_header("ValueError") + [
        "<timed exec> in <module>\n",
        "<__array_function__ internals> in concatenate(*args, **kwargs)\n",
        "ValueError: all the input arrays must have same number of dimensions",
    ]
    tb = parse_traceback(lines)
    timed, internals = tb.frames
    assert timed.is_cell and timed.line is None
    assert internals.library == "numpy" and not internals.is_user


def test_qualified_ename_and_caller_names():
    tb = parse_traceback(
        ipython_header("InvalidArgumentError")
        + ["tensorflow.python.framework.errors_impl.InvalidArgumentError: Incompatible shapes"]
    )
    assert tb.ename == "InvalidArgumentError"
    assert tb.qualified_ename == "tensorflow.python.framework.errors_impl.InvalidArgumentError"
    # the header names the exception when the final line is missing
    assert parse_traceback(ipython_header("MemoryError")).ename == "MemoryError"
    bare = parse_traceback([], ename="KeyError", evalue="'a'")
    assert (bare.ename, bare.evalue) == ("KeyError", "'a'")
    assert "no frames" in bare.warnings
    assert parse_traceback(["NameError: name 'x' is not defined"], ename="Other").ename == "NameError"


def test_cell_filename_map_for_saved_text():
    tb = parse_traceback(IPYTHON7_KAGGLE, cell_filename_map=lambda f: "In[12]" if "ipykernel" in f else None)
    assert tb.frames[0].execution_count == 12 and tb.frames[0].path == "/tmp/ipykernel_27/2056638.py"


# --------------------------------------------------------------------------
# Bounds


def test_huge_single_string_is_bounded_and_keeps_final_line():
    frame = "/opt/conda/lib/python3.7/site-packages/pandas/core/frame.py in f(x)\n--> 10     g(x)\n"
    text = "\n".join(ipython_header("ValueError")) + "\n<ipython-input-1-ab> in <module>\n----> 1 f(1)\n"
    text += frame * (10_000_000 // len(frame)) + "ValueError: boom\n"
    tb = parse_traceback(text)
    assert tb.ename == "ValueError" and tb.evalue == "boom"
    assert tb.crashing_line == "f(1)" and tb.frames[0].is_cell
    assert "input truncated" in tb.warnings
    assert len(tb.frames) <= 1000


def test_huge_message_line_keeps_exception_name():
    tb = parse_traceback(ipython_header("ValueError") + ["ValueError: " + "x" * 10_000_000])
    assert tb.ename == "ValueError" and len(tb.evalue) < 1_000_000


def test_recursion_with_3000_frames_text():
    lines = ipython_header("RecursionError") + ["Cell In[1], line 3\n----> 3 r(0)\n"]
    lines += ["Cell In[1], line 2, in r(n)\n      1 def r(n):\n----> 2     return r(n+1)\n"] * 3000
    lines += ["RecursionError: maximum recursion depth exceeded"]
    tb = parse_traceback(lines)
    assert tb.ename == "RecursionError" and tb.frames[0].line == "r(0)"
    assert tb.frames[-1].function == "r" and len(tb.frames) + tb.skipped_frames == 3001


# --------------------------------------------------------------------------
# Live exceptions


def run_as_cell(source: str, filename: str = "/tmp/ipykernel_1/123.py") -> BaseException:
    """Run ``source`` as IPython runs a cell: compiled under a file name linecache knows."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    try:
        exec(compile(source, filename, "exec"), {"__name__": "__main__"})
    except BaseException as error:  # noqa: BLE001
        return error
    raise AssertionError("the cell did not raise")


def test_from_exception_cell_with_mapping():
    exc = run_as_cell("x = 1\nprint(undefined_name)\n")
    tb = from_exception(exc, cell_filename_map=lambda f: "In[7]" if f.endswith("123.py") else None)
    cell = tb.frames[-1]
    assert cell.is_cell and cell.execution_count == 7 and cell.path == "/tmp/ipykernel_1/123.py"
    assert cell.line == "print(undefined_name)" and cell.lineno == 2 and cell.module is None
    assert tb.ename == "NameError" and "undefined_name" in tb.evalue
    assert tb.crashing_line == "print(undefined_name)"
    # skip_frames drops the outermost (the test's own) frame
    assert from_exception(exc, skip_frames=1).frames == from_exception(exc).frames[1:]


def test_from_exception_stdlib_frame():
    exc = run_as_cell("import json\njson.loads('{')\n")
    tb = from_exception(exc)
    assert tb.ename == "JSONDecodeError" and tb.qualified_ename == "json.decoder.JSONDecodeError"
    stdlib = [f for f in tb.frames if f.is_stdlib]
    assert stdlib and stdlib[-1].library == "json" and stdlib[-1].module == "json.decoder"
    assert tb.raised_in_library and tb.innermost_library_frame is None
    assert tb.crashing_line == "json.loads('{')"


def test_from_exception_pandas_frame():
    pytest.importorskip("pandas")
    exc = run_as_cell("import pandas as pd\ndf = pd.DataFrame({'a': [1]})\ndf['missing']\n")
    assert isinstance(exc, KeyError)
    tb = from_exception(exc)
    inner = tb.innermost_library_frame
    assert inner.library == "pandas" and inner.module.startswith("pandas.")
    assert "pandas" in tb.libraries and tb.libraries[0] == "pandas"
    assert any(f.function.endswith("__getitem__") for f in tb.frames if f.library == "pandas")
    assert tb.crash_frame.is_cell and tb.crashing_line == "df['missing']"
    assert tb.chained and tb.chained[-1].ename == "KeyError"  # raise KeyError(key) from err
    assert tb.link == "cause"


def test_from_exception_chain_and_suppressed_context():
    exc = run_as_cell("try:\n    1/0\nexcept ZeroDivisionError:\n    raise ValueError('v')\n")
    tb = from_exception(exc)
    assert tb.link == "context" and [c.ename for c in tb.chained] == ["ZeroDivisionError"]
    assert tb.chained[0].crashing_line == "1/0"
    exc = run_as_cell("try:\n    1/0\nexcept ZeroDivisionError:\n    raise ValueError('v') from None\n")
    assert from_exception(exc).chained == ()


@pytest.mark.skipif(sys.version_info < (3, 11), reason="ExceptionGroup is Python 3.11+")
def test_from_exception_group():
    exc = run_as_cell("raise ExceptionGroup('many', [ValueError('a'), TypeError('b')])\n")
    tb = from_exception(exc)
    assert tb.ename == "ExceptionGroup" and tb.frames[-1].is_cell
    assert [m.ename for m in tb.sub_exceptions] == ["ValueError", "TypeError"]


def test_live_exception_and_ipython_rendering_agree():
    """IPython's own rendering of a crash parses to the frames read from the live exception."""
    pytest.importorskip("pandas")
    interactiveshell = pytest.importorskip("IPython.core.interactiveshell")
    shell = interactiveshell.InteractiveShell.instance()
    result = shell.run_cell(
        "import pandas as pd\ndef f(df):\n    return df['k']\nf(pd.DataFrame({'a': [1]}))\n"
    )
    exc = result.error_in_exec
    assert isinstance(exc, KeyError)

    def cell_name(filename: str) -> str | None:
        name = shell.compile.format_code_name(filename)
        return " ".join(name) if name else None

    live = from_exception(exc, cell_filename_map=cell_name, skip_frames=1)
    rendered = shell.InteractiveTB.structured_traceback(type(exc), exc, exc.__traceback__, tb_offset=1)
    text = parse_traceback(rendered)

    def summary(tb: ParsedTraceback) -> list[tuple]:
        return [(f.filename if f.is_cell else None, f.library, f.function, f.lineno, f.line, f.is_cell,
                 f.execution_count) for f in tb.frames]

    assert summary(text) == summary(live)
    assert [summary(c) for c in text.chained] == [summary(c) for c in live.chained]
    assert live.crash_frame.function == "f" and live.crashing_line == "return df['k']"
    assert text.libraries == live.libraries == ("pandas",)
    assert (text.ename, text.evalue) == (live.ename, live.evalue) == ("KeyError", "'k'")


def test_from_exception_whose_str_raises():
    class Nasty(Exception):
        def __str__(self):
            raise RuntimeError("no str")

    try:
        raise Nasty()
    except Nasty as error:
        tb = from_exception(error)
    assert tb.ename == "Nasty" and "unprintable" in tb.evalue
    assert tb.frames and tb.frames[-1].function.endswith("test_from_exception_whose_str_raises")


def test_from_exception_recursion_error_is_bounded():
    exc = run_as_cell("def r(n):\n    return r(n + 1)\nr(0)\n")
    assert isinstance(exc, RecursionError)
    tb = from_exception(exc)
    assert tb.ename == "RecursionError"
    assert len(tb.frames) <= 1000 and tb.skipped_frames > 0
    assert tb.frames[-1].function == "r" and tb.crashing_line == "return r(n + 1)"


def test_from_exception_never_raises_on_odd_objects():
    error = ValueError("x")  # never raised: no traceback
    tb = from_exception(error)
    assert tb.frames == () and tb.ename == "ValueError" and tb.evalue == "x"
    weird = from_exception(object())  # type: ignore[arg-type]
    assert isinstance(weird, ParsedTraceback)


# --------------------------------------------------------------------------
# Property tests: untrusted text never raises

FRAGMENTS = st.sampled_from(
    [RULE, "KeyError   Traceback (most recent call last)", "Traceback (most recent call last):",
     "Cell In[5], line 3", "----> 3 x()", "      1 y", '  File "a.py", line 1, in f', "    code",
     "File /x/site-packages/pandas/a.py:3, in f(x)", "<ipython-input-1-a> in <module>",
     "During handling of the above exception, another exception occurred:", "ValueError: v",
     "  + Exception Group Traceback (most recent call last):", "  | ValueError: x",
     "  +-+---------------- 1 ----------------", "    | TypeError: b", "\x1b[0;31m", "   (...)",
     "    [... skipping hidden 1 frame]", "", "\n"]
)


def check_parsed(tb: ParsedTraceback) -> None:
    assert isinstance(tb, ParsedTraceback)
    # the parser's catch-all is a last resort: real input must not need it
    assert not any(w.startswith("parser error") for w in tb.warnings), tb.warnings
    assert all(isinstance(f, Frame) for f in tb.frames)
    # the derived properties work on anything
    _ = (tb.user_frames, tb.crash_frame, tb.crashing_line, tb.innermost_library_frame,
         tb.libraries, tb.raised_in_library)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_parses(text):
    check_parsed(parse_traceback(text))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text()))
def test_any_list_of_text_parses(lines):
    check_parsed(parse_traceback(lines))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=30)), max_size=40))
def test_traceback_like_fragments_parse(lines):
    check_parsed(parse_traceback(lines))
    check_parsed(parse_traceback("\n".join(lines)))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_library_of_path_never_raises(path):
    library, module, is_stdlib = library_of_path(path)
    assert library is None or isinstance(library, str)
    assert isinstance(is_stdlib, bool)


# --------------------------------------------------------------------------
# The real data: every saved traceback of the dev labels and of the corpus


def real_error_outputs() -> list[tuple[str, str, object]]:
    """(source, ename, traceback) of every labelled crash and corpus error output."""
    records: list[tuple[str, str, object]] = []
    labels = Path(__file__).resolve().parent / "data" / "crash_labels_dev.csv"
    if labels.exists():
        with labels.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                records.append((row["crash_id"], row["ename"], row["traceback"]))
    for path in sorted((SHARED / "corpus").rglob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = notebook.get("cells") or [
            c for sheet in notebook.get("worksheets", []) for c in sheet.get("cells", [])
        ]
        for cell in cells:
            for output in cell.get("outputs") or []:
                if output.get("output_type") in ("error", "pyerr"):
                    records.append((path.name, output.get("ename") or "", output.get("traceback") or []))
    return records


@pytest.mark.slow
def test_every_real_traceback_parses():
    records = real_error_outputs()
    if not records:
        pytest.skip("shared data not found")
    found = ename_ok = with_ename = 0
    for _, ename, traceback in records:
        tb = parse_traceback(traceback)
        check_parsed(tb)
        found += tb.crash_frame is not None and bool(tb.crashing_line)
        if ename:
            with_ename += 1
            ename_ok += (tb.ename or "").lower() == ename.lower()
    print(f"\n{len(records)} tracebacks: user frame + crashing line {found / len(records):.1%}, "
          f"ename {ename_ok / with_ename:.1%}")
    assert found / len(records) >= 0.95
    assert ename_ok / with_ename >= 0.98


# --------------------------------------------------------------------------
# The cache of parsed lists (an audit parses each saved traceback twice)

def _uncached(lines, ename=None, evalue=None) -> ParsedTraceback:
    from nbcrash_kernel.record.tracebacks import clear_parse_cache

    clear_parse_cache()
    return parse_traceback(lines, ename, evalue)


@pytest.mark.parametrize("sample", [IPYTHON5_ANSI, IPYTHON7_KAGGLE, IPYTHON8, SYNTAX_IPYTHON8])
def test_a_cached_parse_is_the_parse(sample):
    fresh = _uncached(list(sample))
    again = parse_traceback(list(sample))
    assert again == fresh and again.frames  # same frames, names, text
    assert parse_traceback(tuple(sample)) == fresh  # a tuple of lines parses the same


def test_the_cache_keeps_ename_and_evalue_apart():
    lines = ["Cell In[3], line 1\n----> 1 f()\n"]  # no exception line: the caller's names fill in
    named = parse_traceback(lines, "KeyError", "'a'")
    other = parse_traceback(lines, "ValueError", "bad")
    bare = parse_traceback(lines)
    assert (named.ename, named.evalue) == ("KeyError", "'a'")
    assert (other.ename, other.evalue) == ("ValueError", "bad")
    assert bare.ename is None and "no exception line" in bare.warnings


def test_changing_the_list_after_a_parse_changes_the_result():
    lines = list(IPYTHON8)
    first = parse_traceback(lines)
    lines[-1] = "\x1b[0;31mZeroDivisionError\x1b[0m: division by zero"
    assert parse_traceback(lines).ename == "ZeroDivisionError" != first.ename


def test_huge_and_odd_inputs_bypass_the_cache_and_still_parse():
    from nbcrash_kernel.record.tracebacks.text import MAX_CACHED_CHARS, _parse_cached, clear_parse_cache

    clear_parse_cache()
    huge = ["Cell In[1], line 1\n----> 1 f()\n", "x" * (MAX_CACHED_CHARS + 1), "ValueError: v"]
    assert parse_traceback(huge).ename == "ValueError"
    assert parse_traceback(["ValueError: v", 3]).ename == "ValueError"  # a non-text element
    assert _parse_cached.cache_info().currsize == 0
