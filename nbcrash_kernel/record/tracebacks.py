"""Tracebacks as frames: from live exceptions or from the text notebooks save.

Two sources feed one model (:class:`ParsedTraceback` of :class:`Frame`):

- :func:`from_exception` walks a live ``exc.__traceback__`` (the live kernel);
- :func:`parse_traceback` reads the ANSI-coloured lines that nbformat stores
  in an error output (``output['traceback']``), as IPython 5 to 9 and
  ipykernel write them, and plain Python ``Traceback (most recent call
  last):`` text, SyntaxError carets, chained exceptions and exception groups.

Every frame is tagged with its module and library from its path
(:func:`library_of_path`): ``site-packages``/``dist-packages`` frames belong to
a third-party library, ``lib/pythonX.Y`` frames to the standard library,
notebook cells and other files to the user. Nothing here imports IPython.
Public functions never raise on bad input: problems are reported in
``ParsedTraceback.warnings``.
"""
from __future__ import annotations

import json
import linecache
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, Iterable, Sequence

from ..knowledge.libraries import LIBRARY_ALIASES, WELL_KNOWN_LIBRARIES
from ..knowledge.modules import STDLIB_MODULES

# Bounds that keep parsing fast on pathological input (10 MB outputs,
# recursion errors with thousands of frames).
MAX_LINE_CHARS = 4_000
MAX_ELEMENT_CHARS = 64_000  # an IPython frame with colours can take tens of KB
MAX_TOTAL_CHARS = 1_000_000
HEAD_SHARE = 0.25  # of the kept characters/frames, the share kept from the start
MAX_FRAMES = 600
MAX_CHAIN = 16
MAX_CONTEXT_LINES = 2  # source lines around the crash line read for live frames

_HTML_LINK = re.compile(r"<a href='[^']*'>([^<]*)</a>")
_ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # the common case, matched fastest alone
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")


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


# --------------------------------------------------------------------------
# Paths to libraries and modules

_PACKAGES_DIR = re.compile(r"/(?:site|dist)-packages/(.+)$", re.IGNORECASE)
_STDLIB_DIR = re.compile(r"/lib(?:64)?/python\d+(?:\.\d+)?t?/(.+)$", re.IGNORECASE)
_WINDOWS_STDLIB_DIR = re.compile(r"(?:^|/)lib/(.+)$", re.IGNORECASE)
_MODULE_SUFFIX = re.compile(r"\.(?:py|pyc|pyx|pxi|pxd|pyd|so|c|cpp)$", re.IGNORECASE)
_COMPILED_SUFFIX = re.compile(r"\.(?:pyx|pxi|pxd|pyd|so)$", re.IGNORECASE)
_KNOWN_LIBRARY_DIR = re.compile(
    r"/((?:%s)/.+\.(?:py|pyx|pxi))$" % "|".join(WELL_KNOWN_LIBRARIES)
)


def _dotted_module(relative_path: str) -> str | None:
    """'pandas/core/frame.py' -> 'pandas.core.frame'; None if not importable names."""
    parts = [p for p in relative_path.split("/") if p]
    if parts and parts[0].lower().endswith((".egg", ".whl")):
        parts = parts[1:]  # zipped or egg installs keep the package one level down
    if not parts:
        return None
    stem = _MODULE_SUFFIX.sub("", parts[-1]).split(".")[0]  # drop '.cpython-310-x86_64...' too
    names = parts[:-1] + ([] if stem == "__init__" else [stem])
    dotted: list[str] = []
    for name in names:
        if not name.isidentifier():
            break
        dotted.append(name)
    return ".".join(dotted) or None


def _library_of_module(module: str) -> str:
    top = module.split(".")[0]
    return LIBRARY_ALIASES.get(top, top)


