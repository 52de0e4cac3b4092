"""The on-disk cache of audit reports, like ruff's ``.ruff_cache``: a notebook whose bytes did not
change since the last audit is not audited again.

Where: ``.nbcrash_cache`` in the current directory (``--cache-dir`` or ``NBCRASH_CACHE_DIR``
elsewhere; ``--no-cache`` or ``NBCRASH_NO_CACHE=1`` for none). It holds one folder per
*namespace*, and in it *packs*: each run that audited anything writes one file of its new
entries (one file, not one per notebook: creating files is most of what writing costs), and a
run that finds ``MAX_PACKS`` of them merges them into one.

Correctness: an entry is found only under the same

- file path and SHA-256 of the file's bytes (the entry's name hashes both: the report names
  its path), and
- namespace: nbcrash's version and the size and modification time of every ``.py`` file of
  this nbcrash package (an edited source tree is a new namespace), the Python version, and the names importable from
  ``sys.path`` (the advice on a missing module says what is installed: installing or upgrading
  a package, whose ``dist-info`` names its version, is a new namespace).

Safe under concurrent runs: a pack is written to a temporary file and renamed (atomic), so a
reader sees a whole pack or none; packs are never rewritten, only removed once merged into a new
one, and a pack that vanished or cannot be decoded, like an entry that cannot, is a miss. A cache
that cannot be written is skipped silently. Packs are JSON (a cache folder may come with a cloned
repository: unlike ``marshal`` or ``pickle``, whose documentation warns against untrusted data,
reading JSON can do nothing but fail); a report that JSON would not give back exactly (a tuple,
a non-string key) is not cached. Entries are never dropped: ``rm -rf .nbcrash_cache``
empties the cache.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from .load import LoadError, read_bytes
from .report import NotebookReport

DEFAULT_DIR = ".nbcrash_cache"
ENV_DIR = "NBCRASH_CACHE_DIR"
ENV_OFF = "NBCRASH_NO_CACHE"
# A file name importable from a sys.path entry, or naming an installed distribution's version.
_IMPORTABLE_SUFFIXES = (".py", ".pyc", ".so", ".pyd", ".pth", ".dist-info", ".egg-info", ".egg-link", ".egg")
# What an entry keeps of a report: every field but the path (the key has it) and the re-execution
# (a run's, never cached), so a field added to the report is cached with the others.
_FIELDS = tuple(f.name for f in dataclasses.fields(NotebookReport) if f.name not in ("path", "reexecution"))


def cache_dir(no_cache: bool = False, directory: str | None = None) -> str | None:
    """The cache folder to use (created), or None: caching is off or the folder cannot be made."""
    if no_cache or os.environ.get(ENV_OFF, "") not in ("", "0"):
        return None
    root = Path(directory or os.environ.get(ENV_DIR) or DEFAULT_DIR)
    try:
        root.mkdir(parents=True, exist_ok=True)
        _write_once(root / ".gitignore", b"# Created by nbcrash audit.\n*\n")
        _write_once(root / "CACHEDIR.TAG", b"Signature: 8a477f597d28d172789f06886806bc55\n"
                                           b"# nbcrash audit's cache: see https://bford.info/cachedir/\n")
        # After creating the folder: it may sit in a sys.path entry whose listing is hashed.
        folder = root / namespace()
        folder.mkdir(exist_ok=True)
    except OSError:
        return None
    return str(folder)


def namespace(package: Path | None = None) -> str:
    """The hash of everything besides a notebook's bytes and path that its report depends on.

    ``package``: the nbcrash package folder whose files are hashed (default: this one).
    """
    from .. import _version

    version = _version.__version__
    digest = hashlib.sha256()
    for part in (version, sys.version, sys.implementation.cache_tag, "json-1"):
        digest.update(part.encode() + b"\0")
    package = package or Path(__file__).resolve().parents[1]
    # The code (not the bytecode, nor the built lab extension), by size and modification time, as
    # Python's own bytecode cache checks its sources (reading them all cost 6 ms a run).
    for folder, folders, files in os.walk(package):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            try:
                status = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            digest.update(f"{os.path.relpath(folder, package)}/{name}\0{status.st_size}\0"
                          f"{status.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
    for entry in sys.path:
        digest.update(b"\1" + entry.encode("utf-8", "surrogateescape") + b"\0")
        try:
            names = sorted(n for n in os.listdir(entry or ".")
                           if not n.startswith(".") and ("." not in n or n.endswith(_IMPORTABLE_SUFFIXES)))
        except OSError:
            continue
        digest.update("\0".join(names).encode("utf-8", "surrogateescape"))
    return f"v{version}-{digest.hexdigest()[:32]}"


def audit_cached(folder: str, path: str) -> tuple[NotebookReport, tuple[str, str] | None]:
    """``audit_notebook(path)``, from the cache ``folder`` when the same bytes were audited there;
    and the new entry to store, when it was audited (see ``save``)."""
    data = read_bytes(path)
    if not isinstance(data, LoadError):
        key = _entry_name(path, data)
        report = _decode(_index(folder).get(key), path)
        if report is not None:
            return report, None
    from .notebook import audit_notebook  # the analysis: imported only when something is audited

    if isinstance(data, LoadError):
        return audit_notebook(path), None  # the report says why it cannot be read: nothing to cache
    report = audit_notebook(path, data)
    return report, _encode(key, report)


def save(folder: str, entries: dict[str, str]) -> None:
    """Store the new entries of a run in one pack file (merging the packs when they pile up)."""
    if not entries:
        return
    packs = _packs(folder)
    if len(packs) >= MAX_PACKS:  # merge: one pack to read instead of many
        merged = dict(_index(folder))
        merged.update(entries)
        if _write_pack(folder, merged):
            for pack in packs:
                _unlink(os.path.join(folder, pack))
        return
    _write_pack(folder, entries)


# A run that audits anything writes one pack; past this many, the next run merges them.
MAX_PACKS = 8
_INDEXES: dict[str, dict[str, str]] = {}  # per folder, read once per process (forked workers inherit it)


def forget(folder: str) -> None:
    """Drop this process's copy of the folder's entries (read again at the next lookup)."""
    _INDEXES.pop(folder, None)


def _index(folder: str) -> dict[str, str]:
    index = _INDEXES.get(folder)
    if index is None:
        index = {}
        for pack in _packs(folder):
            try:
                with open(os.path.join(folder, pack), "rb") as handle:
                    entries = json.loads(handle.read())
            except (OSError, ValueError, RecursionError):
                continue  # removed by a concurrent merge, or damaged: its notebooks are audited again
            if isinstance(entries, dict):
                index.update(entries)
        _INDEXES[folder] = index
    return index


def _packs(folder: str) -> list[str]:
    try:
        return sorted(name for name in os.listdir(folder) if name.endswith(".pack"))
    except OSError:
        return []


def _write_pack(folder: str, entries: dict[str, str]) -> bool:
    import time

    name = f"{time.time_ns():020d}-{os.getpid()}-{os.urandom(4).hex()}.pack"
    return _atomic_write(os.path.join(folder, name), json.dumps(entries).encode())


def _entry_name(path: str, data: bytes) -> str:
    digest = hashlib.sha256(hashlib.sha256(data).digest())
    digest.update(path.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _decode(blob: str | None, path: str) -> NotebookReport | None:
    if not isinstance(blob, str):
        return None
    try:
        values = json.loads(blob)
    except (ValueError, RecursionError):
        return None
    if not (isinstance(values, list) and len(values) == len(_FIELDS) + 1 and values[0] == path):
        return None
    return NotebookReport(path, **dict(zip(_FIELDS, values[1:])))


def _encode(key: str, report: NotebookReport) -> tuple[str, str] | None:
    if report.reexecution is not None or ": internal error: " in (report.error or ""):
        return None  # an internal error may be transient (out of memory): audit again next time
    values = [report.path, *(getattr(report, name) for name in _FIELDS)]
    try:
        blob = json.dumps(values)
    except (TypeError, ValueError):  # not plain data: audit it again next time
        return None
    return (key, blob) if _exact(json.loads(blob), values) else None


def _exact(decoded: Any, value: Any) -> bool:
    """Whether JSON gave ``value`` back exactly: same types (no tuple turned list, no int key turned str)."""
    if type(decoded) is not type(value):
        return False
    if isinstance(value, dict):
        return decoded.keys() == value.keys() and all(_exact(decoded[k], value[k]) for k in value)
    if isinstance(value, list):
        return len(decoded) == len(value) and all(map(_exact, decoded, value))
    return decoded == value or (value != value and decoded != decoded)  # NaN


def _write_once(path: Path, data: bytes) -> None:
    if not path.exists():
        _atomic_write(str(path), data)


def _atomic_write(path: str, data: bytes) -> bool:
    temporary = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        _unlink(temporary)
        return False
    return True


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
