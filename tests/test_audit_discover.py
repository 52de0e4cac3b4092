"""Which files the audit reads: files, folders, globs, stdin, hidden folders, symlink loops."""
from __future__ import annotations

import os

from nbcrash_kernel.audit.discover import STDIN, discover


def _touch(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}")
    return str(path)


def test_directories_are_walked_skipping_hidden_and_checkpoints(tmp_path):
    keep = [_touch(tmp_path / "a.ipynb"), _touch(tmp_path / "sub" / "deeper" / "b.ipynb")]
    _touch(tmp_path / ".ipynb_checkpoints" / "a-checkpoint.ipynb")
    _touch(tmp_path / ".hidden" / "c.ipynb")
    _touch(tmp_path / ".dot.ipynb")
    _touch(tmp_path / "notes.txt")
    found = discover([str(tmp_path)])
    assert sorted(found.files) == sorted(keep)
    assert found.errors == []
    everything = discover([str(tmp_path)], include_hidden=True).files
    assert len(everything) == 5


def test_explicit_file_is_taken_whatever_its_suffix_and_only_once(tmp_path):
    json_file = _touch(tmp_path / "export.json")
    nb = _touch(tmp_path / "a.ipynb")
    found = discover([json_file, nb, str(tmp_path), nb])
    assert found.files == [json_file, nb]


def test_globs_and_stdin(tmp_path):
    a = _touch(tmp_path / "x" / "a.ipynb")
    b = _touch(tmp_path / "y" / "b.ipynb")
    found = discover([str(tmp_path / "**" / "*.ipynb"), STDIN, str(tmp_path / "none*.ipynb")])
    assert found.files == [a, b, STDIN]
    assert found.errors == [(str(tmp_path / "none*.ipynb"), "no file matches this pattern")]


def test_missing_paths_broken_links_and_loops_are_per_path_errors(tmp_path):
    good = _touch(tmp_path / "nb" / "ok.ipynb")
    (tmp_path / "nb" / "broken.ipynb").symlink_to(tmp_path / "gone.ipynb")
    (tmp_path / "nb" / "loop").symlink_to(tmp_path / "nb")  # folder loop: walked once
    (tmp_path / "l1.ipynb").symlink_to(tmp_path / "l2.ipynb")
    (tmp_path / "l2.ipynb").symlink_to(tmp_path / "l1.ipynb")
    found = discover([str(tmp_path / "nb"), str(tmp_path / "missing.ipynb"), str(tmp_path / "l1.ipynb")])
    assert found.files == [good]
    reasons = dict(found.errors)
    assert reasons[str(tmp_path / "missing.ipynb")] == "no such file or directory"
    assert "broken symbolic link" in reasons[os.path.join(str(tmp_path / "nb"), "broken.ipynb")]
    assert "symbolic link loop" in reasons[str(tmp_path / "l1.ipynb")]


def test_a_folder_named_like_a_notebook_is_listed_to_be_reported(tmp_path):
    (tmp_path / "odd.ipynb").mkdir()
    _touch(tmp_path / "odd.ipynb" / "inner.ipynb")
    assert discover([str(tmp_path)]).files == [str(tmp_path / "odd.ipynb")]
    assert discover([str(tmp_path / "odd.ipynb")]).files == [str(tmp_path / "odd.ipynb")]