@lru_cache(maxsize=4096)
def library_of_path(path: str) -> tuple[str | None, str | None, bool]:
    """``(library, module, is_stdlib)`` for a file path as a traceback shows it.

    ``/opt/conda/lib/python3.7/site-packages/pandas/core/frame.py`` gives
    ``('pandas', 'pandas.core.frame', False)``; ``C:\\Python38\\lib\\json\\decoder.py``
    gives ``('json', 'json.decoder', True)``; a notebook cell or a user's script
    gives ``(None, None, False)``. Never raises.
    """
    try:
        return _library_of_path(path)
    except Exception:  # noqa: BLE001 - untrusted text
        return None, None, False


def _looks_windows(path: str) -> bool:
    """Windows installs keep the stdlib in '...\\Lib\\json', with no version folder."""
    return "\\" in path or bool(re.match(r"^[A-Za-z]:", path))


def _library_of_path(path: str) -> tuple[str | None, str | None, bool]:
    p = str(path).strip().replace("\\", "/")
    match = _PACKAGES_DIR.search(p)
    if match:
        module = _dotted_module(match.group(1))
        return (_library_of_module(module), module, False) if module else (None, None, False)
    match = _STDLIB_DIR.search(p)
    if match:
        rest = match.group(1)
        if rest.startswith("lib-dynload/"):
            rest = rest[len("lib-dynload/"):]
        module = _dotted_module(rest)
        return (module.split(".")[0], module, True) if module else (None, None, True)
    match = _WINDOWS_STDLIB_DIR.search(p) if _looks_windows(path) else None
    if match:
        module = _dotted_module(match.group(1))
        if module and module.split(".")[0] in STDLIB_MODULES:
            return module.split(".")[0], module, True
    match = _KNOWN_LIBRARY_DIR.search(p)
    if match:  # a source checkout or a cloned repository of a well-known library
        module = _dotted_module(match.group(1))
        if module:
            return _library_of_module(module), module, False
    if _COMPILED_SUFFIX.search(p) and "/" in p and not p.startswith(("/", "~")):
        # Cython sources shown relative to their package: 'pandas/_libs/lib.pyx'
        module = _dotted_module(p)
        if module:
            return _library_of_module(module), module, False
    return None, None, False


# --------------------------------------------------------------------------
# File names to frame kinds

_CELL_PATTERNS = (
    re.compile(r"^<ipython-input-(\d+)-[0-9a-f]*>$"),
    re.compile(r"^(?:Cell )?In ?\[(\d+)\]$"),
    re.compile(r"^Input In ?\[(\d+)\]$"),
    re.compile(r"(?:^|[/\\])ipython-input-(\d+)-\d+\.py$"),  # Colab since 2024
    re.compile(r"(?:^|[/\\])ipython-input-\d+\.py$"),
    re.compile(r"(?:^|[/\\])ipykernel_\d+[/\\]\d+\.py$"),
    re.compile(r"(?:^|[/\\])xpython_\d+[/\\]\d+\.py$"),
    re.compile(r"^<timed (?:exec|eval)>$"),
    re.compile(r"^<command-\d+>$"),
    re.compile(r"\.ipynb Cell \d+"),  # VS Code: 'nb.ipynb Cell 33' in <module>'

)
_PSEUDO_LIBRARY_FILES = {"<__array_function__ internals>": "numpy"}
_FROZEN = re.compile(r"^<frozen ([\w.]+)>$")
_USER_PSEUDO_FILES = {"<stdin>"}


@dataclass(frozen=True, slots=True)
class _FileKind:
    library: str | None
    module: str | None
    is_stdlib: bool
    is_user: bool
    is_cell: bool
    execution_count: int | None
    compiled: bool = False  # a Cython/extension file: its frames name dotted functions


