"""Bounded reads of user objects: every exception caught, a deadline that always ends, no expansion."""
from __future__ import annotations

import time

from nbcrash_kernel.live.budget import WATCHDOG, bounded, shape_text, short_repr, user_attr, user_text
from nbcrash_kernel.live.enrich import describe_value


class Forever:
    """A ``__repr__`` that loops forever, and swallows the first interruption it gets."""

    def __repr__(self):
        try:
            while True:
                pass
        except BaseException:  # noqa: BLE001
            pass
        while True:
            pass


class Exits:
    def __repr__(self):
        raise SystemExit(3)

    @property
    def shape(self):
        raise KeyboardInterrupt


def test_a_looping_repr_is_cut_at_the_deadline_and_leaves_nothing_armed():
    for _ in range(50):
        started = time.perf_counter()
        text = user_text(Forever(), convert=repr)
        assert time.perf_counter() - started < 1.0
        assert text.startswith("<") and "Forever object at" in text
    assert not WATCHDOG._deadlines
    total = 0
    for i in range(200_000):  # plain code afterwards is never interrupted
        total += i
    assert total == sum(range(200_000))


def test_system_exit_and_keyboard_interrupt_from_user_code_become_defaults():
    assert "Exits object at" in user_text(Exits(), convert=repr)
    assert user_attr(Exits(), "shape") is None
    assert bounded(lambda: (_ for _ in ()).throw(GeneratorExit()), default="d") == "d"


def test_huge_shapes_and_columns_are_summarised_never_expanded():
    class Big:
        shape = range(10**9)
        columns = range(10**9)

    started = time.perf_counter()
    text = describe_value(Big())
    assert time.perf_counter() - started < 0.1
    assert "range(0, 1000000000)" in text and "5000+ in all" in text
    assert shape_text((3, 4)) == "(3, 4)"
    assert short_repr(10**5000) == "<int of 16610 bits>"
    assert len(short_repr(list(range(10**6)))) <= 100
    assert user_text("\ud800x") == "\\ud800x"


PROFILE_AFTER_BOUNDED_READS = """
import cProfile, sys
from nbcrash_kernel.live.budget import bounded, user_text
class Slow:
    def __repr__(self):
        while True:
            pass
bounded(len, [1, 2])                      # a read within its budget
user_text(Slow(), convert=repr)           # a read cut at its deadline
def call():
    return 1
profiler = cProfile.Profile()
profiler.enable()
call()
profiler.disable()
sys.settrace(lambda *args: None)
call()
sys.settrace(None)
print("profiled and traced")
"""


def test_a_profiler_or_tracer_after_bounded_reads_does_not_hang():
    # Clearing a pending interruption with PyThreadState_SetAsyncExc(id, NULL) left CPython
    # 3.11's eval breaker set, and cProfile / sys.settrace (%prun, pdb, the Lab debugger)
    # then looped forever at the next call.
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", PROFILE_AFTER_BOUNDED_READS],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "profiled and traced" in done.stdout
