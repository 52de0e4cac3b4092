"""Auditing many notebooks: the garbage-collector tuning of a batch is undone after it."""
from __future__ import annotations

import gc
import json

import pytest

from nbcrash_kernel.audit.runner import BATCH_GC_THRESHOLD, audit_paths, batch_gc


def test_batch_gc_raises_the_threshold_and_restores_it():
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with batch_gc():
        assert gc.get_threshold()[0] == BATCH_GC_THRESHOLD
        assert gc.get_freeze_count() > frozen  # what was alive is out of the collector's passes
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen


def test_batch_gc_restores_after_an_error():
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with pytest.raises(RuntimeError):
        with batch_gc():
            raise RuntimeError("boom")
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen


def test_audit_paths_leaves_the_collector_as_it_found_it(tmp_path):
    cell = {"cell_type": "code", "source": "1/0", "metadata": {}, "execution_count": 1,
            "outputs": [{"output_type": "error", "ename": "ZeroDivisionError",
                         "evalue": "division by zero", "traceback": []}]}
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]}
    (tmp_path / "a.ipynb").write_text(json.dumps(notebook))
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    result = audit_paths([str(tmp_path)], jobs=1, progress=False)
    assert [len(r.crashes) for r in result.reports] == [1]
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen


_AFTER_THE_FORK = """import sys
from nbcrash_kernel.audit.discover import discover
from nbcrash_kernel.audit.notebook import audit_notebook
from nbcrash_kernel.audit.runner import _preload
files = discover([sys.argv[1]]).files
audit_notebook(files[0])
_preload()
before = set(sys.modules)
for path in files[1:]:
    audit_notebook(path)
print(sorted(set(sys.modules) - before))
"""


@pytest.mark.slow
def test_what_the_workers_would_import_is_preloaded_before_the_fork(corpus_dir):
    """The parent imports before forking what the audit of a corpus imports lazily: workers share it."""
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", _AFTER_THE_FORK, str(corpus_dir)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
