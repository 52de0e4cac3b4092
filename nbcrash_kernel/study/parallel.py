"""Map a function over items locally (``--jobs N``) or on Dask (``--dask``), order preserved.

Items are processed in batches so that a worker gets enough work per task; the function must
be a module-level function (picklable). A progress bar shows on a terminal only.
"""
from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from .batch import apply_batch, split_batches


@dataclass(frozen=True)
class Executor:
    """Where a step's per-item work runs: ``jobs`` local processes, or a Dask scheduler."""

    jobs: int = 1
    dask: str | None = None
    progress: bool | None = None  # None: only when stderr is a terminal


def _progress(total: int, desc: str, enabled: bool | None):
    from tqdm import tqdm

    show = sys.stderr.isatty() if enabled is None else enabled
    return tqdm(total=total, desc=desc, unit="item", disable=not show, leave=False)


def map_items(func: Callable[[Any], Any], items: Sequence[Any], executor: Executor | None = None,
              desc: str = "", batch_size: int | None = None) -> list[Any]:
    """``[func(item) for item in items]``, spread over the executor's workers."""
    executor = executor or Executor()
    items = list(items)
    workers = max(1, executor.jobs)
    size = batch_size or max(1, min(256, len(items) // (workers * 4) or 1))
    batches = list(split_batches(items, size))
    with _progress(len(items), desc, executor.progress) as bar:
        if executor.dask:
            from .dask_backend import map_batches_on_dask

            return map_batches_on_dask(func, batches, executor.dask, bar.update)
        if workers == 1 or len(batches) == 1:
            out: list[Any] = []
            for batch in batches:
                out.extend(apply_batch(func, batch))
                bar.update(len(batch))
            return out
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(apply_batch, func, batch) for batch in batches]
            out = []
            for future, batch in zip(futures, batches):
                out.extend(future.result())
                bar.update(len(batch))
            return out