@lru_cache(maxsize=4096)
def _file_kind(filename: str) -> _FileKind:
    for pattern in _CELL_PATTERNS:
        match = pattern.search(filename)
        if match:
            count = int(match.group(1)) if pattern.groups else None
            return _FileKind(None, None, False, True, True, count)
    if filename.startswith("<") and filename.endswith(">"):
        frozen = _FROZEN.match(filename)
        if frozen:
            module = frozen.group(1)
            return _FileKind(module.split(".")[0], module, True, False, False, None)
        library = _PSEUDO_LIBRARY_FILES.get(filename)
        return _FileKind(library, None, False, filename in _USER_PSEUDO_FILES, False, None)
    library, module, is_stdlib = library_of_path(filename)
    is_user = library is None and not is_stdlib
    compiled = bool(_COMPILED_SUFFIX.search(filename))
    return _FileKind(library, module, is_stdlib, is_user, False, None, compiled)


def _make_frame(
    filename: str,
    function: str | None,
    lineno: int | None,
    line: str | None,
    context: Iterable[str],
    execution_count: int | None = None,
    path: str | None = None,
) -> Frame:
    kind = _file_kind(filename)
    library, module = kind.library, kind.module
    if kind.compiled and function and "." in function:
        library, module, function = _compiled_names(filename, function, library, module)
        kind = replace(kind, is_user=library is None and kind.is_user)
    return Frame(
        filename=filename,
        module=module,
        library=library,
        function=function,
        lineno=lineno,
        line=line,
        context=tuple(context),
        is_user=kind.is_user,
        is_cell=kind.is_cell,
        is_stdlib=kind.is_stdlib,
        execution_count=execution_count if execution_count is not None else kind.execution_count,
        path=path,
    )


def _compiled_names(
    filename: str, function: str, library: str | None, module: str | None
) -> tuple[str | None, str | None, str]:
    """Cython frames show the dotted function: 'pandas._libs.index.IndexEngine.get_loc'."""
    stem = re.split(r"[/\\]", filename)[-1].split(".")[0]
    parts = function.split(".")
    if module is None and stem in parts[:-1]:
        module = ".".join(parts[: parts.index(stem) + 1])
        library = _library_of_module(module)
    if module and function.startswith(module + "."):
        function = function[len(module) + 1:]
    return library, module, function


# --------------------------------------------------------------------------
# Text: normalising the input

def strip_ansi(text: str) -> str:
    """``text`` without ANSI escape sequences (colours, cursor moves)."""
    if not isinstance(text, str):
        text = str(text)
    text = _ANSI_COLOUR.sub("", text)
    return _ANSI.sub("", text) if "\x1b" in text else text


def _as_elements(lines: Sequence[str] | str | None) -> list[str]:
    """The traceback as stored elements: a list, a JSON list string or plain text."""
    if lines is None:
        return []
    if isinstance(lines, (bytes, bytearray)):
        lines = lines.decode("utf-8", "replace")
    if isinstance(lines, str):
        stripped = lines.lstrip()
        if stripped.startswith("[") and stripped.rstrip().endswith("]"):
            try:
                decoded = json.loads(stripped)
            except ValueError:
                decoded = None
            if isinstance(decoded, list):
                return [item if isinstance(item, str) else str(item) for item in decoded]
        return [lines]
    return [item if isinstance(item, str) else str(item) for item in lines]


def _bounded_text(elements: list[str]) -> tuple[str, bool]:
    """Join the elements into ANSI-free text of bounded size (and whether it was cut)."""
    text = "\n".join(elements)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    truncated = len(text) > MAX_TOTAL_CHARS
    if truncated:
        text = _cut_to_budget(elements)
    if "\x1b" in text:
        text = strip_ansi(text)
    if "<a href" in text:  # VS Code links line numbers to cells
        text = _HTML_LINK.sub(r"\1", text)
    return text, truncated


