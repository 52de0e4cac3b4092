"""A batch: the unit of a step's work shipped to a worker, local process or Dask alike."""
from __future__ import annotations

from typing import Any, Callable, Iterator, Sequence


def split_batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """``items`` in consecutive batches of ``size`` (the last may be shorter)."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def apply_batch(func: Callable[[Any], Any], batch: Sequence[Any]) -> list[Any]:
    """Apply ``func`` to each item of a batch (the unit of work shipped to a worker)."""
    return [func(item) for item in batch]
