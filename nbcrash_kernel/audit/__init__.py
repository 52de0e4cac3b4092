"""``nbcrash audit``: diagnose every crash saved in notebooks and report notebook findings.

Public entry points: :func:`audit_paths` (many files, in parallel) and
:func:`audit_notebook` (one file); :func:`add_audit_parser` registers the CLI.
The two audit functions are imported when first used: a run whose reports all come
from the cache never imports the analysis.
"""
from __future__ import annotations

from typing import Any

from .cli import add_audit_parser
from .report import AuditResult, NotebookReport

__all__ = ["AuditResult", "NotebookReport", "add_audit_parser", "audit_notebook", "audit_paths"]


def __getattr__(name: str) -> Any:
    if name == "audit_notebook":
        from .notebook import audit_notebook

        return audit_notebook
    if name == "audit_paths":
        from .runner import audit_paths

        return audit_paths
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