def _cut_to_budget(elements: list[str]) -> str:
    """Keep the start (the cell frames, outermost) and the end (innermost frames,
    final exception line); each element keeps its head, where a frame header or
    an exception name is."""
    if len(elements) == 1:
        elements = elements[0].split("\n")
    pieces = [e[:MAX_ELEMENT_CHARS] for e in elements]
    head_budget = int(MAX_TOTAL_CHARS * HEAD_SHARE)
    head = _take_budget(pieces, head_budget)
    tail = _take_budget(pieces[::-1], MAX_TOTAL_CHARS - head_budget)
    if len(head) + len(tail) < len(pieces):
        pieces = head + ["[... nbcrash: traceback cut here ...]"] + tail[::-1]
    return "\n".join(pieces)


def _take_budget(pieces: list[str], budget: int) -> list[str]:
    taken: list[str] = []
    for piece in pieces:
        budget -= len(piece)
        if budget < 0:
            break
        taken.append(piece)
    return taken


# --------------------------------------------------------------------------
# Text: recognising lines

_SEPARATOR = re.compile(r"^-{20,}\s*$")
_IPYTHON_HEADER = re.compile(r"^([A-Za-z_][\w.]*)\s*Traceback \(most recent call last\)\s*$")
_PLAIN_HEADER = re.compile(r"^\s*Traceback \(most recent call last\):?\s*$")
_CHAIN_LINKS = {
    "During handling of the above exception, another exception occurred:": "context",
    "The above exception was the direct cause of the following exception:": "cause",
}
_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*)(?::[ \t](.*)|:)$")
_BARE_EXCEPTION = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit|Warning|Iteration|Group))\s*$")
_CELL_HEADER = re.compile(r"^\s*(Cell In ?\[\d+\]), line (\d+)(?:, in (.+))?$")
_INPUT_HEADER = re.compile(r"^(Input In ?\[\d+\]), in (.+)$")
_FILE_HEADER = re.compile(r"^File (.+?):(\d+)(?:, in (.+))?$")
_PLAIN_FRAME = re.compile(r'^\s*File "([^"]*)", line (\d+)(?:, in (.+))?$')
_OLD_HEADER = re.compile(r"^(\S.*?) in (\S.*)$")
_PATH_LIKE = re.compile(r"^<[^>]*>$|[/\\]|\.(?:py|pyx|pxi|pxd|pyc|pyd|so)$", re.IGNORECASE)
# Greedy, stripped after: a lazy ``(.*?)[ \t]*$`` retries the tail at every character.
_CODE_LINES = re.compile(r"^[ \t]*(?:-*>)?[ \t]*\d+(?: (.*)|[ \t]*)$", re.MULTILINE)
_ARROW_LINE = re.compile(r"^[ \t]*-*>[ \t]*(\d+)(?: (.*))?$", re.MULTILINE)
_MAX_SOURCE_LINES = 64
_NO_SOURCE = "'Could not get source"  # IPython 9 on compiled (Cython) frames
_SOURCE_STARTS = (" ", "-", "\t")
_INDENTED_HEADERS = ('File "', "Cell In", "[... skipping", "[Previous line", "Traceback (")
_RULE = "-" * 20
_NUMBERED_START = re.compile(r"[ \t]*(?:-*>[ \t]*)?\d")
_SKIP_NOTE = re.compile(
    r"^\s*\[\.\.\. skipping (?:hidden (\d+) frames?|similar frames:.*?\((\d+) times\))\]"
    r"|^\s*\[Previous line repeated (\d+) more times?\]"
)
_CARET_LINE = re.compile(r"^\s*[\^~]+\s*$")
_GROUP_HEADER = re.compile(r"^(\s*)\+ Exception Group Traceback")
_MEMBER_RULE = re.compile(r"-\s\d+\s-")
_FUNCTION_NAME = re.compile(r"^\s*(<[^>]*>|[^\s(]+)")
_COUNT_IN_NAME = re.compile(r"\[(\d+)\]")


def _function_name(text: str | None) -> str | None:
    """'fit(self, x, y)' -> 'fit'; '<cell line: 1>()' -> '<module>'; '?' -> None."""
    if not text:
        return None
    match = _FUNCTION_NAME.match(text)
    if not match:
        return None
    name = match.group(1)
    if name.startswith("<cell line"):
        return "<module>"
    return None if name == "?" else name


