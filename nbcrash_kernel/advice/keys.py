"""KeyError: the key or column that was meant, said the right way round.

Facts used:
- ``KeyError.args[0]`` is the key looked up, as the object (``dict.__getitem__``;
  pandas raises ``KeyError(key)`` from ``Index.get_loc``).
- Keys compare by value and type: ``'(0, 0)'`` (a str) is not the tuple ``(0, 0)``, and
  ``'1'`` is not ``1``; the string a user typed often is the ``repr``/``str`` of the real key.
- ``numpy.lib.npyio.NpzFile`` raises "KeyError: 'x is not a file in the archive'" and
  lists its arrays in ``.files``.
- CSV headers often carry spaces or another case: ``' price'``, ``'Price'``.
"""
from __future__ import annotations

import ast
import re
from typing import Any

from .evidence import MISSING, Advice, Evidence, owner_library, safe_getattr
from .similar import closest

MAX_KEYS = 5000
_NPZ = re.compile(r"'?(.+?) is not a file in the archive'?")
_SUBSCRIPT = re.compile(r"([A-Za-z_][\w.]*)\s*(?:\.loc\s*)?\[")


def advise_key(evidence: Evidence) -> Advice | None:
    key = _missing_key(evidence)
    if key is MISSING:
        return None
    npz = _NPZ.fullmatch(str(key)) if isinstance(key, str) else None
    if npz or "is not a file in the archive" in evidence.evalue:
        return _npz_member(evidence, npz.group(1) if npz else str(key))
    for name, keys, label in _containers(evidence):
        advice = _match(key, keys, name, label)
        if advice is not None:
            return advice
    return None


def _missing_key(evidence: Evidence) -> Any:
    args = safe_getattr(evidence.exc, "args") if evidence.exc is not None else MISSING
    if isinstance(args, tuple) and args:
        return args[0]
    text = evidence.evalue.strip()
    if not text:
        return MISSING
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text


def _containers(evidence: Evidence):
    """(name, keys, 'columns'|'keys'|'index labels') of the subscripted values on the failing line."""
    for name in dict.fromkeys(_SUBSCRIPT.findall(evidence.line)):
        value = evidence.resolve(name)
        if value is MISSING:
            continue
        keys = _keys_of(value)
        if keys is not None:
            yield name, keys[0], keys[1]


def _keys_of(value: Any) -> tuple[list[Any], str] | None:
    if isinstance(value, dict):
        return list(value)[:MAX_KEYS], "keys"
    if owner_library(value) == "pandas":
        columns = safe_getattr(value, "columns")
        if columns is not MISSING and columns is not None:
            return _listed(columns), "columns"
        index = safe_getattr(value, "index")
        if index is not MISSING:
            return _listed(index), "index labels"
    keys = safe_getattr(value, "keys")
    if callable(keys) and owner_library(value) not in ("builtins", ""):
        try:
            return list(keys())[:MAX_KEYS], "keys"
        except Exception:  # noqa: BLE001
            return None
    return None


def _listed(labels: Any) -> list[Any]:
    try:
        return list(labels)[:MAX_KEYS]
    except Exception:  # noqa: BLE001
        return []


def _match(key: Any, keys: list[Any], name: str, label: str) -> Advice | None:
    if not keys:
        return None
    same_text = [k for k in keys if type(k) is not type(key) and _text(k) == _text(key)]
    if same_text:
        real = same_text[0]
        return Advice(fixes=[f"Use `{name}[{real!r}]`: the key is the {type(real).__name__} `{real!r}`, "
                             f"not the {type(key).__name__} `{key!r}`."],
                      evidence=[f"`{name}` has the {type(real).__name__} key `{real!r}`; the lookup used "
                                f"the {type(key).__name__} `{key!r}`"])
    texts = {_text(k): k for k in keys if isinstance(k, (str, int, float, tuple))}
    stripped = [k for t, k in texts.items() if isinstance(k, str) and isinstance(key, str) and t.strip().casefold()
                == key.strip().casefold()]
    near = stripped[0] if stripped else texts.get(closest(_text(key), list(texts)) or "\0", MISSING)
    if near is MISSING:
        return Advice(evidence=[f"`{name}` has {len(keys)} {label}; {key!r} is not one of them"],
                      fixes=[f"Check the {label} of `{name}` (`list({name}.{'columns' if label == 'columns' else 'keys()'})`): "
                             f"{key!r} is not among them."])
    return Advice(fixes=[f"Did you mean `{name}[{near!r}]`? (the closest of its {label}; {key!r} is not one of them)"])


def _text(value: Any) -> str:
    try:
        return value if isinstance(value, str) else repr(value)
    except Exception:  # noqa: BLE001
        return ""


def _npz_member(evidence: Evidence, member: str) -> Advice:
    files: list[str] = []
    for name in evidence.line_names():
        value = evidence.lookup(name)
        found = safe_getattr(value, "files") if value is not MISSING else MISSING
        if isinstance(found, list):
            files = [str(f) for f in found]
            break
    near = closest(member, files) if files else None
    fixes = [f"Did you mean `{near!r}`? (the arrays in the .npz archive: {', '.join(files[:10])})"] if near else []
    fixes.append("List the arrays saved in the archive with `.files` (an `np.load` of an .npz is an archive "
                 "of named arrays, not a DataFrame).")
    return Advice(fixes=fixes, verdict=f"The .npz archive has no array named `{member}`.")
