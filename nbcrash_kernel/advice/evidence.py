"""What the advice functions read (``Evidence``) and what they give back (``Advice``).

Evidence comes from a live kernel (the exception object, the frames, the
namespace) or from a record only (the message, the traceback text, the cell's
source); every advice function works with whatever part of it is there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import FrameType, TracebackType
from typing import Any, Mapping

MISSING = object()
MAX_FRAMES = 200
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class Evidence:
    ename: str = ""
    evalue: str = ""
    exc: BaseException | None = None
    namespace: Mapping[str, Any] | None = None
    frame: FrameType | None = None          # the innermost frame: where the error was raised
    cell_frame: FrameType | None = None     # the innermost frame running a cell's code
    line: str = ""                          # the failing line of the cell (or of the innermost user frame)
    traceback_text: str = ""                # the traceback as text (record path)
    modules: tuple[str, ...] = ()           # top-level modules of the traceback's frames, outermost first
    cell_source: str = ""

    @classmethod
    def live(cls, exc: BaseException, namespace: Mapping[str, Any] | None, cell_frame: FrameType | None = None,
             line: str = "", cell_source: str = "") -> "Evidence":
        frames = list(_frames(exc.__traceback__))
        modules = tuple(dict.fromkeys(_top(f.f_globals.get("__name__", "")) for f in frames))
        return cls(ename=type(exc).__name__, evalue=_safe_str(exc), exc=exc, namespace=namespace,
                   frame=frames[-1] if frames else None, cell_frame=cell_frame, line=line.strip(),
                   modules=tuple(m for m in modules if m), cell_source=cell_source or "")

    @classmethod
    def record(cls, ename: str, evalue: str, traceback: Any = None, line: str = "",
               modules: tuple[str, ...] = (), cell_source: str = "") -> "Evidence":
        text = traceback if isinstance(traceback, str) else "\n".join(str(t) for t in (traceback or ()))
        return cls(ename=ename or "", evalue=evalue or "", traceback_text=text, line=(line or "").strip(),
                   modules=tuple(modules), cell_source=cell_source or "")

    @property
    def is_live(self) -> bool:
        return self.exc is not None

    def lookup(self, name: str) -> Any:
        """A name's value as the failing code saw it: cell-frame locals, then the namespace."""
        for frame in (self.cell_frame, self.frame):
            if frame is not None and name in frame.f_locals:
                return frame.f_locals[name]
        if self.namespace is not None and name in self.namespace:
            return self.namespace[name]
        return MISSING

    def resolve(self, dotted: str) -> Any:
        """``a.b.c`` evaluated by attribute access only (no calls), or MISSING."""
        parts = dotted.split(".")
        value = self.lookup(parts[0])
        for part in parts[1:]:
            if value is MISSING:
                return MISSING
            value = safe_getattr(value, part)
        return value

    def line_names(self) -> list[str]:
        return list(dict.fromkeys(_IDENT.findall(self.line)))


@dataclass
class Advice:
    """Fixes (most specific first), the facts behind them, and verdict corrections."""

    fixes: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    verdict: str | None = None                  # one sentence that replaces a wrong or generic summary
    root_cause: tuple[str, str] | None = None   # (code, detail) when the record's is contradicted
    not_installable: set[str] = field(default_factory=set)   # modules no fix may tell to pip-install
    refutes_api_change: bool = False            # the object does not belong to the library blamed
    supersedes: tuple[str, ...] = ()            # starts of other fixes that say the same thing less well

    def extend(self, other: "Advice | None") -> "Advice":
        if other is None:
            return self
        self.fixes.extend(other.fixes)
        self.evidence.extend(other.evidence)
        self.verdict = self.verdict or other.verdict
        self.root_cause = self.root_cause or other.root_cause
        self.not_installable |= other.not_installable
        self.refutes_api_change = self.refutes_api_change or other.refutes_api_change
        self.supersedes = self.supersedes + other.supersedes
        return self


def safe_getattr(value: Any, name: str) -> Any:
    try:
        return getattr(value, name)
    except BaseException:  # noqa: BLE001 - properties may raise anything
        return MISSING


def safe_dir(value: Any) -> list[str]:
    try:
        return [n for n in dir(value) if isinstance(n, str)]
    except BaseException:  # noqa: BLE001
        return []


def _safe_str(value: Any, limit: int = 4000) -> str:
    try:
        return str(value)[:limit]
    except BaseException:  # noqa: BLE001
        return ""


def _top(module: Any) -> str:
    return module.split(".", 1)[0] if isinstance(module, str) else ""


def _frames(tb: TracebackType | None):
    steps = 0
    while tb is not None and steps < MAX_FRAMES:
        yield tb.tb_frame
        tb, steps = tb.tb_next, steps + 1


def owner_library(value: Any) -> str:
    """Top-level package of a live object (a module's own name, else its type's module)."""
    import types

    if isinstance(value, types.ModuleType):
        return _top(getattr(value, "__name__", ""))
    if isinstance(value, type):
        return _top(getattr(value, "__module__", ""))
    return _top(getattr(type(value), "__module__", ""))