class _FrameBuilder:
    """A frame being read: its header, then its source lines (kept raw until built)."""

    __slots__ = ("filename", "function", "lineno", "plain", "raw")

    def __init__(self, filename: str, function: str | None, lineno: int | None, plain: bool = False):
        self.filename = filename
        self.function = function
        self.lineno = lineno
        self.plain = plain  # plain Python style: one indented source line, no numbers
        self.raw: list[str] = []

    def build(self) -> Frame:
        line, lineno, context = self._plain_source() if self.plain else self._numbered_source()
        return _make_frame(self.filename, self.function, lineno, line, context)

    def _plain_source(self) -> tuple[str | None, int | None, tuple[str, ...]]:
        for raw in self.raw:
            if not _CARET_LINE.match(raw):
                code = raw.strip()
                return code, self.lineno, (code,)
        return None, self.lineno, ()

    def _numbered_source(self) -> tuple[str | None, int | None, tuple[str, ...]]:
        """IPython's numbered source lines; the arrowed one is where the frame is."""
        if not self.raw:
            return None, self.lineno, ()
        block = "\n".join(self.raw[:_MAX_SOURCE_LINES])
        context = [code.rstrip(" \t") for code in _CODE_LINES.findall(block)]
        if not context:  # source shown without numbers (SyntaxError in IPython 8+)
            plain = [raw.strip() for raw in self.raw if not _CARET_LINE.match(raw)]
            return (plain[0] if plain else None), self.lineno, tuple(plain)
        arrow = _ARROW_LINE.search(block)
        if arrow is None:
            return None, self.lineno, tuple(context)
        line, lineno = (arrow.group(2) or "").strip() or None, self.lineno
        if lineno is None:
            lineno = int(arrow.group(1))
        if line and line.startswith(_NO_SOURCE):
            return None, lineno, ()
        return line, lineno, tuple(context)


def _frame_header(line: str) -> _FrameBuilder | None:
    """A frame header in any of the IPython/plain styles, or None."""
    if line.startswith(("Cell", " ")):
        match = _CELL_HEADER.match(line)
        if match:
            name = match.group(1)
            function = _function_name(match.group(3)) or "<module>"
            return _FrameBuilder(name, function, int(match.group(2)), plain=line[0].isspace())
    match = _PLAIN_FRAME.match(line) if 'File "' in line else None
    if match:
        return _FrameBuilder(match.group(1), _function_name(match.group(3)), int(match.group(2)), plain=True)
    if line.startswith("File "):
        match = _FILE_HEADER.match(line)
        if match:
            return _FrameBuilder(match.group(1).strip(), _function_name(match.group(3)), int(match.group(2)))
    if line.startswith("Input In"):
        match = _INPUT_HEADER.match(line)
        if match:
            return _FrameBuilder(match.group(1), _function_name(match.group(2)), None)
    if " in " in line and not line[0].isspace():
        match = _OLD_HEADER.match(line)
        if match and ": " not in match.group(1) and _PATH_LIKE.search(match.group(1)):
            return _FrameBuilder(match.group(1), _function_name(match.group(2)), None)
    return None


# --------------------------------------------------------------------------
# Text: the state machine over lines

