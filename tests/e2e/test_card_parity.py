"""The card is drawn twice: by render.py (saved outputs, nbconvert, the audit's HTML) and by
labextension/src/card.ts (JupyterLab). Both draw the same record fixtures here, in Chromium, and
one extractor reads the same fields from each: headline, verdict, badges (words and tooltip),
explanation, evidence, fixes and the Why trace.

card.ts runs as tsc compiled it (labextension/lib), served to a blank page: no Lab needed.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from nbcrash_kernel.card.render import card_html

LIB = Path(__file__).resolve().parents[2] / "labextension" / "lib"
ORIGIN = "http://nbcrash.test"

RECORDS = {
    "out-of-order": {
        "ename": "NameError", "evalue": "name 'X_train' is not defined",
        "exception_type": "VNF", "root_cause": "NB", "root_cause_detail": "nb specific - execution order",
        "origin": "ML", "library": "sklearn", "stage": "TRAIN",
        "summary": "Out-of-order execution: `X_train` is defined in cell #10, which has not run.",
        "explanation": "NameError: name 'X_train' is not defined. nbcrash reads this as a variable not found.",
        "evidence": ["'X_train' is defined in cell #10, which has not run",
                     "stage TRAIN (training): the failing line uses `.fit()`"],
        "suggestions": ["Run cell #10 first, then re-run this cell."],
        "related_cells": [{"cell_id": "split", "index": 9, "role": "definer-not-run", "names": ["X_train"]}],
        "cell_id": "train", "execution_count": 6,
        "trace": {"root_cause": {"rule": "nb.definer-not-run", "why": "only an unrun cell defines `X_train`",
                                 "candidates": ["NB"]},
                  "stage": {"rule": "stage.fit", "why": "`.fit()` trains a model"}},
    },
    "data": {
        "ename": "KeyError", "evalue": "'petal length'", "exception_type": "KEY", "root_cause": "DATA",
        "origin": "ML", "library": "pandas", "stage": "DATAP",
        "summary": "Data confusion: the key or column is not in the data.",
        "explanation": "The column was renamed by an earlier cell.",
        "evidence": ["petal length is not among the columns of `df`"],
        "suggestions": ["Check the exact names with `df.columns.tolist()`"],
    },
    "unknown-codes": {"ename": "RuntimeError", "evalue": "<b>boom</b>", "root_cause": "ZZZ",
                      "exception_type": "OTHER", "evidence": "one line", "trace": "not a mapping"},
}

EXTRACT = """card => {
  const all = (selector) => [...card.querySelectorAll(selector)];
  const text = (selector) => { const n = card.querySelector(selector); return n ? n.textContent.trim() : ''; };
  return {
    headline: text('.nbcrash-headline'),
    verdict: text('.nbcrash-verdict'),
    badges: all('.nbcrash-badge').map(b => [b.textContent.trim(), b.title]),
    explanation: text('.nbcrash-explanation'),
    evidence: all('.nbcrash-evidence li').map(li => li.textContent.trim()),
    fixes: all('.nbcrash-fixes li').map(li => li.textContent.trim()),
    why: all('.nbcrash-why li').map(li => li.textContent.trim()),
    whyOpen: all('details.nbcrash-why').map(d => d.open),
  };
}"""

DRAW = """async ([records, extract]) => {
  const { crashCard } = await import('/lib/card.js');
  const { readCrash } = await import('/lib/record.js');
  const read = eval(extract);
  const actions = { goToCell() {}, runCellsThenThis() { return Promise.resolve(true); } };
  const out = {};
  for (const [name, pair] of Object.entries(records)) {
    const host = document.createElement('div');
    document.body.appendChild(host);
    const lab = crashCard(readCrash(pair.record), actions, host);
    host.appendChild(lab);
    const saved = document.createElement('div');
    saved.innerHTML = pair.html;
    document.body.appendChild(saved);
    out[name] = { lab: read(lab), saved: read(saved.firstElementChild) };
  }
  return out;
}"""


def _serve_lib(route):
    path = route.request.url[len(ORIGIN):].split("?")[0]
    if path == "/":
        return route.fulfill(body="<!DOCTYPE html><html><body></body></html>", content_type="text/html")
    file = LIB / Path(path).relative_to("/lib")
    if file.suffix != ".js":  # tsc keeps the imports as written: './dom'
        file = file.with_suffix(".js")
    if not file.is_file():
        return route.fulfill(status=404, body="")
    route.fulfill(body=file.read_text(encoding="utf-8"), content_type="text/javascript")


def test_render_py_and_card_ts_show_the_same_fields(page):
    if not (LIB / "card.js").is_file():
        pytest.fail("labextension/lib is missing: run `jlpm build:lib` in labextension/")
    page.route(f"{ORIGIN}/**", _serve_lib)
    page.goto(f"{ORIGIN}/")
    records = {name: {"record": r, "html": card_html(r)} for name, r in RECORDS.items()}
    drawn = page.evaluate(DRAW, [json.loads(json.dumps(records)), EXTRACT])
    for name, faces in drawn.items():
        assert faces["lab"] == faces["saved"], name
    ooo = drawn["out-of-order"]["lab"]
    assert ("notebook-specific issue (nb specific - execution order)", "Root cause: NB") in \
        [tuple(b) for b in ooo["badges"]]
    assert ooo["explanation"] == ""  # it restated the headline
    assert ooo["evidence"] == ["stage TRAIN (training): the failing line uses .fit()"]  # the other: the verdict
    assert ooo["whyOpen"] == [False] and len(ooo["why"]) == 2
    assert drawn["data"]["lab"]["explanation"] == "The column was renamed by an earlier cell."
    assert drawn["data"]["lab"]["why"] == []
    assert drawn["unknown-codes"]["lab"]["headline"] == "RuntimeError: <b>boom</b>"
