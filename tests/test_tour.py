"""The tour: the bundled notebooks, their plans, and one headless run in a real kernel."""
from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from nbcrash_kernel.live.tour import BUNDLED_TOUR, add_tour_parser, load_plan, mismatches, run_tour

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
ROOT_CAUSES = {"NB", "IMPL", "ENV", "API", "DATA", "LIB", "RSC"}


def test_bundled_notebooks_cover_every_root_cause_and_have_no_outputs():
    expected = set()
    for path in NOTEBOOKS.glob("*.ipynb"):
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            assert cell.get("id"), f"{path.name}: cells need ids (JupyterLab sends them as cellId)"
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None
        _, order, expect = load_plan(path)
        assert order and set(expect) <= set(order)
        expected |= set(expect.values())
    assert ROOT_CAUSES <= expected
    assert BUNDLED_TOUR.is_file()


def test_tour_plan_runs_a_cell_before_its_definer():
    cells, order, _ = load_plan(BUNDLED_TOUR)
    index = {c["id"]: c["index"] for c in cells}
    assert any(index[a] > index[b] for a, b in zip(order, order[1:]))  # some cell runs out of order
    assert len(order) > len(set(order)) or len(order) < len(cells)     # re-runs or skips


def test_tour_parser_defaults_to_the_bundled_tour():
    parser = argparse.ArgumentParser()
    add_tour_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["tour"])
    assert Path(args.notebook) == BUNDLED_TOUR and callable(args.func)
    missing = parser.parse_args(["tour", "nope.ipynb"])
    assert missing.func(missing) == 2


@pytest.mark.slow
def test_tour_of_the_out_of_order_notebook_prints_warning_and_card():
    out = io.StringIO()
    results = run_tour(NOTEBOOKS / "nb_out_of_order.ipynb", out=out)
    text = out.getvalue()
    assert "nbcrash ⚠" in text and "nbcrash ▸ NameError" in text
    [crashed] = [r for r in results if r["crashes"]]
    assert crashed["cell_id"] == "train" and crashed["warnings"]
    assert mismatches(results) == []
    assert "1 crash explained, 1 pre-run warning." in text


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_every_bundled_notebook_gets_its_expected_diagnoses_in_a_real_kernel(name):
    """What `nbcrash tour NOTEBOOK --check` checks: each planned crash gets its root cause."""
    _, _, expect = load_plan(NOTEBOOKS / name)
    results = run_tour(NOTEBOOKS / name, out=io.StringIO())
    crashed = {r["cell_id"] for r in results if r["crashes"]}
    assert set(expect) <= crashed, f"{name}: cells {set(expect) - crashed} did not crash"
    assert mismatches(results) == []
