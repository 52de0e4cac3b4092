"""A zoo case: a short notebook, the order its cells are run in, and what its crash is.

Cases are written as templates whose ``$names`` are filled from pools of names and data
(:func:`vary`), so one kind of crash appears several times with different variables and data.
Nothing here imports the libraries the cases use.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from string import Template

from nbcrash_kernel.record.taxonomy import EXCEPTION_TYPES, ORIGINS, ROOT_CAUSES, STAGES

LABEL_FIELDS = ("exception_type", "exception_type_fine", "root_cause", "root_cause_fine",
                "origin", "stage", "library")


@dataclass(frozen=True)
class Labels:
    """The taxonomy labels of a case, by what the case was built to do."""

    exception_type: str
    exception_type_fine: str
    root_cause: str
    root_cause_fine: str
    origin: str
    stage: str
    library: str = ""

    def __post_init__(self):
        for value, codes, name in ((self.exception_type, EXCEPTION_TYPES, "exception type"),
                                   (self.root_cause, ROOT_CAUSES, "root cause"),
                                   (self.origin, ORIGINS, "origin"), (self.stage, STAGES, "stage")):
            if value not in codes:
                raise ValueError(f"unknown {name} code {value!r}")

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in LABEL_FIELDS}


@dataclass(frozen=True)
class Case:
    """One notebook that must crash with ``ename`` in the last cell of ``order``.

    ``order`` lists 0-based cell indices as a user runs them (cells may be skipped or run
    twice); ``prior_errors`` are the positions in ``order`` that are expected to crash too (a
    user who goes on after a crashed cell). ``fresh`` asks for a kernel of its own.
    """

    id: str
    group: str
    cells: tuple[str, ...]
    ename: str
    labels: Labels
    order: tuple[int, ...] = ()
    prior_errors: frozenset[int] = frozenset()
    fresh: bool = False
    template: str = ""

    def run_order(self) -> tuple[int, ...]:
        return self.order or tuple(range(len(self.cells)))


@dataclass
class CaseSet:
    """The cases of one library group, built template by template."""

    group: str
    cases: list[Case] = field(default_factory=list)

    def add(self, name: str, *, ename: str, labels: Labels, cells: list[str], variants: list[dict],
            order: tuple[int, ...] = (), prior_errors: tuple[int, ...] = (), fresh: bool = False) -> None:
        """Add one case per variant of a template (``$name`` placeholders in ``cells``)."""
        template = f"{self.group}-{name}"
        for number, values in enumerate(variants, 1):
            sources = tuple(Template(cell).substitute(values) for cell in cells)
            self.cases.append(Case(id=f"{template}-{number:02d}", group=self.group, cells=sources,
                                   ename=ename, labels=labels, order=order,
                                   prior_errors=frozenset(prior_errors), fresh=fresh, template=template))


def vary(_count: int, _seed: str, **pools: list) -> list[dict[str, str]]:
    """``count`` fillings of a template, each pool's values taken in a shuffled order.

    The shuffle is seeded by the template's name, so the zoo is the same at every run.
    """
    rng = random.Random(_seed)
    shuffled = {}
    for name, pool in pools.items():
        values = list(pool)
        rng.shuffle(values)
        shuffled[name] = values
    return [{name: str(values[i % len(values)]) for name, values in shuffled.items()} for i in range(_count)]
