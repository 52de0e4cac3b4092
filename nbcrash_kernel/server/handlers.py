"""``GET /nbcrash/api/audit?path=<contents path>``: the audit JSON of one notebook.

The notebook is read through the server's contents manager, so a path means what it
means everywhere else in Jupyter (relative to the server root; ``..`` and absolute paths
are refused here) and any contents manager works (files, databases, remote stores). The
endpoint reads exactly what Jupyter's contents API serves: the file manager follows a
symbolic link inside the root even when it points outside (checked in
tests/test_server_audit.py), and so does this endpoint. The handler is an
``APIHandler``: it requires the server's authentication and authorization, and
jupyter_server enforces XSRF on every method but GET.
"""
from __future__ import annotations

import json
from typing import Any

import tornado.web
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import ensure_async, url_path_join

AUDIT_ROUTE = "nbcrash/api/audit"
# jupyter_server's authorization resource for reading notebook contents.
AUTH_RESOURCE = "contents"
MAX_PATH_CHARS = 4096


class PathRefused(ValueError):
    """A path the API will not read, with the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def checked_path(raw: str | None) -> str:
    """The contents path to read, or ``PathRefused`` (400 malformed, 403 outside the root).

    Contents paths are '/'-separated and relative to the server root; a leading '/'
    is refused rather than stripped, so a client never believes it read an absolute path.
    """
    if raw is None or not raw.strip():
        raise PathRefused(400, "missing query parameter 'path' (a notebook path relative to the server root)")
    if len(raw) > MAX_PATH_CHARS or "\x00" in raw:
        raise PathRefused(400, "malformed path")
    path = raw.strip().replace("\\", "/")
    if path.startswith("/") or path.startswith("~") or (len(path) > 1 and path[1] == ":"):
        raise PathRefused(403, "absolute paths are refused: give a path relative to the server root")
    parts = path.split("/")
    if any(part == ".." for part in parts):
        raise PathRefused(403, "'..' is refused: the path must stay inside the server root")
    if not path.endswith(".ipynb"):
        raise PathRefused(400, "only notebooks (.ipynb) can be audited")
    return "/".join(p for p in parts if p not in ("", "."))


def audit_model(path: str, model: dict[str, Any]) -> dict[str, Any]:
    """The audit report (``NotebookReport.to_dict()``) of a contents model of type notebook."""
    from ..audit import audit_notebook

    content = model.get("content")
    data = json.dumps(content).encode("utf-8")
    return audit_notebook(path, data=data).to_dict()


class AuditHandler(APIHandler):
    """Audit one notebook of the server's contents."""

    auth_resource = AUTH_RESOURCE

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        try:
            path = checked_path(self.get_query_argument("path", None))
        except PathRefused as refused:
            return self._error(refused.status, str(refused))
        manager = self.contents_manager
        try:
            exists = await ensure_async(manager.file_exists(path))
        except tornado.web.HTTPError as error:  # the manager's own refusal (e.g. outside root)
            return self._error(error.status_code, error.log_message or "path refused")
        if not exists:
            return self._error(404, f"no notebook at {path!r}")
        try:
            model = await ensure_async(manager.get(path, content=True, type="notebook"))
        except tornado.web.HTTPError as error:
            self.log.warning("nbcrash audit: cannot read %s: %s", path, error.log_message)
            reason = _without_root(error.log_message or "", getattr(manager, "root_dir", ""))
            return self._error(error.status_code, f"could not read {path!r} as a notebook: {reason}")
        report = await self._audit(path, model)
        self.finish(json.dumps(report))

    async def _audit(self, path: str, model: dict[str, Any]) -> dict[str, Any]:
        """Run the audit off the event loop: one notebook's analysis can take a second."""
        import asyncio

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, audit_model, path, model)

    def _error(self, status: int, message: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"error": message, "status": status}))


def _without_root(message: str, root_dir: str) -> str:
    """The contents manager's message with the server's root folder taken out of paths."""
    if root_dir:
        root = root_dir.rstrip("/\\")
        message = message.replace(root + "/", "").replace(root + "\\", "").replace(root, ".")
    return message


def setup_handlers(web_app: Any) -> None:
    """Register nbcrash's routes under the server's base URL."""
    base_url = web_app.settings.get("base_url", "/")
    route = url_path_join(base_url, AUDIT_ROUTE)
    web_app.add_handlers(".*$", [(route, AuditHandler)])
