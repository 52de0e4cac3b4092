"""Read one notebook file into a normalised nbformat-4 dict, or say why it cannot be.

The hot path is a JSON parse (``orjson`` when installed, ``json`` for
whatever it rejects) plus a light shape check: no nbformat validation.
nbformat 3 notebooks are converted to the version 4 shape the rest of the
audit reads (cells with ``source`` strings, ``execution_count`` and
``error`` outputs). Problems inside an otherwise readable notebook (a source
that is not text, a malformed output) are repaired and listed as warnings.
"""
from __future__ import annotations

import codecs
import json
import os
from dataclasses import dataclass, field
from typing import Any

try:  # about twice as fast as json on notebooks; strict, so json still decides every doubt
    import orjson
except ImportError:  # pragma: no cover - optional speed-up
    orjson = None

STDIN_NAME = "<stdin>"


@dataclass
class LoadedNotebook:
    """A notebook ready to audit: ``nb`` has the nbformat 4 shape with text sources."""

    path: str
    nb: dict[str, Any]
    nbformat: int
    size: int
    warnings: list[str] = field(default_factory=list)
    cell_lines: list[int] | None = None

    def cell_line(self, index: int) -> int | None:
        """The line of the file where cell ``index`` starts, when it could be located."""
        if self.cell_lines is None or not 0 <= index < len(self.cell_lines):
            return None
        return self.cell_lines[index]

    @property
    def cells(self) -> list[dict[str, Any]]:
        return self.nb["cells"]


@dataclass
class LoadError:
    """Why a file could not be audited, in words that name the file."""

    path: str
    message: str
    size: int = 0


class _NotANotebook(ValueError):
    pass


