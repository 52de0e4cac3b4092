"""nbcrash in a real JupyterLab, driven by headless Chromium (Playwright).

One notebook per test, written into the Lab server's temporary root. Screenshots go
to ``test-artifacts/`` (one is copied to ``docs/screenshot.png`` for the README).
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .conftest import ARTIFACTS, REPO

pytestmark = pytest.mark.slow

XSS = "<img src=x onerror=alert(1)>"
KERNEL_IDLE = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status='idle']"


def write_notebook(root: Path, name: str, sources: list[str], title: str = "nbcrash e2e") -> str:
    cells = [new_markdown_cell(f"# {title}", id="title")]
    cells += [new_code_cell(source, id=f"c{i}") for i, source in enumerate(sources, start=1)]
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}}), root / name)
    return name


def open_notebook(page, lab, name: str):
    page.goto(lab.url(f"lab/tree/{name}?reset"))  # reset: only this notebook is open
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    wait_idle(page, timeout=60_000)
    cell(page, 0).click()  # focus the notebook, so keyboard shortcuts reach Lab


def wait_idle(page, timeout: float = 30_000) -> None:
    page.wait_for_selector(KERNEL_IDLE, state="attached", timeout=timeout)


def cell(page, index: int):
    """The notebook cell at ``index`` (0 is the markdown title)."""
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(index)


def run_cell(page, index: int) -> None:
    target = cell(page, index)
    target.locator(".jp-InputArea-prompt").click()
    page.keyboard.press("Control+Enter")


def command(page, label: str) -> None:
    """Run a command from the palette, as a user would."""
    page.keyboard.press("Control+Shift+C")
    page.locator(".lm-CommandPalette-input").fill(label)
    page.locator(".lm-CommandPalette-item", has_text=label).first.click()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    return path


def test_out_of_order_cell_card_marks_and_run_cells(page, lab):
    name = write_notebook(lab.root, "out_of_order.ipynb", [
        "%load_ext nbcrash",
        "import math\nbase = math.floor(10.5)",
        "result = base * 2\nprint('result is', result)",
    ])
    open_notebook(page, lab, name)
    run_cell(page, 1)
    wait_idle(page)
    run_cell(page, 3)  # reads `base`, which cell [2] defines and has not run
    crashed = cell(page, 3)
    card = crashed.locator(".nbcrash-card")
    card.wait_for(timeout=60_000)

    assert "NameError" in card.locator(".nbcrash-headline").inner_text()
    assert "Root cause: NB" in card.locator(".nbcrash-badges").inner_text()
    verdict = card.locator(".nbcrash-verdict").inner_text()
    assert "base" in verdict and "[2]" in verdict
    # The prerequisite cell and the crashed cell are marked.
    assert "nbcrash-mark-prerequisite" in cell(page, 2).get_attribute("class")
    assert "nbcrash-mark-crashed" in crashed.get_attribute("class")
    run_button = card.locator("button.nbcrash-run")
    assert run_button.inner_text() == "Run cell [2], then this one"
    assert card.locator("button.nbcrash-goto").inner_text() == "Go to cell [2]"
    path = screenshot(page, "lab-card.png")
    (REPO / "docs").mkdir(exist_ok=True)
    shutil.copyfile(path, REPO / "docs" / "screenshot.png")

    # The Crashes panel lists the diagnosis; a click jumps to the cell.
    command(page, "nbcrash: Show crashes")
    item = page.locator("#nbcrash-crashes .nbcrash-crash-item").first
    item.wait_for()
    assert "NameError" in item.inner_text() and "out_of_order.ipynb" in item.inner_text()
    options = page.locator("#nbcrash-crashes select.nbcrash-filter option").all_inner_texts()
    assert "NB" in options
    screenshot(page, "lab-crashes-panel.png")
    run_cell(page, 1)  # move the active cell away, then jump back through the panel
    item.click()
    page.wait_for_function("() => document.querySelector('.jp-Notebook .jp-Cell.jp-mod-active')"
                           "?.querySelector('.nbcrash-card') !== null")

    # One click runs the prerequisite, then the crashed cell, which now succeeds.
    run_button.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')][3]"
        "?.querySelector('.jp-OutputArea-output')?.textContent.includes('result is 20')")
    assert crashed.locator(".nbcrash-card").count() == 0
    assert crashed.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    # Resolved: the marks are gone.
    page.wait_for_function("() => !document.querySelector('.nbcrash-mark-prerequisite, .nbcrash-mark-crashed')")
    screenshot(page, "lab-after-run-cells.png")


def test_audit_command_shows_the_saved_crashes(page, lab):
    nb = nbformat.v4.new_notebook(cells=[
        new_code_cell("import pandas as pd\ndf = pd.DataFrame({'a': [1]})", id="load"),
        new_code_cell("df['price'].mean()", id="use", execution_count=1, outputs=[nbformat.v4.new_output(
            "error", ename="KeyError", evalue="'price'", traceback=["KeyError: 'price'"])]),
    ])
    nbformat.write(nb, lab.root / "saved_crash.ipynb")
    open_notebook(page, lab, "saved_crash.ipynb")
    assert page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .nbcrash-audit-button").count() == 1
    command(page, "nbcrash: Audit this notebook")
    summary = page.locator(".nbcrash-audit .nbcrash-audit-summary")
    summary.wait_for()
    assert re.search(r"1 saved crash\b", summary.inner_text())
    crash = page.locator(".nbcrash-audit .nbcrash-audit-crash").first
    assert "KeyError" in crash.inner_text()
    report = lab.api("nbcrash/api/audit?path=saved_crash.ipynb")
    assert crash.get_attribute("data-root-cause") == report["crashes"][0]["root_cause"]
    screenshot(page, "lab-audit.png")


def test_exception_message_with_markup_shows_as_text(page, lab):
    name = write_notebook(lab.root, "xss.ipynb", [
        "%load_ext nbcrash",
        f"raise ValueError({XSS!r})",
    ])
    open_notebook(page, lab, name)
    run_cell(page, 1)
    wait_idle(page)
    run_cell(page, 2)
    card = cell(page, 2).locator(".nbcrash-card")
    card.wait_for(timeout=60_000)
    page.wait_for_timeout(500)  # an injected onerror handler would have fired by now
    assert XSS in card.inner_text()
    assert page.locator("img[src='x']").count() == 0
    assert page.dialogs == []
    screenshot(page, "lab-xss.png")

    # The HTML fallback the kernel sent alongside, saved and opened as a plain page.
    page.keyboard.press("Control+s")
    page.wait_for_function("() => !document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-mod-dirty')")
    saved = nbformat.read(lab.root / name, as_version=4)
    html = next(o["data"]["text/html"] for o in saved.cells[2].outputs
                if "application/vnd.nbcrash.crash+json" in o.get("data", {}))
    fallback = page.context.new_page()
    dialogs: list[str] = []
    fallback.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    fallback.set_content(f"<html><body>{html}</body></html>")
    fallback.wait_for_timeout(500)
    assert XSS in fallback.locator(".nbcrash-card").inner_text()
    assert fallback.locator("img").count() == 0
    assert dialogs == []
    fallback.screenshot(path=str(ARTIFACTS / "html-fallback-xss.png"))
    fallback.close()
    assert json.dumps(XSS)  # the literal the test is about
