"""The benchmarks stay runnable: each imports against the current package and has a main.

Timings are not tested (they are printed by the scripts); this catches a benchmark left
behind by a refactor, as happened once to cell_facts_speed.py.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

HELPERS = {"dev_split"}  # modules the benchmarks import, not benchmarks themselves
BENCHMARKS = sorted(p for p in (Path(__file__).resolve().parents[1] / "benchmarks").glob("*.py") if p.stem not in HELPERS)


def test_there_are_benchmarks():
    assert len(BENCHMARKS) >= 8


@pytest.mark.parametrize("path", BENCHMARKS, ids=lambda p: p.stem)
def test_benchmark_imports_and_has_a_main(path):
    spec = importlib.util.spec_from_file_location(f"benchmark_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert callable(getattr(module, "main", None)), f"{path.name} has no main()"
