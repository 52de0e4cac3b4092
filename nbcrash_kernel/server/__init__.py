"""The jupyter_server extension: nbcrash's REST API for JupyterLab and Notebook 7.

Enabled on install by ``jupyter-config/server-config/nbcrash.json`` (copied to
``etc/jupyter/jupyter_server_config.d``); ``GET /nbcrash/api/audit?path=...``
returns the audit of one notebook of the server's contents.
"""
from __future__ import annotations

from typing import Any

from .handlers import setup_handlers

__all__ = ["setup_handlers"]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Tell jupyter_server which module holds the extension."""
    return [{"module": "nbcrash_kernel.server"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Add nbcrash's handlers to the running server."""
    setup_handlers(server_app.web_app)
    server_app.log.info("nbcrash server extension loaded: /nbcrash/api/audit")
