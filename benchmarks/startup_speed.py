"""How fast ``nbcrash`` starts: whole-process time of ``nbcrash --help`` and of
``nbcrash audit one.ipynb``, the median of ``--repeat`` runs, beside ruff when installed.

Targets: ``nbcrash --help`` <= 100 ms, ``nbcrash audit one.ipynb`` <= 150 ms (``--no-cache``; with
the warm cache on its own row). Each run is a
fresh interpreter (``python -m nbcrash_kernel``, as the ``nbcrash`` script runs it), timed by
the wall clock and by its CPU time (``RUSAGE_CHILDREN``). ruff is looked for on PATH, then in
``/work/venv-ruff`` (never a dependency of nbcrash: only the yardstick).

    .venv/bin/python benchmarks/startup_speed.py [--repeat 9] [NOTEBOOK]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "impl_typo.ipynb"
RUFF_VENV = Path("/work/venv-ruff/bin/ruff")
TARGETS_MS = {"help": 100, "audit": 150}


def whole_process(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``command`` and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_run(command: list[str], repeat: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Median wall and median CPU seconds of ``repeat`` runs (after one warm-up for the disk cache)."""
    whole_process(command, env)
    runs = [whole_process(command, env) for _ in range(repeat)]
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def ruff_executable() -> str | None:
    """ruff on PATH, else the benchmark's own venv; None when neither is there."""
    found = shutil.which("ruff")
    if found:
        return found
    return str(RUFF_VENV) if RUFF_VENV.is_file() else None


def nbcrash_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "nbcrash_kernel", *args]


def package_env() -> dict[str, str]:
    """This checkout's nbcrash_kernel first, as the tests run it."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="?", default=str(NOTEBOOK))
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args(argv)
    env = package_env()
    env.pop("NBCRASH_NO_CACHE", None)
    cache = tempfile.mkdtemp(prefix="startup-speed-")  # filled by the warm-up run
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; median of {args.repeat} runs")
    rows = [("python -c pass (interpreter floor)", [sys.executable, "-c", "pass"], None),
            ("nbcrash --help", nbcrash_command("--help"), "help"),
            (f"nbcrash audit {Path(args.notebook).name}",
             nbcrash_command("audit", "--no-progress", "--no-cache", args.notebook), "audit"),
            (f"nbcrash audit {Path(args.notebook).name}, warm cache",
             nbcrash_command("audit", "--no-progress", "--cache-dir", cache, args.notebook), None)]
    ruff = ruff_executable()
    if ruff:
        rows += [("ruff --help", [ruff, "--help"], None),
                 (f"ruff check {Path(args.notebook).name} (F821,F841)",
                  [ruff, "check", "--select", "F821,F841", "--no-cache", "--exit-zero", args.notebook], None)]
    else:
        print("ruff: not installed (pip install ruff into /work/venv-ruff to compare)")
    for label, command, target in rows:
        wall, cpu = median_run(command, args.repeat, env)
        goal = f"   <- target <= {TARGETS_MS[target]} ms" if target else ""
        print(f"{label:<44}: {1000 * wall:6.0f} ms wall  {1000 * cpu:6.0f} ms CPU{goal}")
    shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
