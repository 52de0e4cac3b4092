"""The crash zoo (benchmarks/zoo): recorded crashes that load, cover the taxonomy and parse, a
regeneration that really runs cases in a kernel, and the honest accuracy figures over it."""
from __future__ import annotations

import collections
import io
import json
import re
import subprocess
import sys
from contextlib import redirect_stdout
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

from benchmarks.zoo.case import Labels
from benchmarks.zoo.cases import all_cases
from benchmarks.zoo.records import NOTEBOOKS, RECORDS, load_records
from nbcrash_kernel.record.taxonomy import EXCEPTION_TYPES, ROOT_CAUSES
from nbcrash_kernel.record.tracebacks import parse_traceback

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def records():
    loaded = load_records()
    assert loaded, f"{RECORDS} is missing or empty"
    return loaded


@pytest.fixture(scope="module")
def cases():
    return {case.id: case for case in all_cases()}


def test_the_zoo_has_600_crashes_over_10_libraries(records):
    assert len(records) >= 600
    libraries = {r["library"] for r in records if r["library"]}
    assert len(libraries) >= 10, sorted(libraries)
    assert {"pandas", "numpy", "sklearn", "matplotlib", "torch", "PIL"} <= libraries


@pytest.mark.parametrize("dimension, codes", [("exception_type", EXCEPTION_TYPES), ("root_cause", ROOT_CAUSES)])
def test_every_code_is_covered_several_times(records, dimension, codes):
    counts = collections.Counter(r[dimension] for r in records)
    assert set(counts) <= set(codes)
    thin = {code: counts[code] for code in codes if counts[code] < 3}
    assert not thin, f"{dimension} codes with fewer than 3 crashes: {thin}"


def test_all_three_notebook_details_are_in_the_zoo(records):
    details = {r["root_cause_fine"] for r in records if r["root_cause"] == "NB"}
    assert details == {"nb specific - execution order", "nb specific - previous cell error",
                       "nb specific - need execute future cells"}


def test_every_record_is_a_case_with_the_labels_written_with_it(records, cases):
    for record in records:
        case = cases.get(record["case"])
        assert case is not None, f"{record['case']} has a record but no case"
        assert record["ename"] == case.ename
        assert {k: record[k] for k in case.labels.as_dict()} == case.labels.as_dict(), record["case"]
        assert record["cell_source"] == case.cells[record["cell_index"]]
        assert record["versions"]["python"]


def test_every_case_has_a_record(records, cases):
    missing = sorted(set(cases) - {r["case"] for r in records})
    assert not missing, f"cases without a record (run python -m benchmarks.zoo run): {missing[:10]}"


def test_every_recorded_traceback_parses(records):
    for record in records:
        parsed = parse_traceback(record["traceback"], record["ename"], record["evalue"])
        assert parsed.ename == record["ename"], record["case"]
        assert not parsed.warnings, (record["case"], parsed.warnings)
        assert any(frame.is_cell for frame in parsed.frames), record["case"]


def test_every_record_has_its_executed_notebook(records):
    for record in records:
        notebook = nbformat.read(NOTEBOOKS / f"{record['case']}.ipynb", as_version=4)
        nbformat.validate(notebook)
        cell = notebook.cells[record["cell_index"]]
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert errors and errors[-1].ename == record["ename"], record["case"]
        assert cell.execution_count == record["execution_count"]
        ran = set(record["order"])
        for index, other in enumerate(notebook.cells):
            assert (other.execution_count is None) == (index not in ran), (record["case"], index)


def test_recorded_files_stay_small():
    total = RECORDS.stat().st_size + sum(p.stat().st_size for p in NOTEBOOKS.glob("*.ipynb"))
    assert total < 20 * 2**20


