"""Running batches of a step's work on dask.distributed (``--dask ADDRESS`` or ``--dask local``)."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from .batch import apply_batch


def open_client(address: str):
    """A Dask client: a new in-process LocalCluster for ``local``, else the scheduler at address."""
    from dask.distributed import Client, LocalCluster

    if address == "local":
        cluster = LocalCluster(processes=False, n_workers=1, threads_per_worker=2,
                               dashboard_address=None)
        return Client(cluster), cluster
    return Client(address), None


def map_batches_on_dask(func: Callable[[Any], Any], batches: Sequence[Sequence[Any]], address: str,
                        on_done: Callable[[int], Any] | None = None) -> list[Any]:
    """Apply ``func`` to every item of every batch on Dask; results in input order."""
    client, cluster = open_client(address)
    try:
        futures = client.map(apply_batch, [func] * len(batches), list(batches), pure=False)
        out: list[Any] = []
        for future, batch in zip(futures, batches):
            out.extend(future.result())
            if on_done:
                on_done(len(batch))
        return out
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
