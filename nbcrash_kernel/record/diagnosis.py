"""The diagnosis record of taxonomy.md, as a dataclass.

One record leaves every face of nbcrash (live card, audit, classify, study).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

RECORD_FIELDS: tuple[str, ...] = (
    "crash_id", "ename", "evalue",
    "exception_type", "exception_type_detail",
    "root_cause", "root_cause_detail",
    "origin", "library", "stage",
    "summary", "explanation", "evidence", "suggestions",
    "related_cells", "confidence", "trace",
)


@dataclass
class RelatedCell:
    """A cell that matters to a crash, and why (``role``).

    Roles: ``crashed``, ``definer-not-run`` (defines a needed name and has not
    run), ``definer-crashed`` (crashed before defining it), ``definer-below``
    (the only definition is below), ``redefined-after``, ``definer``.
    """

    role: str
    cell_id: str | None = None
    index: int | None = None
    execution_count: int | None = None
    names: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return self.to_record()

    def to_record(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, [])}


@dataclass
class Diagnosis:
    """What nbcrash concluded about one crash, with the evidence it rests on."""

    ename: str = ""
    evalue: str = ""
    exception_type: str = "OTHER"
    exception_type_detail: str = "unknown"
    root_cause: str = "UNK"
    root_cause_detail: str = "unknown"
    origin: str = "PY"
    library: str = ""
    stage: str = "NONE"
    summary: str = ""
    explanation: str = ""
    evidence: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    related_cells: list[RelatedCell] = field(default_factory=list)
    confidence: float = 0.5
    crash_id: str | None = None
    # Per dimension: {"rule": id, "why": sentence, "candidates": [{"rule", "verdict", "score"}]}.
    trace: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return self.to_record()

    def to_record(self) -> dict[str, Any]:
        """The JSON-ready record of taxonomy.md (plus any ``extra`` fields)."""
        record: dict[str, Any] = {
            "crash_id": self.crash_id,
            "ename": self.ename,
            "evalue": self.evalue,
            "exception_type": self.exception_type,
            "exception_type_detail": self.exception_type_detail,
            "root_cause": self.root_cause,
            "root_cause_detail": self.root_cause_detail,
            "origin": self.origin,
            "library": self.library,
            "stage": self.stage,
            "summary": self.summary,
            "explanation": self.explanation,
            "evidence": list(self.evidence),
            "suggestions": list(self.suggestions),
            "related_cells": [c.to_record() for c in self.related_cells],
            "confidence": round(float(self.confidence), 3),
            "trace": self.trace,
        }
        if self.crash_id is None:
            del record["crash_id"]
        record.update(self.extra)
        return record