def read_bytes(path: str) -> bytes | LoadError:
    """The bytes of ``path``, or a LoadError saying why they cannot be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except IsADirectoryError:
        return LoadError(path, f"{path}: is a directory, not a notebook file")
    except PermissionError:
        return LoadError(path, f"{path}: permission denied")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if os.path.islink(path) and not os.path.exists(path):
            reason = "broken symbolic link or symbolic link loop"
        return LoadError(path, f"{path}: cannot be read: {reason}")


def load_notebook(path: str, data: bytes | None = None) -> LoadedNotebook | LoadError:
    """Load ``path`` (or the given ``data``, e.g. stdin) as a notebook.

    Never raises on bad content: returns a LoadError naming the file instead.
    """
    if data is None:
        read = read_bytes(path)
        if isinstance(read, LoadError):
            return read
        data = read
    try:
        return parse_notebook(path, data)
    except _NotANotebook as exc:
        return LoadError(path, f"{path}: {exc}", len(data))
    except RecursionError:
        return LoadError(path, f"{path}: JSON nested too deeply to be a notebook", len(data))
    except Exception as exc:  # noqa: BLE001 - any other shape: a bad file, never an aborted audit
        return LoadError(path, f"{path}: not a notebook nbcrash can read ({type(exc).__name__}: "
                               f"{str(exc)[:200]})", len(data))


def parse_notebook(path: str, data: bytes) -> LoadedNotebook:
    """Decode, parse and normalise; raises _NotANotebook with the reason."""
    document, utf8 = _decode_json(data)
    if not isinstance(document, dict):
        raise _NotANotebook(f"JSON is not a notebook: the top level is a {_json_kind(document)}, "
                            "not an object")
    warnings: list[str] = []
    version = _nbformat_version(document)
    if version == 3:
        cells = _cells_from_v3(document, warnings)
    else:
        cells = _normalise_cells(document.get("cells"), warnings)
    metadata = document.get("metadata")
    nb = {
        "nbformat": 4,
        "nbformat_minor": document.get("nbformat_minor", 0) if version == 4 else 0,
        "metadata": metadata if isinstance(metadata, dict) else {},
        "cells": cells,
    }
    lines = locate_cells(data, len(cells)) if utf8 else None
    return LoadedNotebook(path, nb, version, len(data), warnings, lines)


def locate_cells(data: bytes | str, n_cells: int) -> list[int] | None:
    """The 1-based line of each cell's ``"cell_type"`` key, or None when they do not match.

    Inside JSON strings quotes are escaped, so an unescaped ``"cell_type"`` is
    a key; only when there is exactly one per cell are the lines trusted.
    Works on the raw bytes (a find loop: no decoding, no regex).
    """
    key = _CELL_TYPE_KEY if isinstance(data, bytes) else _CELL_TYPE_KEY.decode()
    newline = b"\n" if isinstance(data, bytes) else "\n"
    lines: list[int] = []
    line, last = 1, 0
    position = data.find(key)
    while position != -1:
        line += data.count(newline, last, position)
        last = position
        lines.append(line)
        if len(lines) > n_cells:
            return None
        position = data.find(key, position + len(key))
    return lines if len(lines) == n_cells else None


_CELL_TYPE_KEY = b'"cell_type"'


def _decode_json(data: bytes) -> tuple[Any, bool]:
    """The JSON document, and whether the file is UTF-8 (only then are cell lines located)."""
    if not data or data.isspace():  # not ``data.strip()``: that copies the whole file
        raise _NotANotebook("empty file: not a notebook")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _NotANotebook("binary file: not a notebook (contains NUL bytes)")
    fast = _decode_strict(data)
    if fast is not _REJECTED:
        return fast, True
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            return json.loads(data, parse_int=_bounded_int), False  # UTF-16/32 with a BOM: json detects it
        except (ValueError, UnicodeDecodeError):
            raise _NotANotebook(f"not UTF-8 text (byte {exc.start}): not a notebook") from None
    try:
        return json.loads(text, parse_int=_bounded_int), True
    except json.JSONDecodeError as exc:
        raise _NotANotebook(_describe_json_error(text, exc)) from None


MAX_INT_DIGITS = 100


def _bounded_int(digits: str) -> int | float:
    """A JSON integer; one longer than ``MAX_INT_DIGITS`` digits is read as an infinite float.

    ``int()`` refuses more than 4,300 digits (ValueError) and no count in a notebook
    needs 100: such a number is reported as "not a number", like any float count.
    """
    if len(digits) <= MAX_INT_DIGITS:
        return int(digits)
    return float("-inf") if digits.startswith("-") else float("inf")


_REJECTED = object()


def _decode_strict(data: bytes) -> Any:
    """``orjson``'s reading of UTF-8 ``data``, or ``_REJECTED``.

    orjson accepts only strict UTF-8 JSON (no NaN, no lone surrogates, 64-bit
    integers, bounded depth) and reads it as ``json`` does; whatever it
    rejects goes to ``json``, which accepts more and words the errors.
    """
    if orjson is None:
        return _REJECTED
    try:
        document = orjson.loads(data[3:] if data.startswith(codecs.BOM_UTF8) else data)
    except (orjson.JSONDecodeError, RecursionError, MemoryError):
        return _REJECTED
    return _REJECTED if _has_float_counts(document) else document


def _has_float_counts(document: Any) -> bool:
    """Whether a number the audit reads as an integer came out as a float.

    orjson reads integers beyond 64 bits as floats where json keeps them exact;
    such a notebook goes to json so that its warnings say the same.
    """
    if not isinstance(document, dict):
        return False
    if isinstance(document.get("nbformat"), float) or isinstance(document.get("nbformat_minor"), float):
        return True
    # The counts read as integers (nbformat 3's prompt_number and heading level too), spelled
    # out rather than ``any`` over a tuple of keys: this runs for every cell of every notebook.
    for cell in _raw_cells(document):
        if isinstance(cell, dict):
            get = cell.get
            if (isinstance(get("execution_count"), float) or isinstance(get("prompt_number"), float)
                    or isinstance(get("level"), float)):
                return True
    return False


def _raw_cells(document: dict[str, Any]) -> list[Any]:
    """The cells as decoded: nbformat 4's list, or nbformat 3's worksheets' cells."""
    cells = document.get("cells")
    if isinstance(cells, list):
        return cells
    sheets = document.get("worksheets")
    if not isinstance(sheets, list):
        return []
    return [cell for sheet in sheets if isinstance(sheet, dict)
            and isinstance(sheet.get("cells"), list) for cell in sheet["cells"]]


def _describe_json_error(text: str, exc: json.JSONDecodeError) -> str:
    if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
        return (f"truncated JSON: the file ends at line {exc.lineno} before the notebook "
                "is complete")
    return f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"


def _json_kind(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean",
            type(None): "null"}.get(type(value), type(value).__name__)


def _nbformat_version(document: dict[str, Any]) -> int:
    declared = document.get("nbformat")
    if isinstance(document.get("cells"), list) and declared in (4, None, 5):
        return 4
    if isinstance(document.get("worksheets"), list) and declared in (3, None):
        return 3
    if isinstance(declared, int) and declared not in (3, 4):
        raise _NotANotebook(f"nbformat {declared} is not supported (only 3 and 4)")
    raise _NotANotebook("JSON is not a notebook: no 'cells' list (nbformat 4) "
                        "and no 'worksheets' list (nbformat 3)")


