"""The evidence a weighed root cause reads: facts the rules and Signals already found, as feature names.

A feature is a name (``fired=RC-KEY-DATA``, ``etype=KEY``, ``family=CAST``...), present or absent.
Every feature is a fact the classifier computes for its own rules: which root-cause rules fire
(the first and every later one), the decided exception type, the origin and library, the stage,
the message families of ``knowledge/messages.py`` and a few traceback facts. None is a word or
an identifier of the message itself, so weights fitted over them cannot memorise a crash's text.
"""
from __future__ import annotations

from ..knowledge import messages
from ..knowledge.libraries import is_ml_library
from .rules import REGISTRY, Decision, first_match
from .signals import Signals

# The message families of knowledge/messages.py (Python's and the libraries' wording of one kind of failure).
FAMILIES = ("OOM", "BROADCAST", "SHAPE", "FEATURE_NAME", "DATA_VIOLATION", "CAST", "RANGE", "NOT_FITTED",
            "NOT_YET_PREPARED", "ARGUMENT", "NETWORK", "IO", "IMPORT_NAME", "CUDA_ENV", "DISK", "MODULE_MISSING",
            "MODULE_ATTRIBUTE", "OBJECT_ATTRIBUTE", "CANNOT_IMPORT_FROM", "NAME_NOT_DEFINED", "LOCAL_NOT_ASSIGNED")
_FAMILY_MATCHERS = tuple((name, getattr(messages, name)) for name in FAMILIES)


def later_fired(signals: Signals, record: Decision) -> list[str]:
    """Ids of the record's rules after the deciding one that fire too (for this exception type)."""
    if record.overridden:  # weigh_all already ran them
        return [d.rule.id for d in record.overridden]
    rules = REGISTRY.for_type(signals.etype.code)
    position = rules.index(record.rule) if record.rule in rules else len(rules)
    return [r.id for r in rules[position + 1:] if r.fires(signals) is not None]


def message_families(evalue: str) -> list[str]:
    return [name for name, matcher in _FAMILY_MATCHERS if matcher.search(evalue)]


def traceback_facts(signals: Signals) -> list[str]:
    facts = []
    if not signals.frames:
        facts.append("no_traceback")
    if signals.raised_in_library:
        facts.append("raised_in_library")
    if signals.raising_library:
        facts.append("raising_ml_library" if is_ml_library(signals.raising_library) else "raising_other_library")
    if signals.in_user_function:
        facts.append("in_user_function")
    if signals.message_library:
        facts.append("message_names_library")
    return facts


def name_facts(signals: Signals) -> list[str]:
    """How the undefined name is used on the failing line (called, or followed by an attribute)."""
    if not signals.undefined_name:
        return []
    called, dotted = signals.name_uses
    return ["name_called"] * called + ["name_dotted"] * dotted


def origin_and_stage(signals: Signals) -> list[str]:
    from .stages import classify_stage

    origin = first_match(REGISTRY.ordered("origin"), signals)
    library = getattr(origin.result, "library", "") or ""
    stage = classify_stage(signals)
    return [f"origin={origin.rule.code}", *([f"library={library}"] if library else []), f"stage={stage.code}"]


def features(signals: Signals, record: Decision) -> list[str]:
    """The feature names of one crash, given the record's first-match root-cause decision."""
    etype = signals.etype
    return [f"first={record.rule.id}", *(f"fired={rule_id}" for rule_id in later_fired(signals, record)),
            f"etype={etype.code}", f"etype_detail={etype.detail}",
            *(f"family={name}" for name in message_families(signals.evalue)),
            *traceback_facts(signals), *name_facts(signals), *origin_and_stage(signals)]
