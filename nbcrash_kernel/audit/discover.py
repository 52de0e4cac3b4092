"""Which files an audit reads: paths, directories, globs and ``-`` for stdin.

Directories are walked recursively; ``.ipynb_checkpoints`` and hidden folders
are skipped unless asked. Symlinked directories are followed once (a loop is
cut where it closes); a path that cannot be resolved becomes a per-path error
instead of stopping the audit.
"""
from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field

STDIN = "-"
NOTEBOOK_SUFFIX = ".ipynb"
GLOB_CHARS = frozenset("*?[")


@dataclass
class Discovery:
    """The files to audit, in a stable order, and the paths that could not be used."""

    files: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)   # notebooks left out, and why

    def add_file(self, path: str, seen: set[str]) -> None:
        if path not in seen:
            seen.add(path)
            self.files.append(path)


def discover(paths: list[str], include_hidden: bool = False) -> Discovery:
    """Expand ``paths`` (files, directories, globs, ``-``) into notebook files.

    A file named explicitly is audited whatever its suffix; inside directories
    only ``*.ipynb`` files are taken. A directory named ``*.ipynb`` is listed
    as a file, so that loading it reports it instead of skipping it silently.
    """
    found = Discovery()
    seen: set[str] = set()
    for raw in paths:
        if raw == STDIN:
            found.add_file(STDIN, seen)
        elif _is_glob(raw) and not os.path.lexists(raw):
            _expand_glob(raw, include_hidden, found, seen)
        else:
            _expand_path(raw, include_hidden, found, seen, explicit=True)
    return found


def is_notebook_name(name: str) -> bool:
    """``*.ipynb``, in any case (``UPPER.IPYNB`` is a notebook on case-insensitive systems too)."""
    return name.rstrip("/").lower().endswith(NOTEBOOK_SUFFIX)


def _is_glob(path: str) -> bool:
    return any(ch in GLOB_CHARS for ch in path)


def _expand_glob(pattern: str, include_hidden: bool, found: Discovery, seen: set[str]) -> None:
    matches = sorted(glob.glob(pattern, recursive=True, include_hidden=include_hidden)
                     if _glob_has_hidden_flag() else glob.glob(pattern, recursive=True))
    if not matches:
        found.errors.append((pattern, "no file matches this pattern"))
    for match in matches:
        _expand_path(match, include_hidden, found, seen, explicit=False)


def _glob_has_hidden_flag() -> bool:
    import sys

    return sys.version_info >= (3, 11)


def _expand_path(path: str, include_hidden: bool, found: Discovery, seen: set[str],
                 explicit: bool) -> None:
    try:
        is_dir = os.path.isdir(path)
        os.stat(path)
    except OSError as exc:
        found.errors.append((path, _describe_os_error(path, exc)))
        return
    if is_dir and not is_notebook_name(path):
        _walk(path, include_hidden, found, seen)
    elif explicit or is_notebook_name(path):
        found.add_file(path, seen)


def _walk(root: str, include_hidden: bool, found: Discovery, seen: set[str]) -> None:
    visited: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=None):
        key = _dir_key(dirpath)
        if key is None or key in visited:
            dirnames[:] = []  # a symlink loop closes here, or the folder vanished
            continue
        visited.add(key)
        kept = sorted(d for d in dirnames if _keep_dir(d, include_hidden))
        # A folder named like a notebook is taken as one, so the report says it is unreadable.
        dirnames[:] = [d for d in kept if not is_notebook_name(d)]
        filenames = filenames + [d for d in kept if is_notebook_name(d)]
        for name in sorted(filenames):
            if not is_notebook_name(name):
                continue
            if include_hidden or not name.startswith("."):
                _add_walked_file(os.path.join(dirpath, name), found, seen)
            else:
                found.skipped.append((os.path.join(dirpath, name), "hidden notebook (--include-hidden audits it)"))


def _add_walked_file(path: str, found: Discovery, seen: set[str]) -> None:
    try:
        os.stat(path)
    except OSError as exc:
        found.errors.append((path, _describe_os_error(path, exc)))
        return
    found.add_file(path, seen)


def _dir_key(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _keep_dir(name: str, include_hidden: bool) -> bool:
    # .ipynb_checkpoints is hidden too: it holds autosaved copies, never the notebook itself
    return include_hidden or not name.startswith(".")


def _describe_os_error(path: str, exc: OSError) -> str:
    import errno

    if exc.errno == errno.ELOOP:
        return "symbolic link loop: the path never resolves to a file"
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return "broken symbolic link: its target does not exist"
        return "no such file or directory"
    if exc.errno == errno.EACCES:
        return "permission denied"
    return exc.strerror or str(exc)
