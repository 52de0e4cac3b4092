"""benchmarks/audit_accuracy.py: the audit's diagnosis of a zoo crash is found and scored as the CLI gives it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import audit_accuracy as bench
from benchmarks.zoo.records import HERE as ZOO, load_records

ROOT = Path(__file__).resolve().parents[1]
CASES = ("notebook-after-crash-01", "notebook-dummies-twice-01", "stdlib-dict-key-01")


@pytest.fixture(scope="module")
def records():
    by_case = {r["case"]: r for r in load_records()}
    return [by_case[case] for case in CASES]


def cli_crash(record: dict) -> dict:
    """The recorded crash as `nbcrash audit --format json` reports it."""
    out = subprocess.run([sys.executable, "-m", "nbcrash_kernel", "audit", "--format", "json", "-j", "1",
                          "--fail-on", "never", str(ZOO / record["notebook"])],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    [report] = json.loads(out)["notebooks"]
    return next(c for c in report["crashes"] if c["cell_index"] == record["cell_index"]
                and c["execution_count"] == record["execution_count"])


def test_the_benchmark_scores_the_crash_the_cli_reports(records):
    audited = bench.audit_zoo(records)
    for record, diagnosis in zip(records, audited):
        cli = cli_crash(record)
        assert {d: diagnosis[d] for d in bench.DIMENSIONS} == {d: cli[d] for d in bench.DIMENSIONS}
        assert diagnosis["evidence"] == cli["evidence"]


def test_the_recorded_crash_is_the_one_of_its_cell_and_count(records):
    record = records[0]  # after-crash: two cells crashed, the record is the later NameError
    diagnosis = bench.audit_zoo([record])[0]
    assert (diagnosis["ename"], diagnosis["cell_index"]) == ("NameError", record["cell_index"])


def test_scoring_counts_hits_confusions_and_missing(records):
    right = dict(records[0])
    wrong = dict(records[1], root_cause="NB")
    guesses = [{**{d: right[d] for d in bench.DIMENSIONS}},
               {**{d: wrong[d] for d in bench.DIMENSIONS}, "root_cause": "DATA"}, None]
    labels = [right, wrong, dict(records[2])]
    figures = bench.score(labels, guesses)
    assert figures["missing"] == 1
    assert figures["root_cause"]["accuracy"] == pytest.approx(1 / 3)
    assert ["NB", "DATA", 1] in figures["root_cause"]["confusions"]
    assert [records[2]["root_cause"], bench.MISSING, 1] in figures["root_cause"]["confusions"]
    assert figures["origin"]["accuracy"] == pytest.approx(2 / 3)


def test_the_notebook_decides_what_the_record_alone_cannot(records):
    """Measured, not assumed: on these zoo cases the notebook's rules find the labelled cause; the
    record alone does not for the re-run cell and the dict literal."""
    audited, alone = bench.audit_zoo(records), bench.record_alone(records)
    assert [d["root_cause"] for d in audited] == [r["root_cause"] for r in records]
    assert [a["root_cause"] == r["root_cause"] for a, r in zip(alone[1:], records[1:])] == [False, False]


def test_corpus_counts_name_nb_and_impl_details():
    crashes = [("a.ipynb", {"root_cause": "NB", "root_cause_detail": "nb specific - execution order"}),
               ("a.ipynb", {"root_cause": "IMPL", "root_cause_detail": "typo"}),
               ("b.ipynb", {"root_cause": "DATA", "root_cause_detail": "misunderstanding of data structure"})]
    counts = bench.corpus_counts(crashes)
    assert counts["crashes"] == 3
    assert counts["root_cause"] == {"NB": 1, "IMPL": 1, "DATA": 1}
    assert counts["nb_impl_details"] == {"nb specific - execution order": 1, "typo": 1}
