"""The crash card and warning renderers: escaped, self-contained, never raising."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nbcrash_kernel.card.render import card_html, card_text, category_words, warning_html, warning_text

RECORD = {
    "ename": "NameError", "evalue": "name 'X_train' is not defined",
    "exception_type": "VNF", "root_cause": "NB", "root_cause_detail": "nb specific - execution order",
    "origin": "ML", "library": "sklearn", "stage": "TRAIN",
    "summary": "Out-of-order execution: `X_train` is defined in cell [5], which has not run.",
    "explanation": "The cell needs X_train.",
    "evidence": ["cell [5] defines `X_train` and has not run"],
    "suggestions": ["run cell [5] first"],
    "related_cells": [{"cell_id": "abc", "index": 5, "role": "definer-not-run", "names": ["X_train"]},
                      {"cell_id": "me", "index": 7, "role": "crashed"}],
    "confidence": 0.9,
}


def test_text_card_has_verdict_categories_evidence_fix_and_related_cell():
    text = card_text(RECORD)
    assert RECORD["summary"] in text
    assert "notebook-specific issue (nb specific - execution order)" in text
    assert "variable not found" in text and "training" in text and "(sklearn)" in text
    assert "Evidence: cell [5] defines `X_train`" in text
    assert "Fix: run cell [5] first" in text
    assert "Related: cell #6 (defines it, has not run): X_train" in text  # index 5: the 6th cell
    assert "cell #8" not in text  # the crashed cell itself is not listed as related


def test_html_card_renders_code_spans_and_sections():
    html = card_html(RECORD)
    assert html.startswith('<div class="nbcrash-card"') and html.endswith("</div>")
    assert "<code" in html and "X_train</code>" in html
    for section in ("Evidence", "How to fix", "Related cells"):
        assert section in html
    assert "<script" not in html


def test_everything_from_the_exception_is_escaped():
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    record = dict(RECORD, evalue=evil, summary=evil, evidence=[evil], suggestions=[f"`{evil}`"],
                  library=evil, related_cells=[{"role": "definer", "names": [evil], "cell_id": evil}])
    html = card_html(record)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    warning = warning_html({"message": evil, "names": [evil]})
    assert "<script" not in warning and "&lt;script&gt;" in warning


def test_long_fields_are_cut():
    record = dict(RECORD, evalue="x" * 1_000_000, evidence=["y" * 1_000_000] * 100)
    assert len(card_html(record)) < 100_000
    assert len(card_text(record)) < 100_000


def test_malformed_records_do_not_raise():
    for record in (None, {}, {"evidence": "one line"}, {"related_cells": [None, 3, {"index": "x"}]},
                   {"root_cause": 5, "stage": None, "evidence": [object()]}):
        assert "nbcrash" in card_text(record)
        assert "nbcrash" in card_html(record)
    assert "nbcrash" in warning_text(None) and "nbcrash" in warning_html(None)


def test_unknown_codes_are_shown_as_is():
    words = dict(category_words({"root_cause": "ZZZ", "exception_type": "QQQ"}))
    assert words["Root cause"] == "ZZZ" and words["Exception"] == "QQQ"


def test_warning_text_and_html():
    warning = {"kind": "execution-order", "names": ["X"], "cells": [],
               "message": "`X` is defined in cell [2], which has not run in this session. Run cell [2] first."}
    assert warning_text(warning).endswith("Run cell [2] first.")
    assert "<code" in warning_html(warning)


text = st.text(max_size=300)
records = st.fixed_dictionaries({}, optional={
    key: st.one_of(text, st.none(), st.integers(), st.lists(text, max_size=5))
    for key in ("ename", "evalue", "exception_type", "root_cause", "root_cause_detail", "origin",
                "library", "stage", "summary", "explanation", "evidence", "suggestions")
})


@settings(max_examples=100, deadline=None)
@given(records, text)
def test_any_record_renders_without_raw_markup(record, payload):
    record = dict(record, evalue=f"<b>{payload}</b>")
    html = card_html(record)
    assert "<b>" not in html  # the only tags are the card's own
    assert isinstance(card_text(record), str)
