"""The "Python 3 (nbcrash)" kernelspec: install, content, a kernel started from it, remove."""
from __future__ import annotations

import argparse
import json
import sys

import pytest

from nbcrash_kernel.live.kernelspec import (
    DISPLAY_NAME, KERNEL_NAME, add_kernel_parser, install, kernel_dir, kernel_json, remove,
)


def parse(*argv):
    parser = argparse.ArgumentParser()
    add_kernel_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(list(argv))


def test_kernel_json_runs_this_python_with_the_extension():
    spec = kernel_json()
    assert spec["argv"][0] == sys.executable
    assert spec["argv"][1:3] == ["-m", "ipykernel_launcher"]
    assert "{connection_file}" in spec["argv"]
    assert "--IPKernelApp.extensions=['nbcrash']" in spec["argv"]
    assert spec["display_name"] == DISPLAY_NAME == "Python 3 (nbcrash)"


def test_install_and_remove_in_a_prefix(tmp_path):
    folder = install(prefix=str(tmp_path))
    assert kernel_dir(prefix=str(tmp_path)) == tmp_path / "share" / "jupyter" / "kernels" / KERNEL_NAME
    spec = json.loads((tmp_path / "share/jupyter/kernels/nbcrash/kernel.json").read_text())
    assert spec == kernel_json() and folder.endswith("nbcrash")
    assert remove(prefix=str(tmp_path)) is not None
    assert not (tmp_path / "share/jupyter/kernels/nbcrash").exists()
    assert remove(prefix=str(tmp_path)) is None


def test_cli_parser(tmp_path, capsys):
    args = parse("kernel", "install", "--prefix", str(tmp_path))
    assert args.func(args) == 0 and "installed" in capsys.readouterr().out
    args = parse("kernel", "remove", "--prefix", str(tmp_path))
    assert args.func(args) == 0
    assert args.func(args) == 1  # nothing left to remove
    with pytest.raises(SystemExit):
        parse("kernel", "install", "--user", "--sys-prefix")


def test_user_install_goes_to_jupyter_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path))
    install(user=True)
    assert (tmp_path / "kernels" / "nbcrash" / "kernel.json").is_file()
    assert remove(user=True) == str(tmp_path / "kernels" / "nbcrash")


@pytest.mark.slow
def test_a_kernel_started_from_the_spec_has_nbcrash_loaded(tmp_path):
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    install(prefix=str(tmp_path))
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "share/jupyter/kernels")])
    km = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)
    km.start_kernel()
    seen: list = []
    try:
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        reply = kc.execute_interactive("1/0", timeout=60, output_hook=lambda msg: seen.append(msg))
    finally:
        km.shutdown_kernel(now=True)
    assert reply["content"]["status"] == "error"
    assert any("application/vnd.nbcrash.crash+json" in m["content"].get("data", {}) for m in seen)