class _Segment:
    """One exception of a chain while it is read: lines ``start:end`` of the text."""

    def __init__(self, start: int, link: str | None = None):
        self.start = start
        self.end = start
        self.link = link
        self.frames: list[Frame] = []
        self.current: _FrameBuilder | None = None
        self.header_ename: str | None = None
        self.has_header = False
        self.exception: str | None = None  # qualified name from the final line
        self.message: list[str] = []
        self.skipped = 0

    @property
    def started(self) -> bool:
        return bool(self.frames or self.current or self.exception or self.header_ename)

    @property
    def is_exception(self) -> bool:
        """Not text that merely follows a rule of dashes (Colab's install NOTE)."""
        return bool(self.has_header or self.link or self.frames or self.current)

    def close_frame(self) -> None:
        if self.current is None:
            return
        if len(self.frames) >= MAX_FRAMES:
            # keep the outermost frames and the latest ones: drop from the middle
            del self.frames[int(MAX_FRAMES * HEAD_SHARE)]
            self.skipped += 1
        self.frames.append(self.current.build())
        self.current = None

    def feed(self, line: str) -> None:
        if self.exception is not None:
            self.message.append(line)
            return
        if not line or line.isspace():
            return
        current = self.current
        if current is not None and line[:1] in _SOURCE_STARTS and not current.plain:
            if not line.lstrip().startswith(_INDENTED_HEADERS):
                current.raw.append(line)  # numbered source, parsed when the frame is built
                return
        header = _frame_header(line)
        if header is not None:
            self.close_frame()
            self.current = header
            return
        if current is not None and current.plain and line[:1].isspace():
            if not _SKIP_NOTE.match(line):
                current.raw.append(line)
                return
        skipped = _SKIP_NOTE.match(line) if "[" in line else None
        if skipped:
            self.skipped += int(next(g for g in skipped.groups() if g is not None))
            return
        match = _EXCEPTION_LINE.match(line) or _BARE_EXCEPTION.match(line)
        if match:
            self.close_frame()
            self.exception = match.group(1)
            message = match.group(2) if match.re is _EXCEPTION_LINE else None
            self.message = [message or ""]

    def result(self, lines: list[str]) -> ParsedTraceback:
        return ParsedTraceback(**self.fields(lines, ()))

    def fields(self, lines: list[str], chained: tuple[ParsedTraceback, ...]) -> dict:
        self.close_frame()
        qualified = self.exception or self.header_ename
        ename = qualified.rsplit(".", 1)[-1] if qualified else None
        evalue = "\n".join(self.message).rstrip() if self.exception is not None else None
        return dict(
            frames=tuple(self.frames),
            ename=ename,
            qualified_ename=qualified if qualified and "." in qualified else None,
            evalue=evalue,
            text="\n".join(lines[self.start:self.end]).strip("\n"),
            chained=chained,
            link=self.link,
            skipped_frames=self.skipped,
        )


def _split_segments(lines: list[str]) -> list[_Segment]:
    """Read the lines into the exceptions of a chain, outermost first."""
    segments = [_Segment(0)]
    segment = segments[0]
    sink: list[str] | None = None  # the current IPython-style frame's source lines
    for index, line in enumerate(lines):
        # fast path: most lines are numbered source lines of an IPython frame
        if sink is not None and _NUMBERED_START.match(line):
            sink.append(line)
            continue
        if not line:
            if segment.exception is not None:
                segment.message.append(line)
            continue
        if "above exception" in line:
            link = _CHAIN_LINKS.get(line.strip())
            if link is not None:
                segment.end = index
                segment = _Segment(index + 1, link)
                segments.append(segment)
                sink = None
                continue
        if line.startswith(_RULE) and _SEPARATOR.match(line):
            if segment.frames or segment.current or segment.exception is not None:
                segment.end = index
                segment = _Segment(index + 1)
                segments.append(segment)
                sink = None
            continue
        if "Traceback (" in line:
            header = _IPYTHON_HEADER.match(line)
            plain = header is None and segment.exception is None and _PLAIN_HEADER.match(line)
            # inside an exception message, a quoted plain traceback is message text
            if header or plain:
                if segment.frames or segment.current or (header and segment.exception is not None):
                    segment.end = index
                    segment = _Segment(index)
                    segments.append(segment)
                segment.has_header = True
                if header:
                    segment.header_ename = header.group(1)
                sink = None if segment.current is None else sink
                continue
        segment.feed(line)
        current = segment.current
        sink = current.raw if current is not None and not current.plain else None
    segment.end = len(lines)
    kept = [s for s in segments if s.started and (s is segments[0] or s.is_exception)]
    return kept or segments[-1:]


