"""Execute one case in a kernel and turn its crash into a zoo record and an executed notebook."""
from __future__ import annotations

import platform
import time
from dataclasses import dataclass
from importlib import metadata

import nbformat

from .case import Case
from .kernel import CellRun, ZooKernel

# Distributions whose versions are recorded with every crash (those installed).
DISTRIBUTIONS = ("numpy", "pandas", "scikit-learn", "scipy", "matplotlib", "seaborn", "statsmodels",
                 "torch", "tensorflow", "keras", "xgboost", "lightgbm", "pillow", "ipykernel", "ipython")


def installed_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


@dataclass
class Outcome:
    """What running a case gave: a record when it crashed as planned, else the reason it did not."""

    case: Case
    record: dict | None
    notebook: nbformat.NotebookNode
    problem: str = ""
    seconds: float = 0.0


def notebook_of(case: Case, runs: list[CellRun]) -> nbformat.NotebookNode:
    """The notebook as saved after the user's runs: each cell keeps its last run's outputs."""
    last = {run.index: run for run in runs}
    cells = []
    for index, source in enumerate(case.cells):
        cell = nbformat.v4.new_code_cell(source)
        cell["id"] = f"cell-{index}"
        run = last.get(index)
        if run is not None:
            cell["execution_count"] = run.execution_count
            cell["outputs"] = run.outputs
        cells.append(cell)
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["nbcrash_zoo"] = {"case": case.id, "order": list(case.run_order())}
    return notebook


def crash_problem(case: Case, runs: list) -> str:
    """Why ``runs`` (one per cell of ``case.run_order()``, each with ``.error`` or None) are not the
    case's planned crash: '' when they are. The live benchmark's replays are checked with it too."""
    order = case.run_order()
    for position, run in enumerate(runs[:-1]):
        if run.error and position not in case.prior_errors:
            return f"cell {order[position]} (run {position + 1}) raised {run.error['ename']}: {run.error['evalue'][:120]}"
        if not run.error and position in case.prior_errors:
            return f"cell {order[position]} (run {position + 1}) was meant to crash and did not"
    final = runs[-1].error
    if final is None:
        return f"cell {order[-1]} did not raise (expected {case.ename})"
    if final["ename"] != case.ename:
        return f"raised {final['ename']}: {final['evalue'][:160]} (expected {case.ename})"
    return ""


def record_of(case: Case, runs: list[CellRun], versions: dict[str, str]) -> dict:
    final = runs[-1]
    error = final.error
    return {"crash_id": f"zoo:{case.id}", "case": case.id, "template": case.template, "group": case.group,
            "ename": error["ename"], "evalue": error["evalue"], "traceback": list(error["traceback"]),
            "cell_index": final.index, "execution_count": final.execution_count,
            "cell_source": case.cells[final.index], "order": list(case.run_order()),
            **case.labels.as_dict(), "notebook": f"notebooks/{case.id}.ipynb", "versions": versions}


def execute_case(kernel: ZooKernel, case: Case, versions: dict[str, str]) -> Outcome:
    """Run the case's cells in order in a clean namespace of ``kernel``."""
    start = time.perf_counter()
    kernel.fresh_namespace()
    runs = [kernel.run_cell(index, case.cells[index]) for index in case.run_order()]
    notebook = notebook_of(case, runs)
    problem = crash_problem(case, runs)
    record = None if problem else record_of(case, runs, versions)
    return Outcome(case, record, notebook, problem, time.perf_counter() - start)
