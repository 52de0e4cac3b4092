"""Where a frame's code lives: a file path to its module and library (site-packages, the
standard library, the user's cells and files), and a file name to its kind of frame."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable

from ...knowledge.libraries import LIBRARY_ALIASES, WELL_KNOWN_LIBRARIES
from ...knowledge.modules import STDLIB_MODULES
from .model import Frame

_PACKAGES_DIR = re.compile(r"/(?:site|dist)-packages/(.+)$", re.IGNORECASE)
_STDLIB_DIR = re.compile(r"/lib(?:64)?/python\d+(?:\.\d+)?t?/(.+)$", re.IGNORECASE)
_WINDOWS_STDLIB_DIR = re.compile(r"(?:^|/)lib/(.+)$", re.IGNORECASE)
_MODULE_SUFFIX = re.compile(r"\.(?:py|pyc|pyx|pxi|pxd|pyd|so|c|cpp)$", re.IGNORECASE)
_COMPILED_SUFFIX = re.compile(r"\.(?:pyx|pxi|pxd|pyd|so)$", re.IGNORECASE)
_KNOWN_LIBRARY_DIR = re.compile(
    r"/((?:%s)/.+\.(?:py|pyx|pxi))$" % "|".join(WELL_KNOWN_LIBRARIES)
)


def _dotted_module(relative_path: str) -> str | None:
    """'pandas/core/frame.py' -> 'pandas.core.frame'; None if not importable names."""
    parts = [p for p in relative_path.split("/") if p]
    if parts and parts[0].lower().endswith((".egg", ".whl")):
        parts = parts[1:]  # zipped or egg installs keep the package one level down
    if not parts:
        return None
    stem = _MODULE_SUFFIX.sub("", parts[-1]).split(".")[0]  # drop '.cpython-310-x86_64...' too
    names = parts[:-1] + ([] if stem == "__init__" else [stem])
    dotted: list[str] = []
    for name in names:
        if not name.isidentifier():
            break
        dotted.append(name)
    return ".".join(dotted) or None


def library_of_module(module: str) -> str:
    top = module.split(".")[0]
    return LIBRARY_ALIASES.get(top, top)


@lru_cache(maxsize=4096)
def library_of_path(path: str) -> tuple[str | None, str | None, bool]:
    """``(library, module, is_stdlib)`` for a file path as a traceback shows it.

    ``/opt/conda/lib/python3.7/site-packages/pandas/core/frame.py`` gives
    ``('pandas', 'pandas.core.frame', False)``; ``C:\\Python38\\lib\\json\\decoder.py``
    gives ``('json', 'json.decoder', True)``; a notebook cell or a user's script
    gives ``(None, None, False)``. Never raises.
    """
    try:
        return _library_of_path(path)
    except Exception:  # noqa: BLE001 - untrusted text
        return None, None, False


def _looks_windows(path: str) -> bool:
    """Windows installs keep the stdlib in '...\\Lib\\json', with no version folder."""
    return "\\" in path or bool(re.match(r"^[A-Za-z]:", path))


def _library_of_path(path: str) -> tuple[str | None, str | None, bool]:
    p = str(path).strip().replace("\\", "/")
    match = _PACKAGES_DIR.search(p)
    if match:
        module = _dotted_module(match.group(1))
        return (library_of_module(module), module, False) if module else (None, None, False)
    match = _STDLIB_DIR.search(p)
    if match:
        rest = match.group(1)
        if rest.startswith("lib-dynload/"):
            rest = rest[len("lib-dynload/"):]
        module = _dotted_module(rest)
        return (module.split(".")[0], module, True) if module else (None, None, True)
    match = _WINDOWS_STDLIB_DIR.search(p) if _looks_windows(path) else None
    if match:
        module = _dotted_module(match.group(1))
        if module and module.split(".")[0] in STDLIB_MODULES:
            return module.split(".")[0], module, True
    match = _KNOWN_LIBRARY_DIR.search(p)
    if match:  # a source checkout or a cloned repository of a well-known library
        module = _dotted_module(match.group(1))
        if module:
            return library_of_module(module), module, False
    if _COMPILED_SUFFIX.search(p) and "/" in p and not p.startswith(("/", "~")):
        # Cython sources shown relative to their package: 'pandas/_libs/lib.pyx'
        module = _dotted_module(p)
        if module:
            return library_of_module(module), module, False
    return None, None, False


# --------------------------------------------------------------------------
# File names to frame kinds

_CELL_PATTERNS = (
    re.compile(r"^<ipython-input-(\d+)-[0-9a-f]*>$"),
    re.compile(r"^(?:Cell )?In ?\[(\d+)\]$"),
    re.compile(r"^Input In ?\[(\d+)\]$"),
    re.compile(r"(?:^|[/\\])ipython-input-(\d+)-\d+\.py$"),  # Colab since 2024
    re.compile(r"(?:^|[/\\])ipython-input-\d+\.py$"),
    re.compile(r"(?:^|[/\\])ipykernel_\d+[/\\]\d+\.py$"),
    re.compile(r"(?:^|[/\\])xpython_\d+[/\\]\d+\.py$"),
    re.compile(r"^<timed (?:exec|eval)>$"),
    re.compile(r"^<command-\d+>$"),
    re.compile(r"\.ipynb Cell \d+"),  # VS Code: 'nb.ipynb Cell 33' in <module>'

)
_PSEUDO_LIBRARY_FILES = {"<__array_function__ internals>": "numpy"}
_FROZEN = re.compile(r"^<frozen ([\w.]+)>$")
_USER_PSEUDO_FILES = {"<stdin>"}


@dataclass(frozen=True, slots=True)
class _FileKind:
    library: str | None
    module: str | None
    is_stdlib: bool
    is_user: bool
    is_cell: bool
    execution_count: int | None
    compiled: bool = False  # a Cython/extension file: its frames name dotted functions


@lru_cache(maxsize=4096)
def _file_kind(filename: str) -> _FileKind:
    for pattern in _CELL_PATTERNS:
        match = pattern.search(filename)
        if match:
            count = int(match.group(1)) if pattern.groups else None
            return _FileKind(None, None, False, True, True, count)
    if filename.startswith("<") and filename.endswith(">"):
        frozen = _FROZEN.match(filename)
        if frozen:
            module = frozen.group(1)
            return _FileKind(module.split(".")[0], module, True, False, False, None)
        library = _PSEUDO_LIBRARY_FILES.get(filename)
        return _FileKind(library, None, False, filename in _USER_PSEUDO_FILES, False, None)
    library, module, is_stdlib = library_of_path(filename)
    is_user = library is None and not is_stdlib
    compiled = bool(_COMPILED_SUFFIX.search(filename))
    return _FileKind(library, module, is_stdlib, is_user, False, None, compiled)


def make_frame(
    filename: str,
    function: str | None,
    lineno: int | None,
    line: str | None,
    context: Iterable[str],
    execution_count: int | None = None,
    path: str | None = None,
) -> Frame:
    kind = _file_kind(filename)
    library, module = kind.library, kind.module
    if kind.compiled and function and "." in function:
        library, module, function = _compiled_names(filename, function, library, module)
        kind = replace(kind, is_user=library is None and kind.is_user)
    return Frame(
        filename=filename,
        module=module,
        library=library,
        function=function,
        lineno=lineno,
        line=line,
        context=tuple(context),
        is_user=kind.is_user,
        is_cell=kind.is_cell,
        is_stdlib=kind.is_stdlib,
        execution_count=execution_count if execution_count is not None else kind.execution_count,
        path=path,
    )


def _compiled_names(
    filename: str, function: str, library: str | None, module: str | None
) -> tuple[str | None, str | None, str]:
    """Cython frames show the dotted function: 'pandas._libs.index.IndexEngine.get_loc'."""
    stem = re.split(r"[/\\]", filename)[-1].split(".")[0]
    parts = function.split(".")
    if module is None and stem in parts[:-1]:
        module = ".".join(parts[: parts.index(stem) + 1])
        library = library_of_module(module)
    if module and function.startswith(module + "."):
        function = function[len(module) + 1:]
    return library, module, function
