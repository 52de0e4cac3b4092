"""Bounded calls into user objects: a time budget, every exception caught, sizes capped.

Reading a live value (``obj.shape``, ``repr(column)``, ``dir(obj)``) runs the user's
code: properties, ``__getattr__``, ``__repr__``, ``__iter__``. That code may raise
anything (``SystemExit``, ``KeyboardInterrupt``, a ``BaseException`` subclass), loop
forever or build something huge. Here such a call:

* runs under a deadline: a watchdog thread raises ``OverBudget`` in the calling
  thread once it passes (``PyThreadState_SetAsyncExc``, the C API CPython offers for
  this; it lands at the next bytecode boundary, so a call blocked inside C code such
  as ``time.sleep`` ends only when that returns, and a loop that catches
  ``BaseException`` around such a call cannot be stopped in-process at all);
* has every ``BaseException`` caught and turned into the caller's default;
* reads sequences with ``islice``, never ``tuple(...)``/``list(...)`` of the whole.
"""
from __future__ import annotations

import ctypes
import itertools
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator

CALL_SECONDS = 0.02          # one read of a user object
MAX_ITEMS = 64               # items read from a user sequence to describe it


class OverBudget(BaseException):
    """Raised into nbcrash's own call when the user code it called ran past its deadline."""


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exc) if exc is not None else None)


class Watchdog:
    """One daemon thread that interrupts calls past their deadline (a stack of them per thread).

    The calling thread may be interrupted anywhere, so it only ever takes C-level locks
    (``threading.Lock``: no Python frame between acquiring and the ``with`` block, where an
    interruption would leave the lock held); a ``Condition`` or an ``Event`` would not do.
    """

    POLL_SECONDS = 0.002     # while a deadline is armed; user code that swallows OverBudget gets it again

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Lock()      # held while the watchdog sleeps with nothing armed
        self._wake.acquire()
        self._deadlines: dict[int, list[tuple[float, object]]] = {}   # thread -> [(deadline, token)]
        self._sent: set[int] = set()       # threads sent an interruption that may not have landed yet
        self._thread: threading.Thread | None = None

    def arm(self, ident: int, seconds: float, token: object) -> None:
        """Start a deadline for thread ``ident``, named by ``token``."""
        due = time.monotonic() + seconds
        with self._lock:
            self._deadlines.setdefault(ident, []).append((due, token))
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="nbcrash-watchdog", daemon=True)
            self._thread.start()
        try:
            self._wake.release()
        except RuntimeError:  # already awake
            pass

    def disarm(self, ident: int, token: object) -> None:
        """End the deadline ``token`` and any armed after it (none if it was never armed);
        let an interruption sent but not yet delivered land here. Safe to repeat."""
        with self._lock:
            stack = self._deadlines.get(ident, [])
            tokens = [t for _, t in stack]
            if token in tokens:
                del stack[tokens.index(token):]
            if not stack:
                self._deadlines.pop(ident, None)
            sent = ident in self._sent
            self._sent.discard(ident)
        if sent:
            _receive_pending_interruption()

    def _run(self) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                for ident, stack in self._deadlines.items():
                    if stack and min(d for d, _ in stack) <= now:
                        _set_async_exc(ident, OverBudget)
                        self._sent.add(ident)
                armed = bool(self._deadlines)
            if armed:
                time.sleep(self.POLL_SECONDS)
            else:
                self._wake.acquire()


def _receive_pending_interruption() -> None:
    """Run a few loop steps so that an interruption still pending is delivered, and caught, here.

    Clearing it with ``PyThreadState_SetAsyncExc(id, NULL)`` instead leaves CPython 3.11's
    eval breaker set for good when nothing was pending, and the next profiler or tracer
    (``%prun``, ``cProfile``, ``pdb``, the Lab debugger) then loops forever at the first call.
    """
    try:
        for _ in range(1000):  # each backward jump checks for pending interruptions
            pass
    except OverBudget:
        pass


