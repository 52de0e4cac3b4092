"""Hostile cells in a kernel with nbcrash and in a plain kernel: the user sees the same failure.

Hypothesis writes cells that raise hostile exceptions (messages with lone surrogates and
control sequences, ``__str__``/``__repr__`` that raise ``SystemExit``, ``KeyboardInterrupt``
or other ``BaseException`` subclasses, or return non-strings, recursive and huge arguments)
and cells that touch hostile objects in the namespace (``shape = range(10**7)``, columns
whose ``__repr__`` exits, properties that loop forever). Every cell runs in both kernels,
one session each, in lockstep (same execution counts): the reply status and every error
output must be the same text, no output may show an nbcrash frame, both kernels stay
alive, and each card's record fits 64 KB. ``NBCRASH_FUZZ_EXAMPLES`` raises the count.
"""
from __future__ import annotations

import json
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbcrash_kernel.live.driver import KernelDriver
from nbcrash_kernel.live.record_budget import MAX_RECORD_BYTES

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("NBCRASH_FUZZ_EXAMPLES", "75"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="NBCRASH_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ADDRESS = re.compile(r"0x[0-9a-fA-F]+")

# Classes the hostile cells use, defined once in both kernels.
PRELUDE = r'''
import sys
class Boom(BaseException):
    pass
def _hostile(kind):
    def method(self):
        if kind == "sysexit": raise SystemExit(3)
        if kind == "interrupt": raise KeyboardInterrupt()
        if kind == "base": raise Boom("boom")
        if kind == "genexit": raise GeneratorExit()
        if kind == "int": return 5
        if kind == "none": return None
        if kind == "huge": return "x" * 3_000_000
        if kind == "recurse": return str(self)
        if kind == "surrogate": return "\ud800\udfff"
        if kind == "ansi": return "\x1b]8;;http://evil\x07link\x1b]8;;\x07\x1b[31mred"
        return "fine"
    return method
def hostile_exception(base, str_kind, repr_kind):
    return type("Hostile" + base.__name__, (base,), {"__str__": _hostile(str_kind), "__repr__": _hostile(repr_kind)})
def hostile_object(repr_kind, shape=None, columns=None, loop_attr=False):
    attrs = {"__repr__": _hostile(repr_kind), "__str__": _hostile(repr_kind)}
    if shape is not None: attrs["shape"] = shape
    if columns is not None: attrs["columns"] = columns
    if loop_attr:
        def forever(self):
            while True:
                try:
                    pass
                except BaseException:
                    pass
        attrs["dtype"] = property(forever)
    def getitem(self, key): raise TypeError("not subscriptable here")
    attrs["__getitem__"] = getitem
    return type("HostileObject", (), attrs)()
'''

HOSTILE_KINDS = ["sysexit", "interrupt", "base", "genexit", "int", "none", "huge", "recurse",
                 "surrogate", "ansi", "fine"]
EXCEPTION_BASES = ["Exception", "ValueError", "KeyError", "TypeError", "AttributeError", "NameError",
                   "FileNotFoundError", "MemoryError", "ImportError"]

PIECES = ["\x1b[31m", "\x1b]8;;http://x\x07", "\x07", "\x00", "\r", "[x](javascript:1)", "<b>"]
messages = st.lists(st.one_of(
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),  # lone surrogates
    st.sampled_from(PIECES),
    st.characters(),
), max_size=12).map("".join)
big_args = st.sampled_from(["'x' * 200_000", "list(range(100_000))", "{'k': 'v' * 100_000}",
                            "[[[[[[[[[[[]]]]]]]]]]]", "_recursive()", "10 ** 4000"])


@st.composite
def hostile_raises(draw) -> str:
    """A cell that raises: a hostile exception class, a hostile message or a huge argument."""
    base = draw(st.sampled_from(EXCEPTION_BASES))
    if draw(st.booleans()):
        str_kind, repr_kind = draw(st.sampled_from(HOSTILE_KINDS)), draw(st.sampled_from(HOSTILE_KINDS))
        return f"raise hostile_exception({base}, {str_kind!r}, {repr_kind!r})({draw(messages)!r})"
    if draw(st.booleans()):
        return f"def _recursive():\n    a = []\n    a.append(a)\n    return a\nraise {base}({draw(big_args)})"
    return f"raise {base}({draw(messages)!r})"


@st.composite
def hostile_uses(draw) -> str:
    """A cell that fails on a hostile object in the namespace (enrichment and the guard read it)."""
    kind = draw(st.sampled_from(HOSTILE_KINDS))
    shape = draw(st.sampled_from(["None", "range(10**7)", "(3, 4)", "hostile_object('sysexit')", "'abc'",
                                  "[10**5000]", "tuple(range(40))"]))
    columns = draw(st.sampled_from(["None", "range(10**7)", "[hostile_object('sysexit')]",
                                    "[hostile_object('base'), 'a']", "['a', 'b']", "hostile_object('int')"]))
    loop = draw(st.booleans())
    use = draw(st.sampled_from(["h['x']", "h + 1", "h.missing", "{}[h]", "len(h)", "h(1, bad=2)",
                                "import linecache; _orig = linecache.getline; linecache.getline = None\n"
                                "try:\n    h + 1\nfinally:\n    linecache.getline = _orig"]))
    return (f"h = hostile_object({kind!r}, shape={shape}, columns={columns}, loop_attr={loop})\n"
            f"{use}")


