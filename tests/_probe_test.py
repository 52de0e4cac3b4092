import json, pytest
from tornado.httpclient import HTTPClientError
pytest_plugins = ["pytest_jupyter.jupyter_server"]
@pytest.fixture
def jp_server_config():
    return {"ServerApp": {"jpserver_extensions": {"nbcrash_kernel.server": True}}}
async def test_probe(jp_fetch, jp_root_dir):
    (jp_root_dir / "broken.ipynb").write_text("{not json", encoding="utf-8")
    for kw in [dict(params={"path": "broken.ipynb"}), dict(params={"path":"x.ipynb"}, headers={"Authorization": ""}),
               dict(method="POST", body=b"{}", params={"path":"x.ipynb"}), dict(method="POST", body=b"{}", params={"path":"x.ipynb"}, headers={"Authorization": ""})]:
        try:
            r = await jp_fetch("nbcrash", "api", "audit", **kw); print(r.code)
        except HTTPClientError as e:
            print(e.code, e.response.body[:200])
