"""``%load_ext nbcrash``: the name users type; the code lives in ``nbcrash_kernel.live``."""
from __future__ import annotations

from nbcrash_kernel.live import load_ipython_extension, unload_ipython_extension

__all__ = ["load_ipython_extension", "unload_ipython_extension"]
