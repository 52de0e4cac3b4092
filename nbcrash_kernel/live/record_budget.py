"""A card's record within its size budget: encodable text, bounded strings and lists.

The record travels to the browser (and into ``%nbcrash``'s history): lone
surrogates would make the kernel's message unsendable, and a value described at
length would make it megabytes. Strings and lists are cut, tighter each round,
until the JSON fits ``MAX_RECORD_BYTES``.
"""
from __future__ import annotations

import json
from typing import Any

from ..record.safe_text import clean_data

MAX_RECORD_BYTES = 64 * 1024
_ROUNDS = ((4000, 200), (1000, 50), (200, 20), (60, 5))   # (characters per string, items per list)


def fit_record(record: dict[str, Any], limit: int = MAX_RECORD_BYTES) -> dict[str, Any]:
    """``record`` cleaned (surrogates escaped, control sequences stripped) and cut to ``limit`` bytes."""
    record = clean_data(record)
    if _size(record) <= limit:
        return record
    for chars, items in _ROUNDS:
        cut = _cut(record, chars, items)
        if _size(cut) <= limit:
            cut["truncated"] = True
            return cut
    keep = ("ename", "evalue", "root_cause", "summary", "cell_id", "execution_count")
    return _cut({k: record.get(k) for k in keep if k in record} | {"truncated": True}, 200, 5)


def _size(record: Any) -> int:
    return len(json.dumps(record, ensure_ascii=False).encode("utf-8"))


def _cut(value: Any, chars: int, items: int, depth: int = 0) -> Any:
    if isinstance(value, str):
        return value if len(value) <= chars else value[: chars - 1] + "…"
    if depth > 20:
        return None
    if isinstance(value, dict):
        return {k: _cut(v, chars, items, depth + 1) for k, v in list(value.items())[: max(items, 40)]}
    if isinstance(value, list):
        return [_cut(v, chars, items, depth + 1) for v in value[:items]]
    return value
