"""The card reads without taxonomy.md: words on the badges (the code in a tooltip), no paragraph
restating the headline, and a collapsed "Why" when the record carries its rule trace."""
from __future__ import annotations

import re

from nbcrash_kernel.card.render import card_html, card_text

RECORD = {
    "ename": "KeyError", "evalue": "'petal length'",
    "exception_type": "KEY", "root_cause": "DATA", "origin": "ML", "library": "pandas",
    "stage": "DATAP",
    "summary": "Data confusion: KeyError, because the key or column is not in the data.",
    "explanation": "KeyError: 'petal length'. The failing line is `df['petal length']`. nbcrash reads "
                   "this as a key error caused by data confusion.",
    "evidence": ["petal length is not among the columns of `df`"],
    "suggestions": ["Check the exact names with `df.columns.tolist()`"],
    "cell_id": "explore", "cell_index": 4, "execution_count": 3,
}
TRACE = {
    "exception_type": {"rule": "exception.key", "why": "a KeyError is a key error", "candidates": []},
    "root_cause": {"rule": "data.missing-column", "why": "`df` has no column 'petal length'",
                   "candidates": ["DATA", "IMPL"]},
    "origin": {"rule": "origin.library-frame", "why": "the error passes through pandas"},
    "stage": {"rule": "stage.method", "why": "`.describe()` explores data"},
}


def _badges(html):
    return re.findall(r'<span class="nbcrash-badge"[^>]*title="([^"]*)"[^>]*>([^<]*)</span>', html)


def test_badges_show_words_with_the_code_in_a_tooltip():
    badges = _badges(card_html(RECORD))
    assert ("Stage: DATAP", "data preparation") in badges
    assert ("Exception: KEY", "key error") in badges
    assert all(words != code.split(": ")[1] for code, words in badges)


def test_no_paragraph_restates_the_headline():
    for card in (card_html(RECORD), card_text(RECORD)):
        assert "nbcrash reads this as" not in card
    kept = dict(RECORD, explanation="The column was renamed by an earlier cell.")
    assert "renamed by an earlier cell" in card_html(kept) and "renamed by an earlier cell" in card_text(kept)


def test_the_rule_trace_shows_only_when_the_record_has_one():
    assert "<details" not in card_html(RECORD) and "why:" not in card_text(RECORD)
    html = card_html(dict(RECORD, trace=TRACE))
    why = re.search(r'<details class="nbcrash-why"[^>]*><summary>Why</summary>(.*?)</details>', html)
    assert why and "data.missing-column" in why.group(1)
    assert "<code" in why.group(1) and "open" not in html.split("<details")[1].split(">")[0]
    text = card_text(dict(RECORD, trace=TRACE))
    assert "why: Root cause: `df` has no column 'petal length' [data.missing-column]" in text
    assert text.count("why:") == 4


def test_a_malformed_trace_is_ignored_and_escaped():
    evil = "<script>x</script>"
    html = card_html(dict(RECORD, trace={"stage": {"rule": evil, "why": evil}, "origin": "nope"}))
    assert "<script" not in html and html.count("<li><b>") == 1
    assert card_html(dict(RECORD, trace=["not", "a", "mapping"])).count("<details") == 0
