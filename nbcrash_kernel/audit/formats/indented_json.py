"""``json.dumps(value, indent=2, ensure_ascii=False, default=str)``, the same text, faster.

With ``indent`` set, the standard library encodes in pure Python through nested generators:
every chunk climbs back up through each level it is nested in. An audit report is thousands of
small dicts of strings, so that was most of the time of writing one. Here each value is appended
to one list by plain recursion; strings, numbers and the constants are spelled by the same
functions ``json`` uses (its C string escaper, ``int.__repr__``, ``float.__repr__``), so the
text is byte for byte the same.
"""
from __future__ import annotations

from json.encoder import encode_basestring  # the C escaper when available, as json uses
from typing import Any

INDENT = "  "
_CONSTANTS = {True: "true", False: "false", None: "null"}
_INFINITY = float("inf")


def dumps(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False, default=str)``."""
    parts: list[str] = []
    _encode(value, 0, parts)
    return "".join(parts)


def _encode(value: Any, level: int, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(encode_basestring(value))
    elif value is None or value is True or value is False:
        parts.append(_CONSTANTS[value])
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, float):
        parts.append(_float(value))
    elif isinstance(value, dict):
        _encode_dict(value, level, parts)
    elif isinstance(value, (list, tuple)):
        _encode_list(value, level, parts)
    else:  # ``default=str``: the object's text, encoded as any other value
        _encode(str(value), level, parts)


def _encode_list(values: list | tuple, level: int, parts: list[str]) -> None:
    if not values:
        parts.append("[]")
        return
    separator = "[\n" + INDENT * (level + 1)
    for item in values:
        if item.__class__ is str:  # the common case, without a call
            parts.append(separator + encode_basestring(item))
        else:
            parts.append(separator)
            _encode(item, level + 1, parts)
        separator = ",\n" + INDENT * (level + 1)
    parts.append("\n" + INDENT * level + "]")


def _encode_dict(mapping: dict, level: int, parts: list[str]) -> None:
    if not mapping:
        parts.append("{}")
        return
    separator = "{\n" + INDENT * (level + 1)
    for key, item in mapping.items():
        head = separator + encode_basestring(key if key.__class__ is str else _key(key)) + ": "
        if item.__class__ is str:  # the common cases, without a call
            parts.append(head + encode_basestring(item))
        elif item is None:
            parts.append(head + "null")
        else:
            parts.append(head)
            _encode(item, level + 1, parts)
        separator = ",\n" + INDENT * (level + 1)
    parts.append("\n" + INDENT * level + "}")


def _key(key: Any) -> str:
    """A key as ``json`` writes it: text as is, numbers and constants spelled as values."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True or key is False or key is None:
        return _CONSTANTS[key]
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)