WATCHDOG = Watchdog()


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Run the block under a deadline (nested deadlines: the earliest applies).

    The deadline is named by a token made before it is armed, so that an interruption
    landing anywhere (even inside ``arm``) still leaves no deadline armed behind.
    """
    ident, token = threading.get_ident(), object()
    try:
        WATCHDOG.arm(ident, seconds, token)
        yield
    finally:
        _disarm_surely(ident, token)


def _disarm_surely(ident: int, token: object) -> None:
    while True:
        try:
            WATCHDOG.disarm(ident, token)
            return
        except OverBudget:  # delivered just before the disarm: try again
            continue


def bounded(call: Callable[..., Any], *args: Any, default: Any = None,
            seconds: float = CALL_SECONDS, on_error: Callable[[BaseException], None] | None = None) -> Any:
    """``call(*args)``, or ``default`` if it raises anything or runs past ``seconds``."""
    try:
        with deadline(seconds):
            return call(*args)
    except BaseException as error:  # noqa: BLE001 - user code may raise SystemExit and the like
        if on_error is not None and not isinstance(error, OverBudget):
            _quietly(on_error, error)
        return default


def _quietly(callback: Callable[[BaseException], None], error: BaseException) -> None:
    try:
        callback(error)
    except BaseException:  # noqa: BLE001
        pass


def first_items(values: Any, limit: int = MAX_ITEMS) -> list[Any] | None:
    """Up to ``limit`` items of an iterable (never the whole), or None if it cannot be iterated."""
    def take() -> list[Any]:
        return list(itertools.islice(iter(values), limit))

    return bounded(take)


def size_of(values: Any) -> int | None:
    """``len(values)`` when it is a plain int, else None."""
    length = bounded(len, values)
    return length if type(length) is int else None


def user_attr(value: Any, name: str) -> Any:
    """``getattr(value, name, None)``, bounded (properties and ``__getattr__`` are user code)."""
    return bounded(getattr, value, name, None)


def user_text(value: Any, limit: int = 300, convert: Callable[[Any], Any] = str) -> str:
    """``str(value)`` (or ``convert``) cut to ``limit``, bounded; a non-string result is not used."""
    text = value if type(value) is str and convert is str else bounded(convert, value)
    if type(text) is not str:
        text = bounded(object.__repr__, value, default="<unprintable>")
    from ..record.safe_text import escape_surrogates

    text = escape_surrogates(text if len(text) <= 4 * limit else text[: 4 * limit])
    return text if len(text) <= limit else text[: limit - 1] + "…"


def short_repr(value: Any, limit: int = 100) -> str:
    """A ``repr`` of at most ``limit`` characters that never materialises a big builtin value.

    Builtin containers are written from their first items; other objects get their
    own ``repr``, bounded in time and cut.
    """
    kind = type(value)
    if kind in (str, bytes):
        return _cut(repr(value[: limit + 1]), limit)
    if kind is int:
        return repr(value) if value.bit_length() <= 64 else f"<int of {value.bit_length()} bits>"
    if kind in (float, bool, complex, range, slice) or value is None:
        return _cut(repr(value), limit)
    if kind in (list, tuple, set, frozenset, dict):
        return _container_repr(value, limit)
    return user_text(value, limit, convert=repr)


def _container_repr(value: Any, limit: int) -> str:
    items = list(itertools.islice(value.items() if type(value) is dict else value, 8))
    if type(value) is dict:
        parts = [f"{short_repr(k, 40)}: {short_repr(v, 40)}" for k, v in items]
    else:
        parts = [short_repr(v, 40) for v in items]
    more = f", … ({len(value)} in all)" if len(value) > len(items) else ""
    left, right = {list: "[]", tuple: "()", dict: "{}"}.get(type(value), "{}")
    trailing = "," if type(value) is tuple and len(value) == 1 else ""
    return _cut(left + ", ".join(parts) + trailing + more + right, limit)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shape_text(shape: Any) -> str:
    """A shape as ``(3, 4)``: ints are shown, anything else is summarised, never expanded."""
    items = first_items(shape, 33) if not isinstance(shape, (str, bytes)) else None
    if items is None:
        return short_repr(shape, 60)
    if (isinstance(shape, (tuple, list)) and len(items) <= 32 and size_of(shape) == len(items)
            and all(type(i) is int for i in items)):
        return str(tuple(items))
    return short_repr(shape, 60)
