"""nbcrash: explains every crash in an ML notebook, with evidence and a fix.

The package holds one core (cell facts, notebook graph, traceback model,
classifier) and the faces that feed it: the live IPython extension, the
audit of saved notebooks, ``nbcrash classify`` and the study pipeline.
"""
from ._version import __version__

__all__ = ["__version__", "load_ipython_extension", "unload_ipython_extension"]


def load_ipython_extension(ipython):  # pragma: no cover - thin delegation
    from .live.extension import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython):  # pragma: no cover - thin delegation
    from .live.extension import unload_ipython_extension as unload

    unload(ipython)


def _jupyter_labextension_paths():  # pragma: no cover - read by `jupyter labextension develop`
    return [{"src": "labextension", "dest": "nbcrash"}]
