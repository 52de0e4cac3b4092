"""``nbcrash tour``: watch nbcrash work, in one command.

Runs a notebook (the bundled ``notebooks/tour.ipynb`` by default) headless in a real
kernel with nbcrash loaded, the way JupyterLab runs it (``JPY_SESSION_NAME`` set to
the notebook, ``cellId`` on every request), in the order a hurried user would (the
notebook's ``metadata.nbcrash.tour_order``: some cells skipped or run out of order),
and prints every pre-run warning and crash card as text.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from ..facts.cell_names import cell_name

def _bundled_notebooks() -> Path:
    """The demo notebooks: inside the installed package, or the repository's notebooks/."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "notebooks"
    return packaged if packaged.is_dir() else package.parent / "notebooks"


BUNDLED_TOUR = _bundled_notebooks() / "tour.ipynb"


def load_plan(path: Path) -> tuple[list[dict], list[str], dict[str, str]]:
    """(code cells, the ids in the order to run them, the expected root cause per cell id)."""
    with open(path, encoding="utf-8") as handle:
        nb = json.load(handle)
    cells = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        cells.append({"id": cell.get("id") or f"cell-{index}", "index": index,
                      "source": "".join(source) if isinstance(source, list) else source})
    meta = (nb.get("metadata") or {}).get("nbcrash") or {}
    order = [i for i in meta.get("tour_order") or [] if any(c["id"] == i for c in cells)]
    return cells, order or [c["id"] for c in cells], dict(meta.get("expect") or {})


def run_tour(path: Path = BUNDLED_TOUR, out: TextIO | None = None, timeout: float = 120.0) -> list[dict]:
    """Run the plan and print as it goes; returns one entry per executed cell."""
    from .driver import KernelDriver

    out = out or sys.stdout
    cells, order, expect = load_plan(path)
    by_id = {c["id"]: c for c in cells}
    print(f"nbcrash tour: {path} — {len(order)} runs, in a real kernel with nbcrash loaded\n", file=out)
    results = []
    # the tour prints cards; the kernel's own start-up warnings (TCP transport) are noise here
    with KernelDriver(notebook=path, timeout=timeout, extra_arguments=["--IPKernelApp.log_level=ERROR"]) as kernel:
        for step, cell_id in enumerate(order, 1):
            cell = by_id[cell_id]
            run = kernel.run(cell["source"], cell_id=cell_id)
            results.append({"cell_id": cell_id, "index": cell["index"], "status": run.status,
                            "warnings": run.warnings, "crashes": run.crashes,
                            "expected": expect.get(cell_id)})
            _print_step(out, step, cell, run)
    _print_summary(out, results)
    return results


def _print_step(out: TextIO, step: int, cell: dict, run: Any) -> None:
    first = cell["source"].strip().splitlines()[0] if cell["source"].strip() else ""
    print(f"── run {step}: {cell_name(cell['index'])} ({cell['id']})  {first[:70]}", file=out)
    for output in run.outputs:
        data = output.get("data") or {}
        if "application/vnd.nbcrash.warning+json" in data or "application/vnd.nbcrash.crash+json" in data:
            print(_indent(data.get("text/plain", "")), file=out)
    if run.error and not run.crashes:
        print(_indent(f"{run.error.get('ename')}: {run.error.get('evalue')} (no card)"), file=out)
    if run.status == "ok" and not run.warnings:
        print("   ok", file=out)
    print(file=out)


def _indent(text: str) -> str:
    return "\n".join("   " + line for line in text.splitlines())


def _print_summary(out: TextIO, results: list[dict]) -> None:
    crashes = [(r, c) for r in results for c in r["crashes"]]
    warned = sum(1 for r in results if r["warnings"])
    print(f"{_count(len(crashes), 'crash', 'crashes')} explained, "
          f"{_count(warned, 'pre-run warning', 'pre-run warnings')}.", file=out)
    for result, record in crashes:
        expected = result["expected"]
        mark = "" if expected is None else (" ✓" if record.get("root_cause") == expected else f" (expected {expected})")
        print(f"  {cell_name(result['index'], record.get('execution_count'))} ({result['cell_id']}): {record.get('ename')} → {record.get('root_cause')}"
              f" / {record.get('root_cause_detail')}{mark}", file=out)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def mismatches(results: list[dict]) -> list[str]:
    """Cells whose last crash's root cause differs from the notebook's expectation."""
    wrong = []
    for result in results:
        expected = result["expected"]
        if expected and result["crashes"] and result["crashes"][-1].get("root_cause") != expected:
            wrong.append(result["cell_id"])
    return wrong


def add_tour_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``nbcrash tour [NOTEBOOK] [--check]``."""
    parser = subparsers.add_parser(
        "tour", help="run the demo notebook in a real kernel with nbcrash and print every card",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument("notebook", nargs="?", default=str(BUNDLED_TOUR),
                        help="notebook to run (default: the bundled tour)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when a crash's root cause differs from the notebook's expectation")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per cell")
    parser.set_defaults(func=tour_command)
    return parser


def tour_command(args: argparse.Namespace) -> int:
    """The ``tour`` subcommand."""
    path = Path(args.notebook)
    if not path.is_file():
        print(f"nbcrash tour: no such notebook: {path}", file=sys.stderr)
        return 2
    results = run_tour(path, timeout=args.timeout)
    if getattr(args, "check", False):
        wrong = mismatches(results)
        if wrong:
            print(f"root cause differs from the expectation for: {', '.join(wrong)}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":  # python -m nbcrash_kernel.live.tour [NOTEBOOK]
    _parser = argparse.ArgumentParser(prog="nbcrash")
    add_tour_parser(_parser.add_subparsers(dest="command", required=True))
    _args = _parser.parse_args(["tour", *sys.argv[1:]])
    sys.exit(_args.func(_args))
