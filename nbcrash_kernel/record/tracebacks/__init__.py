"""Tracebacks as frames: from live exceptions or from the text notebooks save.

Two sources feed one model (:class:`ParsedTraceback` of :class:`Frame`):

- :func:`from_exception` (:mod:`.live`) walks a live ``exc.__traceback__`` (the live kernel);
- :func:`parse_traceback` (:mod:`.text`, over :mod:`.segments`) reads the ANSI-coloured lines that nbformat stores
  in an error output (``output['traceback']``), as IPython 5 to 9 and
  ipykernel write them, and plain Python ``Traceback (most recent call
  last):`` text, SyntaxError carets, chained exceptions and exception groups.

Every frame is tagged with its module and library from its path
(:func:`library_of_path`, :mod:`.paths`): ``site-packages``/``dist-packages`` frames belong to
a third-party library, ``lib/pythonX.Y`` frames to the standard library,
notebook cells and other files to the user. Nothing here imports IPython.
Public functions never raise on bad input: problems are reported in
``ParsedTraceback.warnings``.
"""
from __future__ import annotations

from .live import from_exception
from .model import Frame, ParsedTraceback
from .paths import library_of_path
from .text import clear_parse_cache, parse_traceback, strip_ansi

__all__ = ["Frame", "ParsedTraceback", "clear_parse_cache", "from_exception", "library_of_path",
           "parse_traceback", "strip_ansi"]
