"""A traceback as nbcrash reads it: :class:`ParsedTraceback` of :class:`Frame`, and the bounds
that keep reading one fast on pathological input."""
from __future__ import annotations

from dataclasses import dataclass

# Bounds that keep parsing fast on pathological input (10 MB outputs,
# recursion errors with thousands of frames).
MAX_LINE_CHARS = 4_000
MAX_ELEMENT_CHARS = 64_000  # an IPython frame with colours can take tens of KB
MAX_TOTAL_CHARS = 1_000_000
HEAD_SHARE = 0.25  # of the kept characters/frames, the share kept from the start
MAX_FRAMES = 600
MAX_CHAIN = 16
MAX_CONTEXT_LINES = 2  # source lines around the crash line read for live frames


@dataclass(frozen=True, slots=True)
class Frame:
    """One frame of a traceback, outermost first in :attr:`ParsedTraceback.frames`."""

    filename: str
    module: str | None
    library: str | None
    function: str | None
    lineno: int | None
    line: str | None
    context: tuple[str, ...]
    is_user: bool
    is_cell: bool
    is_stdlib: bool
    execution_count: int | None
    path: str | None = None  # the raw file path when ``filename`` is a display name


@dataclass(frozen=True, slots=True)
class ParsedTraceback:
    """One exception with its frames, and the exceptions chained before it."""

    frames: tuple[Frame, ...]
    ename: str | None
    qualified_ename: str | None
    evalue: str | None
    text: str
    chained: tuple["ParsedTraceback", ...] = ()
    link: str | None = None  # how this exception follows the previous one: 'cause' or 'context'
    sub_exceptions: tuple["ParsedTraceback", ...] = ()  # members of an ExceptionGroup
    skipped_frames: int = 0  # frames the source (or our bounds) left out
    warnings: tuple[str, ...] = ()

    @property
    def user_frames(self) -> tuple[Frame, ...]:
        """Frames of notebook cells and user scripts."""
        return tuple(f for f in self.frames if f.is_user)

    @property
    def crash_frame(self) -> Frame | None:
        """The innermost user frame: where the user's code led to the crash."""
        for frame in reversed(self.frames):
            if frame.is_user:
                return frame
        return None

    @property
    def crash_cell_frame(self) -> Frame | None:
        """The innermost notebook-cell frame."""
        for frame in reversed(self.frames):
            if frame.is_cell:
                return frame
        return None

    @property
    def crashing_line(self) -> str | None:
        """The source line of :attr:`crash_frame`, else of the nearest outer user frame
        that shows one (``%%time`` cells and missing files show no source)."""
        for frame in reversed(self.frames):
            if frame.is_user and frame.line:
                return frame.line
        return None

    @property
    def innermost_library_frame(self) -> Frame | None:
        """The innermost frame of a third-party (non-stdlib) library."""
        for frame in reversed(self.frames):
            if frame.library and not frame.is_stdlib:
                return frame
        return None

    @property
    def libraries(self) -> tuple[str, ...]:
        """Distinct third-party libraries, outermost first."""
        seen: dict[str, None] = {}
        for frame in self.frames:
            if frame.library and not frame.is_stdlib:
                seen.setdefault(frame.library)
        return tuple(seen)

    @property
    def raised_in_library(self) -> bool:
        """True when the innermost frame is library or stdlib code, not the user's."""
        return bool(self.frames) and not self.frames[-1].is_user

    @property
    def all_exceptions(self) -> tuple["ParsedTraceback", ...]:
        """The chain, outermost cause first, ending with this exception."""
        return (*self.chained, self)