def _error_texts(run) -> list[str]:
    return [ADDRESS.sub("0x?", "\n".join(o.get("traceback", []))) + f"|{o.get('ename')}"
            for o in run.outputs if o["type"] == "error"]


def _user_outputs(run) -> str:
    """Everything but nbcrash's own cards and warnings (which never carry frames)."""
    parts = []
    for o in run.outputs:
        data = o.get("data") or {}
        if any(k.startswith("application/vnd.nbcrash") for k in data):
            continue
        parts.append(json.dumps(o, ensure_ascii=False, default=str))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def kernels():
    plain, nbcrash = KernelDriver(nbcrash=False, timeout=30), KernelDriver(nbcrash=True, timeout=30)
    try:
        for kernel in (plain, nbcrash):
            assert kernel.run(PRELUDE).status == "ok"
        yield plain, nbcrash
    finally:
        plain.shutdown()
        nbcrash.shutdown()


def same_failure(kernels, code: str) -> None:
    plain, nbcrash = kernels
    expected = plain.run(code, timeout=30)
    got = nbcrash.run(code, timeout=30)   # TimeoutError: a hang that the plain kernel did not have
    assert plain.km.is_alive(), "the plain kernel died: the strategy should not write such a cell"
    assert nbcrash.km.is_alive(), f"nbcrash's kernel died on:\n{code}"
    assert got.status == expected.status, code
    assert _error_texts(got) == _error_texts(expected), code
    assert "nbcrash_kernel" not in _user_outputs(got), code
    for record in got.crashes:
        assert len(json.dumps(record, ensure_ascii=False).encode("utf-8")) <= MAX_RECORD_BYTES


@FUZZ
@given(code=hostile_raises())
def test_hostile_exceptions_fail_as_in_a_plain_kernel(kernels, code):
    same_failure(kernels, code)


@FUZZ
@given(code=hostile_uses())
def test_hostile_objects_fail_as_in_a_plain_kernel(kernels, code):
    same_failure(kernels, code)


HAND_PICKED = [
    "raise ValueError('\\ud800')",                                       # the message cannot be sent
    "class E(Exception):\n    def __str__(self): return 5\nraise E()",    # __str__ returns an int
    "class E(Exception):\n    def __str__(self): raise BaseException('x')\nraise E()",
    "get_ipython().set_custom_exc((), None)\nclass R:\n    shape = (1,)\n"
    "    def __repr__(self): raise SystemExit(3)\nr = R()\nr.foo",          # SystemExit from __repr__
    "class R:\n    def __repr__(self): raise SystemExit(1)\n    def __str__(self): raise SystemExit(1)\n"
    "class H:\n    shape = (1, 1)\n    columns = [R()]\n    def __getitem__(self, k): raise TypeError('nope')\n"
    "h = H()",
    "h['x']",                                                             # the guard reads h.columns
    "import linecache\n_getline = linecache.getline\nlinecache.getline = None\ntry:\n    1/0\n"
    "finally:\n    linecache.getline = _getline",
    "import traceback\n_fe = traceback.format_exception\ntraceback.format_exception = None\ntry:\n"
    "    {}['k']\nfinally:\n    traceback.format_exception = _fe",
]


@pytest.mark.parametrize("code", HAND_PICKED)
def test_the_issue_cases_fail_as_in_a_plain_kernel(kernels, code):
    same_failure(kernels, code)


def test_a_huge_shape_makes_a_small_fast_card(kernels):
    _, nbcrash = kernels
    run = nbcrash.run("class Big:\n    shape = range(10**7)\n    columns = range(10**7)\nbig = Big()\nbig + 1")
    [record] = run.crashes
    size = len(json.dumps(record, ensure_ascii=False).encode("utf-8"))
    latency = float(nbcrash.run("from nbcrash_kernel.live.extension import active_extension\n"
                                "print(active_extension(get_ipython()).last_card_latency)").text)
    assert size <= MAX_RECORD_BYTES and latency <= 0.1, (size, latency)
    assert any("range(0, 10000000)" in line for line in record["evidence"])


def _rss_mb(kernel) -> float:
    pid = kernel.km.provisioner.process.pid
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def test_memory_stays_near_the_plain_kernels(kernels):
    """Run last in this module: after every hostile cell, nbcrash's kernel holds ≤ 50 MB more."""
    plain, nbcrash = kernels
    if not os.path.exists("/proc/self/status"):
        pytest.skip("needs /proc")
    for kernel in kernels:
        kernel.run("import gc; gc.collect()")
    assert _rss_mb(nbcrash) <= _rss_mb(plain) + 50, (_rss_mb(nbcrash), _rss_mb(plain))
