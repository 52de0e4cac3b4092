"""``nbcrash audit``: diagnose every crash saved in notebooks and report notebook findings.

Public entry points: :func:`audit_paths` (many files, in parallel) and
:func:`audit_notebook` (one file); :func:`add_audit_parser` registers the CLI.
"""
from __future__ import annotations

from .cli import add_audit_parser
from .notebook import audit_notebook
from .report import AuditResult, NotebookReport
from .runner import audit_paths

__all__ = ["AuditResult", "NotebookReport", "add_audit_parser", "audit_notebook", "audit_paths"]