# --------------------------------------------------------------------------
# Exception groups ("+ Exception Group Traceback", Python 3.11+)

def _group_parts(lines: list[str]) -> tuple[list[str], list[list[str]]] | None:
    """Split an exception-group text into the group's own lines and its members' lines.

    Python draws a group in a box: the group's lines start with ``|`` under
    the ``+`` of ``+ Exception Group Traceback``, each member's with ``|`` two
    columns further in, members being separated by ``+---- N ----`` rules.
    """
    start, column = -1, 0
    for index, line in enumerate(lines):
        match = _GROUP_HEADER.match(line)
        if match:
            start, column = index, len(match.group(1))
            break
    if start < 0:
        return None
    own = lines[:start] + [" " * column + "Traceback (most recent call last):"]
    members: list[list[str]] = []
    for line in lines[start + 1:]:
        if line[:column].strip():
            own.append(line)  # text after the box
            continue
        rest = line[column:]
        if rest.startswith("|"):
            own.append(rest[2:])
        elif rest.startswith("+-+") or rest.startswith("  +-"):
            if _MEMBER_RULE.search(rest):
                members.append([])
        elif rest.startswith("  |") and members:
            members[-1].append(rest[4:])
        elif line.strip():
            own.append(line)
    return own, members


# --------------------------------------------------------------------------
# Public: text

def parse_traceback(
    lines: Sequence[str] | str | None,
    ename: str | None = None,
    evalue: str | None = None,
    *,
    cell_filename_map: Callable[[str], str | None] | None = None,
) -> ParsedTraceback:
    """Parse a saved traceback (list of lines, JSON list string or text). Never raises.

    ``ename``/``evalue`` from the error output are used when the text has no
    final exception line. ``cell_filename_map`` maps cell file names such as
    ``/tmp/ipykernel_1/2.py`` to display names such as ``'In[5]'``.
    Results for a list of lines are cached (they are immutable): an audit reads
    each saved traceback twice, for the history and for the diagnosis.
    """
    if cell_filename_map is None and _cacheable(lines, ename, evalue):
        return _parse_cached(tuple(lines), ename, evalue)
    return _parse_uncached(lines, ename, evalue, cell_filename_map)


# Only moderate tracebacks are kept: the cache must stay small whatever the input.
MAX_CACHED_CHARS = 64_000


def _cacheable(lines: object, ename: object, evalue: object) -> bool:
    return (isinstance(lines, (list, tuple))
            and (ename is None or isinstance(ename, str))
            and (evalue is None or isinstance(evalue, str))
            and all(isinstance(line, str) for line in lines)
            and sum(map(len, lines)) <= MAX_CACHED_CHARS)


@lru_cache(maxsize=256)
def _parse_cached(lines: tuple[str, ...], ename: str | None, evalue: str | None) -> ParsedTraceback:
    return _parse_uncached(lines, ename, evalue, None)


def clear_parse_cache() -> None:
    """Forget cached parses (benchmarks measure parsing, not the cache)."""
    _parse_cached.cache_clear()


def _parse_uncached(
    lines: Sequence[str] | str | None,
    ename: str | None,
    evalue: str | None,
    cell_filename_map: Callable[[str], str | None] | None,
) -> ParsedTraceback:
    text = ""
    try:
        text, truncated = _bounded_text(_as_elements(lines))
        parsed = _parse_text(
            text.split("\n"), 0, _safe_name(ename), evalue, truncated,
            may_be_group="Exception Group Traceback" in text,
            may_have_long_lines=len(text) > MAX_LINE_CHARS,
        )
        if cell_filename_map is not None:
            parsed = _map_cells(parsed, cell_filename_map)
        return parsed
    except Exception as error:  # noqa: BLE001 - untrusted text must never raise
        return ParsedTraceback(
            frames=(), ename=_safe_name(ename), qualified_ename=None,
            evalue=evalue if isinstance(evalue, str) else None, text=text,
            warnings=(f"parser error: {type(error).__name__}",),
        )


