"""The trace in every face: the live card record and `%nbcrash why`, audit JSON, SARIF properties."""
from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from nbcrash_kernel.audit.formats import render
from nbcrash_kernel.audit.runner import audit_paths
from nbcrash_kernel.classifier.rules import DIMENSIONS, REGISTRY


def _assert_trace(record):
    assert set(record["trace"]) == set(DIMENSIONS)
    for dimension in DIMENSIONS:
        decided = record["trace"][dimension]
        assert REGISTRY.by_id[decided["rule"]].dimension == dimension and decided["why"]


@pytest.fixture()
def audited(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    nb = new_notebook(cells=[
        new_code_cell("import pandas as pd", execution_count=1),
        new_code_cell("df = pd.DataFrame({'qty': [1]})\ndf['price']", execution_count=2, outputs=[new_output(
            "error", ename="KeyError", evalue="'price'", traceback=["KeyError: 'price'"])]),
    ])
    nbformat.write(nb, str(tmp_path / "a.ipynb"))
    return audit_paths(["a.ipynb"], jobs=1, progress=False)


def test_audit_json_crashes_carry_the_trace(audited):
    (crash,) = json.loads(render(audited, "json"))["notebooks"][0]["crashes"]
    _assert_trace(crash)
    assert crash["trace"]["exception_type"]["rule"] == "ET-KEY"


def test_sarif_results_carry_the_trace_in_their_properties(audited):
    (result,) = [r for r in json.loads(render(audited, "sarif"))["runs"][0]["results"]
                 if r["ruleId"].startswith("nbcrash/root-cause/")]
    _assert_trace(result["properties"])


@pytest.fixture(scope="module")
def kernel():
    from nbcrash_kernel.live.driver import KernelDriver

    driver = KernelDriver()
    yield driver
    driver.shutdown()


def test_live_card_record_has_the_trace_and_nbcrash_why_shows_it(kernel):
    run = kernel.run("import numpy as np\nvalues = {'a': 1}\nvalues['b']")
    (card,) = run.crashes
    _assert_trace(card)
    why = kernel.run("%nbcrash why").text
    assert "ET-KEY" in why and card["trace"]["root_cause"]["rule"] in why
    assert card["trace"]["root_cause"]["why"] in why
