"""The ``nbcrash`` command: one subcommand per face of nbcrash.

``nbcrash classify`` labels crash records; ``audit`` diagnoses saved
notebooks; ``study`` runs the study's pipeline; ``kernel`` installs the
"Python 3 (nbcrash)" kernelspec; ``tour`` shows the live extension at work.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Any

from ._version import __version__


def _run_rules(args: argparse.Namespace) -> int:
    from .classifier import rule_docs

    render = {"text": rule_docs.rules_text, "json": rule_docs.rules_json, "markdown": rule_docs.rules_markdown}
    sys.stdout.write(render[args.format]())
    return 0


def add_rules_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "rules", help="list the classifier's rules (id, dimension, verdict, summary, examples)",
        description="List the registered rules in the order they are tried; --format markdown gives docs/rules.md.")
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    parser.set_defaults(func=_run_rules)
    return parser


# Each subcommand: the module that registers it, its ``add_*_parser`` function, and the one-line
# help ``nbcrash --help`` lists. A command imports its module only when it is the one being run.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "classify": ("nbcrash_kernel.classify.cli", "add_classify_parser",
                 "label crash records (CSV, JSONL, Parquet) with the taxonomy"),
    "audit": ("nbcrash_kernel.audit.cli", "add_audit_parser",
              "diagnose the crashes saved in notebooks; report notebook findings"),
    "study": ("nbcrash_kernel.study.cli", "add_study_parser",
              "the empirical study's pipeline on your corpus"),
    "rules": ("nbcrash_kernel.cli", "add_rules_parser",
              "list the classifier's rules (id, dimension, verdict, summary, examples)"),
    "kernel": ("nbcrash_kernel.live.kernelspec", "add_kernel_parser",
               "install or remove the 'Python 3 (nbcrash)' kernel"),
    "tour": ("nbcrash_kernel.live.tour", "add_tour_parser",
             "run the demo notebook in a real kernel with nbcrash and print every card"),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``nbcrash`` parser; only ``command`` (all of them when None) gets its full arguments."""
    parser = argparse.ArgumentParser(
        prog="nbcrash", description="Explain crashes in ML notebooks: why they happened and how to fix them.")
    parser.add_argument("--version", action="version", version=f"nbcrash {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, function, help_text) in COMMANDS.items():
        if command is None or name == command:
            getattr(importlib.import_module(module), function)(subparsers)
        else:
            subparsers.add_parser(name, help=help_text)
    return parser


def _command_in(argv: list[str]) -> str | None:
    """The subcommand ``argv`` runs (its first word that is not an option), when it is one."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = _command_in(argv)
    parser = build_parser(command) if command else build_parser("")
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("nbcrash: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of stdout closed it (`nbcrash classify x.csv | head`): stop quietly,
        # and keep Python from reporting the same broken pipe when it flushes at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
