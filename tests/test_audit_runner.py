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
