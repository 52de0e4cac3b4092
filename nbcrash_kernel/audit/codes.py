"""The code of everything the audit reports, and choosing which codes to report.

A finding's code is its kind (``out-of-order``, ``never-ran``...); a crash's
code is ``crash-`` and its root cause in lower case (``crash-nb``, ``crash-data``),
the rule names of the SARIF format. A selector matches a code equal to it or
starting with it and a dash, so ``crash`` selects every crash; ``ALL`` selects all.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from ..record.taxonomy import ROOT_CAUSES

ALL = "ALL"

FINDING_KINDS: dict[str, str] = {
    "out-of-order": "cells ran out of order",
    "defined-below": "name used above its only definition",
    "never-ran": "cell never ran while cells below it did",
    "undefined-name": "name used but defined nowhere",
    "irreproducible-output": "saved output a top-to-bottom run cannot reproduce",
}


def crash_code(crash: dict[str, Any]) -> str:
    """``crash-nb``: the code of a crash record, by its root cause."""
    return f"crash-{str(crash.get('root_cause') or 'UNK').lower()}"


def known_codes() -> list[str]:
    """Every code the audit can report: finding kinds, then one per root cause."""
    return list(FINDING_KINDS) + [f"crash-{code.lower()}" for code in ROOT_CAUSES]


def matches(code: str, selector: str) -> bool:
    """Whether ``selector`` (``out-of-order``, ``crash``, ``crash-nb``, ``ALL``) covers ``code``."""
    selector = selector.strip()
    if selector.upper() == ALL:
        return True
    selector = selector.lower()
    return code == selector or code.startswith(selector + "-")


def unknown_selectors(selectors: Iterable[str]) -> list[str]:
    """The selectors that match no code the audit knows (typos, to report as a usage error)."""
    codes = known_codes()
    return [s for s in selectors if not any(matches(code, s) for code in codes)]


def parse_selectors(text: str | Iterable[str] | None) -> list[str]:
    """``"out-of-order, crash-nb"`` (or a list of such strings) as a list of selectors."""
    if text is None:
        return []
    parts = [text] if isinstance(text, str) else list(text)
    return [s.strip() for part in parts for s in str(part).split(",") if s.strip()]


@dataclass(frozen=True)
class CodeFilter:
    """ruff's rule: with ``select``, only the codes it covers; then none that ``ignore`` covers."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def keeps(self, code: str) -> bool:
        if self.select and not any(matches(code, s) for s in self.select):
            return False
        return not any(matches(code, s) for s in self.ignore)

    @property
    def is_everything(self) -> bool:
        return not self.select and not self.ignore

    def apply(self, report: Any) -> None:
        """Drop from ``report`` (a ``NotebookReport``) the crashes and findings it does not keep."""
        report.crashes = [c for c in report.crashes if self.keeps(crash_code(c))]
        report.findings = [f for f in report.findings if self.keeps(f["kind"])]
