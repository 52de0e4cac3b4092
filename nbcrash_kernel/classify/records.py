"""``nbcrash classify``: label crash records (CSV, JSONL, Parquet) with the taxonomy.

Input rows need ``ename``, ``evalue`` and ``traceback`` (a JSON list of lines
or plain text); ``crash_id`` is passed through; other columns are ignored.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import pandas as pd

from ..advice import refine_record
from ..classifier import classify
from ..facts.context import CrashContext
from ..record.diagnosis import RECORD_FIELDS

REQUIRED_COLUMNS = ("ename", "evalue", "traceback")
READERS = {".csv": "csv", ".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}


class RecordsError(ValueError):
    """The input cannot be classified at all (missing file, unknown format, missing column)."""


def read_records(path: str | Path) -> pd.DataFrame:
    """Read crash records; raise RecordsError naming the problem and the file."""
    path = Path(path)
    kind = READERS.get(path.suffix.lower())
    if kind is None:
        raise RecordsError(f"{path}: unknown input format '{path.suffix}' (use .csv, .jsonl or .parquet)")
    if not path.is_file():
        raise RecordsError(f"{path}: no such file")
    try:
        if kind == "csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        elif kind == "parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.DataFrame(_read_jsonl(path))
    except RecordsError:
        raise
    except Exception as exc:  # pandas and pyarrow raise many kinds
        raise RecordsError(f"{path}: cannot read as {kind}: {exc}") from exc
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise RecordsError(f"{path}: missing required column(s): {', '.join(missing)}")
    return frame


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                value = {"_error": f"line {number}: invalid JSON ({exc.msg})"}
            rows.append(value if isinstance(value, dict) else {"_error": f"line {number}: not a JSON object"})
    return rows


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value if isinstance(value, str) else str(value)


def _traceback(value: Any) -> list[str] | str:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if hasattr(value, "tolist"):
        return [str(v) for v in value.tolist()]
    return _text(value)


def crash_context(row: Mapping[str, Any], crash_id: str | None = None) -> CrashContext:
    """The classifier's context for one input record (ename, evalue, traceback, cell_source)."""
    return CrashContext(ename=_text(row.get("ename")), evalue=_text(row.get("evalue")),
                        traceback=_traceback(row.get("traceback")), crash_id=crash_id,
                        cell_source=_text(row.get("cell_source")) or None)


def classify_row(row: dict[str, Any], weigh_all: bool = False) -> dict[str, Any]:
    """One record in, one taxonomy record out; a bad row gives UNK with an ``error``."""
    crash_id = row.get("crash_id")
    crash_id = None if crash_id is None or _text(crash_id) == "" else _text(crash_id)
    try:
        if _text(row.get("_error")):
            raise ValueError(_text(row["_error"]))
        ctx = crash_context(row, crash_id)
        record = refine_record(classify(ctx, weigh_all), ctx.ename, ctx.evalue, ctx.traceback,
                               ctx.cell_source or "", ctx.parsed).to_record()
    except Exception as exc:  # one bad row never stops the others
        record = {"crash_id": crash_id, "ename": _text(row.get("ename")), "evalue": _text(row.get("evalue")),
                  "exception_type": "OTHER", "exception_type_detail": "unknown", "root_cause": "UNK",
                  "root_cause_detail": "unknown", "origin": "PY", "library": "", "stage": "NONE",
                  "summary": "", "explanation": "", "evidence": [], "suggestions": [], "related_cells": [],
                  "confidence": 0.0, "trace": {}, "error": f"{type(exc).__name__}: {exc}"}
    record["crash_id"] = crash_id
    return record


def classify_rows(rows: Iterable[dict[str, Any]], weigh_all: bool = False) -> Iterator[dict[str, Any]]:
    """``weigh_all``: list every rule that fires in each trace, not only the deciding one (``--explain``)."""
    for row in rows:
        yield classify_row(row, weigh_all)


def classify_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Classify every row of a frame; the result has one row per input row, in order."""
    records = list(classify_rows(frame.to_dict("records")))
    return pd.DataFrame(records, columns=[*RECORD_FIELDS, "error"], index=frame.index)


def write_records(records: list[dict[str, Any]], path: str | Path | None, stream) -> None:
    """JSONL to ``stream`` when no path; else JSONL, CSV or Parquet by extension."""
    if path is None or str(path) == "-":
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    path = Path(path)
    kind = READERS.get(path.suffix.lower())
    if kind == "jsonl":
        with path.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    frame = pd.DataFrame(records)
    for column in ("evidence", "suggestions", "related_cells", "trace"):
        if column in frame:
            frame[column] = frame[column].map(lambda v: json.dumps(v, ensure_ascii=False))
    if kind == "csv":
        frame.to_csv(path, index=False)
    elif kind == "parquet":
        frame.to_parquet(path, index=False)
    else:
        raise RecordsError(f"{path}: unknown output format '{path.suffix}' (use .jsonl, .csv or .parquet)")
