"""Step 5, label: automatic labels from nbcrash's classifier, a labelling sheet for people,
import of the reviewed sheets, and agreement between both.

Automatic labels use the whole notebook as context (the audit's history of executions, as it
stood at each crash); a crash the notebook-level path cannot serve is classified from its own
cell and traceback. The sheet (CSV and XLSX) shows the code around each crash and the automatic
labels, with empty columns for the reviewer's codes.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from ..record.taxonomy import EXCEPTION_TYPES, ORIGINS, ROOT_CAUSES, STAGES
from .folder import StudyFolder, read_table, write_table
from .notebook_facts import strip_ansi
from .parallel import Executor, map_items
from .stepreport import StepReport

LABEL_DIMENSIONS: tuple[str, ...] = ("exception_type", "root_cause", "origin", "stage")
CODES: dict[str, frozenset[str]] = {
    "exception_type": frozenset(EXCEPTION_TYPES), "root_cause": frozenset(ROOT_CAUSES),
    "origin": frozenset(ORIGINS), "stage": frozenset(STAGES),
}
AUTO_FIELDS = ("exception_type", "exception_type_detail", "root_cause", "root_cause_detail",
               "origin", "library", "stage", "summary", "confidence")
SHEET_TEXT_LIMIT = 4000  # Excel cells hold at most 32,767 characters; keep the sheet readable
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _classify_alone(crash: dict[str, Any]) -> dict[str, Any]:
    from ..classifier import classify
    from ..facts.context import CrashContext

    context = CrashContext(ename=crash["ename"], evalue=crash["evalue"], traceback=crash["traceback"],
                           cell_source=crash["cell_source"], cell_index=crash["cell_index"],
                           execution_count=crash.get("execution_count"), crash_id=crash["crash_id"])
    return classify(context).to_record()


def _audit_records(text: str) -> dict[tuple[int, int], dict[str, Any]]:
    """Records of the audit of the whole notebook, by (cell index, output index); {} on failure."""
    try:
        from ..audit.notebook import audit_notebook

        report = audit_notebook("notebook.ipynb", data=text.encode("utf-8"), findings=False)
        return {(r.get("cell_index"), r.get("output_index")): r for r in report.crashes
                if not r.get("internal_error")}
    except Exception:  # the notebook-level path is optional; fall back per crash
        return {}


def label_notebook(item: tuple[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Automatic labels of the crashes of one notebook (``(json text, crashes)``); never raises."""
    text, crashes = item
    in_context = _audit_records(text)
    labels = []
    for crash in crashes:
        record = in_context.get((crash["cell_index"], crash["output_index"]))
        context = "notebook" if record else "cell"
        error = ""
        if record is None:
            try:
                record = _classify_alone(crash)
            except Exception as exc:  # a classifier failure labels UNK, and says so
                record, context, error = {}, "none", f"{type(exc).__name__}: {exc}"
        row = {"crash_id": crash["crash_id"], "platform": crash["platform"], "label_context": context,
               "label_error": error}
        row.update({f: record.get(f, "") for f in AUTO_FIELDS})
        labels.append(row)
    return labels


def _work_items(crashes: pd.DataFrame, notebooks: pd.DataFrame) -> list[tuple[str, list[dict]]]:
    texts = dict(zip(notebooks["notebook_id"], notebooks["text"]))
    items = []
    for notebook_id, group in crashes.groupby("notebook_id", sort=True):
        records = group.to_dict("records")
        for r in records:
            r["traceback"] = json.loads(r["traceback"]) if isinstance(r["traceback"], str) else []
        items.append((texts.get(notebook_id, ""), records))
    return items


def auto_label(crashes: pd.DataFrame, notebooks: pd.DataFrame, executor: Executor | None = None) -> pd.DataFrame:
    """One row of automatic labels per crash, in crash_id order."""
    results = map_items(label_notebook, _work_items(crashes, notebooks), executor, desc="label", batch_size=8)
    columns = ["crash_id", "platform", *AUTO_FIELDS, "label_context", "label_error"]
    table = pd.DataFrame([row for rows in results for row in rows], columns=columns)
    table["confidence"] = pd.to_numeric(table["confidence"], errors="coerce")
    return table.sort_values("crash_id").reset_index(drop=True)


def _short(text: Any) -> str:
    text = strip_ansi(str(text or ""))
    return text if len(text) <= SHEET_TEXT_LIMIT else text[:SHEET_TEXT_LIMIT] + "\n[... truncated]"


def labelling_sheet(crashes: pd.DataFrame, auto: pd.DataFrame) -> pd.DataFrame:
    """The sheet people review: context, automatic labels, and empty columns for their codes."""
    merged = crashes.merge(auto.drop(columns=["platform"]), on="crash_id", how="left")
    sheet = pd.DataFrame({
        "crash_id": merged["crash_id"], "platform": merged["platform"],
        "notebook": merged["source"].astype(str) + " :: " + merged["path"].astype(str),
        "cell_index": merged["cell_index"], "execution_count": merged["execution_count"],
        "ename": merged["ename"], "evalue": merged["evalue"].map(_short),
        "previous_cell": merged["previous_source"].map(_short),
        "crashing_cell": merged["cell_source"].map(_short),
        "traceback": merged["traceback"].map(lambda t: _short("\n".join(json.loads(t)) if isinstance(t, str) else "")),
    })
    for field in ("exception_type", "root_cause", "origin", "library", "stage", "summary"):
        sheet[f"auto_{field}"] = merged.get(field, "")
    for dim in (*LABEL_DIMENSIONS, "library", "notes"):
        sheet[dim] = ""
    return sheet.sort_values("crash_id").reset_index(drop=True)


