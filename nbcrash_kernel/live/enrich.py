"""Live enrichment: explain a crash with the real objects, not guesses.

Each enricher looks at one kind of exception and returns evidence and fixes made
from the live values: shapes and dtypes, a DataFrame's closest columns, an object's
closest attributes, a callee's signature, installed versions, pip names, the working
directory and its closest paths, free memory. Every enricher is guarded: a failure
here only loses that line of evidence.
"""
from __future__ import annotations

import difflib
import linecache
import os
import re
from dataclasses import dataclass, field
from types import FrameType, TracebackType
from typing import Any, Callable, Mapping

from .budget import OverBudget, bounded, deadline, first_items, shape_text, short_repr, user_attr, user_text

MAX_FRAMES = 200          # frames walked in a traceback (RecursionError has thousands)
MAX_CANDIDATES = 5000     # names/columns/attributes compared with difflib
MAX_LINE_VALUES = 6       # values described from the failing line
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class LiveFacts:
    """What the kernel can see about a crash, besides the exception itself."""

    exc: BaseException
    namespace: Mapping[str, Any]
    cell_frame: FrameType | None = None     # the innermost frame running the cell's code
    cell_lineno: int | None = None
    cell_line: str = ""
    evidence: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)

    def lookup(self, name: str) -> Any:
        """A name's value as the failing line saw it (frame locals, then the namespace)."""
        if self.cell_frame is not None:
            f_locals = self.cell_frame.f_locals
            if name in f_locals:
                return f_locals[name]
        return self.namespace.get(name, _MISSING)


_MISSING = object()


def safe_str(value: Any, limit: int = 300) -> str:
    """``str(value)`` cut to ``limit``; never raises, bounded in time (see ``budget``)."""
    return user_text(value, limit)


def type_name(value: Any) -> str:
    """``numpy.ndarray``-style name of a value's type."""
    kind = type(value)
    module = getattr(kind, "__module__", "") or ""
    top = module.split(".")[0]
    return kind.__qualname__ if top in ("builtins", "") else f"{top}.{kind.__qualname__}"


def describe_value(value: Any) -> str:
    """Type, shape, dtype(s) and size of a value, in a few words."""
    parts = [type_name(value)]
    shape = _attr(value, "shape")
    if shape is not None and not callable(shape):
        parts.append(f"shape {shape_text(shape)}")
    dtype = _attr(value, "dtype")
    if dtype is not None and not callable(dtype):
        parts.append(f"dtype {safe_str(dtype, 40)}")
    columns = _columns(value)
    if columns is not None:
        shown = ", ".join(short_repr(c, 60) for c in columns[:12])
        at_least = "+" if len(columns) >= MAX_CANDIDATES else ""
        more = f", … ({len(columns)}{at_least} in all)" if len(columns) > 12 else ""
        parts.append(f"columns [{shown}{more}]")
    elif shape is None and type(value) in (list, tuple, dict, set, str, bytes):
        parts.append(f"len {len(value)}")
    return ", ".join(parts)


def _attr(value: Any, name: str) -> Any:
    return user_attr(value, name)  # properties may raise, loop, or be slow


def _is_sequence(value: Any) -> bool:
    return first_items(value) is not None


def _columns(value: Any) -> list[Any] | None:
    columns = _attr(value, "columns")
    if columns is None or callable(columns) or _attr(value, "shape") is None:
        return None
    return first_items(columns, MAX_CANDIDATES)


