"""Packaging: the wheel ships the prebuilt labextension and the server config; the installed
environment lists both extensions enabled.

These tests read the environment ``pip install -e .`` (``./dev test``) set up; the wheel
test packages the already-built extension (``HATCH_JUPYTER_BUILDER_SKIP_NPM``) so it
takes a second, while a clean ``pip install .`` runs the real ``jlpm`` build.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BUILT = REPO / "nbcrash_kernel" / "labextension"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def jupyter(*args: str) -> str:
    """Output (stdout and stderr, ANSI colours removed) of ``jupyter ARGS`` in this environment."""
    done = subprocess.run([sys.executable, "-m", "jupyter", *args], capture_output=True, text=True,
                          timeout=120)
    return ANSI.sub("", done.stdout + done.stderr)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    if not (BUILT / "package.json").is_file():
        pytest.fail("the labextension is not built: run `pip install -e .` (it runs jlpm build)")
    out = tmp_path_factory.mktemp("wheel")
    env = {**os.environ, "HATCH_JUPYTER_BUILDER_SKIP_NPM": "1"}
    done = subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    [path] = out.glob("nbcrash-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_ships_the_labextension_and_server_config(wheel):
    names = wheel.namelist()
    share = [n for n in names if "/data/share/jupyter/labextensions/nbcrash/" in n]
    package = next(n for n in share if n.endswith("/nbcrash/package.json"))
    meta = json.loads(wheel.read(package))
    entry = meta["jupyterlab"]["_build"]["load"]  # e.g. static/remoteEntry.<hash>.js
    assert any(n.endswith("/nbcrash/" + entry) for n in share)
    assert any(n.endswith("/nbcrash/install.json") for n in share)
    config = next(n for n in names if n.endswith("etc/jupyter/jupyter_server_config.d/nbcrash.json"))
    assert json.loads(wheel.read(config))["ServerApp"]["jpserver_extensions"]["nbcrash_kernel.server"] is True
    assert any(n.endswith("nbcrash_kernel/server/handlers.py") for n in names)
    # The built assets are shipped as data, not duplicated inside the Python package.
    assert not any(n.startswith("nbcrash_kernel/labextension/") for n in names)


def test_installed_labextension_is_enabled_and_ok():
    listing = jupyter("labextension", "list")
    assert re.search(r"nbcrash v[\d.]+ enabled\s+OK", listing), listing


def test_installed_server_extension_is_enabled_and_valid():
    listing = jupyter("server", "extension", "list")
    assert re.search(r"nbcrash_kernel\.server enabled", listing), listing
    assert re.search(r"nbcrash_kernel\.server\s+OK", listing), listing


def test_server_extension_points_to_its_module():
    from nbcrash_kernel import server

    assert server._jupyter_server_extension_points() == [{"module": "nbcrash_kernel.server"}]


def test_the_js_lockfile_and_sources_are_in_the_repo():
    lab = REPO / "labextension"
    assert (lab / "yarn.lock").stat().st_size > 1000
    package = json.loads((lab / "package.json").read_text())
    assert package["name"] == "nbcrash"
    assert package["jupyterlab"]["outputDir"] == "../nbcrash_kernel/labextension"
    assert "@jupyter/builder" in package["devDependencies"]
