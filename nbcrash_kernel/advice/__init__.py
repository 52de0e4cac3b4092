"""Advice a user can trust: the name that was meant and a concrete fix, on every card.

One module per concern, all pure functions over ``Evidence``:
``similar`` (CPython's did-you-mean ranking), ``names``, ``attributes``, ``keys``,
``arguments``, ``modules`` (did-you-mean for each kind of lookup), ``messages``
(message families of plain Python and their fixes), ``ml`` (shapes, devices,
fitting), ``fallback`` (one fix per exception type), and ``refine``, the pass that
applies them to a Diagnosis.
"""
from __future__ import annotations

from .evidence import Advice, Evidence
from .refine import advise, refine

__all__ = ["Advice", "Evidence", "advise", "refine", "refine_record"]


def refine_record(diagnosis, ename: str, evalue: str, traceback=None, cell_source: str = "", parsed=None):
    """The record-only path: refine ``diagnosis`` with what a saved crash gives."""
    line, modules = "", ()
    if parsed is not None:
        line = parsed.crashing_line or ""
        modules = tuple(parsed.libraries)
    evidence = Evidence.record(ename, evalue, traceback, line=line, modules=modules, cell_source=cell_source or "")
    return refine(diagnosis, evidence)
