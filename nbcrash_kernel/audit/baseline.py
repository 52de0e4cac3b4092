"""A baseline file: the crashes and findings a project already has, so CI fails only on new ones.

``nbcrash audit --write-baseline FILE`` records every crash and finding of the
run; ``nbcrash audit --baseline FILE`` then leaves out those it records. Each is
recorded by what survives a re-run: the notebook's path (relative to the
baseline's folder), its code, the cell (its id, else its position), the exception
name or the names involved. Findings about the whole notebook's order
(``out-of-order``, ``never-ran``) are recorded by notebook and code alone.
Counts are kept: a second identical crash is new.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

from .codes import crash_code

BASELINE_VERSION = 1
NOTEBOOK_WIDE = frozenset({"out-of-order", "never-ran"})


class BaselineError(ValueError):
    """The baseline file cannot be read or written."""


def _relative(path: str, base_dir: str) -> str:
    try:
        return os.path.relpath(os.path.abspath(path), base_dir).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return os.path.abspath(path).replace(os.sep, "/")


def _cell_key(ref: dict[str, Any]) -> str:
    cell_id = ref.get("cell_id")
    return f"id:{cell_id}" if cell_id else f"#{ref.get('index')}"


def crash_key(path: str, crash: dict[str, Any]) -> tuple[str, ...]:
    cell = {"cell_id": crash.get("cell_id"), "index": crash.get("cell_index")}
    return (path, crash_code(crash), _cell_key(cell), str(crash.get("ename") or ""))


def finding_key(path: str, finding: dict[str, Any]) -> tuple[str, ...]:
    kind = finding["kind"]
    if kind in NOTEBOOK_WIDE:
        return (path, kind, "", "")
    first = (finding.get("cells") or [{}])[0]
    return (path, kind, _cell_key(first), ",".join(sorted(finding.get("names") or [])))


def result_keys(result: Any, base_dir: str) -> Counter:
    """How many times each key occurs among the result's crashes and findings."""
    keys: Counter = Counter()
    for report in result.reports:
        path = _relative(report.path, base_dir)
        keys.update(crash_key(path, c) for c in report.crashes)
        keys.update(finding_key(path, f) for f in report.findings)
    return keys


def write_baseline(result: Any, file: str) -> int:
    """Record every crash and finding of ``result`` in ``file``; return how many."""
    keys = result_keys(result, os.path.dirname(os.path.abspath(file)))
    entries = [{"path": k[0], "code": k[1], "cell": k[2], "detail": k[3], "count": n}
               for k, n in sorted(keys.items())]
    document = {"tool": "nbcrash", "baseline_version": BASELINE_VERSION, "entries": entries}
    try:
        with open(file, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=1, ensure_ascii=False)
            handle.write("\n")
    except OSError as exc:
        raise BaselineError(f"cannot write {file}: {exc.strerror or exc}") from None
    return sum(keys.values())


def read_baseline(file: str) -> Counter:
    try:
        with open(file, encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as exc:
        raise BaselineError(f"cannot read {file}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise BaselineError(f"{file} is not a baseline (not JSON: {exc})") from None
    if not isinstance(document, dict) or document.get("tool") != "nbcrash":
        raise BaselineError(f"{file} is not an nbcrash baseline")
    return Counter({(e["path"], e["code"], e["cell"], e["detail"]): int(e.get("count", 1))
                    for e in document.get("entries", [])})


def drop_baselined(result: Any, file: str) -> int:
    """Remove from ``result`` what ``file`` records; return how many were removed."""
    known = read_baseline(file)
    base_dir = os.path.dirname(os.path.abspath(file))
    removed = 0
    for report in result.reports:
        path = _relative(report.path, base_dir)
        report.crashes, n = _unrecorded(report.crashes, lambda c: crash_key(path, c), known)
        removed += n
        report.findings, n = _unrecorded(report.findings, lambda f: finding_key(path, f), known)
        removed += n
    return removed


def _unrecorded(items: list[dict[str, Any]], key: Any, known: Counter
                ) -> tuple[list[dict[str, Any]], int]:
    kept = []
    for item in items:
        k = key(item)
        if known[k] > 0:
            known[k] -= 1
        else:
            kept.append(item)
    return kept, len(items) - len(kept)
