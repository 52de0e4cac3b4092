"""What a statement evaluated before it reached a name, in Python's evaluation order."""
from __future__ import annotations

import pytest

from nbcrash_kernel.facts.evaluation_order import names_evaluated_before


@pytest.mark.parametrize("line, name, before", [
    ("titanic = preprocess(titanic)", "preprocess", []),          # the callee before its arguments
    ("model.fit(X_train, y_train)", "X_train", ["model"]),         # the method looked up first
    ("model.fit(X_train, y_train)", "y_train", ["model", "X_train"]),
    ("df[col] = values", "values", []),                           # the right-hand side before the target
    ("df[col] = values", "col", ["values", "df"]),
    ("total += extra", "extra", ["total"]),                       # an augmented target is read first
    ("a = b if cond else c", "b", ["cond"]),                      # a conditional's test first
    ("out = [f(v) for v in rows]", "rows", []),                   # the first iterable, outside the comprehension
    ("for x in data:", "data", []),                               # a compound statement's header
])
def test_names_are_read_in_pythons_evaluation_order(line, name, before):
    assert names_evaluated_before(line, name) == before


@pytest.mark.parametrize("line, name", [("model.fit(X_train,", "X_train"),   # cut from a longer statement
                                        ("out = [f(v) for v in rows]", "f"),  # loaded later, in its own scope
                                        ("print(x)", "y")])
def test_unknown_when_the_line_does_not_parse_or_never_loads_the_name(line, name):
    assert names_evaluated_before(line, name) is None


@pytest.mark.parametrize("line, loaded", [
    ("x, y = process_text(plays)", ["process_text", "plays"]),   # plain targets are stored, not read
    ("df['c'] = df['a'] * 2", ["df"]),                            # a subscript target reads its container
    ("total += extra", ["total", "extra"]),
    ("model.fit(X, y)", ["model", "X", "y"]),
])
def test_every_name_a_statement_reads_in_order(line, loaded):
    from nbcrash_kernel.facts.evaluation_order import names_loaded

    assert names_loaded(line) == loaded


def test_a_very_deep_or_long_line_is_unknown_not_an_error():
    from nbcrash_kernel.facts.evaluation_order import names_loaded

    deep = "y = " + " + ".join(["a"] * 1900)
    assert names_evaluated_before(deep, "zz") is None and names_loaded("y = [" + "1, " * 5000 + "]") is None
    assert names_loaded(deep) in (None, ["a"])