def _parse_text(
    lines: list[str],
    depth: int,
    ename: str | None = None,
    evalue: str | None = None,
    truncated: bool = False,
    may_be_group: bool = True,
    may_have_long_lines: bool = True,
) -> ParsedTraceback:
    if may_have_long_lines and max(map(len, lines), default=0) > MAX_LINE_CHARS:
        lines = [line[:MAX_LINE_CHARS] for line in lines]
    members: tuple[ParsedTraceback, ...] = ()
    if may_be_group and depth < 4 and any("Exception Group Traceback" in line for line in lines):
        group = _group_parts(lines)
        if group is not None:
            lines, member_lines = group
            members = tuple(_parse_text(m, depth + 1) for m in member_lines[:MAX_CHAIN])
    segments = _split_segments(lines)
    if len(segments) > MAX_CHAIN:
        segments = segments[:1] + segments[-(MAX_CHAIN - 1):]
    chained = tuple(segment.result(lines) for segment in segments[:-1])
    last = segments[-1]
    fields = last.fields(lines, chained)
    fields["text"] = "\n".join(lines).strip("\n")
    fields["sub_exceptions"] = members
    _apply_caller_names(fields, ename, evalue, truncated)
    return ParsedTraceback(**fields)


def _apply_caller_names(
    fields: dict, ename: str | None, evalue: str | None, truncated: bool
) -> None:
    """Fill what the text lacks from the error output's own ename/evalue; flag gaps."""
    warnings = []
    if truncated:
        warnings.append("input truncated")
    if fields["ename"] is None:
        if ename:
            fields["ename"] = ename.rsplit(".", 1)[-1]
            fields["qualified_ename"] = ename if "." in ename else None
        else:
            warnings.append("no exception line")
    if fields["evalue"] is None and isinstance(evalue, str):
        fields["evalue"] = evalue
    if not fields["frames"]:
        warnings.append("no frames")
    fields["warnings"] = tuple(warnings)


def _safe_name(name: object) -> str | None:
    return name.strip() or None if isinstance(name, str) else None


def _map_cells(parsed: ParsedTraceback, mapper: Callable[[str], str | None]) -> ParsedTraceback:
    frames = tuple(_mapped_frame(f, mapper) for f in parsed.frames)
    chained = tuple(_map_cells(c, mapper) for c in parsed.chained)
    return replace(parsed, frames=frames, chained=chained)


def _mapped_frame(frame: Frame, mapper: Callable[[str], str | None]) -> Frame:
    if frame.execution_count is not None or not frame.is_cell:
        return frame
    name = _call_mapper(mapper, frame.filename)
    if not name:
        return frame
    count = _COUNT_IN_NAME.search(name)
    return replace(
        frame, filename=name, path=frame.filename,
        execution_count=int(count.group(1)) if count else None,
    )


def _call_mapper(mapper: Callable[[str], str | None], filename: str) -> str | None:
    try:
        name = mapper(filename)
    except Exception:  # noqa: BLE001 - the caller's mapping must not break us
        return None
    if isinstance(name, (tuple, list)):  # IPython's format_code_name gives ('Cell', 'In[5]')
        name = " ".join(str(part) for part in name)
    return name if isinstance(name, str) and name else None


# --------------------------------------------------------------------------
# Public: live exceptions

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
    display = _call_mapper(mapper, filename) if mapper is not None else None
    count = _COUNT_IN_NAME.search(display) if display else None
    built = _make_frame(
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
        return replace(frame, module=module, library=_library_of_module(module), is_user=False)
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
