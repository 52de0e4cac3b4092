"""AttributeError: the member that was meant, on the live object, its type or its module.

Facts used:
- Since 3.10 ``AttributeError`` carries ``name`` and ``obj``; CPython suggests the
  closest of ``dir(obj)`` (``Python/suggestions.c``).
- "module 'm' has no attribute 'x'": a submodule is an attribute of its package only
  once it has been imported (``import sklearn.metrics``; Python reference, "The import system").
- Setting an attribute that ``__slots__`` does not list raises AttributeError
  (Python reference, "__slots__").
- Many methods mutate in place and return ``None`` (``list.sort``, ``list.append``,
  pandas methods with ``inplace=True``), so ``x = x.sort()`` leaves ``None``.
- scikit-learn's convention: attributes ending in ``_`` are set by ``fit``
  (scikit-learn developer guide, "Estimated attributes").
"""
from __future__ import annotations

import builtins
import re
import types

from .evidence import MISSING, Advice, Evidence, owner_library, safe_dir, safe_getattr
from .modules import importable
from .similar import closest, suggestion_in_text

_OBJECT = re.compile(r"'([\w.]+)' object has no attribute '(\w+)'")
_MODULE = re.compile(r"module '([\w.]+)' has no attribute '(\w+)'")
_TYPE = re.compile(r"type object '([\w.]+)' has no attribute '(\w+)'")


def advise_attribute(evidence: Evidence) -> Advice | None:
    name, owner = _parts(evidence)
    if not name:
        return None
    obj = safe_getattr(evidence.exc, "obj") if evidence.exc is not None else MISSING
    if owner == "NoneType" or (obj is None and owner is None):
        return _on_none(name)
    if obj is None:  # CPython leaves ``obj`` unset (None) for some errors, e.g. a __slots__ assignment
        obj = _object_on_line(evidence, name)
    advice = Advice()
    members, owner_words = _members(obj, owner, evidence)
    floor = suggestion_in_text(evidence.traceback_text)
    public = [m for m in members if not m.startswith("__") or name.startswith("__")]
    meant = floor or _python3_name(name, members) or closest(name, public)
    if _is_slot_assignment(obj, name, evidence.line):
        advice.fixes.append(f"Add `'{name}'` to `__slots__` of `{type(obj).__name__}`: a class with `__slots__` "
                            f"accepts only the attributes it lists.")
    advice.fixes.extend(_decoded(name, owner or ""))
    if meant == "__contains__":
        advice.fixes.append(f"Use `key in d`: Python 3 removed `dict.has_key`.")
    elif meant and meant != name:
        advice.fixes.append(f"Did you mean `.{meant}`? (the closest member of {owner_words})")
    submodule = _unimported_submodule(obj, owner, name, _MODULE.search(evidence.evalue) is not None)
    if submodule:
        advice.fixes.insert(0, f"Add `import {submodule}`: a submodule is an attribute of its package only once imported.")
    column = _column_for(obj, name)
    if column is not None:
        advice.fixes.insert(0, f"Use `[{column!r}]` for the column: `.{name}` is not a member of the DataFrame.")
    if name.endswith("_") and not name.endswith("__") and owner_library(obj) == "sklearn" or (
            obj is MISSING and name.endswith("_") and not name.endswith("__") and _is_estimator_name(owner)):
        advice.fixes.append(f"Call `.fit(...)` on the estimator first: `{name}` is set by fitting.")
    advice.fixes.extend(_other_language(name, owner or ""))
    if not advice.fixes:
        advice.fixes.extend(_other_builtin(name, owner or ""))
    shadow = _shadowing_file(obj)
    if shadow:
        advice.fixes.insert(0, shadow)
    if not advice.fixes and public:
        shown = [m for m in public if not m.startswith("_")]
        if 0 < len(shown) <= 15:
            advice.fixes.append(f"{owner_words[:1].upper()}{owner_words[1:]} has no `.{name}`; its members are "
                                f"{', '.join(f'`{m}`' for m in shown)}.")
    if not advice.fixes and obj is not MISSING and owner_library(obj) == "__main__":
        advice.fixes.append(f"{owner_words[:1].upper()}{owner_words[1:]} has no `.{name}`: set it in `__init__` "
                            f"(`self.{name} = ...`) or on the class before reading it.")
    if obj is not MISSING and owner_library(obj) in ("__main__", "builtins", ""):
        advice.refutes_api_change = True
    if owner in _BUILTIN_TYPE_NAMES:
        advice.refutes_api_change = True
    return advice