def test_case_modules_import_no_library_they_exercise():
    code = ("import sys\nfrom benchmarks.zoo.cases import all_cases\nall_cases()\n"
            "heavy = {'torch', 'tensorflow', 'sklearn', 'pandas', 'numpy', 'matplotlib', 'xgboost', 'lightgbm', 'PIL'}\n"
            "print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_labels_reject_codes_outside_the_taxonomy():
    with pytest.raises(ValueError):
        Labels("KEYS", "keyerror", "DATA", "misunderstanding of data structure", "ML", "DATAP")


# --- regeneration: real kernels, the libraries of this venv -------------------------------

REGENERATED = ("stdlib-dict-key-01", "stdlib-zero-division-02", "numpy-broadcast-01", "pandas-missing-column-01",
               "pandas-append-removed-01", "sklearn-not-fitted-01", "sklearn-feature-names-01",
               "matplotlib-xy-length-01", "notebook-after-crash-01", "notebook-drop-twice-01",
               "notebook-future-function-01", "notebook-skipped-import-01")


def shape(evalue: str) -> str:
    """An error message with its numbers, addresses, paths and quoted names made generic."""
    text = re.sub(r"0x[0-9a-f]+", "ADDR", evalue)
    text = re.sub(r"(/[\w.\-]+)+", "PATH", text)
    text = re.sub(r"'[^']*'", "'Q'", text)
    return re.sub(r"\d+", "N", text)


@pytest.mark.slow
def test_regenerated_cases_crash_as_recorded(records, cases):
    from benchmarks.zoo.run import run_cases

    by_id = {r["case"]: r for r in records}
    silent = replace(cases["stdlib-dict-key-01"], id="zoo-test-no-error", cells=("x = 1", "y = x + 1"), template="t")
    other = replace(cases["stdlib-dict-key-01"], id="zoo-test-other-error", cells=("1 / 0",), order=(), template="t")
    chosen = [cases[i] for i in REGENERATED] + [silent, other]
    outcomes = {o.case.id: o for o in run_cases(chosen, log=lambda *a: None)}
    for case_id in REGENERATED:
        outcome = outcomes[case_id]
        assert outcome.record is not None, (case_id, outcome.problem)
        recorded = by_id[case_id]
        assert outcome.record["ename"] == recorded["ename"]
        assert shape(outcome.record["evalue"]) == shape(recorded["evalue"]), case_id
        new, old = (parse_traceback(r["traceback"], r["ename"], r["evalue"]) for r in (outcome.record, recorded))
        assert new.crash_frame.line == old.crash_frame.line, case_id
        assert [f.library for f in new.frames] == [f.library for f in old.frames], case_id
    assert outcomes["zoo-test-no-error"].record is None
    assert "did not raise" in outcomes["zoo-test-no-error"].problem
    assert outcomes["zoo-test-other-error"].record is None
    assert "ZeroDivisionError" in outcomes["zoo-test-other-error"].problem


@pytest.mark.slow
def test_a_hurried_users_order_is_kept_in_the_notebook(cases):
    from benchmarks.zoo.run import run_cases

    case = cases["notebook-drop-twice-01"]
    outcome = run_cases([case], log=lambda *a: None)[0]
    counts = [cell.get("execution_count") for cell in outcome.notebook.cells]
    assert counts[1] == counts[0] + 2  # cell 2 ran twice: its first count was overwritten
    assert outcome.record["order"] == [0, 1, 1]


# --- the accuracy figures over dev halves and the zoo --------------------------------------

def test_accuracy_prints_in_sample_frozen_and_zoo_figures(records):
    from benchmarks import accuracy

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert accuracy.main(["--json"]) == 0
    figures = json.loads(buffer.getvalue())
    assert set(figures) == {"dev", "dev_open", "dev_frozen", "zoo"}
    assert figures["dev"]["rows"] == figures["dev_open"]["rows"] + figures["dev_frozen"]["rows"]
    assert figures["zoo"]["rows"] == len(records)
    assert "in-sample" in figures["dev"]["note"] and "out-of-sample" in figures["dev_frozen"]["note"]
    for name in figures:
        for dim in ("exception_type", "root_cause", "origin", "stage", "library"):
            assert 0.0 <= figures[name][dim]["accuracy"] <= 1.0
    assert figures["zoo"]["classifier_errors"] == 0


def test_accuracy_text_has_no_hidden_half_estimate():
    from benchmarks import accuracy

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        accuracy.main([])
    text = buffer.getvalue()
    assert "hidden" not in text.lower()
    assert "in-sample: rules were written reading these rows" in text
    assert "confusions zoo" in text
