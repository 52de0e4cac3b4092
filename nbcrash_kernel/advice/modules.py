"""ModuleNotFoundError and ImportError: the module or name that was meant, and install last.

Facts used:
- ``importlib.util.find_spec`` tells whether a module is importable here; a module
  that is importable or part of the standard library (``sys.stdlib_module_names``)
  is never something to pip-install.
- ``pkgutil.iter_modules()`` lists the top-level modules importable from ``sys.path``:
  the installed packages' import names.
- "No module named 'os.pathh'; 'os' is not a package" is CPython's message when the
  parent is a plain module (``Lib/importlib/_bootstrap.py``, ``_find_and_load_unlocked``).
- Python 3 renamed or merged these Python 2 modules (PEP 3108): their old names.
- A module that a library renamed (``sklearn.cross_validation``) is one fix, from
  ``knowledge.api_changes``.
- "cannot import name 'x' from partially initialized module 'm' (most likely due to a
  circular import)" (``Lib/importlib/_bootstrap.py``): often a user file named like the module.
- 3.12+ suggests the closest name for ``from X import y`` (``name_from``); the
  module's ``dir()`` gives the same candidates here.
"""
from __future__ import annotations

import functools
import re

from ..knowledge.api_changes import find_change
from ..knowledge.modules import STDLIB_MODULES, pip_name
from .evidence import Advice, Evidence, safe_dir
from .similar import closest, suggestion_in_text

_NO_MODULE = re.compile(r"No module named '([\w.]+)'")
_CANNOT_IMPORT = re.compile(r"cannot import name '(\w+)' from (?:partially initialized module )?'([\w.]+)'")

# PEP 3108 and the Python 3 porting notes: Python 2 module -> Python 3 home.
PYTHON2_MODULES = {
    "Tkinter": "tkinter", "tkMessageBox": "tkinter.messagebox", "ttk": "tkinter.ttk",
    "ConfigParser": "configparser", "Queue": "queue", "SocketServer": "socketserver",
    "cPickle": "pickle", "cStringIO": "io", "StringIO": "io", "urllib2": "urllib.request",
    "urlparse": "urllib.parse", "httplib": "http.client", "HTMLParser": "html.parser",
    "BaseHTTPServer": "http.server", "SimpleHTTPServer": "http.server", "Cookie": "http.cookies",
    "cookielib": "http.cookiejar", "__builtin__": "builtins", "commands": "subprocess",
    "thread": "_thread", "copy_reg": "copyreg", "repr": "reprlib", "xmlrpclib": "xmlrpc.client",
    "dbm": "dbm", "anydbm": "dbm", "htmlentitydefs": "html.entities", "md5": "hashlib", "sha": "hashlib",
}


@functools.lru_cache(maxsize=512)
def importable(module: str) -> bool:
    """``module`` can be imported in this interpreter; found without importing anything.

    ``find_spec('a.b')`` would import ``a``: a dotted name is looked up in its
    parent's ``__path__`` (or, for a parent not imported yet, its spec's search locations).
    """
    if not module:
        return False
    parent, _, leaf = module.rpartition(".")
    if not parent:
        import importlib.util

        try:
            return importlib.util.find_spec(module) is not None
        except (ImportError, ValueError, AttributeError):
            return False
    return leaf in child_modules(parent)


@functools.lru_cache(maxsize=256)
def child_modules(parent: str) -> frozenset[str]:
    """Submodules of ``parent`` (and, when it is imported, its module-valued attributes), without importing it."""
    import pkgutil
    import sys
    import types

    loaded = sys.modules.get(parent)
    names: list[str] = []
    if loaded is not None:
        # vars(), not getattr(): a module's __getattr__ may import lazily (numpy does)
        names = [n for n, v in list(vars(loaded).items()) if isinstance(v, types.ModuleType)]
        locations = getattr(loaded, "__path__", None)
    else:
        locations = _search_locations(parent)
    try:
        names.extend(info.name for info in pkgutil.iter_modules(list(locations or [])))
    except (OSError, TypeError):
        pass
    return frozenset(names)


def _search_locations(dotted: str) -> list[str]:
    import importlib.util
    import os

    top, *rest = dotted.split(".")
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError, AttributeError):
        return []
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for part in rest:
        locations = [os.path.join(loc, part) for loc in locations if os.path.isdir(os.path.join(loc, part))]
    return locations


def never_install(module: str, here: bool = True) -> bool:
    """Installing ``module`` with pip would be wrong: it is stdlib, or (``here``: the kernel is this
    interpreter) already importable. A saved record comes from another environment, where only the
    standard library is known to be there."""
    top = module.split(".")[0]
    if top in STDLIB_MODULES or top in PYTHON2_MODULES or top.lower() in STDLIB_MODULES:
        return True
    return here and importable(top)


@functools.lru_cache(maxsize=1)
def installed_top_names() -> tuple[str, ...]:
    """The top-level modules importable from ``sys.path`` (``pkgutil.iter_modules``: a directory
    listing, several times faster than reading every distribution's metadata)."""
    import pkgutil

    try:
        return tuple(sorted({info.name for info in pkgutil.iter_modules()}))
    except Exception:  # noqa: BLE001 - an unreadable path entry must not break the card
        return ()


def advise_missing_module(evidence: Evidence) -> Advice | None:
    match = _NO_MODULE.search(evidence.evalue)
    module = getattr(evidence.exc, "name", None) or (match.group(1) if match else None)
    if not module:
        return None
    return module_advice(module, live=evidence.is_live)


