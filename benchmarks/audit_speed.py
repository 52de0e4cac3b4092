"""Speed of ``nbcrash audit`` (static: no code run) on the shared corpus.

Prints, in one run: notebooks/s and MB/s of the audit with ``--jobs`` workers
(default 2, the CI machine), the single-process audit and where its time goes,
and the floors: loading the same files with ``json`` alone and with nbformat.
Target: >= 300 notebooks/s on 2 cores. In-process timings are the best of ``--repeat``
runs; the load average is printed because shared machines skew them.

Each audit is measured twice: by the wall clock, and by CPU time (this
process's ``process_time`` plus the worker processes' ``RUSAGE_CHILDREN``).
Other users' load inflates the wall clock, not the CPU time much, so
``jobs * notebooks / CPU seconds`` is what that many idle cores would give.

Then, side by side in the same run, whole processes as a user starts them (``--whole``, on
by default): ``nbcrash audit --jobs N`` on the corpus, ruff's undefined-name rules
(``ruff check --select F821,F841``) on the same .ipynb files, and a fresh Python that only
``json``-loads them (the floor); medians of turns. Both tools have an on-disk cache: each is
measured cold without it (``--no-cache``), cold with an empty one (a first run, writing it) and
warm, on separate rows, so that a warm figure is never read as a cold one. Targets (cold, no
cache): nbcrash's CPU <= 1.5 x ruff's and <= 4 x the json floor's. ruff is the yardstick only
(PATH or /work/venv-ruff), never a dependency.

    .venv/bin/python benchmarks/audit_speed.py [--jobs 2] [--repeat 3] [--only-whole]
        [--baseline ROOT] [CORPUS]

``--baseline ROOT`` audits with another nbcrash source tree in the same turns (old vs new under
the same load), e.g. ``git archive main | tar -x -C /tmp/nbcrash-main``. The audited trees are
compiled to bytecode first, as an installed copy is.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import time
import warnings
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def _cold() -> None:
    """Empty the per-process caches of the audit, so no run (nor forked worker) starts warm."""
    from nbcrash_kernel.facts import cell_code, history
    from nbcrash_kernel.facts.cells import analyze as cells
    from nbcrash_kernel.facts.cells import lean
    from nbcrash_kernel.record import tracebacks

    lean._lean_facts_cached.cache_clear()
    cell_code.parse_python.cache_clear()
    cell_code.read_cell.cache_clear()
    tracebacks.clear_parse_cache()
    history._markdown_headings_in.cache_clear()
    cached = getattr(cells, "_analyze_cached", None)
    if hasattr(cached, "cache_clear"):
        cached.cache_clear()


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished (waited-for) children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _measure(function, repeat: int) -> tuple[float, float]:
    """Best wall-clock seconds and best CPU seconds (all processes) of ``repeat`` runs."""
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        _cold()
        cpu, start = _cpu_seconds(), time.perf_counter()
        function()
        best_wall = min(best_wall, time.perf_counter() - start)
        best_cpu = min(best_cpu, _cpu_seconds() - cpu)
    return best_wall, best_cpu


def _best(function, repeat: int) -> float:
    return _measure(function, repeat)[0]


def _python_loop_ms() -> float:
    """CPU time of a fixed pure-Python workload: how fast this core is right now."""
    start = time.process_time()
    for _ in range(200):
        sum(range(10_000))
    return (time.process_time() - start) * 1e3


def _load_json(files: list[str]) -> None:
    for path in files:
        with open(path, "rb") as handle:
            json.loads(handle.read())


def _load_nbformat(files: list[str]) -> None:
    import nbformat

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in files:
            nbformat.read(path, as_version=4)


def _stages(files: list[str]) -> dict[str, float]:
    """Single-process seconds per stage of the audit of one notebook."""
    from nbcrash_kernel.audit.crashes import diagnose_crashes
    from nbcrash_kernel.audit.findings import notebook_findings
    from nbcrash_kernel.audit.load import load_notebook
    from nbcrash_kernel.audit.notebook import notebook_graph

    totals = {"load": 0.0, "history graph": 0.0, "crashes": 0.0, "findings": 0.0}
    clock = time.process_time  # CPU time: less skewed than wall time on a shared machine
    for path in files:
        t0 = clock()
        loaded = load_notebook(path)
        t1 = clock()
        graph = notebook_graph(loaded)
        t2 = clock()
        diagnose_crashes(loaded, graph)
        t3 = clock()
        notebook_findings(loaded.nb, graph, loaded.cell_lines)
        t4 = clock()
        for key, seconds in zip(totals, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            totals[key] += seconds
    return totals


_JSON_FLOOR = """import json, sys
for path in sys.stdin.read().splitlines():
    with open(path, 'rb') as handle:
        json.loads(handle.read())
