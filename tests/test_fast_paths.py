"""The fast paths of the per-crash work give the answers of the plain code they stand in for."""
from __future__ import annotations

import random
import re

import pytest

from nbcrash_kernel.advice.similar import CASE_COST, MOVE_COST, distance
from nbcrash_kernel.knowledge.messages import ascii_lowered
from nbcrash_kernel.knowledge.raise_sites import _ANY_SITE, FAMILIES, SiteFamily, _window
from nbcrash_kernel.record.safe_text import clean_data, clean_text


def _levenshtein(a: str, b: str, max_cost: int) -> int:
    """CPython's suggestion distance written plainly (full table, bound applied at the end)."""
    if a == b:
        return 0
    row = [MOVE_COST * j for j in range(len(b) + 1)]
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], MOVE_COST * i
        for j, y in enumerate(b, 1):
            cost = 0 if x == y else CASE_COST if x.lower() == y.lower() else MOVE_COST
            previous, row[j] = row[j], min(row[j] + MOVE_COST, row[j - 1] + MOVE_COST, previous + cost)
    return row[-1] if row[-1] <= max_cost else max_cost + 1


def test_the_did_you_mean_distance_is_cpythons_within_the_bound():
    rng = random.Random(7)
    letters = "abcAB_xyzK"
    for _ in range(3000):
        a = "".join(rng.choice(letters) for _ in range(rng.randint(0, 7)))
        b = "".join(rng.choice(letters) for _ in range(rng.randint(0, 7)))
        bound = rng.randint(0, 16)
        expected = _levenshtein(a, b, bound)
        found = distance(a, b, bound)
        assert (found if found <= bound else bound + 1) == expected, (a, b, bound)


def test_a_lower_cased_pattern_matches_where_the_case_insensitive_one_does_on_ascii():
    pattern = re.compile(r"\b(?:will|would) (?:fail|crash)\b|\w+Error", re.IGNORECASE)
    lowered = ascii_lowered(pattern)
    for text in ("This WILL fail", "raises a KeyError", "it would Crash now", "no failure", "keyerror", ""):
        expected = pattern.search(text)
        found = lowered.search(text.lower())
        assert (found and found.span()) == (expected and expected.span())


@pytest.mark.parametrize("source", [r"\S+ error", r"\Bword", "café"])
def test_a_pattern_lower_casing_would_change_is_refused(source):
    with pytest.raises(ValueError):
        ascii_lowered(re.compile(source, re.IGNORECASE))


def test_raise_site_families_match_as_their_single_search_does():
    messages = [site.pattern.replace("\\", "").replace("^", "") for family in FAMILIES for site in family.sites]
    messages += ["x " + m for m in messages] + ["", "Error: nothing known", "\nthe size of tensor a (3)"]
    for family in (*FAMILIES, _ANY_SITE):
        assert isinstance(family, SiteFamily)
        for message in messages:
            assert family.matches(message) == bool(family._regex.search(_window(message))), message


def test_cleaning_keeps_printable_ascii_and_still_strips_and_escapes():
    plain = "KeyError: 'price'"
    assert clean_text(plain) is plain
    assert clean_text("a\x1b[31mred\x1b[0m\tb\n") == "ared\tb\n"
    assert clean_text("bad \ud800 char") == "bad \\ud800 char"
    nested = {"a": ["x\x1b[1m", 3, 2.5, None, True, ("t", {"k\x07": "v"})], 7: "\x1b]0;title\x07ok"}
    assert clean_data(nested) == {"a": ["x", 3, 2.5, None, True, ["t", {"k": "v"}]], 7: "ok"}
    assert clean_data(["\x1b[1m"], strip=False) == ["\x1b[1m"]