def _normalise_cells(raw_cells: Any, warnings: list[str]) -> list[dict[str, Any]]:
    if not isinstance(raw_cells, list):
        raise _NotANotebook("JSON is not a notebook: 'cells' is not a list")
    return [_normalise_cell(cell, index, warnings) for index, cell in enumerate(raw_cells)]


def _normalise_cell(cell: Any, index: int, warnings: list[str]) -> dict[str, Any]:
    if not isinstance(cell, dict):
        warnings.append(f"cell {index}: not a JSON object; treated as an empty raw cell")
        return {"cell_type": "raw", "source": "", "metadata": {}}
    cell_type = cell.get("cell_type")
    if cell_type not in ("code", "markdown", "raw"):
        warnings.append(f"cell {index}: unknown cell_type {cell_type!r}; treated as raw")
        cell["cell_type"] = cell_type = "raw"
    source = cell.get("source")
    if not isinstance(source, str):
        cell["source"] = _source_text(source, index, warnings)
    if not isinstance(cell.get("metadata"), dict):
        cell["metadata"] = {}
    if cell.get("id") is not None and not isinstance(cell["id"], str):
        cell["id"] = str(cell["id"])
    if cell_type == "code":
        _normalise_code_cell(cell, index, warnings)
    return cell


def _normalise_code_cell(cell: dict[str, Any], index: int, warnings: list[str]) -> None:
    count = cell.get("execution_count")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
        warnings.append(f"cell {index}: execution_count {count!r} is not a number; ignored")
        count = None
    cell["execution_count"] = count
    outputs = cell.get("outputs")
    if not isinstance(outputs, list):
        if outputs is not None:
            warnings.append(f"cell {index}: outputs is not a list; ignored")
        outputs = []
    cell["outputs"] = [o for o in outputs if isinstance(o, dict)]
    for output in cell["outputs"]:
        if output.get("output_type") == "error":
            _normalise_error(output, index, warnings)


def _normalise_error(output: dict[str, Any], index: int, warnings: list[str]) -> None:
    for key in ("ename", "evalue"):
        value = output.get(key)
        if not isinstance(value, str):
            if value is not None:
                warnings.append(f"cell {index}: error output {key} is not text")
            output[key] = "" if value is None else str(value)
    traceback = output.get("traceback")
    if isinstance(traceback, str):
        output["traceback"] = traceback.splitlines()
    elif not isinstance(traceback, list) or not all(isinstance(x, str) for x in traceback):
        if traceback is not None:
            warnings.append(f"cell {index}: error output traceback is not a list of lines")
        output["traceback"] = ([str(x) for x in traceback] if isinstance(traceback, list)
                               else [])


def _source_text(value: Any, index: int, warnings: list[str]) -> str:
    """A cell source (a string or a list of strings) as one string; else empty, with a warning."""
    if isinstance(value, list):
        try:
            return "".join(value)  # raises TypeError when a part is not text
        except TypeError:
            pass
    if value is None:
        return ""
    warnings.append(f"cell {index}: source is not text ({_json_kind(value)}); treated as empty")
    return ""


def _cells_from_v3(document: dict[str, Any], warnings: list[str]) -> list[dict[str, Any]]:
    cells: list[dict[str, Any]] = []
    for sheet in _list(document.get("worksheets")):
        raw = sheet.get("cells") if isinstance(sheet, dict) else None
        if not isinstance(raw, list):
            continue
        for cell in raw:
            converted = _cell_from_v3(cell) if isinstance(cell, dict) else cell
            cells.append(_normalise_cell(converted, len(cells), warnings))
    return cells


def _cell_from_v3(cell: dict[str, Any]) -> dict[str, Any]:
    kind = cell.get("cell_type")
    if kind == "heading":
        level = cell.get("level")
        level = min(max(level, 1), 6) if isinstance(level, int) and not isinstance(level, bool) else 1
        text = cell.get("source")
        text = "".join(text) if isinstance(text, list) else text if isinstance(text, str) else ""
        return {"cell_type": "markdown", "source": "#" * level + " " + text, "metadata": {}}
    if kind != "code":
        return cell
    return {
        "cell_type": "code",
        "source": cell.get("input", ""),
        "execution_count": cell.get("prompt_number"),
        "outputs": [_output_from_v3(o) for o in _list(cell.get("outputs")) if isinstance(o, dict)],
        "metadata": cell.get("metadata", {}),
    }


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _output_from_v3(output: dict[str, Any]) -> dict[str, Any]:
    if output.get("output_type") == "pyerr":
        return {"output_type": "error", "ename": output.get("ename"),
                "evalue": output.get("evalue"), "traceback": output.get("traceback")}
    return output
