"""The json format: one document with ``notebooks[]`` and a ``summary``."""
from __future__ import annotations

from ..._version import __version__
from ...record.safe_text import escape_surrogates
from ..report import AuditResult
from .indented_json import dumps

SCHEMA_VERSION = 1


def document(result: AuditResult) -> dict:
    """The audit as a JSON-ready dict."""
    return {
        "tool": "nbcrash",
        "version": __version__,
        "schema_version": SCHEMA_VERSION,
        "notebooks": [report.to_dict() for report in result.reports],
        "summary": result.summary(),
    }


def render(result: AuditResult, color: bool = False) -> str:
    """The audit as indented JSON text."""
    return escape_surrogates(dumps(document(result)) + "\n")
