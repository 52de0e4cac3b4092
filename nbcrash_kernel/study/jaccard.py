"""Connected components of the Jaccard-similarity graph of token sets, exactly and fast.

Two sets are linked when ``|x & y| / |x | y| >= threshold``; the components are those of the
all-pairs definition. Instead of comparing all pairs, candidates come from prefix filtering
(tokens ranked rarest first: two linked sets share a token among their first
``|x| - ceil(t |x|) + 1``) and length filtering (sets are visited by increasing size and a
linked ``y`` has ``|y| >= t |x|``), as in Bayardo et al.'s All-Pairs. Candidates already in the
set's component are skipped (that never changes a component), and the test is done in exact
integer arithmetic.
"""
from __future__ import annotations

from array import array
from fractions import Fraction
from typing import Hashable, Iterable, Sequence

import numpy as np

DEFAULT_THRESHOLD = Fraction(7, 10)


class _Components:
    """Union by size that keeps an explicit label per item, so labels can be compared in bulk."""

    def __init__(self, n: int) -> None:
        self.label = np.arange(n, dtype=np.int64)
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}

    def union(self, a: int, b: int) -> None:
        la, lb = int(self.label[a]), int(self.label[b])
        if la == lb:
            return
        if len(self.members[la]) < len(self.members[lb]):
            la, lb = lb, la
        moved = self.members.pop(lb)
        self.label[moved] = la
        self.members[la].extend(moved)


def _min_overlap_size(size: int, t: Fraction) -> int:
    """ceil(t * size) in exact arithmetic."""
    return -((-t.numerator * size) // t.denominator)


def is_linked(x: frozenset, y: frozenset, t: Fraction = DEFAULT_THRESHOLD) -> bool:
    """Jaccard(x, y) >= t, exactly; two empty sets are not linked."""
    overlap = len(x & y)
    union = len(x) + len(y) - overlap
    return union > 0 and overlap * t.denominator >= t.numerator * union


def jaccard_components(sets: Sequence[Iterable[Hashable]], threshold: Fraction | float = DEFAULT_THRESHOLD) -> list[int]:
    """A component label per input set (equal labels: same component).

    Empty sets are never linked to anything (each is its own component). Labels are arbitrary
    integers; use :func:`canonical_labels` for stable numbering.
    """
    t = Fraction(threshold).limit_denominator(10_000)
    if not 0 < t <= 1:
        raise ValueError("threshold must be in (0, 1]")
    frozen = [frozenset(s) for s in sets]
    unique: dict[frozenset, int] = {}
    index_of = [unique.setdefault(s, len(unique)) if s else -1 for s in frozen]
    unique_labels = _unique_components(list(unique), t)
    return [int(unique_labels[u]) if u >= 0 else len(unique) + i for i, u in enumerate(index_of)]


def _unique_components(sets: list[frozenset], t: Fraction) -> np.ndarray:
    frequency: dict[Hashable, int] = {}
    for s in sets:
        for token in s:
            frequency[token] = frequency.get(token, 0) + 1
    rank = {tok: r for r, tok in enumerate(sorted(frequency, key=lambda k: (frequency[k], repr(k))))}
    ranked = [frozenset(rank[tok] for tok in s) for s in sets]
    order = sorted(range(len(sets)), key=lambda i: len(ranked[i]))
    sizes = np.fromiter((len(s) for s in ranked), dtype=np.int64, count=len(ranked))
    components = _Components(len(sets))
    postings: dict[int, array] = {}
    posting_sizes: dict[int, array] = {}
    for x in order:
        xs = ranked[x]
        prefix = sorted(xs)[: len(xs) - _min_overlap_size(len(xs), t) + 1]
        min_size = _min_overlap_size(len(xs), t)
        candidates = _candidates(prefix, postings, posting_sizes, min_size)
        if candidates.size:
            _link_candidates(x, candidates, ranked, components, t)
        for token in prefix:
            postings.setdefault(token, array("q")).append(x)
            posting_sizes.setdefault(token, array("q")).append(int(sizes[x]))
    return components.label


def _candidates(prefix: list[int], postings: dict, posting_sizes: dict, min_size: int) -> np.ndarray:
    chunks = []
    for token in prefix:
        ids = postings.get(token)
        if ids is None:
            continue
        start = int(np.searchsorted(np.frombuffer(posting_sizes[token], dtype=np.int64), min_size))
        if start < len(ids):
            chunks.append(np.frombuffer(ids, dtype=np.int64)[start:].copy())
    if not chunks:
        return np.empty(0, dtype=np.int64)
    return np.unique(np.concatenate(chunks))


def _link_candidates(x: int, candidates: np.ndarray, ranked: list[frozenset], comps: _Components, t: Fraction) -> None:
    """Join x to every candidate's component that holds a set linked to x."""
    others = candidates[comps.label[candidates] != comps.label[x]]
    if not others.size:
        return
    by_label: dict[int, list[int]] = {}
    for y, label in zip(others.tolist(), comps.label[others].tolist()):
        by_label.setdefault(label, []).append(y)
    xs = ranked[x]
    for group in by_label.values():
        for y in group:
            if is_linked(xs, ranked[y], t):
                comps.union(x, y)
                break


def naive_components(sets: Sequence[Iterable[Hashable]], threshold: Fraction | float = DEFAULT_THRESHOLD) -> list[int]:
    """The all-pairs definition, for checking: quadratic, only for small inputs."""
    t = Fraction(threshold).limit_denominator(10_000)
    frozen = [frozenset(s) for s in sets]
    comps = _Components(len(frozen))
    for i in range(len(frozen)):
        for j in range(i + 1, len(frozen)):
            if is_linked(frozen[i], frozen[j], t):
                comps.union(i, j)
    return comps.label.tolist()


def canonical_labels(labels: Sequence[int]) -> list[int]:
    """Renumber labels 0, 1, ... in order of first appearance (to compare partitions)."""
    seen: dict[int, int] = {}
    return [seen.setdefault(label, len(seen)) for label in labels]
