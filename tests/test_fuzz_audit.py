"""Hostile notebooks through ``nbcrash audit``: never an aborted audit, never an empty report.

Hypothesis builds notebooks from valid ones bent out of shape (nbformat 3 and 4, fields of
the wrong JSON type, numbers far out of range or longer than 4,300 digits, lone
surrogates, terminal control sequences, markdown and HTML payloads, in messages and in
file names) and audits each, with a good notebook beside it, in all five formats. Every
run must exit with a documented code, write a non-empty report that encodes as UTF-8 and
holds no control sequence, keep the good notebook's crash, and (markdown) no link syntax
from the input. ``NBCRASH_FUZZ_EXAMPLES`` raises the count.
"""
from __future__ import annotations

import json
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbcrash_kernel.audit.formats import FORMAT_NAMES, render
from nbcrash_kernel.audit.runner import audit_paths

EXAMPLES = int(os.environ.get("NBCRASH_FUZZ_EXAMPLES", "400"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="NBCRASH_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

PAYLOADS = ["\ud800", "\udfff", "\x1b[31mred\x1b[0m", "\x1b]8;;javascript:alert(1)\x07x\x1b]8;;\x07",
            "\x1b]0;title\x07", "\x9b31m", "[x](javascript:alert(1))", "![i](http://e/x.png)",
            "<img src=x onerror=alert(1)>", "|a|b|", "`code`", "*em*", "\x00", "\r\n"]
hostile_text = st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=5)), max_size=6).map("".join)
odd_numbers = st.one_of(st.integers(min_value=-(10**30), max_value=10**30), st.floats(allow_nan=False),
                        st.just("HUGE_INT"), st.booleans(), st.none())
odd_json = st.one_of(odd_numbers, hostile_text, st.just([]), st.just({}), st.just([1, "a", None]))


@st.composite
def error_output(draw) -> dict:
    return {"output_type": draw(st.sampled_from(["error", "pyerr", "error", "stream"])),
            "ename": draw(st.one_of(st.just("ValueError"), hostile_text, odd_json)),
            "evalue": draw(st.one_of(hostile_text, odd_json)),
            "traceback": draw(st.one_of(st.lists(hostile_text, max_size=4), odd_json))}


@st.composite
def v4_cell(draw) -> dict:
    cell = {"cell_type": draw(st.sampled_from(["code", "code", "markdown", "raw", "heading", "??"])),
            "id": draw(st.one_of(st.just("c"), hostile_text, odd_json)),
            "metadata": draw(st.one_of(st.just({}), odd_json)),
            "source": draw(st.one_of(hostile_text, st.lists(hostile_text, max_size=3), odd_json)),
            "execution_count": draw(odd_numbers)}
    cell["outputs"] = draw(st.one_of(st.lists(error_output(), max_size=2), odd_json))
    return cell


@st.composite
def v3_cell(draw) -> dict:
    kind = draw(st.sampled_from(["code", "heading", "markdown"]))
    return {"cell_type": kind, "input": draw(st.one_of(hostile_text, odd_json)),
            "source": draw(st.one_of(hostile_text, odd_json)), "level": draw(odd_numbers),
            "prompt_number": draw(odd_numbers),
            "outputs": draw(st.one_of(st.lists(error_output(), max_size=2), odd_json))}


@st.composite
def hostile_notebooks(draw) -> str:
    """The JSON text of a hostile notebook (``HUGE_INT`` becomes a 5,000-digit integer)."""
    if draw(st.booleans()):
        document = {"nbformat": 4, "nbformat_minor": draw(odd_numbers), "metadata": draw(odd_json),
                    "cells": draw(st.one_of(st.lists(v4_cell(), max_size=5), odd_json))}
    else:
        document = {"nbformat": draw(st.sampled_from([3, 3, None, "3"])), "metadata": {},
                    "worksheets": draw(st.one_of(st.just([{"cells": draw(st.lists(v3_cell(), max_size=5))}]),
                                                 odd_json))}
    text = json.dumps(document)   # lone surrogates become \ud800 escapes, as in a real file
    return text.replace('"HUGE_INT"', "9" * 5000)


file_names = st.sampled_from(["a.ipynb", "UPPER.IPYNB", "[x](javascript:alert(1)).ipynb",
                              "<img src=x onerror=alert(1)>.ipynb", "tab\tname.ipynb", "esc\x1b[31m.ipynb"])

GOOD = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
    {"cell_type": "code", "id": "g", "metadata": {}, "execution_count": 1, "source": "1/0",
     "outputs": [{"output_type": "error", "ename": "ZeroDivisionError", "evalue": "division by zero",
                  "traceback": []}]}]}


@FUZZ
@given(text=hostile_notebooks(), name=file_names)
def test_a_hostile_notebook_never_aborts_or_blanks_the_report(tmp_path_factory, text, name):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    (folder / "good.ipynb").write_text(json.dumps(GOOD), encoding="utf-8")
    result = audit_paths([str(folder)], jobs=1, progress=False)
    assert len(result.reports) == 2, [r.path for r in result.reports]
    assert result.exit_code("finding") in (1, 2)
    good = next(r for r in result.reports if r.path.endswith("good.ipynb"))
    assert [c["ename"] for c in good.crashes] == ["ZeroDivisionError"]
    for name_ in FORMAT_NAMES:
        out = render(result, name_)
        assert out.strip() and out.encode("utf-8")
        assert not CONTROL.search(out.replace("\t", "")), name_
        if name_ == "markdown":
            assert "](javascript" not in out and "![" not in out and "<img" not in out
