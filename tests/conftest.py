"""Shared fixtures: where the shared data and corpus live (read in place)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# No test reads or writes an audit cache (.nbcrash_cache in the working folder) unless it asks for
# one (tests/test_audit_cache.py): a cached report would hide what a test changed. Subprocesses inherit it.
os.environ["NBCRASH_NO_CACHE"] = "1"

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV_CSV = REPO / "tests" / "data" / "crash_labels_dev.csv"  # a copy of ../shared/data (see tests/data/README.md)
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def dev_csv() -> Path:
    if not DEV_CSV.is_file():
        pytest.fail("tests/data/crash_labels_dev.csv is missing")
    return DEV_CSV


@pytest.fixture(scope="session")
def dev_frame(dev_csv):
    import pandas as pd

    return pd.read_csv(dev_csv)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not here")
    return CORPUS
