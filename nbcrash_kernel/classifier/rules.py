"""Rules: one unit per verdict, a registry of them, and the engine that runs it.

A rule has a stable id (``ET-SHAPE-MESSAGE``, ``RC-NAME-TYPO``...), the dimension it decides,
the verdict it gives (a code and its fine label), a predicate over the crash's ``Signals`` and
example crash records. The predicate returns a false value when the rule does not apply, and
``True`` or the sentence that says why when it does. The engine tries the rules of a dimension
in registry order; the first that fires decides, and the trace records it.

Rules are registered with the ``@rule`` decorator; the predicate's docstring is the rule's
documentation (first line: its summary; then what it means, why, and an example).
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

DIMENSIONS: tuple[str, ...] = ("exception_type", "root_cause", "origin", "stage")
PREFIXES = {"exception_type": "ET", "root_cause": "RC", "origin": "OR", "stage": "ST"}


@dataclass(frozen=True)
class Rule:
    """One registered rule: what it decides, when, and the crashes that show it."""

    id: str
    dimension: str
    code: str
    detail: str
    predicate: Callable[[Any], Any]
    doc: str
    examples: tuple[dict[str, Any], ...]
    confidence: float | None = None
    types: frozenset[str] | None = None  # root-cause rules: the exception types they read
    fix: str = ""
    notebook: bool = False  # reads the notebook graph; overrides the record's rules when it fires

    @property
    def summary(self) -> str:
        return self.doc.split("\n", 1)[0].strip()

    def fires(self, signals: Any) -> Any:
        """What the predicate found (a sentence, True, or a ``Found``), or None when the rule does not apply."""
        result = self.predicate(signals)
        return result if result else None

    def why(self, result: Any) -> str:
        """The sentence that says why the rule fired."""
        if isinstance(result, str):
            return result
        return getattr(result, "why", None) or self.summary

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "dimension": self.dimension, "verdict": self.code, "detail": self.detail,
                "summary": self.summary, "doc": self.doc, "types": sorted(self.types) if self.types else [],
                "fix": self.fix, "notebook": self.notebook, "examples": len(self.examples)}


@dataclass
class Registry:
    """The rules of every dimension, in the order the engine tries them."""

    rules: dict[str, list[Rule]] = field(default_factory=lambda: {d: [] for d in DIMENSIONS})
    by_id: dict[str, Rule] = field(default_factory=dict)
    _by_type: dict[str, list[Rule]] = field(default_factory=dict)

    def add(self, new: Rule) -> Rule:
        if new.id in self.by_id:
            raise ValueError(f"rule id {new.id} registered twice")
        if not new.id.startswith(PREFIXES[new.dimension] + "-"):
            raise ValueError(f"rule id {new.id} does not start with {PREFIXES[new.dimension]}-")
        if not new.examples:
            raise ValueError(f"rule {new.id} has no example crash record")
        self.rules[new.dimension].append(new)
        self.by_id[new.id] = new
        self._by_type.clear()
        return new

    def ordered(self, dimension: str) -> list[Rule]:
        return self.rules[dimension]

    def for_type(self, exception_type: str) -> list[Rule]:
        """Root-cause rules that read crashes of this exception type, in order."""
        cached = self._by_type.get(exception_type)
        if cached is None:
            cached = [r for r in self.rules["root_cause"]
                      if not r.notebook and (r.types is None or exception_type in r.types)]
            self._by_type[exception_type] = cached
        return cached

    def notebook_rules(self) -> list[Rule]:
        return [r for r in self.rules["root_cause"] if r.notebook]

    def all(self) -> Iterable[Rule]:
        for dimension in DIMENSIONS:
            yield from self.rules[dimension]


REGISTRY = Registry()


def rule(rule_id: str, code: str, detail: str = "", *, examples: Iterable[dict[str, Any]],
         confidence: float | None = None, types: Iterable[str] | None = None, fix: str = "",
         dimension: str | None = None, notebook: bool = False) -> Callable[[Callable[[Any], Any]], Rule]:
    """Register the decorated predicate as a rule (the dimension follows from the id's prefix)."""
    if dimension is None:
        dimension = next(d for d, p in PREFIXES.items() if rule_id.startswith(p + "-"))

    def register(predicate: Callable[[Any], Any]) -> Rule:
        doc = inspect.cleandoc(predicate.__doc__ or "")
        if not doc:
            raise ValueError(f"rule {rule_id} has no docstring")
        return REGISTRY.add(Rule(rule_id, dimension, code, detail, predicate, doc, tuple(examples),
                                 confidence, frozenset(types) if types is not None else None, fix, notebook))

    return register


@dataclass(frozen=True)
class Found:
    """What a rule found beyond its verdict: the sentence, and the cells it names."""

    why: str
    related: tuple = ()
    library: str = ""


@dataclass(frozen=True)
class Decision:
    """The rule that decided a dimension, why, and the other rules that fired (``overridden``).

    The root cause lists the record's rule a notebook rule overrode; with ``weigh_all`` (``--explain``)
    every later rule that fires is listed too, in order.
    """

    rule: Rule
    why: str
    result: Any = None
    overridden: tuple["Decision", ...] = ()

    def trace(self, candidates: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        if candidates is None:
            candidates = [candidate(self.rule)] + [candidate(d.rule) for d in self.overridden]
        return {"rule": self.rule.id, "why": self.why, "candidates": candidates}


def candidate(chosen: Rule, verdict: str | None = None, score: float | None = None) -> dict[str, Any]:
    return {"rule": chosen.id, "verdict": verdict or chosen.code, "score": score}


def first_match(rules: Iterable[Rule], signals: Any, weigh_all: bool = False) -> Decision:
    """The first rule that fires; every dimension ends with a rule that always does."""
    decision = try_rules(rules, signals, weigh_all)
    if decision is None:
        raise LookupError("no rule fired: the dimension lacks its catch-all rule")
    return decision


def try_rules(rules: Iterable[Rule], signals: Any, weigh_all: bool = False) -> Decision | None:
    """The first rule that fires, or None; with ``weigh_all``, the later rules that fire too are kept."""
    rules = rules if isinstance(rules, list) else list(rules)
    for position, candidate_rule in enumerate(rules):
        result = candidate_rule.predicate(signals)  # Rule.fires, inlined: the engine's hot loop
        if result:
            decision = Decision(candidate_rule, candidate_rule.why(result), result)
            if weigh_all:
                later = tuple(Decision(r, r.why(found), found) for r in rules[position + 1:]
                              if (found := r.fires(signals)) is not None)
                decision = Decision(decision.rule, decision.why, result, later)
            return decision
    return None


def example(ename: str, evalue: str, traceback: str | list[str] = "", **more: Any) -> dict[str, Any]:
    """An example crash record, as rules list them."""
    return {"ename": ename, "evalue": evalue, "traceback": traceback, **more}


CELL_FILE = "/tmp/ipykernel_42/1234567890.py"


def traceback_text(ename: str, evalue: str, *frames: tuple) -> str:
    """A Python traceback through ``frames`` (``(file, source line[, line number[, function]])``, outermost first)."""
    lines = ["Traceback (most recent call last):"]
    for number, (filename, line, *more) in enumerate(frames, 1):
        lineno = more[0] if more else number * 3
        function = more[1] if len(more) > 1 else ("<module>" if filename == CELL_FILE else "call")
        lines += [f'  File "{filename}", line {lineno}, in {function}', f"    {line}"]
    lines.append(f"{ename}: {evalue}")
    return "\n".join(lines)


def library_crash(ename: str, evalue: str, line: str, library_file: str, function: str = "raise") -> dict[str, Any]:
    """An example record: the cell's line, then the library file that raised."""
    return example(ename, evalue, traceback_text(ename, evalue, (CELL_FILE, line), (site(library_file), function)))


def site(library_file: str) -> str:
    """The path of a library module installed in site-packages (``sklearn/base.py``)."""
    return f"/usr/lib/python3.11/site-packages/{library_file}"
