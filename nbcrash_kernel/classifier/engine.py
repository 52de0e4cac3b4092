"""The engine: runs each dimension's registered rules over one crash's Signals."""
from __future__ import annotations

from ..knowledge.rule_confidence import CONFIDENCE
from .exception_types import ExceptionType
from .origins import Origin
from .root_causes import RootCause
from .rules import REGISTRY, Decision, Found, first_match, try_rules
from .signals import Signals
from .weighed import weigh


def decide_exception_type(signals: Signals, weigh_all: bool = False) -> tuple[ExceptionType, Decision]:
    decision = first_match(REGISTRY.ordered("exception_type"), signals, weigh_all)
    signals.etype = ExceptionType(decision.rule.code, decision.rule.detail)
    return signals.etype, decision


def decide_root_cause(signals: Signals, weigh_all: bool = False) -> tuple[RootCause, list, Decision]:
    """The notebook's rules first (they override), else the record's rules for this exception type,
    weighed where they leave the cause open (weighed.py)."""
    record = weigh(signals, first_match(REGISTRY.for_type(signals.etype.code), signals, weigh_all))
    found = try_rules(REGISTRY.notebook_rules(), signals, weigh_all) if signals.ctx.graph is not None else None
    decision = record if found is None else Decision(found.rule, found.why, found.result,
                                                     overridden=(*found.overridden, record, *record.overridden))
    chosen = decision.rule
    change = signals.api_change if chosen.id == "RC-LIB-API-CHANGE" else None
    measured = getattr(decision.result, "probability", None)  # a weighed cause: the weights' probability
    cause = RootCause(chosen.code, chosen.detail, measured or confidence_of(chosen), [decision.why], change)
    related = list(decision.result.related) if isinstance(decision.result, Found) else []
    return cause, related, decision


def confidence_of(rule) -> float:
    """How often the rule's root cause is right where measured (benchmarks/calibrate.py), else its hand-set guess."""
    measured = CONFIDENCE.get(rule.id)
    return measured[0] if measured else (rule.confidence or 0.5)


def decide_origin(signals: Signals, weigh_all: bool = False) -> tuple[Origin, Decision]:
    decision = first_match(REGISTRY.ordered("origin"), signals, weigh_all)
    library = decision.result.library if isinstance(decision.result, Found) else ""
    return Origin(decision.rule.code, library, decision.why), decision
