"""The jupyter_server extension: ``GET /nbcrash/api/audit`` on a real ``jupyter server``.

One server (a subprocess on 127.0.0.1 with a token) serves the module; each test
sends plain HTTP requests, with or without the token.
"""
from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from nbcrash_kernel.server.handlers import PathRefused, checked_path

pytestmark = pytest.mark.slow


def crashed_notebook():
    """Cell 2 reads ``df`` before cell 1 (which defines it) ran: out of order."""
    error = new_output("error", ename="NameError", evalue="name 'df' is not defined",
                       traceback=["NameError: name 'df' is not defined"])
    define = new_code_cell("import pandas as pd\ndf = pd.DataFrame({'a': [1]})", id="define")
    use = new_code_cell("df.head()", id="use", execution_count=1, outputs=[error])
    return new_notebook(cells=[define, use])


class Server:
    def __init__(self, root: Path, port: int, token: str, process: subprocess.Popen) -> None:
        self.root, self.port, self.token, self.process = root, port, token, process

    def request(self, path: str, *, method: str = "GET", token: bool = True,
                data: bytes | None = None) -> tuple[int, dict]:
        """(status, JSON body) of one request to the server."""
        headers = {"Authorization": f"token {self.token}"} if token else {}
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method,
                                         headers=headers, data=data)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            body = error.read()
            try:
                return error.code, json.loads(body)
            except ValueError:
                return error.code, {"raw": body.decode("utf-8", "replace")}

    def audit(self, path: str | None, **kwargs) -> tuple[int, dict]:
        query = "" if path is None else "?" + urllib.parse.urlencode({"path": path})
        return self.request(f"/nbcrash/api/audit{query}", **kwargs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("server-root")
    (root / "work").mkdir()
    nbformat.write(crashed_notebook(), root / "work" / "analysis.ipynb")
    (root / "broken.ipynb").write_text("{not json", encoding="utf-8")
    (root.parent / "outside.ipynb").write_text("{}", encoding="utf-8")
    nbformat.write(crashed_notebook(), root.parent / "linked-outside.ipynb")
    (root / "link.ipynb").symlink_to(root.parent / "linked-outside.ipynb")
    port, token = free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyter", "server", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--ServerApp.open_browser=False",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               "--ServerApp.jpserver_extensions", "nbcrash_kernel.server=True"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    runtime = tmp_path_factory.mktemp("runtime")
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)})
    running = Server(root, port, token, process)
    try:
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(f"jupyter server exited: {process.stderr.read().decode()[-2000:]}")
            try:
                running.request("/api/status")
                break
            except OSError:
                time.sleep(0.1)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def test_audit_returns_the_notebooks_crash_diagnosis(server):
    status, report = server.audit("work/analysis.ipynb")
    assert status == 200
    assert report["path"] == "work/analysis.ipynb" and report["error"] is None
    [crash] = report["crashes"]
    assert crash["ename"] == "NameError"
    assert crash["root_cause"] == "NB"


@pytest.mark.parametrize("path", ["../outside.ipynb", "work/../../outside.ipynb", "/etc/passwd.ipynb",
                                  "..\\outside.ipynb", str(Path("/tmp/outside.ipynb"))])
def test_paths_outside_the_root_are_refused(server, path):
    status, body = server.audit(path)
    assert status == 403
    assert "refused" in body["error"]


def test_a_symlink_out_of_the_root_is_followed_as_the_contents_api_does(server):
    """README: the endpoint reads what Jupyter's contents API serves, symlinks included."""
    contents_status, model = server.request("/api/contents/link.ipynb?content=1&type=notebook")
    status, report = server.audit("link.ipynb")
    assert contents_status == 200 and model["type"] == "notebook"
    assert status == 200 and [c["ename"] for c in report["crashes"]] == ["NameError"]


def test_missing_notebook_is_404_and_missing_param_is_400(server):
    status, body = server.audit("work/nothing.ipynb")
    assert status == 404 and "work/nothing.ipynb" in body["error"]
    status, body = server.audit(None)
    assert status == 400 and "path" in body["error"]


def test_unreadable_notebook_gives_a_clear_error(server):
    status, body = server.audit("broken.ipynb")
    assert status == 400
    assert "Unreadable Notebook" in body["error"]
    assert str(server.root) not in body["error"]  # no absolute server path leaks


def test_requests_without_the_token_are_refused(server):
    status, body = server.audit("work/analysis.ipynb", token=False)
    assert status == 403
    assert "crashes" not in body


def test_post_without_xsrf_is_refused(server):
    status, body = server.audit("work/analysis.ipynb", method="POST", token=False, data=b"{}")
    assert status == 403
    assert "_xsrf" in body["message"]


def test_the_api_is_read_only(server):
    status, _ = server.audit("work/analysis.ipynb", method="POST", data=b"{}")
    assert status == 405


def test_checked_path_normalises_relative_paths():
    assert checked_path(" ./work//a.ipynb ") == "work/a.ipynb"
    for bad, status in (("", 400), ("a.txt", 400), ("C:/x.ipynb", 403), ("~/x.ipynb", 403),
                        ("a\x00.ipynb", 400), (None, 400)):
        with pytest.raises(PathRefused) as caught:
            checked_path(bad)
        assert caught.value.status == status
