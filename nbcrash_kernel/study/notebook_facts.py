"""What the filter step needs to know about one notebook, from its JSON text.

Pure and per-notebook, so it runs on local processes or Dask workers alike. Never raises:
an unreadable notebook comes back with ``error`` set.
"""
from __future__ import annotations

import json
import re
import warnings
from typing import Any

from ..record.taxonomy import STUDY_LIBRARIES

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
EMPTY_ERROR_VALUES = ("", "ignored")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def read_notebook(text: str) -> dict[str, Any]:
    """The notebook as a v4 dict (v3 converted); raises on anything that is not a notebook."""
    import nbformat

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        node = nbformat.reads(text, as_version=4)
    if not isinstance(node.get("cells"), list):
        raise ValueError("no cell list")
    return node


def language_of(metadata: dict[str, Any]) -> str | None:
    """The notebook's language from kernel and language metadata; None when absent."""
    info = metadata.get("language_info") or {}
    spec = metadata.get("kernelspec") or {}
    for value in (info.get("name"), spec.get("language"), metadata.get("language")):
        if isinstance(value, str) and value.strip():
            return value.strip().lower()
    for value in (spec.get("name"), spec.get("display_name")):
        if isinstance(value, str) and value.strip():
            lowered = value.strip().lower()
            return "python" if "python" in lowered or re.match(r"py\d*\b|conda", lowered) else lowered
    return None


def looks_like_python(sources: list[str], parses: list[bool]) -> bool:
    """Heuristic for notebooks without language metadata: most non-empty code cells parse as
    (IPython) Python, and at least one of them imports, defines or prints something."""
    filled = [(s, ok) for s, ok in zip(sources, parses) if s.strip()]
    if not filled:
        return False
    share = sum(ok for _, ok in filled) / len(filled)
    pythonic = re.compile(r"^\s*(import |from \S+ import |def |class |print\()", re.M)
    return share >= 0.5 and any(pythonic.search(s) for s, _ in filled)


def enrich_error_value(ename: str, evalue: str, traceback: list[str]) -> tuple[str, bool]:
    """An error value, taken from the traceback when empty or ``ignored``.

    The traceback line naming the exception (``ValueError: ...``) gives the text between its
    first and second ``:``. Returns the value and whether it was enriched.
    """
    if evalue.strip() not in EMPTY_ERROR_VALUES:
        return evalue, False
    if not ename:
        return "", True
    naming = re.compile(r"^\s*(?:[\w.]*\.)?" + re.escape(ename) + r"\s*:")
    lines = strip_ansi("\n".join(str(t) for t in traceback)).splitlines()
    for line in reversed(lines):
        if naming.match(line):
            parts = line.split(":")
            return (parts[1].strip() if len(parts) > 1 else ""), True
    return "", True


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source or "")


def _crashes(cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    crashes = []
    previous = ""
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        source = _source(cell)
        for out_index, output in enumerate(cell.get("outputs") or []):
            if not isinstance(output, dict) or output.get("output_type") != "error":
                continue
            traceback = [str(t) for t in (output.get("traceback") or [])]
            crashes.append({
                "cell_index": index, "output_index": out_index,
                "execution_count": cell.get("execution_count"),
                "ename": str(output.get("ename") or ""), "evalue_raw": str(output.get("evalue") or ""),
                "traceback": traceback, "cell_source": source, "previous_source": previous,
            })
        previous = source
    return crashes


def _libraries(imports: dict[str, str], star: tuple[str, ...]) -> list[str]:
    tops = {q.split(".")[0] for q in imports.values()} | {s.split(".")[0] for s in star}
    return sorted(tops & set(STUDY_LIBRARIES))


def notebook_facts(text: str) -> dict[str, Any]:
    """Language, crashes, parse status and study libraries of one notebook's JSON text."""
    try:
        node = read_notebook(text)
    except Exception as exc:  # any malformed input: flagged, never raised
        return {"error": f"unreadable notebook: {type(exc).__name__}: {str(exc)[:200]}"}
    from ..facts.cells import analyze_cell

    cells = [c for c in node["cells"] if isinstance(c, dict)]
    sources = [_source(c) for c in cells if c.get("cell_type") == "code"]
    facts = [analyze_cell(s) for s in sources]
    parses = [f.syntax_error is None for f in facts]
    language = language_of(node.get("metadata") or {})
    is_python = language == "python" if language else looks_like_python(sources, parses)
    imports: dict[str, str] = {}
    star: tuple[str, ...] = ()
    for f in facts:
        imports.update(f.imports)
        star += tuple(f.star_imports)
    first_bad = next((f"cell {i}: {f.syntax_error}" for i, f in enumerate(facts) if f.syntax_error), None)
    return {
        "error": None, "language": language or "", "is_python": bool(is_python),
        "crashes": _crashes(cells), "parses": all(parses), "parse_error": first_bad or "",
        "ml_libraries": _libraries(imports, star),
    }