def module_advice(module: str, live: bool = True) -> Advice:
    """The one fix for a module that cannot be imported: its new name, the module meant, or
    (only when it is neither stdlib nor importable here) the pip install line."""
    advice = Advice()
    renamed = _renamed(module)
    if renamed is not None:
        advice.fixes.append(f"`{module}` was renamed in {renamed.version}: import from `{renamed.new}` instead.")
        advice.not_installable.add(module)
        advice.verdict = f"`{module}` no longer exists: {renamed.version} moved it to `{renamed.new}`."
        advice.supersedes = ("Replace `",)
        return advice
    meant = _meant_module(module)
    if meant:
        advice.fixes.append(f"Did you mean `import {meant}`? (`{module}` does not exist; `{meant}` is "
                            f"{'in the standard library' if meant.split('.')[0] in STDLIB_MODULES else 'installed'}).")
        advice.not_installable.add(module)
        advice.root_cause = ("IMPL", "typo")
        advice.verdict = f"There is no module `{module}`; the module meant is most likely `{meant}`."
        return advice
    if never_install(module, here=live):
        advice.not_installable.add(module)
        return advice
    advice.fixes.append(f"Install it into this kernel: `%pip install {pip_name(module)}`, then restart the kernel.")
    return advice


def _renamed(module: str):
    parts = module.split(".")
    if len(parts) < 2:
        return None
    return (find_change(".".join(parts[1:]), parts[0], kind="module")
            or find_change(parts[1], parts[0], kind="module"))


def _meant_module(module: str) -> str | None:
    """The real module a missing one stands for: Python 2 names, stdlib and installed typos, submodules."""
    if module in PYTHON2_MODULES:
        return PYTHON2_MODULES[module]
    parent, _, leaf = module.rpartition(".")
    if parent:
        if not importable(parent.split(".")[0]):
            meant_parent = _meant_module(parent)
            return f"{meant_parent}.{leaf}" if meant_parent else None
        near = one_slip(leaf, _submodules(parent))
        return f"{parent}.{near}" if near else None
    near = one_slip(module, sorted(STDLIB_MODULES - {"__future__"})) or one_slip(module, installed_top_names())
    return near if near and not near.startswith("_") else None


def one_slip(name: str, modules) -> str | None:
    """A module that ``name`` mistypes by case, one missing or extra letter, or two swapped letters.

    Stricter than the did-you-mean for names: a missing module is far more often a real
    package that is not installed (``lime``, ``umap``, ``pydot``) than a typo of one that
    is (``time``, ``mmap``, ``pydoc``), so one changed letter is not taken as a typo.
    """
    from .similar import extended

    folded = name.casefold()
    for module in modules:
        if module.casefold() == folded and module != name:
            return module
    if len(name) < 5:
        return None
    for module in modules:
        if abs(len(module) - len(name)) == 1 and _one_letter_apart(folded, module.casefold()):
            return module
    swapped = extended(name, [m for m in modules if len(m) == len(name)])
    return swapped if swapped and len(swapped) == len(name) else None


def _one_letter_apart(a: str, b: str) -> bool:
    """Whether deleting one letter of the longer string gives the shorter (their lengths differ by one).

    The same answer as ``distance(a, b, 2) == 2`` (one insertion costs 2) in linear time: this runs
    over every installed module name.
    """
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return long[i + 1:] == short[i:]


def _submodules(parent: str) -> list[str]:
    return sorted(child_modules(parent))


def advise_import_name(evidence: Evidence) -> Advice | None:
    """``from X import y`` where X has no ``y``: its closest member, or the API change."""
    match = _CANNOT_IMPORT.search(evidence.evalue)
    if not match:
        return None
    member, module = match.groups()
    advice = Advice()
    if "partially initialized module" in evidence.evalue:
        advice.fixes.append(f"`{module}` is being imported while it imports itself: if you have a file named "
                            f"`{module.split('.')[0]}.py`, rename it; otherwise move the import inside the function.")
        advice.verdict = f"A circular import: `{module}` was imported again while it was still being imported."
        advice.root_cause = ("IMPL", "wrong implementation")
        return advice
    change = find_change(member, module.split(".")[0])
    if change is not None:
        advice.fixes.append(f"`{member}` was removed or renamed in {change.version}: use {change.new}.")
    floor = suggestion_in_text(evidence.traceback_text) or suggestion_in_text(evidence.evalue)
    near = floor or closest(member, _members(module))
    if near:
        advice.fixes.insert(0, f"Did you mean `from {module} import {near}`?")
        advice.verdict = f"`{module}` has no `{member}`; the name meant is most likely `{near}`."
        advice.root_cause = ("IMPL", "typo")
    elif change is None and importable(module.split(".")[0]):
        advice.fixes.append(f"`{module}` has no `{member}` in this version: check `dir({module})` or its "
                            "documentation for the new name.")
    advice.not_installable.add(module)
    return advice


def _members(module: str) -> list[str]:
    import sys

    loaded = sys.modules.get(module)
    if loaded is None and module.split(".")[0] in STDLIB_MODULES | set(sys.modules):
        import importlib

        try:
            loaded = importlib.import_module(module)
        except Exception:  # noqa: BLE001
            return []
    names = safe_dir(loaded) if loaded is not None else []
    return [n for n in names if not n.startswith("_")]
