"""benchmarks/corpus_accuracy.py: blind labels are joined to the right saved crash and scored both ways."""
from __future__ import annotations

import csv

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from benchmarks import corpus_accuracy as bench

FIELDS = ["file", "cell_index", "execution_count", "ename", "exception_type", "root_cause", "origin", "stage",
          "library", "sure", "reason"]


def _error(ename: str, evalue: str, line: str, count: int) -> dict:
    return new_output("error", ename=ename, evalue=evalue, traceback=[
        "-" * 75, f"{ename}                                 Traceback (most recent call last)",
        f"Cell In[{count}], line 1\n----> 1 {line}\n", f"{ename}: {evalue}"])


def _corpus(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "github").mkdir(parents=True)
    cells = [new_markdown_cell("# Explore"),
             new_code_cell("import pandas as pd\ndf = pd.DataFrame({'a': [1]})", execution_count=1),
             new_code_cell("print(undefined_total)", execution_count=2,
                           outputs=[_error("NameError", "name 'undefined_total' is not defined", "print(undefined_total)", 2)]),
             new_code_cell("1 / 0", execution_count=3,
                           outputs=[_error("ZeroDivisionError", "division by zero", "1 / 0", 3)])]
    nbformat.write(new_notebook(cells=cells), corpus / "github" / "one.ipynb")
    return corpus


def _labels(tmp_path, rows):
    path = tmp_path / "labels.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _row(cell_index, ename, exception_type, root_cause, sure="yes"):
    return {"file": "github/one.ipynb", "cell_index": cell_index, "execution_count": "", "ename": ename,
            "exception_type": exception_type, "root_cause": root_cause, "origin": "PY", "stage": "DATAP",
            "library": "", "sure": sure, "reason": "test"}


def test_each_label_meets_its_own_saved_crash(tmp_path):
    corpus = _corpus(tmp_path)
    labels = bench.load_labels(_labels(tmp_path, [_row(2, "NameError", "VNF", "IMPL"),
                                                  _row(3, "ZeroDivisionError", "OTHER", "IMPL", sure="no")]))
    alone, audited = bench.record_alone(corpus, labels), bench.audited(corpus, labels)
    assert [d["ename"].lower() for d in alone] == ["nameerror", "zerodivisionerror"]
    assert [d["cell_index"] for d in audited] == [2, 3]
    assert alone[0]["exception_type"] == audited[0]["exception_type"] == "VNF"


def test_scores_count_hits_per_dimension_and_the_sure_subset(tmp_path):
    corpus = _corpus(tmp_path)
    labels = bench.load_labels(_labels(tmp_path, [_row(2, "NameError", "VNF", "IMPL"),
                                                  _row(2, "NameError", "TYPE", "IMPL", sure="no")]))
    result = bench.measure(corpus, labels)
    assert result["record_alone"]["all"]["exception_type"]["accuracy"] == 0.5
    assert result["record_alone"]["sure"]["rows"] == 1
    assert result["record_alone"]["sure"]["exception_type"]["accuracy"] == 1.0
    assert ["TYPE", "VNF", 1] in result["audit"]["all"]["exception_type"]["confusions"]


def test_without_the_corpus_it_says_where_it_looked(tmp_path, capsys):
    labels = _labels(tmp_path, [_row(2, "NameError", "VNF", "IMPL")])
    assert bench.main(["--corpus", str(tmp_path / "nowhere"), "--labels", str(labels)]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_a_second_labeller_s_overlap_measures_agreement_and_is_not_counted_twice(tmp_path):
    first = _labels(tmp_path, [_row(2, "NameError", "VNF", "IMPL"), _row(3, "ZeroDivisionError", "OTHER", "IMPL")])
    second = tmp_path / "labels_b.csv"
    with second.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, [*FIELDS, "part"])
        writer.writeheader()
        writer.writerow({**_row(2, "NameError", "VNF", "NB"), "part": "overlap"})
        writer.writerow({**_row(3, "ZeroDivisionError", "OTHER", "IMPL"), "part": "overlap"})
    assert len(bench.load_labels(first, second)) == 2
    agreed = bench.agreement(first, second)
    assert agreed["rows"] == 2 and agreed["exception_type"] == 1.0 and agreed["root_cause"] == 0.5
