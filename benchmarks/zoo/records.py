"""The recorded zoo: ``records/zoo.jsonl`` (one crash a line) and ``notebooks/<case>.ipynb``."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
RECORDS = HERE / "records" / "zoo.jsonl"
NOTEBOOKS = HERE / "notebooks"


def load_records(path: Path = RECORDS) -> list[dict]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


LABEL_COLUMNS = ("exception_type", "exception_type_fine", "root_cause", "root_cause_fine", "origin", "stage", "library")


def load_frame(path: Path = RECORDS):
    """The records as a DataFrame (crash_id, ename, evalue, traceback, the labels, template, group),
    the shape ``nbcrash_kernel.classify.records.classify_frame`` and the dev CSV have."""
    import pandas as pd

    columns = ["crash_id", "ename", "evalue", "traceback", "cell_source", *LABEL_COLUMNS, "template", "group"]
    return pd.DataFrame([{c: r.get(c, "") for c in columns} for r in load_records(path)], columns=columns)


def write_records(records: list[dict], path: Path = RECORDS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for record in sorted(records, key=lambda r: r["case"]):
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


def save_notebook(case_id: str, notebook: nbformat.NotebookNode) -> None:
    NOTEBOOKS.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, NOTEBOOKS / f"{case_id}.ipynb")


def remove_notebook(case_id: str) -> None:
    (NOTEBOOKS / f"{case_id}.ipynb").unlink(missing_ok=True)