def _parts(evidence: Evidence) -> tuple[str | None, str | None]:
    exc_name = safe_getattr(evidence.exc, "name") if evidence.exc is not None else MISSING
    for pattern in (_MODULE, _TYPE, _OBJECT):
        match = pattern.search(evidence.evalue)
        if match:
            owner, name = match.groups()
            return (exc_name if isinstance(exc_name, str) else name), owner
    return (exc_name if isinstance(exc_name, str) else None), None


# Python 3 removed these dict methods (PEP 3106; "What's New In Python 3.0").
PYTHON2_METHODS = {"iteritems": "items", "iterkeys": "keys", "itervalues": "values", "has_key": "__contains__"}


# Members other languages give their sequences and strings (JavaScript, Java, C#), and Python's spelling.
OTHER_LANGUAGES = {"length": "len(x)", "size": "len(x)", "count_": "len(x)", "push": "x.append(v)",
                   "add": "x.append(v)", "contains": "v in x", "includes": "v in x", "indexOf": "x.index(v)",
                   "toUpperCase": "s.upper()", "toLowerCase": "s.lower()", "trim": "s.strip()",
                   "toString": "str(x)", "charAt": "s[i]", "forEach": "for v in x: ...", "equals": "a == b",
                   "isEmpty": "not x", "substring": "s[i:j]", "len": "len(x)"}
_SEQUENCE_TYPES = ("str", "list", "tuple", "dict", "set", "bytes")


def _other_language(name: str, owner: str) -> list[str]:
    spelled = OTHER_LANGUAGES.get(name)
    if spelled is None or owner not in _SEQUENCE_TYPES + ("int", "float"):
        return []
    if name == "add" and owner == "set":
        return []
    return [f"Python writes this `{spelled}`: a {owner} has no `.{name}`."]


def _other_builtin(name: str, owner: str) -> list[str]:
    """The member belongs to another builtin type: the value is not the type the code thinks."""
    if owner not in _SEQUENCE_TYPES + ("int", "float", "NoneType"):
        return []
    others = [t for t in _SEQUENCE_TYPES if t != owner and hasattr(getattr(builtins, t), name)]
    if not others:
        return []
    other = others[0]
    hints = {"list": f"collect values in a list (`items = []`, `items.{name}(...)`)",
             "str": f"convert to text first (`str(x).{name}(...)`), or apply it to each item "
                    f"(`[v.{name}() for v in x]`)",
             "dict": f"use a dict (`{{}}`) for `.{name}`", "set": f"use a set for `.{name}`",
             "bytes": f"encode text to bytes first (`s.encode()`)", "tuple": f"use a tuple"}
    return [f"`.{name}` is a method of {other}, but this value is a {owner}: {hints[other]}."]


def _decoded(name: str, owner: str) -> list[str]:
    """Python 3 text is str and encoded data is bytes: only bytes decode, only str encodes."""
    if name == "decode" and owner == "str":
        return ["The value is already a str (decoded text): drop `.decode(...)`; only bytes are decoded."]
    if name == "encode" and owner == "bytes":
        return ["The value is already bytes: drop `.encode(...)`, or `.decode()` it to get text."]
    return []


def _shadowing_file(obj) -> str | None:
    """A file of the user's, named like a standard or installed module, imported in its place."""
    import os
    import sys

    if not isinstance(obj, types.ModuleType):
        return None
    path = getattr(obj, "__file__", None) or ""
    name = getattr(obj, "__name__", "")
    if not path or "." in name or name not in sys.stdlib_module_names and not _installed_elsewhere(name, path):
        return None
    if os.path.dirname(os.path.abspath(path)) in (os.getcwd(), os.path.abspath("")) or not _under_prefix(path):
        return (f"`{name}` here is your own file {path!r}, which shadows the real `{name}` module: rename your "
                f"file (and delete any `__pycache__`), then restart the kernel.")
    return None


