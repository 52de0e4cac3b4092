"""Lean cell facts (symbol table) agree with the full cell analysis where the audit needs them,
and read IPython syntax with the full analysis's own tables."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbcrash_kernel.audit.notebook import audit_analyzer
from nbcrash_kernel.facts.cells import analyze_cell, ipython, lean, lines
from nbcrash_kernel.facts.cells.lean import lean_facts
from nbcrash_kernel.facts.graph import defined_names

AGREEING_CELLS = [
    "import numpy as np\nimport os.path\nfrom sklearn.model_selection import train_test_split as tts",
    "df = pd.read_csv(path)\ndf['price'] = df.cost * 2\nX, y = df.drop(columns='y'), df.y",
    "def fit(m):\n    return m.fit(X_train, y_train)\nclass Net(Base):\n    size = width\n",
    "squares = [i * i for i in values]\nlabels = {k: v for k, v in pairs}",
    "for epoch in range(epochs):\n    loss = step(model)\nwith open(name) as fh:\n    text = fh.read()",
    "%matplotlib inline\n!pip install xgboost\nfiles = !ls data\nplt.plot(xs)",
    "%%time\nmodel.fit(X, y)",
    "%%bash\necho $HOME",
    "%%snakeviz\nmodel = fit(X)",
    "\n%%time\nmodel = fit(X)",
    "try:\n    import torch\nexcept ImportError as err:\n    torch = None",
    "g = lambda: hidden\nresult = g",
]


@pytest.mark.parametrize("source", AGREEING_CELLS)
def test_lean_facts_match_the_full_analysis(source):
    lean, full = lean_facts(source), analyze_cell(source)
    assert defined_names(lean) == defined_names(full)
    assert set(lean.used) == set(full.used)
    assert set(lean.deferred_used) == set(full.deferred_used)
    assert dict(lean.imports) == dict(full.imports)
    assert set(lean.functions) == set(full.functions) and set(lean.classes) == set(full.classes)


def test_column_writes_and_star_imports():
    facts = lean_facts("from pylab import *\ndf['a'] = 1\ndf[\"b\"]=2\nok = df['c'] == 3")
    assert facts.star_imports == ("pylab",)
    assert {k: set(v) for k, v in facts.columns_written.items()} == {"df": {"a", "b"}}


@pytest.mark.parametrize("source", ["del x\ny = 1", "def f():\n    global g\n    g = 1",
                                    "print 'python 2'", ">>> x = 1"])
def test_cells_the_symbol_table_would_misread_get_the_full_analysis(source):
    facts = lean_facts(source)
    full = analyze_cell(source)
    assert facts == full


def test_audit_analyzer_gives_crashed_cells_the_full_analysis():
    analyze = audit_analyzer({"x = 1\nboom()"})
    full = analyze("x = 1\nboom()")
    assert full.def_lines.get("x") == 1  # definition lines: only the full analysis has them
    assert analyze("y = 2").def_lines == {}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_lean_facts_never_raise(source):
    facts = lean_facts(source)
    assert facts.source == source


@pytest.mark.parametrize("text", [
    "import os\nx = 1  # import sys\n  import numpy as np, pandas as pd\n",
    "from a import (b,\nfrom c import d)\nfrom e import f\n",
    "\tfrom . import x\r\nfrom .. import *\nimport\nimportlib.reload(x)\n",
    "y = 'from x import y'\n from  m  import  n  # from z import w\n",
    "", "import", "from", "no imports here\n",
])
def test_line_matches_are_the_regex_finditer_matches(text):
    for pattern, keyword in ((lines.IMPORT_LINE, "import"), (lines.FROM_IMPORT_LINE, "from")):
        fast = [(m.span(), m.groups()) for m in lines.line_matches(pattern, text, keyword)]
        assert fast == [(m.span(), m.groups()) for m in pattern.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["import", "from", " ", "\t", "\n", "\r", "(", ")", "#", "*", ".", ",",
                                 "as", "x", "os", "y z"]), max_size=30).map("".join))
def test_line_matches_equal_finditer_on_any_text(text):
    for pattern, keyword in ((lines.IMPORT_LINE, "import"), (lines.FROM_IMPORT_LINE, "from")):
        fast = [(m.span(), m.groups()) for m in lines.line_matches(pattern, text, keyword)]
        assert fast == [(m.span(), m.groups()) for m in pattern.finditer(text)]


def test_lean_facts_read_ipython_syntax_from_the_full_analysis_tables(monkeypatch):
    """The lean scan has no copy of IPython's tables: a cell magic added there is Python here too."""
    source = "%%mybody\nmodel = fit(X)"
    lean._lean_facts_cached.cache_clear()
    assert "model" not in lean_facts(source).defined  # an unknown cell magic hides its body
    monkeypatch.setattr(lean, "PYTHON_BODY_CELL_MAGICS", ipython.PYTHON_BODY_CELL_MAGICS | {"mybody"})
    lean._lean_facts_cached.cache_clear()
    assert "model" in lean_facts(source).defined
    monkeypatch.undo()
    lean._lean_facts_cached.cache_clear()
    assert lean.PYTHON_BODY_CELL_MAGICS is ipython.PYTHON_BODY_CELL_MAGICS
    assert lean.CELL_MAGIC is ipython.CELL_MAGIC and lean.PROMPT is ipython.PROMPT


@pytest.mark.parametrize("line", ["%matplotlib inline", "  !pip install x", "?len", "df.head?",
                                  "files = !ls", "x = %time f()", "obj??"])
def test_every_line_lean_blanks_is_ipython_syntax_to_the_full_analysis(line):
    stripped = lean._strip_ipython(line)
    assert stripped != line
    assert ipython.LINE_SYNTAX.search(line)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["%", "!", "?", "=", " ", "\t", "\n", "x", "del", "global", "nonlocal",
                                 "_", "é", "(", ">>>", "In [", "#"]), max_size=25).map("".join))
def test_the_literal_first_prechecks_agree_with_the_ipython_tables(text):
    import re

    without_prompts = text.replace(">>>", "").replace("In [", "")
    assert lean._may_be_ipython(without_prompts) == bool(ipython.IPYTHON_SYNTAX.search(without_prompts))
    scope_statement = re.search(r"\b(?:del|global|nonlocal)\b", text) is not None
    prompt = ipython.PROMPT.search(text) is not None
    assert lean._may_need_full(text) == (scope_statement or prompt)
