"""Accuracy of the LIVE face (the card a real kernel shows) on the crash zoo, in three modes.

Usage: python benchmarks/live_accuracy.py [--group G ...] [--case ID ...] [--modes lab,nbclient,blind]
                                          [--jobs N] [--check-fresh N] [--no-faces] [--rows] [--diffs] [--json]

Each runnable zoo case (``benchmarks/zoo``) is written as a notebook file (its cells, ids stable per
case, no outputs) in a folder of its own; its ``run_order()`` is replayed in a real ipykernel with
nbcrash loaded (``nbcrash_kernel.live.driver.KernelDriver``), and the card of the final crash (the last
cell of the order) is scored against the case's labels: exception_type, root_cause, origin, stage, and
library on the cases whose label names one (``benchmarks/accuracy.py``'s ``same_library``). A case
whose cells do not crash as planned (the last cell must raise ``case.ename``, the cells of
``prior_errors`` must crash, no other may) did not reproduce in this venv: counted and listed, not
scored. Three modes, one column each:

- ``lab``: as JupyterLab runs a notebook: the kernel is told its notebook (``JPY_SESSION_NAME``) and
  every execute_request carries the cell's ``cellId``;
- ``nbclient``: as nbclient / papermill run one: no notebook named, no cellId, the kernel's working
  folder is the notebook's (nbcrash may find the file by the cells that ran: ``live/notebook_finder.py``);
- ``blind``: a kernel that never sees the notebook (working folder without it, no name, no cellId):
  only the cells that ran are known.

One kernel serves the cases of one group in one mode; between cases, a silent execute_request (one
IPython fires no ``pre_run_cell`` / ``post_run_cell`` for, so nbcrash never records it) unloads
nbcrash, closes figures, moves to the case's folder, sets or clears ``JPY_SESSION_NAME``, runs
``%reset -f`` and loads nbcrash again: each case meets an empty namespace and a new nbcrash session
as in a fresh kernel; only Python's module cache and the execution counter carry over. Cases marked
``fresh`` get a kernel of their own. ``--check-fresh N`` replays N of the cases in a new kernel each
and compares the cards (the four codes, the library, the root-cause detail and deciding rule) with
those of the shared kernel. ``--jobs N`` runs N kernels at once; nbcrash bounds each read of a live
value in time (``live/budget.py``), so on a loaded machine a card could lose evidence: compare with
``--jobs 1`` when a figure moves.

Beside the live columns, on the same cases: the audit face (``nbcrash audit`` on the zoo's recorded
notebook, ``benchmarks/audit_accuracy.py``) and the record alone (``benchmarks/accuracy.py``). Those
read the crash recorded in the zoo's own venv; the live face reads the crash replayed here (the same
cells, possibly other library versions).

IN-SAMPLE: the zoo is labelled by construction and the rules were written reading zoo cases, so these
figures say how much of the zoo the live face covers, not how well it does on crashes it never saw.
Groups whose library does not import in this interpreter (the kernels' own) are skipped and named.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: benchmarks/ is on the path, the repository is not
    sys.path.insert(0, str(ROOT))

from benchmarks.accuracy import same_library  # noqa: E402
from benchmarks.audit_accuracy import (DIMENSIONS, MISSING, library_score, predicted, score as score_dimensions,  # noqa: E402
                                       stage_without_none)
from benchmarks.zoo.case import Case  # noqa: E402
from benchmarks.zoo.cases import all_cases  # noqa: E402
from benchmarks.zoo.run import GROUP_REQUIRES  # noqa: E402
from benchmarks.zoo.runner import crash_problem  # noqa: E402

MODES = ("lab", "nbclient", "blind")
TITLES = {"lab": "lab", "nbclient": "nbclient", "blind": "blind kernel", "audit": "audit", "alone": "record alone"}
ALL_DIMENSIONS = (*DIMENSIONS, "library")
COMPARED = (*ALL_DIMENSIONS, "root_cause_detail", "rule")  # what --check-fresh compares
IN_SAMPLE = ("IN-SAMPLE: the zoo is labelled by construction and the rules were written reading zoo cases; "
             "these figures are the live face's coverage of the zoo, not an estimate for unseen crashes.")

# Run silently between cases (IPython fires no pre/post_run_cell for a silent request): nbcrash off,
# figures closed, the case's folder and notebook name, an empty namespace, nbcrash on again (a new session).
_RESET = """\
import os as _live_os, sys as _live_sys
get_ipython().run_line_magic('unload_ext', 'nbcrash')
if 'matplotlib.pyplot' in _live_sys.modules: _live_sys.modules['matplotlib.pyplot'].close('all')
_live_os.chdir({cwd!r})
_live_os.environ.pop('JPY_SESSION_NAME', None)
if {notebook!r}: _live_os.environ['JPY_SESSION_NAME'] = {notebook!r}
get_ipython().run_line_magic('reset', '-f')
get_ipython().run_line_magic('load_ext', 'nbcrash')
"""
# After the crash, silently: which notebook the session knew (binds no name).
_PROBE = """\
print('\\n@live ' + __import__('json').dumps((lambda e: {'notebook': str(e.watcher.snapshot.path) if e.watcher.snapshot else None,
    'found_by_what_ran': e.watcher.found_by_what_ran, 'internal_errors': len(e.internal_errors)})(
    __import__('nbcrash_kernel.live.extension', fromlist=['x']).active_extension(get_ipython()))))