def write_sheet(sheet: pd.DataFrame, csv_path: Path, xlsx_path: Path) -> None:
    sheet.to_csv(csv_path, index=False)
    clean = sheet.map(lambda v: _ILLEGAL_XLSX.sub("", v) if isinstance(v, str) else v)
    clean.to_excel(xlsx_path, index=False, sheet_name="crashes")


def read_sheet(path: str | Path) -> pd.DataFrame:
    """A labelled table from CSV, XLSX or Parquet (a reviewed sheet or a labels table)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return pd.read_excel(path, dtype=str).fillna("")
    if suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def import_reviewed(sheets: Iterable[str | Path]) -> tuple[pd.DataFrame, StepReport]:
    """Human labels from reviewed sheets; unreviewed rows skipped, invalid codes listed."""
    report = StepReport("label-import")
    rows: list[dict[str, Any]] = []
    unreviewed = 0
    for sheet_path in sheets:
        try:
            sheet = read_sheet(sheet_path)
        except Exception as exc:
            report.bad(str(sheet_path), f"unreadable sheet: {type(exc).__name__}: {exc}")
            continue
        for i, raw in enumerate(sheet.to_dict("records")):
            codes = {d: str(raw.get(d, "") or "").strip().upper() for d in LABEL_DIMENSIONS}
            if not any(codes.values()):
                unreviewed += 1
                continue
            wrong = [f"{d}={v!r}" for d, v in codes.items() if v not in CODES[d]]
            if wrong or not str(raw.get("crash_id", "")).strip():
                report.bad(f"{sheet_path}:row {i + 2}", "invalid codes: " + ", ".join(wrong or ["no crash_id"]))
                continue
            rows.append({"crash_id": str(raw["crash_id"]).strip(), "platform": str(raw.get("platform", "")).lower(),
                         **codes, "library": str(raw.get("library", "") or "").strip()})
    table = pd.DataFrame(rows, columns=["crash_id", "platform", *LABEL_DIMENSIONS, "library"])
    duplicates = int(table.duplicated("crash_id", keep="last").sum())
    table = table.drop_duplicates("crash_id", keep="last").sort_values("crash_id").reset_index(drop=True)
    report.count("reviewed rows imported", "crashes", len(table),
                 unreviewed + len(report.bad_inputs) + duplicates)
    report.notes["unreviewed_rows"] = unreviewed
    return table, report


def agreement(auto: pd.DataFrame, human: pd.DataFrame) -> dict[str, dict[str, float | int | None]]:
    """Accuracy and Cohen's kappa of automatic vs human labels, per dimension."""
    from sklearn.metrics import cohen_kappa_score

    joined = human.merge(auto, on="crash_id", suffixes=("_human", "_auto"))
    out: dict[str, dict[str, float | int | None]] = {}
    for dim in LABEL_DIMENSIONS:
        a = joined[f"{dim}_auto"].astype(str).str.upper()
        h = joined[f"{dim}_human"].astype(str).str.upper()
        n = len(joined)
        kappa = float(cohen_kappa_score(h, a)) if n and len(set(a) | set(h)) > 1 else None
        out[dim] = {"n": n, "accuracy": float((a == h).mean()) if n else None,
                    "cohen_kappa": None if kappa is None or kappa != kappa else kappa}
    return out


def run_label(folder: StudyFolder, executor: Executor | None = None) -> StepReport:
    """Automatic labels for every crash; the labelling sheet for the sample (or every crash)."""
    crashes = read_table(folder.crashes)
    auto = auto_label(crashes, read_table(folder.notebooks), executor)
    write_table(auto, folder.auto_labels)
    report = StepReport("label")
    failed = auto[auto["label_error"] != ""]
    for _, row in failed.iterrows():
        report.bad(row["crash_id"], f"classifier failed: {row['label_error']}")
    report.count("crashes labelled automatically", "crashes", len(auto) - len(failed), len(failed))
    report.notes["label_context"] = auto["label_context"].value_counts().to_dict()
    to_review = read_table(folder.sample) if folder.sample.exists() else crashes
    to_review = crashes[crashes["crash_id"].isin(to_review["crash_id"])]
    write_sheet(labelling_sheet(to_review, auto), folder.sheet_csv, folder.sheet_xlsx)
    report.count("crashes on the labelling sheet", "crashes", len(to_review), len(crashes) - len(to_review))
    report.save(folder.step_report("label"))
    return report


def run_label_import(folder: StudyFolder, sheets: list[str]) -> StepReport:
    """Import reviewed sheets into labels_human.parquet and measure agreement with the automatic labels."""
    human, report = import_reviewed(sheets)
    write_table(human, folder.human_labels)
    if folder.auto_labels.exists():
        report.notes["agreement"] = agreement(read_table(folder.auto_labels), human)
    report.save(folder.step_report("label-import"))
    return report
