"""The jupyter_server extension: ``GET /nbcrash/api/audit`` on a real (in-process) server."""
from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from tornado.httpclient import HTTPClientError

from nbcrash_kernel.server.handlers import PathRefused, checked_path

pytest_plugins = ["pytest_jupyter.jupyter_server"]


@pytest.fixture
def jp_server_config():
    return {"ServerApp": {"jpserver_extensions": {"nbcrash_kernel.server": True}}}


def crashed_notebook():
    """Cell 2 reads ``df`` before cell 1 (which defines it) ran: out of order."""
    error = new_output("error", ename="NameError", evalue="name 'df' is not defined",
                       traceback=["NameError: name 'df' is not defined"])
    define = new_code_cell("import pandas as pd\ndf = pd.DataFrame({'a': [1]})", id="define")
    use = new_code_cell("df.head()", id="use", execution_count=1, outputs=[error])
    return new_notebook(cells=[define, use])


@pytest.fixture
def notebook_path(jp_root_dir):
    folder = jp_root_dir / "work"
    folder.mkdir()
    nbformat.write(crashed_notebook(), folder / "analysis.ipynb")
    return "work/analysis.ipynb"


async def fetch_error(jp_fetch, **kwargs):
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch("nbcrash", "api", "audit", **kwargs)
    return caught.value


async def test_audit_returns_the_notebooks_crash_diagnosis(jp_fetch, notebook_path):
    response = await jp_fetch("nbcrash", "api", "audit", params={"path": notebook_path})
    assert response.code == 200
    report = json.loads(response.body)
    assert report["path"] == notebook_path and report["error"] is None
    [crash] = report["crashes"]
    assert crash["ename"] == "NameError"
    assert crash["root_cause"] == "NB"


@pytest.mark.parametrize("path", ["../outside.ipynb", "work/../../outside.ipynb", "/etc/passwd.ipynb",
                                  "..\\outside.ipynb"])
async def test_paths_outside_the_root_are_refused(jp_fetch, notebook_path, path):
    error = await fetch_error(jp_fetch, params={"path": path})
    assert error.code == 403
    assert "error" in json.loads(error.response.body)


async def test_missing_notebook_is_404_and_missing_param_is_400(jp_fetch, notebook_path):
    missing = await fetch_error(jp_fetch, params={"path": "work/nothing.ipynb"})
    assert missing.code == 404
    assert "work/nothing.ipynb" in json.loads(missing.response.body)["error"]
    no_param = await fetch_error(jp_fetch)
    assert no_param.code == 400


async def test_unreadable_notebook_gives_a_clear_error(jp_fetch, jp_root_dir):
    (jp_root_dir / "broken.ipynb").write_text("{not json", encoding="utf-8")
    error = await fetch_error(jp_fetch, params={"path": "broken.ipynb"})
    assert error.code == 400
    assert "Unreadable Notebook" in json.loads(error.response.body)["error"]


async def test_requests_without_the_token_are_refused(jp_fetch, notebook_path):
    error = await fetch_error(jp_fetch, params={"path": notebook_path}, headers={"Authorization": ""})
    assert error.code == 403
    assert b"crashes" not in error.response.body


async def test_post_without_xsrf_is_refused(jp_fetch, notebook_path):
    error = await fetch_error(jp_fetch, method="POST", body=b"{}", params={"path": notebook_path},
                              headers={"Authorization": ""})
    assert error.code == 403
    assert "_xsrf" in json.loads(error.response.body)["message"]


async def test_the_api_is_read_only(jp_fetch, notebook_path):
    error = await fetch_error(jp_fetch, method="POST", body=b"{}", params={"path": notebook_path})
    assert error.code == 405


def test_checked_path_normalises_relative_paths():
    assert checked_path(" ./work//a.ipynb ") == "work/a.ipynb"
    for bad, status in (("", 400), ("a.txt", 400), ("C:/x.ipynb", 403), ("~/x.ipynb", 403),
                        ("a\x00.ipynb", 400)):
        with pytest.raises(PathRefused) as caught:
            checked_path(bad)
        assert caught.value.status == status
