"""Text from untrusted sources made safe to encode and to show.

Two facts drive this module. Python strings may hold lone surrogates
(``'\\ud800'``, or a file name decoded with ``surrogateescape``) that UTF-8
cannot encode: ``json.dumps`` keeps them as ``\\ud800`` escapes, which
``json.loads`` turns back into the same unencodable character, so writing a
report or sending a kernel message fails. They are escaped as the six
characters ``\\ud800`` (visible, never dropped). And terminal control sequences
(ANSI CSI colours, OSC hyperlinks and titles, other ESC and C1 controls) in a
saved traceback or message would drive the reader's terminal: they are stripped.
"""
from __future__ import annotations

import re
from typing import Any, Callable

# ESC [ ... final byte (CSI); ESC ] ... BEL or ESC \ (OSC, also DCS/PM/APC/SOS strings);
# ESC followed by one byte; then the 8-bit C1 forms and the C0 controls other than \t \n \r.
_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]"
)
MAX_DEPTH = 50


def escape_surrogates(text: str) -> str:
    """``text`` with every lone surrogate written as a ``\\udXXX`` escape; UTF-8-encodable."""
    if text.isascii():  # constant time in CPython; ASCII holds no surrogate
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def strip_control(text: str) -> str:
    """``text`` without terminal control sequences (colours, hyperlinks, titles, C0/C1 controls)."""
    if not _may_hold_control(text):
        return text
    return _CONTROL.sub("", text)


def _may_hold_control(text: str) -> bool:
    return not text.isprintable() and _CONTROL.search(text) is not None


def clean_text(text: str) -> str:
    """Escaped surrogates, no control sequences: safe to encode and to print."""
    if text.isascii():  # most report strings: no surrogate, and printable ASCII holds no control either
        return text if text.isprintable() else strip_control(text)
    return strip_control(escape_surrogates(text))


def clean_data(value: Any, *, strip: bool = True, depth: int = 0) -> Any:
    """A JSON-like structure with every string (keys too) cleaned; other leaves as they are.

    ``strip=False`` only escapes surrogates (for text whose control characters are data).
    """
    return _cleaner(clean_text if strip else escape_surrogates)(value, depth)


def _cleaner(clean: Callable[[str], str]) -> Callable[[Any, int], Any]:
    """``clean_data`` for one cleaning function: a report holds tens of thousands of values."""

    def cleaned(value: Any, depth: int) -> Any:
        kind = value.__class__
        if kind is str or isinstance(value, str):
            return clean(value)
        if kind is int or kind is float or kind is bool or value is None or depth > MAX_DEPTH:
            return value
        if isinstance(value, dict):
            depth += 1
            return {(clean(k) if isinstance(k, str) else k): cleaned(v, depth) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            depth += 1
            return [cleaned(v, depth) for v in value]
        return value

    return cleaned
