"""Saved traceback text, line by line: recognising headers, frames, source lines and exception
lines (IPython 5 to 9, plain Python), split into one segment per exception; exception groups."""
from __future__ import annotations

import re

from .model import HEAD_SHARE, MAX_FRAMES, Frame, ParsedTraceback
from .paths import make_frame

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
COUNT_IN_NAME = re.compile(r"\[(\d+)\]")


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
        return make_frame(self.filename, self.function, lineno, line, context)

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


def split_segments(lines: list[str]) -> list[_Segment]:
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

def group_parts(lines: list[str]) -> tuple[list[str], list[list[str]]] | None:
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
