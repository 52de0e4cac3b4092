"""A cell's source to its :class:`CellFacts`: transform, parse, visit. Never raises; cached by source,
since the live kernel calls it for every cell."""
from __future__ import annotations

import gc
from functools import lru_cache
from typing import Iterator, Mapping

from .ipython import parse_with_automagic, transform_ipython
from .model import CellFacts
from .visitor import CellVisitor


def analyze_cell_uncached(source: str) -> CellFacts:
    """:func:`analyze_cell` without the cache (for benchmarks and one-off use)."""
    if not isinstance(source, str):
        source = "" if source is None else str(source)
    # An AST is thousands of fresh objects, none of them cyclic garbage: a collection
    # triggered in the middle of building one only costs time (~8% of a 100-line cell).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _analyze(source)
    finally:
        if collecting:
            gc.enable()


def _analyze(source: str) -> CellFacts:
    python_source = transform_ipython(source)
    try:
        tree, python_source = parse_with_automagic(python_source)
    except SyntaxError as error:
        line = error.lineno
        message = f"{error.msg} (line {line})" if line else str(error.msg)
        return CellFacts(source=source, syntax_error=message, error_lineno=line, python_source=python_source)
    except (ValueError, RecursionError, MemoryError, OverflowError) as error:
        return CellFacts(source=source, syntax_error=f"{type(error).__name__}: {error}", python_source=python_source)
    analyzer = CellVisitor()
    try:
        analyzer.run(tree)
    except RecursionError:
        return CellFacts(source=source, syntax_error="RecursionError: cell too deeply nested to analyze",
                         python_source=python_source)
    return analyzer.facts(source, python_source)

@lru_cache(maxsize=4096)
def _analyze_cached(source: str) -> CellFacts:
    return analyze_cell_uncached(source)


def analyze_cell(source: str) -> CellFacts:
    """Facts of one cell's source (IPython syntax allowed). Never raises; cached by source.

    A cell that does not parse gets empty facts with ``syntax_error`` and ``error_lineno`` set
    (line numbers refer to the original source).
    """
    try:
        if isinstance(source, str):
            return _analyze_cached(source)
        return analyze_cell_uncached(source)
    except Exception as error:  # a bug here must never reach the user's kernel
        text = source if isinstance(source, str) else ""
        return CellFacts(source=text, syntax_error=f"nbcrash could not analyze the cell: {type(error).__name__}")


def iter_code_cells(notebook: Mapping) -> Iterator[str]:
    """Source of every code cell of a notebook JSON dict (nbformat 3 or 4), in order."""
    cells = notebook.get("cells")
    if cells is None:
        cells = [c for ws in notebook.get("worksheets", []) or [] for c in ws.get("cells", [])]
    for cell in cells or []:
        if cell.get("cell_type") != "code":
            continue
        text = cell.get("source", cell.get("input", ""))
        yield "".join(text) if isinstance(text, list) else str(text or "")
