"""The audit's results: one report per notebook, and the summary over all of them."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

SUMMARY_DIMENSIONS = ("root_cause", "exception_type", "stage", "origin", "library")


@dataclass
class NotebookReport:
    """What the audit found in one file; ``error`` says why it could not be audited."""

    path: str
    error: str | None = None
    crashes: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    nbformat: int | None = None
    cells: int = 0
    size: int = 0
    reexecution: dict[str, Any] | None = None

    def clean(self, path_too: bool = False) -> "NotebookReport":
        """Every text made safe to write and show: surrogates escaped, control sequences stripped.

        ``path_too``: the path also (only once the file will not be opened again).
        """
        from ..record.safe_text import clean_data, clean_text

        self.error = clean_text(self.error) if isinstance(self.error, str) else self.error
        self.crashes, self.findings = clean_data(self.crashes), clean_data(self.findings)
        self.warnings = clean_data(self.warnings)
        if self.reexecution is not None:
            self.reexecution = clean_data(self.reexecution)
        if path_too:
            self.path = clean_text(self.path)
        return self

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``notebooks[]`` entry of the json format)."""
        data = {"path": self.path, "error": self.error, "nbformat": self.nbformat,
                "cells": self.cells, "crashes": self.crashes, "findings": self.findings,
                "warnings": self.warnings}
        if self.reexecution is not None:
            data["reexecution"] = self.reexecution
        return data


@dataclass
class AuditResult:
    """All the reports of one audit run, in the order the files were given."""

    reports: list[NotebookReport]
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (path, why it was not audited)

    @property
    def crash_count(self) -> int:
        return sum(len(r.crashes) for r in self.reports)

    @property
    def finding_count(self) -> int:
        return sum(len(r.findings) for r in self.reports)

    @property
    def unreadable(self) -> list[NotebookReport]:
        return [r for r in self.reports if r.error is not None]

    def summary(self) -> dict[str, Any]:
        """Counts: notebooks, crashes by each taxonomy dimension, findings by kind."""
        crashes = [c for r in self.reports for c in r.crashes]
        return {
            "notebooks": len(self.reports),
            "audited": len(self.reports) - len(self.unreadable),
            "unreadable": len(self.unreadable),
            "skipped": len(self.skipped),
            "crashes": len(crashes),
            "findings": self.finding_count,
            "crashes_by": {dim: _count(c.get(dim) for c in crashes)
                           for dim in SUMMARY_DIMENSIONS},
            "findings_by_kind": _count(f["kind"] for r in self.reports for f in r.findings),
        }

    def exit_code(self, fail_on: str) -> int:
        """0 clean, 1 crashes/findings reported (per ``fail_on``), 2 unreadable files."""
        if self.unreadable:
            return 2
        if fail_on == "crash" and self.crash_count:
            return 1
        if fail_on == "finding" and (self.crash_count or self.finding_count):
            return 1
        return 0


def _count(values: Any) -> dict[str, int]:
    counts = Counter(v if v not in (None, "") else "-" for v in values)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
