"""CrashContext: everything known about one crash, from any face of nbcrash.

Any mix of evidence works: a bare crash record (``ename``, ``evalue``,
``traceback`` text), a live exception, the crashing cell's source, the
notebook graph and history, the live namespace, markdown headings and prose. The
classifier uses what is there and says UNK when it does not decide.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:  # imported lazily: the live path must stay light
    from .cells import CellFacts
    from .graph import NotebookGraph
    from ..record.tracebacks import ParsedTraceback


@dataclass
class CrashContext:
    ename: str | None = None
    evalue: str | None = None
    traceback: list[str] | str | None = None
    exc: BaseException | None = None
    cell_source: str | None = None
    cell_id: str | None = None
    cell_index: int | None = None
    execution_count: int | None = None
    graph: "NotebookGraph | None" = None
    namespace: Mapping[str, Any] | None = None
    headings: list[str] = field(default_factory=list)
    crash_id: str | None = None
    prose: list[str] = field(default_factory=list)  # the author's markdown just above the crashing cell
    cell_tags: tuple[str, ...] = ()  # the crashing cell's metadata tags (``raises-exception``)

    @cached_property
    def parsed(self) -> "ParsedTraceback":
        from ..record.tracebacks import from_exception, parse_traceback

        if self.exc is not None:
            return from_exception(self.exc)
        return parse_traceback(self.traceback or [], ename=self.ename, evalue=self.evalue)

    @cached_property
    def facts(self) -> "CellFacts | None":
        """Facts of the crashing cell: from its source when known."""
        from .cells import analyze_cell

        if self.cell_source is not None:
            return analyze_cell(self.cell_source)
        return None

    @property
    def exception_name(self) -> str:
        if self.exc is not None:
            return type(self.exc).__name__
        return self.ename or (self.parsed.ename or "")
