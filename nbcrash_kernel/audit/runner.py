"""Audit many notebooks: in parallel worker processes, with a progress bar on a terminal."""
from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator

from .discover import STDIN, discover
from .load import STDIN_NAME
from .report import AuditResult, NotebookReport

# Small notebooks are many: send them to workers in batches to amortise the round trips.
CHUNK_SIZE = 8
# Allocations between two young-generation collections while auditing (CPython's default: 700).
# A notebook's parsed JSON dies by reference counting; cycles are rare, so collections can be too.
BATCH_GC_THRESHOLD = 200_000


@contextmanager
def batch_gc() -> Iterator[None]:
    """Fewer garbage-collector passes while auditing many notebooks; restored after.

    A parsed notebook is thousands of small dicts and lists that die together;
    with the default thresholds the collector ran ~700 times over the corpus and
    its full passes re-scanned every live object (modules, caches): about 15% of
    the audit's CPU. Objects alive on entry are frozen out of those passes.
    """
    threshold, frozen_by_others = gc.get_threshold(), gc.get_freeze_count()
    gc.freeze()
    gc.set_threshold(BATCH_GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if not frozen_by_others:  # never thaw what the host application froze
            gc.unfreeze()


def _start_worker() -> None:
    """Worker processes audit until they exit: tune their collector once."""
    gc.freeze()
    gc.set_threshold(BATCH_GC_THRESHOLD, *gc.get_threshold()[1:])


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def show_progress(stream=None) -> bool:
    """A progress bar only on a terminal, and never in CI."""
    stream = stream if stream is not None else sys.stderr
    if os.environ.get("CI"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def audit_paths(paths: list[str], jobs: int | None = None, include_hidden: bool = False,
                progress: bool | None = None, stdin: bytes | None = None,
                reexecute: Callable[[NotebookReport], None] | None = None,
                cache: str | None = None) -> AuditResult:
    """Discover the notebooks under ``paths`` and audit each; never raises on bad files.

    ``stdin``: the bytes to audit for the path ``-`` (read from standard input when None).
    ``reexecute``: called on every audited report, in this process, after the static audit.
    ``cache``: a folder of ``audit.cache`` (``cache_dir()``): reports of unchanged files are read there.
    """
    found = discover(paths, include_hidden=include_hidden)
    reports = [NotebookReport(path=path, error=f"{path}: {reason}").clean() for path, reason in found.errors]
    files = [f for f in found.files if f != STDIN]
    with batch_gc():
        if STDIN in found.files:
            data = stdin if stdin is not None else sys.stdin.buffer.read()
            from .notebook import audit_notebook

            reports.append(audit_notebook(STDIN_NAME, data))
        progress = show_progress() if progress is None else progress
        audited = _audit_files(files, jobs or default_jobs(), cache)
        reports.extend(_with_progress(audited, len(files), progress))
    if reexecute is not None:
        for report in reports:
            if report.error is None:
                reexecute(report)
                report.clean()
    from ..record.safe_text import clean_text

    # Every report is clean already (audit_notebook cleans its own): only the paths are left.
    for report in reports:
        report.path = clean_text(report.path)
    return AuditResult(reports, skipped=[(clean_text(path), clean_text(why)) for path, why in found.skipped])


def _audit_files(files: list[str], jobs: int, cache: str | None = None) -> Iterator[NotebookReport]:
    if cache is None:
        from .notebook import audit_notebook

        yield from _audit_all(files, jobs, audit_notebook)
        return
    from functools import partial

    from .cache import audit_cached, forget, save

    forget(cache)  # read the packs afresh: another run may have written some
    entries: dict[str, str] = {}
    audit = partial(audit_cached, cache)
    # Here, while the reports come from the cache: a warm run needs no workers (nor the modules
    # they would need). From the first notebook audited, the rest goes to the workers as usual.
    done = 0
    while done < len(files):
        report, entry = audit(files[done])
        done += 1
        yield report
        if entry is not None:
            entries[entry[0]] = entry[1]
            break
    for report, entry in _audit_all(files[done:], jobs, audit, first_here=not entries):
        if entry is not None:
            entries[entry[0]] = entry[1]
        yield report
    save(cache, entries)
    forget(cache)


def _audit_all(files: list[str], jobs: int, audit: Callable[[str], Any], first_here: bool = True
               ) -> Iterator[Any]:
    """``audit(file)`` of each file, in order: in worker processes unless there are few.

    ``first_here``: audit the first file in this process before forking (False: one was just audited).
    """
    if jobs <= 1 or len(files) < 2 * CHUNK_SIZE:
        yield from (audit(f) for f in files)
        return
    from concurrent.futures import ProcessPoolExecutor  # a single notebook needs no pool
    from concurrent.futures.process import BrokenProcessPool

    # This process audits the first notebook itself and imports the modules only some cells
    # need: they are imported once, before forking, and the forked workers share them
    # instead of each importing them again.
    done = 0
    if first_here:
        yield audit(files[0])
        done = 1
    _preload()
    start = done
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(files)), initializer=_start_worker) as pool:
            for report in pool.map(audit, files[start:], chunksize=CHUNK_SIZE):
                done += 1
                yield report
    except BrokenProcessPool:
        # A worker died (out of memory, a crash in C code): finish here, one file at a time,
        # so the file that killed it is reported instead of the whole audit stopping.
        yield from (audit(f) for f in files[done:])


# Imported lazily by an audit, for some cells only: unicodedata (CPython's parser imports it at
# the first non-ASCII identifier), pkgutil (advice on a missing module); and IPython's transformer
# (cells with magics), loaded by ``facts.cells.ipython_transformer``.
PRELOADED = ("nbcrash_kernel.facts.inference", "nbcrash_kernel.facts.cell_code",
             "nbcrash_kernel.facts.cells.ipython_transformer", "unicodedata", "pkgutil")


def _preload() -> None:
    import importlib

    for name in PRELOADED:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a worker will import (or fail) on its own
            pass
    try:
        from ..facts.cells.ipython_transformer import transformer_manager_class

        transformer_manager_class()
    except Exception:  # noqa: BLE001 - as above
        pass


def _with_progress(reports: Iterable[NotebookReport], total: int, enabled: bool
                   ) -> Iterator[NotebookReport]:
    if not enabled or total == 0:
        yield from reports
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="nb", desc="nbcrash audit", file=sys.stderr, leave=False) as bar:
        for report in reports:
            bar.update(1)
            yield report
