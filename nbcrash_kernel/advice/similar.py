"""Did-you-mean: the candidate closest to a mistyped word, as CPython ranks it.

CPython 3.10+ suggests names and attributes in ``Python/suggestions.c``: a
Levenshtein distance where a case flip costs 1 and any other edit costs 2
(``CASE_COST``, ``MOVE_COST``), a candidate qualifies when its distance is at
most ``(len(a) + len(b) + 3) * MOVE_COST // 6``, and the closest one wins
(first in iteration order on a tie). CPython gives up above 750 candidates
(``MAX_CANDIDATE_ITEMS``) and for names over 40 characters (``MAX_STRING_SIZE``);
nbcrash keeps the same ranking without those limits, so its first answer is
CPython's own whenever CPython answers at all.

Speed: candidates are filtered before the distance is computed, by length
(each missing or extra character costs ``MOVE_COST``) and by the symmetric
difference of their case-folded letter sets (an edit of cost 2 removes at most
one letter from each side of it), and tried cheapest
bound first, stopping once no candidate left can beat the best found.
"""
from __future__ import annotations

import re
from typing import Iterable

MOVE_COST = 2
CASE_COST = 1
MAX_STRING_SIZE = 40

_DID_YOU_MEAN = re.compile(r"Did you mean:? '?([\w.]+)'?\?")
_FORGOT_IMPORT = re.compile(r"Did you forget to import '([\w.]+)'\?")


def _substitution_cost(a: str, b: str) -> int:
    if a == b:
        return 0
    return CASE_COST if a.lower() == b.lower() else MOVE_COST


def distance(a: str, b: str, max_cost: int) -> int:
    """CPython's ``levenshtein_distance``: ``max_cost + 1`` once the bound is passed."""
    if a == b:
        return 0
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    a, b = a[start:], b[start:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    if not a or not b:
        return (len(a) + len(b)) * MOVE_COST
    if abs(len(a) - len(b)) * MOVE_COST > max_cost:
        return max_cost + 1
    if len(b) < len(a):
        a, b = b, a
    row = [MOVE_COST * (i + 1) for i in range(len(a))]
    folded_a = [char.lower() for char in a]  # _substitution_cost, inlined: the loop runs per pair of letters
    result = 0
    for j, char_b in enumerate(b):
        folded_b = char_b.lower()
        distance_so_far = result = MOVE_COST * j
        minimum = max_cost + 1
        for i, char_a in enumerate(a):
            substitute = distance_so_far if char_a == char_b else \
                distance_so_far + (CASE_COST if folded_a[i] == folded_b else MOVE_COST)
            distance_so_far = row[i]
            result += MOVE_COST
            if distance_so_far + MOVE_COST < result:
                result = distance_so_far + MOVE_COST
            if substitute < result:
                result = substitute
            row[i] = result
            if result < minimum:
                minimum = result
        if minimum > max_cost:
            return max_cost + 1
    return result


def max_distance(word: str, candidate: str) -> int:
    return (len(word) + len(candidate) + 3) * MOVE_COST // 6


def ranked(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` candidates within CPython's distance bound, closest first.

    A case-insensitive exact match (``Tkinter`` for ``tkinter``) always ranks
    first; ties keep the candidates' order (CPython keeps the first it meets).
    Candidates are tried in order of a cheap lower bound of their distance, and the
    search stops once that bound exceeds the n-th best distance found: the result
    is the same as trying them all.
    """
    if not word or len(word) > 4 * MAX_STRING_SIZE:
        return []
    folded = word.casefold()
    letters = frozenset(folded)
    size = len(word)
    bounded: list[tuple[int, int, str, int]] = []
    scored: list[tuple[int, int, str]] = []
    for order, candidate in enumerate(candidates):
        if not isinstance(candidate, str) or candidate == word:
            continue
        bound = (size + len(candidate) + 3) * MOVE_COST // 6
        length_cost = abs(len(candidate) - size) * MOVE_COST
        if length_cost > bound:
            continue
        other = candidate.casefold()
        if other == folded:
            scored.append((-1, order, candidate))
            continue
        missing = MOVE_COST * sum(1 for letter in letters if letter not in other)  # cheap: no set built
        if missing > bound:
            continue
        lower = max(length_cost, missing, MOVE_COST * len(set(other).difference(letters)))
        if lower <= bound:
            bounded.append((lower, order, candidate, bound))
    bounded.sort()
    for lower, order, candidate, bound in bounded:
        if len(scored) >= n:
            scored.sort()
            worst = scored[n - 1][0]
            if lower > worst:
                break
            bound = min(bound, worst)
        cost = distance(word, candidate, bound)
        if cost <= bound:
            scored.append((cost, order, candidate))
    scored.sort()
    return [candidate for _, _, candidate in scored[:n]]


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The single best candidate: CPython's answer, else a swapped pair or a cut word (``extended``)."""
    candidates = list(candidates)
    found = ranked(word, candidates, n=1)
    return found[0] if found else extended(word, candidates)


def extended(word: str, candidates: list[str]) -> str | None:
    """Beyond CPython's bound: two adjacent letters swapped (``lne`` -> ``len``, Damerau's
    transposition), or a word that contains a member whole (``lowercase`` -> ``lower``,
    ``iteritems`` -> ``items``), the longest first."""
    if len(word) < 3:
        return None
    folded = word.casefold()
    for candidate in candidates:
        if isinstance(candidate, str) and len(candidate) == len(word) and _one_swap(folded, candidate.casefold()):
            return candidate
    contained = [c for c in candidates if isinstance(c, str) and len(c) >= 4 and c != word
                 and 2 * len(c) + 2 >= len(word) and (folded.startswith(c.casefold()) or folded.endswith(c.casefold()))]
    return max(contained, key=len) if contained else None


def _one_swap(a: str, b: str) -> bool:
    diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]


def suggestion_in_text(text: str) -> str | None:
    """CPython's own suggestion when a message or traceback carries it (3.10+ output)."""
    match = _DID_YOU_MEAN.search(text or "")
    return match.group(1) if match else None


def forgotten_import_in_text(text: str) -> str | None:
    """CPython 3.12+'s ``Did you forget to import 'x'?``."""
    match = _FORGOT_IMPORT.search(text or "")
    return match.group(1) if match else None


def cpython_suggestion(exc: BaseException) -> str | None:
    """The suggestion CPython itself prints for ``exc``, where this Python exposes it.

    ``traceback._compute_suggestion_error`` exists from 3.12 (private API; guarded).
    """
    import traceback

    compute = getattr(traceback, "_compute_suggestion_error", None)
    name = getattr(exc, "name", None)
    if compute is None or not isinstance(name, str):
        return None
    try:
        return compute(exc, exc.__traceback__, name)
    except Exception:  # noqa: BLE001 - a private API may change
        return None
