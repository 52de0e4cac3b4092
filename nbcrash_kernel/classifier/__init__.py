"""The crash classifier: ``classify(CrashContext) -> Diagnosis``.

Each dimension of taxonomy.md is decided by registered rules (``rules.py``) over the same
``Signals``: the first rule of a dimension that fires decides it (the stage by weighed
scores), and the diagnosis' ``trace`` names that rule, why, and the candidates weighed.
The notebook's rules, when a graph is known, override the record's root cause.
"""
from __future__ import annotations

from ..facts.context import CrashContext
from ..record.diagnosis import Diagnosis
# The rule modules, imported in the order their rules are tried.
from . import exception_raise_sites, exception_types, exception_messages, notebook_intent, notebook, notebook_callees, notebook_sessions, notebook_reruns, notebook_none, notebook_literals, notebook_recursion, root_cause_facts, root_causes, root_cause_objects  # noqa: F401
from . import root_cause_values, origins, stages, stage_flow  # noqa: F401
from .engine import decide_exception_type, decide_origin, decide_root_cause
from .explain import explanation, suggestions, summarize
from .signals import Signals
from .stages import classify_stage

__all__ = ["classify", "CrashContext", "Diagnosis"]


def classify(ctx: CrashContext, weigh_all: bool = False) -> Diagnosis:
    """Diagnose one crash from whatever evidence ``ctx`` holds.

    ``weigh_all``: also try the rules after the deciding one, and list those that fire in the
    trace's candidates (slower: for ``--explain``).
    """
    signals = Signals.from_context(ctx)
    etype, etype_decision = decide_exception_type(signals, weigh_all)
    cause, related, cause_decision = decide_root_cause(signals, weigh_all)
    origin, origin_decision = decide_origin(signals, weigh_all)
    stage = classify_stage(signals)
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
    diagnosis.trace = {"exception_type": etype_decision.trace(), "root_cause": cause_decision.trace(),
                       "origin": origin_decision.trace(), "stage": stage.trace}
    diagnosis.summary = summarize(diagnosis, signals, cause)
    diagnosis.explanation = explanation(diagnosis, signals)
    diagnosis.suggestions = suggestions(diagnosis, signals, cause)
    return diagnosis
