"""A kernel nobody tells its notebook (nbclient, papermill, jupyter_client) finds it by the cells that ran."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from nbcrash_kernel.live.notebook_finder import NotebookFinder

CELLS = [
    ("imp", "import numpy as np"),
    ("data", "values = np.arange(12)\nlabels = values % 2\nweights = np.ones(12)"),
    ("split", "X_train = values[:8].reshape(4, 2)\ny_train = labels[:4]"),
    ("fit", "coef = X_train.sum(axis=0) / y_train.sum()"),
]


def write(path: Path, cells=CELLS) -> Path:
    nbformat.write(new_notebook(cells=[new_markdown_cell("# study", id="title")]
                                + [new_code_cell(src, id=cid) for cid, src in cells]), path)
    return path


def sources(*ids: str) -> list[str]:
    return [dict(CELLS)[i] for i in ids]


def test_the_one_notebook_holding_what_ran_is_found(tmp_path):
    path = write(tmp_path / "study.ipynb")
    write(tmp_path / "other.ipynb", [("x", "print('other')")])
    assert NotebookFinder().find(tmp_path, sources("imp", "data")) == path


def test_two_notebooks_holding_what_ran_give_none(tmp_path):
    write(tmp_path / "study.ipynb")
    write(tmp_path / "study-Copy1.ipynb")
    assert NotebookFinder().find(tmp_path, sources("imp", "data")) is None


def test_one_line_that_ran_is_no_evidence(tmp_path):
    write(tmp_path / "study.ipynb")
    assert NotebookFinder().find(tmp_path, sources("imp")) is None


def test_code_no_notebook_holds_is_left_out(tmp_path):
    """A harness's own setup code, or a cell edited since the save, says nothing either way."""
    path = write(tmp_path / "study.ipynb")
    assert NotebookFinder().find(tmp_path, ["import os\nos.chdir('.')", *sources("imp", "data")]) == path


def test_the_notebook_holding_more_of_what_ran_wins_only_if_it_holds_all_of_it(tmp_path):
    path = write(tmp_path / "study.ipynb")
    write(tmp_path / "draft.ipynb", CELLS[:2])  # the draft lacks the split cell that ran
    assert NotebookFinder().find(tmp_path, sources("imp", "data", "split")) == path


def test_an_unreadable_notebook_is_skipped(tmp_path):
    path = write(tmp_path / "study.ipynb")
    (tmp_path / "broken.ipynb").write_text("{not json", encoding="utf-8")
    assert NotebookFinder().find(tmp_path, sources("imp", "data")) == path


@pytest.mark.slow
def test_a_kernel_started_in_the_notebooks_folder_finds_it_and_names_the_cell_that_did_not_run(tmp_path):
    from nbcrash_kernel.live.driver import KernelDriver

    write(tmp_path / "study.ipynb")
    with KernelDriver(cwd=tmp_path) as kernel:  # no JPY_SESSION_NAME, no cellId: as nbclient runs it
        for source in sources("imp", "data"):
            assert kernel.run(source).status == "ok"
        [card] = kernel.run(dict(CELLS)["fit"]).crashes
        assert (card["root_cause"], card["trace"]["root_cause"]["rule"]) == ("NB", "RC-NB-NOT-RUN")
        assert [c["index"] for c in card["related_cells"] if c["role"].startswith("definer")] == [3]
        status = kernel.run("%nbcrash").text
        assert "study.ipynb (not named; the one notebook here that holds the cells that ran)" in status


@pytest.mark.slow
def test_a_kernel_does_not_take_a_notebook_two_files_hold(tmp_path):
    from nbcrash_kernel.live.driver import KernelDriver

    write(tmp_path / "study.ipynb")
    write(tmp_path / "study-Copy1.ipynb")
    with KernelDriver(cwd=tmp_path) as kernel:
        for source in sources("imp", "data"):
            assert kernel.run(source).status == "ok"
        [card] = kernel.run(dict(CELLS)["fit"]).crashes
        assert card["trace"]["root_cause"]["rule"] != "RC-NB-NOT-RUN"
        assert "only the cells that ran are known" in kernel.run("%nbcrash").text


def test_a_removed_working_folder_finds_nothing_and_raises_nothing(tmp_path, monkeypatch):
    from nbcrash_kernel.live.notebook_file import NotebookWatcher

    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    assert NotebookWatcher().path({}, sources("imp", "data")) is None


def test_a_found_notebook_is_read_again_when_it_is_saved(tmp_path, monkeypatch):
    from nbcrash_kernel.live.notebook_file import NotebookWatcher

    path = write(tmp_path / "study.ipynb")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    watcher = NotebookWatcher()
    assert watcher.refresh({}, sources("imp", "data")) and watcher.found_by_what_ran
    write(path, CELLS + [("new", "extra = 1")])
    import os

    os.utime(path, (1, 1))  # a save: another modification time
    assert watcher.refresh({}) and len(watcher.snapshot.cells) == len(CELLS) + 2