def closest(word: str, candidates: list[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The candidates closest to ``word`` (difflib), case-insensitive matches first.

    Candidates far longer or shorter than ``word`` cannot reach the cutoff and are
    dropped first: difflib is slow over thousands of names.
    """
    slack = max(2, len(word) // 2)
    candidates = [c for c in candidates[: 20 * MAX_CANDIDATES] if abs(len(c) - len(word)) <= slack][:MAX_CANDIDATES]
    lower = {c.lower(): c for c in candidates}
    exact = [lower[word.lower()]] if word.lower() in lower and lower[word.lower()] != word else []
    close = difflib.get_close_matches(word, candidates, n=n, cutoff=cutoff)
    return list(dict.fromkeys(exact + close))[:n]


# ---- locating the failing line --------------------------------------------------------

def cell_frame_of(tb: TracebackType | None, is_cell_file: Callable[[str], bool]) -> tuple[FrameType | None, int | None]:
    """The innermost frame (and its line) whose code comes from a notebook cell."""
    found: tuple[FrameType | None, int | None] = (None, None)
    steps = 0
    while tb is not None and steps < MAX_FRAMES:
        if is_cell_file(tb.tb_frame.f_code.co_filename):
            found = (tb.tb_frame, tb.tb_lineno)
        tb = tb.tb_next
        steps += 1
    return found


def line_of(frame: FrameType | None, lineno: int | None) -> str:
    if frame is None or lineno is None:
        return ""
    return linecache.getline(frame.f_code.co_filename, lineno).strip()


# ---- enrichers ------------------------------------------------------------------------

def values_on_line(facts: LiveFacts) -> None:
    """Shapes, dtypes and columns of the arrays, tensors and DataFrames on the failing line."""
    seen = 0
    for name in dict.fromkeys(_IDENT.findall(facts.cell_line)):
        value = facts.lookup(name)
        if value is _MISSING or isinstance(value, type) or callable(value):
            continue
        shape = _attr(value, "shape")
        if shape is None or callable(shape):  # modules such as numpy have a shape() function
            continue
        text = describe_value(value)
        facts.values[name] = text
        facts.evidence.append(f"`{name}` is {text}")
        seen += 1
        if seen >= MAX_LINE_VALUES:
            break


def missing_key(facts: LiveFacts) -> None:
    """KeyError on a DataFrame (or dict): its real keys and the closest to the missing one."""
    exc = facts.exc
    if not isinstance(exc, KeyError) or not exc.args:
        return
    key = safe_str(exc.args[0], 200)
    for name in dict.fromkeys(_IDENT.findall(facts.cell_line)):
        value = facts.lookup(name)
        keys = _columns(value)
        label = "columns"
        if keys is None and isinstance(value, dict):
            keys, label = first_items(value, MAX_CANDIDATES), "keys"
        if not keys:
            continue
        texts = [safe_str(k, 100) for k in keys]
        near = closest(key.strip("'\""), texts)
        shown = ", ".join(repr(t) for t in texts[:15]) + (" …" if len(texts) > 15 else "")
        if name in facts.values:  # its columns are already listed with its shape
            facts.evidence.append(f"{key} is not among the {label} of `{name}`")
        else:
            facts.evidence.append(f"`{name}` has {label} [{shown}]; {key} is not one of them")
        if near:
            # evidence, not a fix: the advice pass words the one did-you-mean fix (nbcrash_kernel.advice)
            facts.evidence.append(f"closest {label} of `{name}`: {', '.join(repr(n) for n in near)}")
        return


def missing_attribute(facts: LiveFacts) -> None:
    """AttributeError: the object's type, and its attributes closest to the missing one."""
    exc = facts.exc
    if not isinstance(exc, AttributeError):
        return
    name = getattr(exc, "name", None)
    obj = getattr(exc, "obj", _MISSING)
    if not name or obj is _MISSING:
        return
    attrs = [a for a in bounded(dir, obj, default=[]) if isinstance(a, str) and not a.startswith("__")]
    described = describe_value(obj)
    if described not in facts.values.values():
        facts.evidence.append(f"the object is {described}")
    near = closest(name, attrs, cutoff=0.7)
    if near:
        facts.suggestions.append(f"closest attributes of {type_name(obj)}: {', '.join(near)}")
    module = getattr(obj, "__name__", None) if type(obj).__name__ == "module" else None
    library = (module or type(obj).__module__ or "").split(".")[0]
    version = installed_version(library)
    if version:
        facts.evidence.append(f"installed {library} is version {version}")


def missing_name(facts: LiveFacts) -> None:
    """NameError: the defined names closest to the missing one."""
    exc = facts.exc
    if not isinstance(exc, NameError) or isinstance(exc, UnboundLocalError):
        return
    name = getattr(exc, "name", None)
    if not name:
        return
    names = [n for n in facts.namespace if not n.startswith("_")]
    near = closest(name, names)
    if near:
        # Evidence, not a fix: the advice pass words the one did-you-mean.
        facts.evidence.append(f"names defined now that look like `{name}`: {', '.join(near)}")


_UNEXPECTED_KW = re.compile(r"(?:([\w.]+)\(\) )?got an unexpected keyword argument '(\w+)'")


def unexpected_keyword(facts: LiveFacts) -> None:
    """TypeError for an unexpected keyword: the callee's signature and the closest parameter."""
    if not isinstance(facts.exc, TypeError):
        return
    match = _UNEXPECTED_KW.search(safe_str(facts.exc, 1000))
    if not match:
        return
    callee_name, keyword = match.groups()
    callee = _callee_on_line(facts, (callee_name or "").split(".")[-1], keyword)
    if callee is None:
        return
    import inspect

    try:
        signature = inspect.signature(callee)
    except (TypeError, ValueError):
        return
    # Worded as the advice pass words it, so the card shows the signature once.
    facts.evidence.append(f"signature: `{safe_str(getattr(callee, '__qualname__', callee), 80)}{safe_str(signature, 400)}`")
    near = closest(keyword, list(signature.parameters))
    if near:
        facts.evidence.append(f"the closest parameter to `{keyword}` is `{near[0]}`")


def _callee_on_line(facts: LiveFacts, callee_name: str, keyword: str) -> Any:
    """The callable called with ``keyword=`` on the failing line (by its dotted name there)."""
    pattern = re.compile(r"([A-Za-z_][\w.]*)\s*\([^()]*\b" + re.escape(keyword) + r"\s*=")
    match = pattern.search(facts.cell_line)
    dotted = match.group(1) if match else callee_name
    if not dotted:
        return None
    parts = dotted.split(".")
    value = facts.lookup(parts[0])
    for part in parts[1:]:
        value = _attr(value, part) if value is not _MISSING else None
    return value if callable(value) else None


def missing_module(facts: LiveFacts) -> None:
    """ModuleNotFoundError: the pip package that provides it, and the interpreter to install into."""
    exc = facts.exc
    if not isinstance(exc, ModuleNotFoundError) or not getattr(exc, "name", None):
        return
    import sys

    from ..knowledge.modules import pip_name

    package = pip_name(exc.name)
    facts.evidence.append(f"`{exc.name}` is not installed in this kernel's environment ({sys.executable})")
    facts.suggestions.append(f"install it into this kernel: %pip install {package}")


def failed_import(facts: LiveFacts) -> None:
    """ImportError for a name: the installed version of the library that lacks it."""
    exc = facts.exc
    if not isinstance(exc, ImportError) or isinstance(exc, ModuleNotFoundError):
        return
    module = getattr(exc, "name", None) or ""
    library = module.split(".")[0]
    version = installed_version(library)
    if version:
        facts.evidence.append(f"installed {library} is version {version}")


def missing_file(facts: LiveFacts) -> None:
    """FileNotFoundError: the working directory and the existing paths closest to the missing one."""
    exc = facts.exc
    if not isinstance(exc, FileNotFoundError):
        return
    filename = getattr(exc, "filename", None)
    cwd = os.getcwd()
    facts.evidence.append(f"the kernel's working directory is {cwd}")
    if not isinstance(filename, str) or not filename:
        return
    folder = os.path.dirname(filename) or "."
    target = os.path.basename(filename)
    if not os.path.isdir(folder):
        facts.evidence.append(f"the folder {folder!r} does not exist either")
        folder, target = ".", filename.split("/")[0] or target
    try:
        with os.scandir(folder) as entries:
            names = [e.name for _, e in zip(range(MAX_CANDIDATES), entries)]
    except OSError:
        return
    near = closest(target, names)
    if near:
        paths = [os.path.join(folder, n) if folder != "." else n for n in near]
        facts.suggestions.append(f"existing paths closest to {filename!r}: {', '.join(paths)}")


def out_of_memory(facts: LiveFacts) -> None:
    """MemoryError (or an allocation failure message): free memory now."""
    text = safe_str(facts.exc, 500).lower()
    if not (isinstance(facts.exc, MemoryError) or "out of memory" in text or "unable to allocate" in text):
        return
    free = free_memory_bytes()
    if free is not None:
        facts.evidence.append(f"free memory now: {free / 2**30:.1f} GiB")


ENRICHERS: tuple[Callable[[LiveFacts], None], ...] = (
    values_on_line, missing_key, missing_attribute, missing_name, unexpected_keyword,
    missing_module, failed_import, missing_file, out_of_memory,
)


ENRICH_SECONDS = 0.05    # the whole enrichment of one crash; enrichers not started by then are skipped


def enrich(facts: LiveFacts, on_error: Callable[[BaseException], None] | None = None) -> LiveFacts:
    """Run every enricher on ``facts`` within ``ENRICH_SECONDS``; a failing one is reported and skipped.

    Enrichers read user objects: anything they raise (``SystemExit`` from a ``__repr__``
    included) or a run past the deadline only loses that line of evidence.
    """
    try:
        with deadline(ENRICH_SECONDS):
            for enricher in ENRICHERS:
                try:
                    enricher(facts)
                except OverBudget:
                    raise
                except BaseException as error:  # noqa: BLE001 - enrichment must never break the card
                    if on_error is not None:
                        bounded(on_error, error)
    except OverBudget:
        facts.evidence.append(f"(some live values were skipped: reading them took over {ENRICH_SECONDS * 1000:.0f} ms)")
    return facts


# ---- environment facts ----------------------------------------------------------------

def installed_version(library: str) -> str | None:
    """The installed version of an import name's distribution, or None."""
    if not library or library in ("__main__", "builtins") or library.startswith("_"):
        return None
    from importlib import metadata

    try:
        from ..knowledge.modules import pip_name

        guesses = [library, pip_name(library)]
    except ImportError:
        guesses = [library]
    for dist in dict.fromkeys(guesses):
        try:
            return metadata.version(dist)
        except (metadata.PackageNotFoundError, ValueError):
            continue
    return None


def free_memory_bytes() -> int | None:
    """Available memory, from psutil when present, else /proc/meminfo."""
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except Exception:  # noqa: BLE001
        pass
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def add_to_diagnosis(diagnosis: Any, facts: LiveFacts) -> None:
    """Append the live evidence and fixes to a ``Diagnosis`` (without repeating lines)."""
    for target, lines in ((diagnosis.evidence, facts.evidence), (diagnosis.suggestions, facts.suggestions)):
        for line in lines:
            if line not in target:
                target.append(line)
    if facts.values:
        diagnosis.extra.setdefault("live_values", dict(facts.values))