"""


def _whole_processes(rows: dict[str, tuple], repeat: int, cwd: str | None = None
                     ) -> dict[str, tuple[float, float]]:
    """Median wall and median CPU seconds of ``repeat`` fresh runs of each row's command (and its children).

    A row is (command, stdin, env) or (command, stdin, env, before): ``before()`` runs ahead of each
    run, unmeasured (emptying a cache for a cold run). The rows take turns (one run of each,
    ``repeat`` times): a shared machine's load drifts, and taking turns exposes every row to the
    same drift. Medians, not minima: the noise of a shared machine is not all one-sided.
    ``cwd``: where the commands run (not a source tree: ``python -m`` puts the working folder
    ahead of PYTHONPATH, so a baseline run from this repository would import this tree).
    """
    import statistics
    import subprocess

    samples: dict[str, list[tuple[float, float]]] = {label: [] for label in rows}
    for _ in range(repeat):
        for label, (command, stdin, env, *before) in rows.items():
            if before and before[0] is not None:
                before[0]()
            started = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, input=stdin, text=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False, env=env, cwd=cwd)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime - started.ru_utime + after.ru_stime - started.ru_stime
            samples[label].append((wall, cpu))
    return {label: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
            for label, runs in samples.items()}


def _ruff() -> str | None:
    import shutil

    found = shutil.which("ruff")
    venv = Path("/work/venv-ruff/bin/ruff")
    return found or (str(venv) if venv.is_file() else None)


def _compile_bytecode(root: str) -> None:
    """Compile ``root``'s nbcrash_kernel to bytecode (``__pycache__``, which git ignores), as pip does
    when it installs a wheel: where PYTHONDONTWRITEBYTECODE is set, every run would otherwise
    compile every module from source, a cost no installed copy pays."""
    import compileall

    compileall.compile_dir(str(Path(root) / "nbcrash_kernel"), quiet=2)


def _audit_row(root: str, corpus: str, jobs: int, *cache: str) -> tuple[list[str], None, dict]:
    """``cache``: the arguments choosing the cache (``--no-cache``; ``--cache-dir DIR``), for a tree that has one."""
    import sys

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p))
    env.pop("NBCRASH_NO_CACHE", None)
    env.pop("NBCRASH_CACHE_DIR", None)
    command = [sys.executable, "-m", "nbcrash_kernel", "audit", "--no-progress", "--jobs", str(jobs),
               "--format", "json", "-o", os.devnull, "--isolated", *cache, corpus]
    return command, None, env


def _has_cache(root: str) -> bool:
    return (Path(root) / "nbcrash_kernel" / "audit" / "cache.py").is_file()


def _emptied(folder: str):
    """A ``before`` step: remove ``folder``, so the run starts with no cache (cold, writing it)."""
    import shutil

    return lambda: shutil.rmtree(folder, ignore_errors=True)


def whole_process_comparison(corpus: str, files: list[str], jobs: int, repeat: int,
                             baseline: str | None = None) -> None:
    """nbcrash, ruff and the json floor, each a fresh process on the same files, taking turns.

    Cold and warm are separate rows, each beside ruff in the same state: cold without a cache
    (``--no-cache``) and with an empty one (the first run, which writes it); warm with the cache
    the previous run wrote. ``baseline``: another source tree of nbcrash (e.g. ``git archive`` of
    an earlier commit), audited the same way in the same turns, so old and new are compared under
    the same load (cold only, when it has no cache).
    """
    import sys
    import tempfile

    root = str(Path(__file__).resolve().parents[1])
    roots = {"nbcrash": root, **({"baseline": baseline} if baseline else {})}
    for tree in roots.values():
        _compile_bytecode(tree)
    scratch = tempfile.mkdtemp(prefix="audit-speed-")
    # The commands run in an empty folder; the caches live beside it. (``python -m`` puts the working
    # folder on sys.path, whose listing is part of nbcrash's cache key: a cache made or emptied there
    # would change the key of the next run.)
    here = os.path.join(scratch, "cwd")
    os.mkdir(here)
    rows: dict[str, tuple] = {FLOOR: ([sys.executable, "-c", _JSON_FLOOR], "\n".join(files), None)}
    for name, tree in roots.items():
        if not _has_cache(tree):
            rows[f"{name} {COLD}"] = _audit_row(tree, corpus, jobs)
            continue
        folder = os.path.join(scratch, name)
        rows[f"{name} {COLD}"] = _audit_row(tree, corpus, jobs, "--no-cache")
        rows[f"{name} {EMPTY}"] = (*_audit_row(tree, corpus, jobs, "--cache-dir", folder), _emptied(folder))
        rows[f"{name} {WARM}"] = _audit_row(tree, corpus, jobs, "--cache-dir", folder + "-warm")
    ruff = _ruff()
    if ruff:
        check = [ruff, "check", "--select", "F821,F841", "--exit-zero", "--isolated", "--quiet"]
        folder = os.path.join(scratch, "ruff")
        rows[f"ruff {COLD}"] = ([*check, "--no-cache", *files], None, None)
        rows[f"ruff {EMPTY}"] = ([*check, "--cache-dir", folder, *files], None, None, _emptied(folder))
        rows[f"ruff {WARM}"] = ([*check, "--cache-dir", folder + "-warm", *files], None, None)
    for label, (command, stdin, env, *_) in rows.items():  # fill the warm rows' caches
        if label.endswith(WARM):
            import subprocess

            subprocess.run(command, input=stdin, text=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False, env=env, cwd=here)
    measured = _whole_processes(rows, repeat, cwd=here)
    import shutil

    shutil.rmtree(scratch, ignore_errors=True)
    print(f"whole process, {len(files)} notebooks, --jobs {jobs}, median of {repeat} turns "
          "(nbcrash compiled to bytecode, as installed):")
    for row, (wall, cpu) in measured.items():
        print(f"  {row:<40}: {wall:6.2f} s wall  {cpu:6.2f} s CPU")
    floor = measured[FLOOR][1]
    for name in roots:
        for state in (COLD, EMPTY, WARM):
            ours = measured.get(f"{name} {state}")
            if ours is None:
                continue
            target = "   <- target" if state == COLD else ""
            line = f"  {name} {state}: {ours[1] / floor:5.2f} x json floor{' (<= 4)' if target else ''}"
            if ruff:
                line += f", {ours[1] / measured[f'ruff {state}'][1]:5.2f} x ruff {state}{' (<= 1.5)' if target else ''}"
            print(line + target)
    if not ruff:
        print("  ruff: not installed (pip install ruff into /work/venv-ruff to compare)")


FLOOR = "json load only (fresh python)"
COLD = "cold, no cache"
EMPTY = "cold, empty cache (writes it)"
WARM = "warm cache"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(CORPUS))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only-whole", action="store_true",
                        help="only the whole-process comparison with ruff and the json floor")
    parser.add_argument("--baseline", metavar="ROOT",
                        help="also audit with the nbcrash source tree at ROOT, in the same turns")

    args = parser.parse_args(argv)

    from nbcrash_kernel.audit.discover import discover
    from nbcrash_kernel.audit.runner import audit_paths

    files = discover([args.corpus]).files
    if not files:
        print(f"no notebooks under {args.corpus}")
        return 1
    megabytes = sum(os.path.getsize(f) for f in files) / 1e6
    n = len(files)
    print(f"corpus: {n} notebooks, {megabytes:.1f} MB ({args.corpus})")
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
          f"fixed Python loop {_python_loop_ms():.0f} ms (lower is faster)")
    whole_process_comparison(args.corpus, files, args.jobs, args.repeat, args.baseline)
    if args.only_whole:
        return 0

    def rate(seconds: float) -> str:
        return f"{seconds:7.2f} s  {n / seconds:7.1f} notebooks/s  {megabytes / seconds:6.1f} MB/s"

    def cpu_rate(cpu: float, cores: int) -> str:
        return (f"{cpu:7.2f} s  {n / cpu:7.1f} notebooks/s per core -> "
                f"{cores * n / cpu:6.1f} notebooks/s on {cores} idle core{'s' * (cores > 1)}")

    json_s, json_cpu = _measure(lambda: _load_json(files), args.repeat)
    print(f"floor, json load only        : {rate(json_s)}")
    print(f"  CPU time                   : {cpu_rate(json_cpu, 1)}")
    nbformat_s = _best(lambda: _load_nbformat(files), 1)
    print(f"nbformat.read (validates)    : {rate(nbformat_s)}")

    audit_paths(files[:4], jobs=1, progress=False)  # warm imports of the parent
    single, single_cpu = _measure(lambda: audit_paths(files, jobs=1, progress=False), 1)
    print(f"audit, 1 process             : {rate(single)}")
    print(f"  CPU time                   : {cpu_rate(single_cpu, 1)}")
    parallel, parallel_cpu = _measure(
        lambda: audit_paths(files, jobs=args.jobs, progress=False), args.repeat)
    print(f"audit, --jobs {args.jobs:<2}             : {rate(parallel)}   <- target >= 300 notebooks/s")
    print(f"  CPU time, all processes    : {cpu_rate(parallel_cpu, args.jobs)}   <- target >= 300")

    from nbcrash_kernel.audit.runner import batch_gc

    _cold()
    with batch_gc():  # as audit_paths does
        stages = _stages(files)
    total = sum(stages.values())
    print("single-process CPU by stage  : " + ", ".join(
        f"{name} {seconds:.2f} s ({100 * seconds / total:.0f}%)" for name, seconds in stages.items()))
    print(f"CPU per notebook: {1000 * total / n:.1f} ms -> on {args.jobs} idle cores at most "
          f"{args.jobs * n / total:.0f} notebooks/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
