"""The crash classifier: ``classify(CrashContext) -> Diagnosis``.

Each dimension of taxonomy.md is decided by its own module from the same
``Signals``; the notebook graph, when known, can override the record-only
root cause with what really happened in the notebook.
"""
from __future__ import annotations

from ..context import CrashContext
from ..diagnosis import Diagnosis
from .exception_types import classify_exception_type
from .explain import explanation, suggestions, summarize
from .notebook import notebook_cause
from .origins import classify_origin
from .root_causes import classify_root_cause
from .signals import Signals
from .stages import classify_stage

__all__ = ["classify", "CrashContext", "Diagnosis"]


def classify(ctx: CrashContext) -> Diagnosis:
    """Diagnose one crash from whatever evidence ``ctx`` holds."""
    signals = Signals.from_context(ctx)
    imports_alias = _alias_of_module(signals)
    etype = classify_exception_type(signals.ename, signals.evalue, signals.crashing_line,
                                    signals.parsed.qualified_ename if signals.parsed else None,
                                    imports_alias=imports_alias,
                                    raised_in_library=signals.raised_in_library)
    cause = classify_root_cause(signals, etype.code, etype.detail)
    related = []
    finding = notebook_cause(signals, etype.code)
    if finding is not None:
        cause, related = finding.root_cause, finding.related
    origin = classify_origin(signals)
    stage = classify_stage(signals, etype.code)
    diagnosis = Diagnosis(
        ename=signals.ename, evalue=signals.evalue,
        exception_type=etype.code, exception_type_detail=etype.detail,
        root_cause=cause.code, root_cause_detail=cause.detail,
        origin=origin.code, library=origin.library or "", stage=stage.code,
        evidence=[*cause.evidence, origin.evidence, *([stage.evidence] if stage.evidence else [])],
        related_cells=related,
        confidence=cause.confidence, crash_id=ctx.crash_id,
    )
    if signals.crashing_line:
        diagnosis.evidence.insert(0, f"the failing line is `{signals.crashing_line.strip()[:160]}`")
    diagnosis.summary = summarize(diagnosis, signals, cause)
    diagnosis.explanation = explanation(diagnosis, signals)
    diagnosis.suggestions = suggestions(diagnosis, signals, cause)
    return diagnosis


def _alias_of_module(signals: Signals) -> bool:
    """The undefined name is an alias some cell binds with an import."""
    name = signals.undefined_name
    graph = signals.ctx.graph
    if not name or graph is None:
        return False
    for cell in graph.definers(name):
        if name in getattr(cell.facts, "imports", {}):
            return _is_module_import(cell.facts.imports[name])
    return False


def _is_module_import(target: str) -> bool:
    from ..knowledge.modules import CONVENTIONAL_ALIASES

    return target in CONVENTIONAL_ALIASES.values() or target.islower()
