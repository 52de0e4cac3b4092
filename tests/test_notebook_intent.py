"""Crashes the author meant (INTENT): the raises-exception tag, the markdown above, a comment in the cell.

The notebooks are executed for real (nbclient, a python3 kernel) and audited with the CLI, as a
teacher's notebook would be; the controls show the words that must not count.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from nbcrash_kernel.classifier.notebook_intent import author_expects

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("text", [
    "Looking up a key that is not there raises a KeyError:",
    "The next cell fails because the list is empty.",
    "# this will fail: x is a tuple",
    "We divide by zero on purpose to see the traceback.",
    "You will get a ValueError here",
    "This throws an exception, as expected.",
])
def test_the_author_announcing_an_error_counts(text):
    assert author_expects(text)


@pytest.mark.parametrize("text", [
    "Compute the mean squared error of the model",
    "The cell below does not raise an error any more",
    "Fixing the error below",
    "Without raising an exception the loop goes on",
    "We can see the error of the model is small",
    "It will not fail now that the column exists",
    "## Error analysis",
    "# this will fail if the data folder is missing",
    "The call raises an error when the file does not exist",
])
def test_words_that_only_mention_an_error_do_not(text):
    assert author_expects(text) is None


def _run_and_audit(tmp_path, cells) -> list[dict]:
    nb = new_notebook(cells=cells)
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()
    path = tmp_path / "lesson.ipynb"
    nbformat.write(nb, path)
    out = subprocess.run([sys.executable, "-m", "nbcrash_kernel", "audit", "--format", "json", "-j", "1",
                          "--fail-on", "never", str(path)], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    [report] = json.loads(out)["notebooks"]
    return report["crashes"]


def test_a_teaching_notebook_s_announced_errors_are_intent(tmp_path):
    tagged = new_code_cell("int('seven')")
    tagged.metadata["tags"] = ["raises-exception"]
    crashes = _run_and_audit(tmp_path, [
        new_markdown_cell("Indexing past the end of a list raises an IndexError:"),
        new_code_cell("[1, 2, 3][5]"),
        tagged,
        new_code_cell("x = 0\n1 / x  # this will fail: x is zero"),
    ])
    assert [c["ename"] for c in crashes] == ["IndexError", "ValueError", "ZeroDivisionError"]
    assert [c["root_cause"] for c in crashes] == ["INTENT", "INTENT", "INTENT"]
    evidence = [" ".join(c["evidence"]) for c in crashes]
    assert "markdown above the cell" in evidence[0] and "raises an IndexError" in evidence[0]
    assert "raises-exception" in evidence[1]
    assert "comment in the cell" in evidence[2]


def test_an_error_the_author_did_not_announce_keeps_its_cause(tmp_path):
    crashes = _run_and_audit(tmp_path, [
        new_markdown_cell("Compute the mean squared error of the model"),
        new_code_cell("scores = {'train': 0.9}\nscores['test']"),
        new_markdown_cell("The cell below does not raise an error any more"),
        new_code_cell("[1, 2][3]"),
    ])
    assert [c["ename"] for c in crashes] == ["KeyError", "IndexError"]
    assert "INTENT" not in [c["root_cause"] for c in crashes]


@pytest.mark.slow
def test_a_live_card_reads_the_markdown_above_and_the_cell_s_comment(tmp_path):
    from nbcrash_kernel.live.driver import KernelDriver

    path = tmp_path / "lesson.ipynb"
    nbformat.write(new_notebook(cells=[
        new_markdown_cell("Asking a dict for a key it lacks raises a KeyError:", id="md"),
        new_code_cell("{'a': 1}['b']", id="lookup"),
        new_code_cell("total = 0\n1 / total  # will fail: nothing counted yet", id="ratio"),
        new_code_cell("[1, 2][3]", id="plain"),
    ]), path)
    driver = KernelDriver(notebook=path)
    try:
        cards = [driver.run(src, cell_id=cid).crashes for cid, src in
                 (("lookup", "{'a': 1}['b']"), ("ratio", "total = 0\n1 / total  # will fail: nothing counted yet"),
                  ("plain", "[1, 2][3]"))]
    finally:
        driver.shutdown()
    assert [card["root_cause"] for [card] in cards[:2]] == ["INTENT", "INTENT"]
    assert cards[2][0]["root_cause"] != "INTENT"
