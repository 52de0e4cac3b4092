"""Output formats of ``nbcrash audit``: each a function ``render(result, color=False) -> str``."""
from __future__ import annotations

from typing import Callable

from ..report import AuditResult

FORMAT_NAMES = ("text", "json", "sarif", "html", "markdown")


def renderer(name: str) -> Callable[..., str]:
    """The render function of format ``name`` (one of ``FORMAT_NAMES``)."""
    if name == "text":
        from .text import render
    elif name == "json":
        from .json import render
    elif name == "sarif":
        from .sarif import render
    elif name == "html":
        from .html import render
    elif name == "markdown":
        from .markdown import render
    else:
        raise ValueError(f"unknown format {name!r}; choose one of {', '.join(FORMAT_NAMES)}")
    return render


def render(result: AuditResult, name: str, color: bool = False, quiet: bool = False) -> str:
    """``result`` in format ``name``; ``color`` and ``quiet`` (no notes, no summary) only matter for text."""
    if name == "text":
        return renderer(name)(result, color=color, quiet=quiet)
    return renderer(name)(result, color=color)
