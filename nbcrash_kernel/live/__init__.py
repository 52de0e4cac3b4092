"""The live face of nbcrash: an IPython extension that explains crashes as they happen.

``%load_ext nbcrash`` calls :func:`load_ipython_extension`; ``%unload_ext nbcrash``
restores the shell as it was.
"""
from __future__ import annotations

from .extension import load_ipython_extension, unload_ipython_extension

__all__ = ["load_ipython_extension", "unload_ipython_extension"]
