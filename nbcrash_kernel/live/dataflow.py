"""Dataflow across executions: which run of which cell changed each value, and how.

After every execution the values of the names the cell mentions are fingerprinted
(``fingerprint``, read-only, a few microseconds each). A name's timeline keeps one entry per
execution that changed its fingerprint (the first is its creation), so "who changed ``df``
last, and what did it look like before" is a walk over a short list. What a cell binds and
mutates (assignments, ``df[...] = ...``, ``inplace=True``, ``fit``) comes from its AST facts
(``cells.analyze_cell``), read only when a crash asks (``effects``): the per-cell cost stays
the fingerprints.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .fingerprint import Fingerprint, fingerprint_names

MAX_CHANGES_PER_NAME = 32


@dataclass(frozen=True)
class Change:
    """One execution that changed a name's value: its fingerprint before (None: created) and after."""

    name: str
    execution: Any            # the session's ExecutionRecord
    seq: int
    before: Fingerprint | None
    after: Fingerprint


@dataclass(frozen=True)
class Effects:
    """What a cell's code does to the namespace, by its AST facts."""

    bound: frozenset[str]
    mutated: frozenset[str]
    columns_written: Mapping[str, frozenset[str]]
    columns_dropped: Mapping[str, frozenset[str]]
    fitted: frozenset[str]


def effects(source: str) -> Effects:
    """The names ``source`` binds and mutates, and the columns it writes or drops (AST facts)."""
    from ..facts.cells import analyze_cell

    facts = analyze_cell(source)
    fitted = frozenset(c.receiver for c in facts.calls if c.receiver and
                       c.func.rsplit(".", 1)[-1] in ("fit", "fit_transform", "fit_predict", "partial_fit"))
    return Effects(frozenset(facts.defined), frozenset(facts.mutated), dict(facts.columns_written),
                   dict(facts.columns_dropped), fitted)


class Dataflow:
    """Per-name timelines of fingerprint changes, fed after each execution."""

    def __init__(self) -> None:
        self.changes: dict[str, list[Change]] = {}
        self.seq = 0

    def after_execution(self, execution: Any, namespace: Mapping[str, Any], names: Iterable[str]) -> int:
        """Fingerprint the mentioned ``names``, note those whose fingerprint changed; the run's number."""
        self.seq += 1
        for name in getattr(execution, "deleted", ()):
            self.changes.pop(name, None)
        names = names if isinstance(names, (set, frozenset)) else set(names)
        found = fingerprint_names(namespace, names)
        for name in self.changes.keys() & names - found.keys():
            if name in namespace:  # rebound to a value of another kind: its type is the fingerprint
                cls = type(namespace[name])
                found[name] = Fingerprint(f"{cls.__module__}.{cls.__qualname__}", identity=id(namespace[name]))
        for name, after in found.items():
            timeline = self.changes.get(name)
            before = timeline[-1].after if timeline else None
            if before is not None and before == after:
                continue
            if timeline is None:
                timeline = self.changes[name] = []
            timeline.append(Change(name, execution, self.seq, before, after))
            if len(timeline) > MAX_CHANGES_PER_NAME:
                del timeline[1]  # keep the creation
        return self.seq

    def timeline(self, name: str) -> list[Change]:
        return list(self.changes.get(name, ()))

    def current(self, name: str) -> Fingerprint | None:
        timeline = self.changes.get(name)
        return timeline[-1].after if timeline else None

    def changes_before(self, name: str, seq: int) -> list[Change]:
        """The changes of ``name`` made by executions before the one numbered ``seq``."""
        return [c for c in self.changes.get(name, ()) if c.seq < seq]
