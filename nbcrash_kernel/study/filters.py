"""Step 2, filter: the study's funnel from ingested notebooks to ML-notebook crashes.

In order, with the count kept and dropped at each stage: readable notebooks; Python notebooks
(language metadata, else a heuristic); notebooks with an error output in a code cell;
KeyboardInterrupt crashes dropped (per crash); empty or ``ignored`` error values enriched from
the traceback and dropped when still empty; notebooks whose code (IPython syntax transformed)
parses with ``ast``; ML notebooks (importing one of the study's 24 libraries).
Output: ``crashes.parquet``, one row a crash of a kept notebook.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

import pandas as pd

from .folder import StudyFolder, read_table, write_table
from .notebook_facts import enrich_error_value, notebook_facts
from .parallel import Executor, map_items
from .stepreport import StepReport

CRASH_COLUMNS = [
    "crash_id", "notebook_id", "platform", "source", "path", "repository", "cell_index",
    "output_index", "execution_count", "ename", "evalue", "evalue_raw", "evalue_enriched",
    "traceback", "cell_source", "previous_source", "ml_libraries",
]


def _crash_id(notebook_id: str, cell_index: int, output_index: int) -> str:
    return hashlib.sha1(f"{notebook_id}:{cell_index}:{output_index}".encode()).hexdigest()[:16]


def _clean_crashes(crashes: list[dict[str, Any]], tally: dict[str, int]) -> list[dict[str, Any]]:
    """Drop KeyboardInterrupts, enrich empty values, drop those still empty; counts in tally."""
    kept = []
    for crash in crashes:
        if crash["ename"] == "KeyboardInterrupt":
            tally["keyboard_interrupt"] += 1
            continue
        value, enriched = enrich_error_value(crash["ename"], crash["evalue_raw"], crash["traceback"])
        tally["enriched"] += enriched and bool(value)
        if not value.strip():
            tally["empty_value"] += 1
            continue
        kept.append({**crash, "evalue": value, "evalue_enriched": enriched})
    return kept


def filter_notebooks(notebooks: pd.DataFrame, executor: Executor | None = None) -> tuple[pd.DataFrame, StepReport]:
    """Apply the funnel; the crash table and the step report with every count."""
    report = StepReport("filter")
    facts = map_items(notebook_facts, notebooks["text"].tolist(), executor, desc="filter")
    meta = notebooks.drop(columns=["text"]).to_dict("records")
    n = len(meta)
    stage = list(zip(meta, facts))
    readable = [(m, f) for m, f in stage if not f.get("error")]
    for m, f in stage:
        if f.get("error"):
            report.bad(f"{m['source']}:{m['path']}", f["error"])
    report.count("readable notebooks", "notebooks", len(readable), n - len(readable))
    python = [(m, f) for m, f in readable if f["is_python"]]
    report.count("Python notebooks", "notebooks", len(python), len(readable) - len(python))
    with_errors = [(m, f) for m, f in python if f["crashes"]]
    report.count("notebooks with an error output", "notebooks", len(with_errors), len(python) - len(with_errors))
    n_crashes = sum(len(f["crashes"]) for _, f in with_errors)
    report.count("error outputs in those notebooks", "crashes", n_crashes, 0)
    tally = {"keyboard_interrupt": 0, "enriched": 0, "empty_value": 0}
    cleaned = [(m, f, _clean_crashes(f["crashes"], tally)) for m, f in with_errors]
    report.count("KeyboardInterrupt dropped", "crashes", n_crashes - tally["keyboard_interrupt"], tally["keyboard_interrupt"])
    n_after_ki = n_crashes - tally["keyboard_interrupt"]
    report.count("empty error values (after enrichment) dropped", "crashes",
                 n_after_ki - tally["empty_value"], tally["empty_value"])
    report.notes["error_values_enriched_from_traceback"] = tally["enriched"]
    still = [(m, f, c) for m, f, c in cleaned if c]
    report.count("notebooks with crashes left", "notebooks", len(still), len(cleaned) - len(still))
    parsing = [(m, f, c) for m, f, c in still if f["parses"]]
    report.count("notebooks whose code parses", "notebooks", len(parsing), len(still) - len(parsing))
    ml = [(m, f, c) for m, f, c in parsing if f["ml_libraries"]]
    report.count("ML notebooks (study libraries imported)", "notebooks", len(ml), len(parsing) - len(ml))
    rows = [_crash_row(m, f, crash) for m, f, c in ml for crash in c]
    report.count("crashes kept", "crashes", len(rows), n_crashes - len(rows))
    for platform, count in pd.Series([r["platform"] for r in rows], dtype=object).value_counts().sort_index().items():
        report.notes[f"crashes_{platform}"] = int(count)
    return pd.DataFrame(rows, columns=CRASH_COLUMNS), report


def _crash_row(meta: dict[str, Any], facts: dict[str, Any], crash: dict[str, Any]) -> dict[str, Any]:
    count = crash["execution_count"]
    return {
        "crash_id": _crash_id(meta["notebook_id"], crash["cell_index"], crash["output_index"]),
        **{k: meta[k] for k in ("notebook_id", "platform", "source", "path", "repository")},
        "cell_index": int(crash["cell_index"]), "output_index": int(crash["output_index"]),
        "execution_count": int(count) if isinstance(count, int) else None,
        "ename": crash["ename"], "evalue": crash["evalue"], "evalue_raw": crash["evalue_raw"],
        "evalue_enriched": bool(crash["evalue_enriched"]), "traceback": json.dumps(crash["traceback"]),
        "cell_source": crash["cell_source"], "previous_source": crash["previous_source"],
        "ml_libraries": ";".join(facts["ml_libraries"]),
    }


def run_filter(folder: StudyFolder, executor: Executor | None = None) -> StepReport:
    crashes, report = filter_notebooks(read_table(folder.notebooks), executor)
    write_table(crashes, folder.crashes)
    report.save(folder.step_report("filter"))
    return report
