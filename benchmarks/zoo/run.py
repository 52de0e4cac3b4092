"""Run the crash zoo: ``python -m benchmarks.zoo run [--group G ...] [--case ID ...]``.

Run it with the interpreter whose libraries the zoo exercises (``/work/venv-zoo/bin/python``):
the cases run in that interpreter's own ``python3`` kernel. Each case that crashed as planned
replaces its record in ``records/zoo.jsonl`` and its notebook in ``notebooks/``; a case that did
not (no error, another exception, an unplanned earlier crash) is reported and not recorded.
``python -m benchmarks.zoo list`` prints the cases per group.
"""
from __future__ import annotations

import argparse
import collections
import importlib.util
import sys
import time

from .case import Case
from .cases import all_cases
from .kernel import ZooKernel
from .records import load_records, remove_notebook, save_notebook, write_records
from .runner import Outcome, execute_case, installed_versions

# The import a group needs; a group whose library is not installed is skipped (records kept).
GROUP_REQUIRES = {"numpy": "numpy", "pandas": "pandas", "sklearn": "sklearn", "matplotlib": "matplotlib",
                  "seaborn": "seaborn", "scipy": "scipy", "statsmodels": "statsmodels", "torch": "torch",
                  "tensorflow": "tensorflow", "xgboost": "xgboost", "lightgbm": "lightgbm", "pillow": "PIL",
                  "notebook": "pandas"}


def installed(group: str) -> bool:
    module = GROUP_REQUIRES.get(group)
    return module is None or importlib.util.find_spec(module) is not None


def run_cases(cases: list[Case], kernel_name: str = "python3", log=print) -> list[Outcome]:
    """Run cases group by group, one shared kernel per group and a kernel of its own per fresh case."""
    versions = installed_versions()
    outcomes: list[Outcome] = []
    by_group: dict[str, list[Case]] = collections.defaultdict(list)
    for case in cases:
        by_group[case.group].append(case)
    for group, members in by_group.items():
        start = time.perf_counter()
        shared = [c for c in members if not c.fresh]
        if shared:
            with ZooKernel(kernel_name) as kernel:
                outcomes.extend(execute_case(kernel, case, versions) for case in shared)
        for case in (c for c in members if c.fresh):
            with ZooKernel(kernel_name) as kernel:
                outcomes.append(execute_case(kernel, case, versions))
        log(f"{group:12} {len(members):4} cases  {time.perf_counter() - start:6.1f} s")
    return outcomes


def store(outcomes: list[Outcome]) -> None:
    """Replace the records and notebooks of the cases just run; drop those of cases that are gone."""
    ran = {o.case.id for o in outcomes}
    known = {c.id for c in all_cases()}
    records = []
    for record in load_records():
        if record["case"] not in known:
            remove_notebook(record["case"])
        elif record["case"] not in ran:
            records.append(record)
    for outcome in outcomes:
        if outcome.record is None:
            remove_notebook(outcome.case.id)
            continue
        records.append(outcome.record)
        save_notebook(outcome.case.id, outcome.notebook)
    write_records(records)


def select(groups: list[str], ids: list[str]) -> list[Case]:
    cases = all_cases()
    if groups:
        cases = [c for c in cases if c.group in groups]
    if ids:
        cases = [c for c in cases if c.id in ids or c.template in ids]
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.zoo", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("run", "list"))
    parser.add_argument("--group", action="append", default=[], help="run only this group (repeatable)")
    parser.add_argument("--case", action="append", default=[], help="run only this case or template id")
    parser.add_argument("--kernel", default="python3", help="kernel name (default: this Python's own)")
    args = parser.parse_args(argv)
    cases = select(args.group, args.case)
    if args.command == "list":
        for group, count in collections.Counter(c.group for c in cases).items():
            print(f"{group:12} {count:4}")
        print(f"{'total':12} {len(cases):4}")
        return 0
    skipped = sorted({c.group for c in cases if not installed(c.group)})
    if skipped:
        print(f"skipped (library not installed here, records kept): {', '.join(skipped)}")
    cases = [c for c in cases if installed(c.group)]
    start = time.perf_counter()
    outcomes = run_cases(cases, args.kernel)
    store(outcomes)
    failed = [o for o in outcomes if o.record is None]
    for outcome in failed:
        print(f"NOT AS PLANNED {outcome.case.id}: {outcome.problem}")
    print(f"{len(outcomes) - len(failed)} crashes recorded, {len(failed)} cases not as planned, "
          f"{time.perf_counter() - start:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