"""


# ---- cases ----------------------------------------------------------------------------------------

def runnable_groups(groups: list[str]) -> tuple[list[str], dict[str, str]]:
    """(groups whose library imports here, {skipped group: why}). The kernels run this interpreter."""
    keep, skipped = [], {}
    for group in groups:
        module = GROUP_REQUIRES.get(group)
        if module is None or importlib.util.find_spec(module) is not None:
            keep.append(group)
        else:
            skipped[group] = f"{module} not importable"
    return keep, skipped


def select(groups: list[str] | None = None, ids: list[str] | None = None) -> tuple[list[Case], dict[str, str]]:
    cases = all_cases()
    if groups:
        cases = [c for c in cases if c.group in groups]
    if ids:
        cases = [c for c in cases if c.id in ids or c.template in ids]
    keep, skipped = runnable_groups(list(dict.fromkeys(c.group for c in cases)))
    return [c for c in cases if c.group in keep], skipped


def cell_id(case: Case, index: int) -> str:
    """A cell id stable per case and distinct between cases (as JupyterLab's uuids are)."""
    return hashlib.sha1(case.id.encode()).hexdigest()[:8] + f"-{index}"


def write_notebook(case: Case, folder: Path) -> Path:
    """The case's notebook as the user saved it before running: its cells, no outputs."""
    import nbformat

    cells = [nbformat.v4.new_code_cell(source, id=cell_id(case, i)) for i, source in enumerate(case.cells)]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / f"{case.id}.ipynb"
    nbformat.write(notebook, path)
    return path


# ---- replay ---------------------------------------------------------------------------------------

class Replay:
    """The final crash's card of one case in one mode, or why there is none.

    (A plain class: tests/test_benchmarks.py loads this file without registering it as a module,
    which dataclasses cannot resolve.)
    """

    def __init__(self, case: Case, mode: str, runs: list | None = None) -> None:
        self.case, self.mode, self.runs = case, mode, runs or []
        self.card: dict | None = None
        self.problem = ""                     # not empty: the case did not reproduce (not scored)
        self.seconds = 0.0
        self.notebook: str | None = None      # the notebook file the session knew at the crash
        self.found_by_what_ran = False
        self.internal_errors = 0

    @property
    def rule(self) -> str:
        return str(((self.card or {}).get("trace") or {}).get("root_cause", {}).get("rule") or "")

    def value(self, dim: str) -> str:
        if dim == "rule":
            return self.rule
        return MISSING if self.card is None else str(self.card.get(dim) or "")


def case_folder(root: Path, mode: str, case: Case, tag: str = "") -> tuple[Path, Path | None]:
    """(the kernel's working folder for the case, the notebook file or None in blind mode)."""
    folder = root / f"{mode}{tag}" / case.id
    folder.mkdir(parents=True, exist_ok=True)
    notebook = None if mode == "blind" else write_notebook(case, folder)
    return folder, notebook


def replay_in(driver, case: Case, mode: str) -> Replay:
    """Run the case's order in ``driver`` (already in the case's folder) and take the final card."""
    start = time.perf_counter()
    send_ids = mode == "lab"
    runs = [driver.run(case.cells[i], cell_id=cell_id(case, i) if send_ids else None) for i in case.run_order()]
    replay = Replay(case, mode, runs=runs)
    replay.problem = crash_problem(case, runs)
    if not replay.problem:
        crashes = runs[-1].crashes
        replay.card = crashes[-1] if crashes else None
    probe = driver.run(_PROBE, silent=True)
    line = next((l for l in probe.text.splitlines() if l.startswith("@live ")), None)
    if line:
        facts = json.loads(line[len("@live "):])
        replay.notebook, replay.found_by_what_ran = facts["notebook"], facts["found_by_what_ran"]
        replay.internal_errors = facts["internal_errors"]
    replay.seconds = time.perf_counter() - start
    return replay


class SharedKernel:
    """One kernel with nbcrash for many cases of one mode, reset between cases."""

    def __init__(self, mode: str, root: Path) -> None:
        from nbcrash_kernel.live.driver import KernelDriver

        self.mode, self.root = mode, root
        self.driver = KernelDriver(notebook=None, cwd=root, nbcrash=True, timeout=180)

    def replay(self, case: Case) -> Replay:
        folder, notebook = case_folder(self.root, self.mode, case)
        name = str(notebook) if self.mode == "lab" else ""
        reset = self.driver.run(_RESET.format(cwd=str(folder), notebook=name), silent=True)
        if reset.status != "ok":
            detail = reset.error and f"{reset.error['ename']}: {reset.error['evalue']}"
            raise RuntimeError(f"kernel reset failed before {case.id}: {detail}")
        return replay_in(self.driver, case, self.mode)

    def close(self) -> None:
        self.driver.shutdown()


def fresh_replay(case: Case, mode: str, root: Path, tag: str = "-fresh") -> Replay:
    """The case in a kernel of its own, started as the mode's front end starts it."""
    from nbcrash_kernel.live.driver import KernelDriver

    folder, notebook = case_folder(root, mode, case, tag)
    with KernelDriver(notebook=notebook if mode == "lab" else None, cwd=folder, nbcrash=True, timeout=180) as driver:
        return replay_in(driver, case, mode)


def replay_cases(cases: list[Case], modes: tuple[str, ...], root: Path, log=print, jobs: int = 1) -> dict[str, list[Replay]]:
    """Every case in every mode: one shared kernel per (mode, group), a new one per fresh case.

    ``jobs`` > 1 runs that many (mode, group) kernels at once (threads; each kernel is its own process).
    """
    from concurrent.futures import ThreadPoolExecutor

    by_group: dict[str, list[Case]] = collections.defaultdict(list)
    for case in cases:
        by_group[case.group].append(case)

    def run_group(mode: str, group: str) -> dict[str, Replay]:
        start = time.perf_counter()
        members = by_group[group]
        done: dict[str, Replay] = {}
        shared = [c for c in members if not c.fresh]
        if shared:
            kernel = SharedKernel(mode, root)
            try:
                for case in shared:
                    done[case.id] = kernel.replay(case)
            finally:
                kernel.close()
        for case in (c for c in members if c.fresh):
            done[case.id] = fresh_replay(case, mode, root, tag="")
        log(f"  {TITLES[mode]:12} {group:12} {len(members):4} cases {time.perf_counter() - start:6.1f} s")
        return done

    tasks = [(mode, group) for mode in modes for group in by_group]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(lambda task: (task[0], run_group(*task)), tasks))
    replays: dict[str, dict[str, Replay]] = {mode: {} for mode in modes}
    for mode, done in results:
        replays[mode].update(done)
    return {mode: [replays[mode][c.id] for c in cases] for mode in modes}


