"""End-to-end fixtures: Debian's Chromium, a real ``jupyter lab`` on 127.0.0.1, Playwright.

One Lab server and one browser serve the whole session. Chromium comes from Debian
(``apt-get install chromium`` when missing and we are root); Playwright never
downloads a browser of its own.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
]
SERVER_START_SECONDS = 90


def ensure_chromium() -> Path:
    """Debian's chromium, installed with apt-get when missing (root only); skip otherwise."""
    if CHROMIUM.exists():
        return CHROMIUM
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip("/usr/bin/chromium is missing and apt-get cannot install it here (not root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL, timeout=600)
    subprocess.run(["apt-get", "install", "-y", "-q", "chromium"],
                   check=True, env=env, stdout=subprocess.DEVNULL, timeout=900)
    if not CHROMIUM.exists():
        pytest.fail("apt-get installed chromium but /usr/bin/chromium is missing")
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """A running ``jupyter lab``: its URL, token and root folder."""

    def __init__(self, root: Path, port: int, token: str, process: subprocess.Popen, log: Path) -> None:
        self.root, self.port, self.token, self.process, self.log = root, port, token, process, log

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{sep}token={self.token}"

    def api(self, path: str) -> dict:
        request = urllib.request.Request(f"{self.base}/{path.lstrip('/')}",
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())


def lab_settings(folder: Path) -> None:
    """User settings that keep Lab quiet: no news toast, no update checks, no kernel dialog."""
    notification = folder / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8")
    # The "Always start the preferred kernel" box of the Select Kernel dialog, ticked.
    (notification / "sessionDialogs.jupyterlab-settings").write_text(
        json.dumps({"autoStartDefaultKernel": True}), encoding="utf-8")


def start_lab(root: Path, state: Path) -> LabServer:
    port, token = free_port(), secrets.token_hex(16)
    settings, workspaces, runtime = state / "settings", state / "workspaces", state / "runtime"
    lab_settings(settings)
    workspaces.mkdir()
    log = ARTIFACTS / "jupyter-lab.log"
    ARTIFACTS.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.open_browser=False",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={workspaces}",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime), "PYTHONUNBUFFERED": "1"}
    handle = open(log, "wb")
    process = subprocess.Popen(command, cwd=root, env=env, stdout=handle, stderr=subprocess.STDOUT)
    server = LabServer(root, port, token, process, log)
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"jupyter lab exited ({process.returncode}); see {log}")
        try:
            server.api("api/status")
            return server
        except OSError:
            time.sleep(0.3)
    process.terminate()
    pytest.fail(f"jupyter lab did not answer in {SERVER_START_SECONDS} s; see {log}")


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("lab-root")


@pytest.fixture(scope="session")
def lab(lab_root, tmp_path_factory):
    server = start_lab(lab_root, tmp_path_factory.mktemp("lab-state"))
    yield server
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def browser():
    chromium = ensure_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright, \
            tempfile.TemporaryDirectory(prefix="nbcrash-chromium-") as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 900})
        yield context
        context.close()


@pytest.fixture()
def page(browser, request):
    page = browser.new_page()
    page.set_default_timeout(30_000)
    page.dialogs = []  # any alert()/confirm() the page opens: the XSS tests assert there is none
    errors: list[str] = []  # uncaught exceptions in the page and nbcrash's console errors
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and "nbcrash" in msg.text
            else None)
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    # Lab may ask for a kernel when a notebook opens before it has the kernel specs: accept
    # its choice (the notebook's own python3) whenever that dialog stands in the way.
    page.add_locator_handler(page.locator(".jp-Dialog", has_text="Select Kernel"),
                             lambda dialog: dialog.locator(".jp-mod-accept").click())
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:  # what the page showed when the test failed
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"failed-{request.node.name}.png"))
    page.close()
    ours = [e for e in errors if "nbcrash" in e.lower()]
    assert not ours, f"nbcrash errors in the browser: {ours}"


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so the page fixture knows whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)
