"""Cell code for inference: the fast read of plain cells agrees with the full cell analysis."""
from __future__ import annotations

import ast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbcrash_kernel.facts.cell_code import _read_plain, read_cell
from nbcrash_kernel.facts.cells import analyze_cell_uncached

SOURCES = [
    "import numpy as np\nimport os.path\nimport a.b as ab\nfrom sklearn import svm as s, tree",
    "try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle\n"
    "else:\n    import json as pickle\nfinally:\n    import marshal as m",
    "class A:\n    import os\ndef f():\n    import sys\n    return sys\nfrom os.path import *",
    "from . import sibling\nfrom ..pkg import thing as other\nfrom .mod import *",
    "if x:\n    import a as z\nelif y:\n    import b as z\nelse:\n    import c as z",
    "for i in r:\n    import t\nelse:\n    import t2 as t\nwhile w:\n    import u\nwith o as p:\n    import v",
    "match k:\n    case 1:\n        import m1 as mm\n    case _:\n        import m2 as mm",
    "df = pd.read_csv('a.csv')\ny = df['a']",
]


@pytest.mark.parametrize("source", SOURCES)
def test_plain_read_gives_the_imports_of_the_full_analysis(source):
    fast, full = _read_plain(source), analyze_cell_uncached(source)
    assert fast is not None and full.syntax_error is None
    assert dict(fast.imports) == dict(full.imports)
    assert fast.star_imports == tuple(full.star_imports)
    assert ast.dump(fast.tree) == ast.dump(ast.parse(full.python_source))


@pytest.mark.parametrize("source", ["%matplotlib inline\nimport numpy as np", "!pip install x",
                                    "df?", "x = get_ipython().run_line_magic('time', 'import os')",
                                    "cd data", "x = (", "x = " + "-" * 400 + "1"])
def test_ipython_broken_or_deep_cells_take_the_full_analysis(source):
    assert _read_plain(source) is None
    code, full = read_cell(source), analyze_cell_uncached(source)
    assert (code is None) == (full.syntax_error is not None)
    if code is not None:
        assert dict(code.imports) == dict(full.imports)


_NAMES = st.sampled_from(["a", "b", "np", "pd", "os.path", "x.y.z"])
_IMPORT = st.one_of(
    st.builds(lambda n: f"import {n}", _NAMES),
    st.builds(lambda n, a: f"import {n} as {a}", _NAMES, st.sampled_from(["p", "q", "np"])),
    st.builds(lambda m, n: f"from {m} import {n}", _NAMES, st.sampled_from(["p", "q", "*"])),
)
_WRAPPERS = [lambda s: s, lambda s: f"if c:\n    {s}", lambda s: f"def f():\n    {s}",
             lambda s: f"try:\n    {s}\nexcept E:\n    pass", lambda s: f"class K:\n    {s}"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_IMPORT, st.sampled_from(range(len(_WRAPPERS)))), min_size=1, max_size=6))
def test_plain_read_matches_full_analysis_on_generated_cells(parts):
    source = "\n".join(_WRAPPERS[w](line) for line, w in parts)
    full = analyze_cell_uncached(source)
    fast = read_cell(source)
    assert (fast is None) == (full.syntax_error is not None)
    if fast is not None:
        assert dict(fast.imports) == dict(full.imports)
        assert fast.star_imports == tuple(full.star_imports)


def test_inference_reuses_the_tree_the_full_analysis_parsed():
    from nbcrash_kernel.facts import cell_code
    from nbcrash_kernel.facts.cells import ipython

    cell_code.parse_python.cache_clear()
    facts = analyze_cell_uncached("import numpy as np\nshared_tree_probe = np.zeros(3)\n")
    analysed = ipython.recent_tree(facts.python_source)
    assert analysed is not None and cell_code.parse_python(facts.python_source) is analysed
    for n in range(2 * ipython._MAX_RECENT_TREES):
        analyze_cell_uncached(f"probe_{n} = {n}")
    assert len(ipython._RECENT_TREES) == ipython._MAX_RECENT_TREES
    assert ipython.recent_tree(facts.python_source) is None
