"""Typos: which identifier of the code an undefined name is a slip of."""
from __future__ import annotations

import difflib
import re

from .signals import Signals


def close_identifier(signals: Signals, name: str) -> str | None:
    """A different identifier in the code that looks like a typo of ``name``."""
    assigned_here = set(re.findall(r"([A-Za-z_]\w*)\s*(?:,\s*[A-Za-z_]\w*\s*)*=(?!=)", signals.crashing_line))
    return close_name(name, set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", signals.code_context)) - assigned_here)


def close_name(name: str, candidates: set[str]) -> str | None:
    """The candidate that looks like a typo of ``name`` (case slip, missing or extra letter)."""
    if not name or len(name) < 4:
        return None
    candidates = candidates - {name}
    for candidate in candidates:
        if candidate.lower() == name.lower():
            return candidate
    close = difflib.get_close_matches(name, sorted(candidates), n=3, cutoff=0.88)
    return next((c for c in close if not _sibling(name, c)), None)


def _sibling(a: str, b: str) -> bool:
    """Names of a family, not typos: x_train/y_train, model1/model2, model/model12."""
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diffs) != 1:
            return False
        i = diffs[0]
        # a digit, or a one-letter prefix or part: d_optimizer/g_optimizer, x_train/y_train
        return a[i].isdigit() or b[i].isdigit() or i == 0 or "_" in a[max(0, i - 1):i + 2]
    short, long_ = sorted((a, b), key=len)
    return long_.startswith(short) and long_[len(short):].strip("_").isdigit()
