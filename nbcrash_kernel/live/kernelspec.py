"""The "Python 3 (nbcrash)" kernelspec: ipykernel with the nbcrash extension loaded at start.

``nbcrash kernel install [--user | --sys-prefix | --prefix P]`` writes it (default
``--user``); ``nbcrash kernel remove`` deletes it. The kernel runs this interpreter.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

KERNEL_NAME = "nbcrash"
DISPLAY_NAME = "Python 3 (nbcrash)"


def kernel_json(python: str | None = None) -> dict[str, Any]:
    """The kernel.json: ipykernel on ``python`` with ``IPKernelApp.extensions=['nbcrash']``."""
    return {
        "argv": [python or sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--IPKernelApp.extensions=['nbcrash']"],
        "display_name": DISPLAY_NAME,
        "language": "python",
        "metadata": {"debugger": True},
    }


def install(*, user: bool = False, sys_prefix: bool = False, prefix: str | None = None,
            python: str | None = None) -> str:
    """Install the kernelspec; returns the folder it went to. No location given: the user's."""
    from jupyter_client.kernelspec import KernelSpecManager

    if sys_prefix:
        prefix = sys.prefix
    if prefix is None:
        user = True
    with tempfile.TemporaryDirectory() as staging:
        folder = Path(staging) / KERNEL_NAME
        folder.mkdir()
        (folder / "kernel.json").write_text(json.dumps(kernel_json(python), indent=1), encoding="utf-8")
        _copy_logos(folder)
        return KernelSpecManager().install_kernel_spec(str(folder), KERNEL_NAME, user=user, prefix=prefix)


def _copy_logos(folder: Path) -> None:
    try:
        from ipykernel.kernelspec import RESOURCES
    except ImportError:
        return
    for logo in Path(RESOURCES).glob("logo-*"):
        shutil.copy(logo, folder / logo.name)


def kernel_dir(*, user: bool = False, sys_prefix: bool = False, prefix: str | None = None) -> Path | None:
    """Where the kernelspec is (or would be) for these options; None: wherever Jupyter finds it."""
    from jupyter_core.paths import jupyter_data_dir

    if sys_prefix:
        prefix = sys.prefix
    if prefix is not None:
        return Path(prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME
    if user:
        return Path(jupyter_data_dir()) / "kernels" / KERNEL_NAME
    return None


def remove(*, user: bool = False, sys_prefix: bool = False, prefix: str | None = None) -> str | None:
    """Remove the kernelspec; returns the folder removed, or None when it was not installed."""
    folder = kernel_dir(user=user, sys_prefix=sys_prefix, prefix=prefix)
    if folder is None:
        from jupyter_client.kernelspec import KernelSpecManager

        found = KernelSpecManager().find_kernel_specs().get(KERNEL_NAME)
        folder = Path(found) if found else None
    if folder is None or not (folder / "kernel.json").is_file():
        return None
    shutil.rmtree(folder)
    return str(folder)


def add_kernel_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``nbcrash kernel install|remove [--user | --sys-prefix | --prefix P]``."""
    parser = subparsers.add_parser("kernel", help=f"install or remove the '{DISPLAY_NAME}' kernel")
    actions = parser.add_subparsers(dest="kernel_action", required=True)
    for action, text in (("install", "install the kernelspec (default: for this user)"),
                         ("remove", "remove the kernelspec")):
        sub = actions.add_parser(action, help=text)
        where = sub.add_mutually_exclusive_group()
        where.add_argument("--user", action="store_true", help="this user's Jupyter data folder")
        where.add_argument("--sys-prefix", action="store_true", help=f"this environment ({sys.prefix})")
        where.add_argument("--prefix", metavar="P", help="the prefix P (P/share/jupyter/kernels)")
    parser.set_defaults(func=kernel_command)
    return parser


def kernel_command(args: argparse.Namespace) -> int:
    """The ``kernel`` subcommand."""
    where = {"user": args.user, "sys_prefix": args.sys_prefix, "prefix": args.prefix}
    try:
        if args.kernel_action == "install":
            folder = install(**where)
            print(f"installed kernelspec '{KERNEL_NAME}' ({DISPLAY_NAME}) in {folder}")
            return 0
        folder = remove(**where)
    except OSError as error:
        print(f"nbcrash kernel {args.kernel_action}: {error}", file=sys.stderr)
        return 1
    if folder is None:
        print(f"kernelspec '{KERNEL_NAME}' is not installed there", file=sys.stderr)
        return 1
    print(f"removed kernelspec '{KERNEL_NAME}' from {folder}")
    return 0
