"""Tracebacks from live exceptions: :func:`from_exception` walks ``exc.__traceback__`` and its
chain, reading source lines and modules the way the running interpreter sees them."""
from __future__ import annotations

import linecache
from dataclasses import replace
from functools import lru_cache
from typing import Callable

from ...knowledge.modules import STDLIB_MODULES
from .model import HEAD_SHARE, MAX_CHAIN, MAX_CONTEXT_LINES, MAX_FRAMES, MAX_TOTAL_CHARS, Frame, ParsedTraceback
from .paths import library_of_module, make_frame
from .segments import COUNT_IN_NAME
from .text import call_mapper

def from_exception(
    exc: BaseException,
    *,
    cell_filename_map: Callable[[str], str | None] | None = None,
    skip_frames: int = 0,
) -> ParsedTraceback:
    """The traceback of a live exception, with its chain. Never raises.

    ``skip_frames`` drops that many outermost frames of ``exc`` (the kernel's
    own ``run_code`` frame). Module names come from the frames' globals.
    """
    try:
        return _from_exception(exc, cell_filename_map, max(0, int(skip_frames)), depth=0)
    except Exception as error:  # noqa: BLE001 - never break the user's kernel
        return ParsedTraceback(
            frames=(), ename=_type_name(exc), qualified_ename=None, evalue=_safe_str(exc),
            text="", warnings=(f"traceback error: {type(error).__name__}",),
        )


def _from_exception(
    exc: BaseException, mapper: Callable[[str], str | None] | None, skip: int, depth: int
) -> ParsedTraceback:
    chain = _exception_chain(exc)
    chained: list[ParsedTraceback] = []
    for cause, link in chain[:-1]:
        chained.append(_one_exception(cause, link, mapper, 0, (), depth, whole_chain=False))
    return _one_exception(exc, chain[-1][1], mapper, skip, tuple(chained), depth)


def _exception_chain(exc: BaseException) -> list[tuple[BaseException, str | None]]:
    """``[(earliest cause, None), ..., (exc, link)]`` following __cause__/__context__;
    each link says how that exception follows the one before it."""
    chain: list[tuple[BaseException, str | None]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(chain) < MAX_CHAIN:
        seen.add(id(current))
        cause = getattr(current, "__cause__", None)
        if isinstance(cause, BaseException):
            chain.append((current, "cause"))
            current = cause
        elif not getattr(current, "__suppress_context__", False) and isinstance(
            getattr(current, "__context__", None), BaseException
        ):
            chain.append((current, "context"))
            current = current.__context__
        else:
            chain.append((current, None))
            current = None
    chain.reverse()
    return chain


def _one_exception(
    exc: BaseException,
    link: str | None,
    mapper: Callable[[str], str | None] | None,
    skip: int,
    chained: tuple[ParsedTraceback, ...],
    depth: int,
    whole_chain: bool = True,
) -> ParsedTraceback:
    frames, skipped = _live_frames(exc.__traceback__, mapper, skip)
    members: tuple[ParsedTraceback, ...] = ()
    inner = getattr(exc, "exceptions", None)
    if isinstance(exc, _base_exception_group()) and isinstance(inner, tuple) and depth < 4:
        members = tuple(_from_exception(e, mapper, 0, depth + 1) for e in inner[:MAX_CHAIN])
    qualified = _qualified_name(type(exc))
    return ParsedTraceback(
        frames=frames,
        ename=_type_name(exc),
        qualified_ename=qualified,
        evalue=_safe_str(exc),
        text=_format_text(exc, whole_chain),
        chained=chained,
        link=link,
        sub_exceptions=members,
        skipped_frames=skipped,
    )


def _base_exception_group() -> tuple[type, ...]:
    import builtins

    group = getattr(builtins, "BaseExceptionGroup", None)
    return (group,) if group else ()


def _live_frames(tb, mapper, skip: int) -> tuple[tuple[Frame, ...], int]:
    raw = []
    while tb is not None:
        raw.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    raw = raw[skip:]
    skipped = 0
    if len(raw) > MAX_FRAMES:
        head = int(MAX_FRAMES * HEAD_SHARE)
        skipped = len(raw) - MAX_FRAMES
        raw = raw[:head] + raw[head + skipped:]
    return tuple(_live_frame(frame, lineno, mapper) for frame, lineno in raw), skipped


def _live_frame(frame, lineno: int | None, mapper) -> Frame:
    code = frame.f_code
    filename = code.co_filename
    function = getattr(code, "co_qualname", code.co_name)
    context, line = _source_around(filename, lineno, frame.f_globals)
    display = call_mapper(mapper, filename) if mapper is not None else None
    count = COUNT_IN_NAME.search(display) if display else None
    built = make_frame(
        display or filename, function, lineno, line, context,
        execution_count=int(count.group(1)) if count else None,
        path=filename if display else None,
    )
    if display and not built.is_cell:
        built = replace(built, is_cell=True, is_user=True, library=None, module=None, is_stdlib=False)
    return _with_live_module(built, frame.f_globals.get("__name__"))


def _with_live_module(frame: Frame, module: object) -> Frame:
    """Use the frame's ``__name__`` for its module, and for its library when the path says nothing."""
    if frame.is_cell or not isinstance(module, str) or module == "__main__":
        return frame
    if frame.library is not None or frame.is_stdlib:
        return replace(frame, module=module)
    top = module.split(".")[0]
    if top in STDLIB_MODULES:
        return replace(frame, module=module, library=top, is_stdlib=True, is_user=False)
    if top in _installed_top_levels() and not frame.filename.startswith("<"):
        return replace(frame, module=module, library=library_of_module(module), is_user=False)
    return replace(frame, module=module)


@lru_cache(maxsize=1)
def _installed_top_levels() -> frozenset[str]:
    """Top-level import names of installed distributions (editable installs included)."""
    try:
        from importlib.metadata import packages_distributions

        return frozenset(packages_distributions())
    except Exception:  # noqa: BLE001 - broken metadata must not break a diagnosis
        return frozenset()


def _source_around(filename: str, lineno: int | None, module_globals) -> tuple[list[str], str | None]:
    if not lineno:
        return [], None
    try:
        linecache.checkcache(filename) if not filename.startswith("<") else None
        lines = [
            linecache.getline(filename, n, module_globals).rstrip("\n")
            for n in range(max(1, lineno - MAX_CONTEXT_LINES), lineno + MAX_CONTEXT_LINES + 1)
        ]
        line = linecache.getline(filename, lineno, module_globals).strip()
    except Exception:  # noqa: BLE001 - odd loaders
        return [], None
    while lines and not lines[-1]:
        lines.pop()
    return lines, line or None


def _safe_str(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # noqa: BLE001 - exceptions whose __str__ raises exist
        return f"<unprintable {_type_name(exc)} object>"


def _type_name(exc: object) -> str:
    try:
        return type(exc).__name__
    except Exception:  # noqa: BLE001
        return "BaseException"


def _qualified_name(cls: type) -> str | None:
    try:
        module = cls.__module__
        name = cls.__qualname__
    except Exception:  # noqa: BLE001
        return None
    if module in ("builtins", "__main__", None):
        return None
    return f"{module}.{name}"


def _format_text(exc: BaseException, whole_chain: bool = True) -> str:
    import traceback

    try:
        lines = traceback.format_exception(
            type(exc), exc, exc.__traceback__, limit=-MAX_FRAMES, chain=whole_chain
        )
        text = "".join(lines)
    except Exception:  # noqa: BLE001
        return f"{_type_name(exc)}: {_safe_str(exc)}"
    return text[-MAX_TOTAL_CHARS:]