def _installed_elsewhere(name: str, path: str) -> bool:
    from .modules import installed_top_names

    return name in installed_top_names() and not _under_prefix(path)


def _under_prefix(path: str) -> bool:
    import os
    import sys
    import sysconfig

    roots = {sys.prefix, sys.base_prefix, sysconfig.get_paths().get("purelib", ""), sysconfig.get_paths().get("stdlib", "")}
    full = os.path.abspath(path)
    return any(root and full.startswith(os.path.abspath(root)) for root in roots)


def _python3_name(name: str, members: list[str]) -> str | None:
    new = PYTHON2_METHODS.get(name)
    return new if new in members else None


def _object_on_line(evidence: Evidence, name: str):
    match = re.search(r"([A-Za-z_][\w.]*)\s*\.\s*" + re.escape(name) + r"\b", evidence.line or "")
    return evidence.resolve(match.group(1)) if match else MISSING


_BUILTIN_TYPE_NAMES = {n for n in dir(builtins) if isinstance(getattr(builtins, n), type)} | {"NoneType", "module"}


def _members(obj, owner: str | None, evidence: Evidence) -> tuple[list[str], str]:
    if obj is not MISSING:
        kind = "module" if isinstance(obj, types.ModuleType) else "class" if isinstance(obj, type) else "object"
        label = getattr(obj, "__name__", None) if kind != "object" else type(obj).__name__
        return safe_dir(obj), f"{kind} `{label}`"
    if owner and owner in _BUILTIN_TYPE_NAMES and hasattr(builtins, owner):
        return safe_dir(getattr(builtins, owner)), f"`{owner}`"
    if owner:
        import sys

        module = sys.modules.get(owner)
        if module is not None:
            return safe_dir(module), f"module `{owner}`"
    return [], "the object"


def _on_none(name: str) -> Advice:
    return Advice(
        fixes=[f"The object is `None`, so it has no `.{name}`: find where it was assigned. A function without "
               "`return`, or a method that works in place (`list.sort()`, `list.append()`, pandas with "
               "`inplace=True`), returns `None`: do not assign its result."],
        verdict=f"The object is `None`, not the value the code expects, so `.{name}` does not exist.",
        refutes_api_change=True)


def _is_slot_assignment(obj, name: str, line: str) -> bool:
    if obj is MISSING or not re.search(r"\." + re.escape(name) + r"\s*(?:[-+*/%&|^]|//|\*\*)?=(?!=)", line or ""):
        return False
    slots = []
    for klass in type(obj).__mro__:
        declared = klass.__dict__.get("__slots__")
        if declared is not None:
            slots.extend([declared] if isinstance(declared, str) else list(declared))
    return bool(slots) and "__dict__" not in slots and name not in slots


def _unimported_submodule(obj, owner: str | None, name: str, module_message: bool) -> str | None:
    if not isinstance(obj, types.ModuleType) and not (obj is MISSING and module_message):
        return None
    package = getattr(obj, "__name__", None) if isinstance(obj, types.ModuleType) else owner
    if not package or not _MODULE_NAME.fullmatch(package):
        return None
    if obj is MISSING and not importable(package.split(".")[0]):
        return None
    candidate = f"{package}.{name}"
    try:
        return candidate if importable(package) and importable(candidate) else None
    except Exception:  # noqa: BLE001
        return None


_MODULE_NAME = re.compile(r"[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*")


def _column_for(obj, name: str):
    columns = safe_getattr(obj, "columns") if obj is not MISSING and owner_library(obj) == "pandas" else MISSING
    if columns is MISSING or columns is None:
        return None
    try:
        labels = list(columns)[:5000]
    except Exception:  # noqa: BLE001
        return None
    if name in labels:
        return None
    texts = {str(c): c for c in labels}
    near = closest(name, list(texts))
    return texts[near] if near else None


def _is_estimator_name(owner: str | None) -> bool:
    from ..knowledge.symbols import library_of_symbol

    return bool(owner) and library_of_symbol(owner) == "sklearn"
