"""RC-INTENT-OWN-RAISE: a raise the cell itself makes, or an exercise stub, is on purpose; a guard is not.

The exceptions are raised for real from code compiled as a notebook cell (its source in linecache,
as IPython keeps it), and classified from the live exception as the kernel does.
"""
from __future__ import annotations

import linecache

from nbcrash_kernel.classifier import classify
from nbcrash_kernel.facts.context import CrashContext

CELL = "/tmp/ipykernel_1/123.py"


def _crash(source: str) -> dict:
    linecache.cache[CELL] = (len(source), None, source.splitlines(True), CELL)  # as IPython registers a cell
    try:
        exec(compile(source, CELL, "exec"), {})
    except Exception as exc:  # the cell's own exception, as IPython's showtraceback gets it
        exc.__traceback__ = exc.__traceback__.tb_next  # drop this test's own frame, as IPython drops its own
        diagnosis = classify(CrashContext(exc=exc, ename=type(exc).__name__, evalue=str(exc), cell_source=source))
        return {"root_cause": diagnosis.root_cause, "rule": diagnosis.trace["root_cause"]["rule"]}
    raise AssertionError("the cell did not raise")


def test_a_cell_that_raises_at_its_top_level_does_it_on_purpose():
    assert _crash("ready = False\nif not ready:\n    raise RuntimeError('stop here: run the setup first')\n")["rule"] \
        == "RC-INTENT-OWN-RAISE"


def test_an_exercise_stub_is_on_purpose():
    crash = _crash("def train(n):\n    raise NotImplementedError('write train()')\n\ntrain(3)\n")
    assert (crash["rule"], crash["root_cause"]) == ("RC-INTENT-OWN-RAISE", "INTENT")


def test_a_guard_in_the_user_s_function_is_not_taken_as_intent():
    crash = _crash("def root(x):\n    if x < 0:\n        raise ValueError('negative values are not allowed')\n"
                   "    return x ** 0.5\n\nroot(-4)\n")
    assert crash["rule"] != "RC-INTENT-OWN-RAISE" and crash["root_cause"] != "INTENT"