def fresh_sample(cases: list[Case], n: int) -> list[Case]:
    """``n`` cases spread over the groups (round robin, every k-th case of each), deterministic."""
    by_group: dict[str, list[Case]] = collections.defaultdict(list)
    for case in cases:
        if not case.fresh:
            by_group[case.group].append(case)
    queues = [members[::max(1, len(members) // max(1, n // max(1, len(by_group)) + 1))] for members in by_group.values()]
    chosen: list[Case] = []
    while len(chosen) < n and any(queues):
        for members in queues:
            if members and len(chosen) < n:
                chosen.append(members.pop(0))
    return chosen


def check_fresh(sample: list[Case], replays: dict[str, list[Replay]], root: Path) -> dict:
    """Replay ``sample`` in a new kernel each and compare with the shared kernel's cards."""
    mismatches, compared = [], 0
    for mode, rows in replays.items():
        shared = {r.case.id: r for r in rows}
        for case in sample:
            fresh = fresh_replay(case, mode, root)
            old = shared[case.id]
            compared += 1
            if bool(fresh.problem) != bool(old.problem):
                mismatches.append({"case": case.id, "mode": mode, "shared": old.problem or "reproduced",
                                   "fresh": fresh.problem or "reproduced"})
                continue
            diff = {d: [old.value(d), fresh.value(d)] for d in COMPARED if old.value(d) != fresh.value(d)}
            if bool(old.notebook) != bool(fresh.notebook):  # the folders differ, so compare known / not
                diff["notebook"] = [old.notebook, fresh.notebook]
            if diff:
                mismatches.append({"case": case.id, "mode": mode, **diff})
    return {"cases": [c.id for c in sample], "compared": compared, "mismatches": mismatches}


# ---- scoring --------------------------------------------------------------------------------------

def score(labels: list[dict], diagnoses: list[dict | None], top: int = 6) -> dict:
    """audit_accuracy's accuracy and confusions per dimension, the stage without NONE, and the library
    where the label names one."""
    figures = score_dimensions(labels, diagnoses, top)
    figures["cases"], figures["no_card"] = figures.pop("rows"), figures.pop("missing")
    figures["stage_no_none"] = stage_without_none(labels, diagnoses)
    figures["library"] = library_score(labels, diagnoses, top)
    return figures


def wrong_dims(labels: dict, diagnosis: dict | None) -> dict[str, list[str]]:
    wrong = {d: [labels[d], predicted(diagnosis, d)] for d in DIMENSIONS if labels[d] != predicted(diagnosis, d)}
    if str(labels["library"]).strip():
        guess = predicted(diagnosis, "library")
        if not same_library(guess if guess != MISSING else "", labels["library"]):
            wrong["library"] = [labels["library"], guess]
    return wrong


# ---- the other faces on the same cases ------------------------------------------------------------

def other_faces(case_ids: list[str]) -> dict[str, list[dict | None]] | None:
    """The audit's and the record-alone diagnoses of the zoo's recorded crashes of ``case_ids``."""
    from benchmarks.audit_accuracy import audit_zoo, record_alone
    from benchmarks.zoo.records import load_records

    records = {r["case"]: r for r in load_records()}
    if not all(c in records for c in case_ids):
        return None
    chosen = [records[c] for c in case_ids]
    return {"audit": audit_zoo(chosen), "alone": record_alone(chosen)}


# ---- measure and print ----------------------------------------------------------------------------

def measure(cases: list[Case], modes: tuple[str, ...], faces: bool = True, fresh: int = 0, log=print,
            jobs: int = 1) -> dict:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nbcrash-live-acc-") as tmp:
        root = Path(tmp)
        replays = replay_cases(cases, modes, root, log, jobs)
        replay_seconds = time.perf_counter() - started
        fresh_check = None
        if fresh:
            begun = time.perf_counter()
            sample = fresh_sample(cases, fresh)
            fresh_check = check_fresh(sample, {m: replays[m] for m in modes}, root)
            fresh_check["seconds"] = time.perf_counter() - begun
    # Scored: the cases that reproduced in every mode, so that every column counts the same cases.
    scored = [i for i, case in enumerate(cases) if all(not replays[m][i].problem for m in modes)]
    labels = [cases[i].labels.as_dict() for i in scored]
    diagnoses = {m: [replays[m][i].card for i in scored] for m in modes}
    if faces and scored:
        begun = time.perf_counter()
        others = other_faces([cases[i].id for i in scored])
        if others:
            diagnoses.update(others)
        faces_seconds = time.perf_counter() - begun
    else:
        faces_seconds = 0.0
    groups = sorted({cases[i].group for i in scored})
    by_group = {name: {g: score([labels[k] for k, i in enumerate(scored) if cases[i].group == g],
                                [diag[k] for k, i in enumerate(scored) if cases[i].group == g]) for g in groups}
                for name, diag in diagnoses.items()}
    return {"cases": cases, "replays": replays, "scored": scored, "labels": labels, "diagnoses": diagnoses,
            "figures": {name: score(labels, diag) for name, diag in diagnoses.items()}, "by_group": by_group,
            "not_reproduced": {m: [(r.case.id, r.problem) for r in replays[m] if r.problem] for m in modes},
            "notebook_known": {m: sum(1 for i in scored if replays[m][i].notebook) for m in modes},
            "found_by_what_ran": {m: sum(1 for i in scored if replays[m][i].found_by_what_ran) for m in modes},
            "internal_errors": {m: sum(1 for r in replays[m] if r.internal_errors) for m in modes},
            "fresh_check": fresh_check, "seconds": {"replay": replay_seconds, "other_faces": faces_seconds,
                                                    "total": time.perf_counter() - started}}


def _cell(figure: dict) -> str:
    return "   n/a" if figure["accuracy"] is None else f"{figure['accuracy']:6.1%}"


def print_result(result: dict, skipped: dict[str, str], modes: tuple[str, ...]) -> None:
    figures = result["figures"]
    names = list(figures)
    cases = result["cases"]
    print(f"live face of nbcrash on the crash zoo: {len(cases)} cases replayed in real kernels with nbcrash loaded, "
          f"{len(result['scored'])} reproduced in every mode and scored")
    print(IN_SAMPLE)
    if skipped:
        print("skipped groups: " + ", ".join(f"{g} ({why})" for g, why in skipped.items()))
    for mode in modes:
        missing = result["not_reproduced"][mode]
        if missing:
            print(f"did not reproduce ({TITLES[mode]}): {len(missing)}: "
                  + "; ".join(f"{c}: {p}" for c, p in missing[:5]) + (" ..." if len(missing) > 5 else ""))
    print(f"{'':16}" + "".join(f"{TITLES[n]:>14}" for n in names))
    print(f"{'cases':16}" + "".join(f"{figures[n]['cases']:>14}" for n in names))
    for dim in ALL_DIMENSIONS:
        print(f"{dim:16}" + "".join(f"{_cell(figures[n][dim]):>14}" for n in names))
    print(f"{'(library n)':16}" + "".join(f"{figures[n]['library']['n']:>14}" for n in names))
    print(f"{'stage w/o NONE':16}" + "".join(f"{_cell(figures[n]['stage_no_none']):>14}" for n in names)
          + f"   ({figures[names[0]]['cases'] - figures[names[0]]['stage_no_none']['n']} cases labelled NONE left out)")
    print(f"{'no card':16}" + "".join(f"{figures[n]['no_card']:>14}" for n in names))
    print(f"{'notebook known':16}" + "".join(f"{result['notebook_known'][m]:>14}" for m in modes)
          + "   (cards made with the notebook file read; nbclient: found by the cells that ran "
          + f"{result['found_by_what_ran'].get('nbclient', 0)})")
    if any(result["internal_errors"].values()):
        print("cases with an nbcrash internal error: " + ", ".join(f"{TITLES[m]} {n}" for m, n in result["internal_errors"].items()))
    print("  lab: notebook named (JPY_SESSION_NAME) and cellId sent; nbclient: no name, no cellId, working folder = "
          "the notebook's; blind kernel: no notebook anywhere")
    if "audit" in figures:
        print("  audit: `nbcrash audit` of the zoo's recorded notebook; record alone: ename, evalue, traceback "
              "(both read the crash recorded in the zoo's venv)")
    for name in names:
        for dim in (*DIMENSIONS, "library"):
            top = ", ".join(f"{a}->{b} {n}" for a, b, n in figures[name][dim]["confusions"])
            if top:
                print(f"confusions {TITLES[name]:13} {dim:15} {top}")
    print("by group (" + " / ".join(TITLES[n] for n in names) + ")")
    for group in next(iter(result["by_group"].values())):
        row = result["by_group"]
        cells = "  ".join(f"{dim[:6]} " + "/".join(f"{row[n][group][dim]['accuracy']:.0%}" for n in names)
                          for dim in DIMENSIONS)
        print(f"  {group:11} ({row[names[0]][group]['cases']:3})  {cells}")
    fresh = result["fresh_check"]
    if fresh:
        print(f"shared vs fresh kernels: {fresh['compared']} replays of {len(fresh['cases'])} cases compared "
              f"({fresh['seconds']:.0f} s), {len(fresh['mismatches'])} differ")
        for mismatch in fresh["mismatches"]:
            print(f"  {mismatch}")
    seconds = result["seconds"]
    print(f"wall time {seconds['total']:.0f} s (replay {seconds['replay']:.0f} s, audit and record alone "
          f"{seconds['other_faces']:.0f} s)")


def print_rows(result: dict, modes: tuple[str, ...]) -> None:
    audit = result["diagnoses"].get("audit")
    for k, i in enumerate(result["scored"]):
        labels = result["labels"][k]
        for mode in modes:
            replay = result["replays"][mode][i]
            wrong = wrong_dims(labels, replay.card)
            if wrong:
                extra = ""
                if audit is not None:
                    extra = " audit " + "/".join(predicted(audit[k], d) for d in DIMENSIONS)
                print(f"{TITLES[mode]:12} {replay.case.id} {wrong} rule {replay.rule}{extra}")


def print_diffs(result: dict, modes: tuple[str, ...]) -> None:
    """Cases where the live modes disagree with each other or lab with the audit (any dimension)."""
    audit = result["diagnoses"].get("audit")
    for k, i in enumerate(result["scored"]):
        reps = {m: result["replays"][m][i] for m in modes}
        values = {m: tuple(r.value(d) for d in ALL_DIMENSIONS) for m, r in reps.items()}
        if audit is not None:
            values["audit"] = tuple(predicted(audit[k], d) for d in ALL_DIMENSIONS)
        if len(set(values.values())) > 1:
            labels = result["labels"][k]
            print(f"{reps[modes[0]].case.id}  label {'/'.join(labels[d] for d in ALL_DIMENSIONS)}")
            for name, value in values.items():
                rule = reps[name].rule if name in reps else (audit[k] or {}).get("trace", {}).get("root_cause", {}).get("rule", "")
                print(f"    {TITLES[name]:12} {'/'.join(value)}  {rule}")


def json_result(result: dict, skipped: dict[str, str]) -> dict:
    return {"note": IN_SAMPLE, "skipped_groups": skipped, "figures": result["figures"], "by_group": result["by_group"],
            "scored": len(result["scored"]), "not_reproduced": result["not_reproduced"],
            "notebook_known": result["notebook_known"], "found_by_what_ran": result["found_by_what_ran"],
            "internal_errors": result["internal_errors"], "fresh_check": result["fresh_check"],
            "seconds": result["seconds"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--group", action="append", default=[], help="only this zoo group (repeatable)")
    parser.add_argument("--case", action="append", default=[], help="only this case or template (repeatable)")
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated: lab,nbclient,blind")
    parser.add_argument("--check-fresh", type=int, default=0, metavar="N",
                        help="replay N cases in a new kernel each and compare with the shared kernel's cards")
    parser.add_argument("--jobs", type=int, default=1, help="kernels running at once (default 1)")
    parser.add_argument("--no-faces", action="store_true", help="skip the audit and record-alone columns")
    parser.add_argument("--rows", action="store_true", help="print the wrong cases of each live mode")
    parser.add_argument("--diffs", action="store_true", help="print the cases where modes or lab and audit disagree")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    modes = tuple(m for m in args.modes.split(",") if m)
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        parser.error(f"unknown mode(s) {unknown}; choose from {MODES}")
    cases, skipped = select(args.group, args.case)
    if not cases:
        print("no runnable case selected" + (f" (skipped: {skipped})" if skipped else ""))
        return 1
    log = (lambda *a, **k: print(*a, file=sys.stderr, **k)) if args.json else print
    result = measure(cases, modes, faces=not args.no_faces, fresh=args.check_fresh, log=log, jobs=args.jobs)
    if args.json:
        print(json.dumps(json_result(result, skipped), indent=1))
    else:
        print_result(result, skipped, modes)
    if args.rows:
        print_rows(result, modes)
    if args.diffs:
        print_diffs(result, modes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
