"""The HTML fallback card survives an nbconvert HTML export, escaped.

A real kernel runs a notebook that crashes twice (an out-of-order read and an
exception whose message is markup); nbconvert exports it; the cards are in the page
as nbcrash's own escaped HTML, and the markup shows as text.
"""
from __future__ import annotations

import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

pytestmark = pytest.mark.slow

XSS = "<img src=x onerror=alert(1)>"
CRASH_MIME = "application/vnd.nbcrash.crash+json"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    nbclient = pytest.importorskip("nbclient")
    folder = tmp_path_factory.mktemp("nbconvert")
    nb = new_notebook(cells=[
        new_code_cell("%load_ext nbcrash\n%nbcrash notebook analysis.ipynb", id="load"),
        new_code_cell("threshold = 3", id="define"),
        new_code_cell("print(threshold * 2)", id="use"),
        new_code_cell(f"raise ValueError({XSS!r})", id="xss"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    # Run the definer last: the cell that reads `threshold` crashes out of order.
    order = [0, 2, 3]
    nbformat.write(nb, folder / "analysis.ipynb")  # the kernel reads the cells from the file
    client = nbclient.NotebookClient(nb, timeout=120, allow_errors=True, kernel_name="python3",
                                     resources={"metadata": {"path": str(folder)}})
    with client.setup_kernel():
        for index in order:
            client.execute_cell(nb.cells[index], index)
    nbformat.write(nb, folder / "executed.ipynb")
    return nb


def card_outputs(cell):
    return [o for o in cell.get("outputs", []) if CRASH_MIME in o.get("data", {})]


def test_the_executed_notebook_holds_the_card_bundle(executed):
    [use] = card_outputs(executed.cells[2])
    assert use["data"][CRASH_MIME]["root_cause"] == "NB"
    assert 'class="nbcrash-card"' in use["data"]["text/html"]
    assert use["data"]["text/plain"].startswith("nbcrash")


def test_nbconvert_html_export_shows_the_escaped_cards(executed):
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(executed)
    assert body.count('class="nbcrash-card"') == 2
    cards = re.findall(r'<div class="nbcrash-card".*?</ul></div>', body, flags=re.S)
    assert any("threshold" in card for card in cards)
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<img src=x" not in body


def test_html_export_from_the_saved_file_matches(executed, tmp_path):
    from nbconvert import HTMLExporter

    path = tmp_path / "copy.ipynb"
    nbformat.write(executed, path)
    body, _ = HTMLExporter(template_name="classic").from_filename(str(path))
    assert 'class="nbcrash-card"' in body
    assert "<img src=x" not in body
