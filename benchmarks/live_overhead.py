"""What nbcrash costs a live kernel, as ratios against a plain kernel measured in the same run.

    python benchmarks/live_overhead.py [--cells 500] [--lines 200] [--loop 2000000]

1. Per-cell overhead in a session of ``--cells`` cells of ``--lines`` lines each, run as
   JupyterLab runs them (the notebook saved, JPY_SESSION_NAME set, cellId on every
   request): the time spent in nbcrash's hooks, timed inside the kernel (median, p99),
   and the round-trip time of the same cells in a plain and an nbcrash kernel.
1b. The same on ``--ml-cells`` cells of a small ML session (frames, columns, fit, predict): the
   cells whose values nbcrash fingerprints after each run and whose source it checks before.
2. A cell looping ``--loop`` times: round-trip time, nbcrash / plain.
3. Card latency: from the error output to the crash card (client side, iopub arrival),
   and the time nbcrash spends building and showing it (kernel side).
ipyflow is measured too when it is importable (``--ipyflow-path`` adds a folder to its
kernel's PYTHONPATH); it is not a dependency of nbcrash.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nbcrash_kernel.live.driver import KernelDriver  # noqa: E402

TIME_HOOKS = """
import time as _t
from nbcrash_kernel.live.extension import active_extension as _active
_nbc_ext = _active(get_ipython())
_nbc_hook_times = []
def _nbc_timed(fn, event):
    def timed(*args):
        wall, cpu = _t.perf_counter(), _t.thread_time()
        try:
            return fn(*args)
        finally:
            _nbc_hook_times.append((event, get_ipython().execution_count,
                                    _t.perf_counter() - wall, _t.thread_time() - cpu))
    return timed
for _name in ("pre_run_cell", "post_run_cell"):
    _cbs = get_ipython().events.callbacks[_name]
    for _i, _cb in enumerate(_cbs):
        if getattr(_cb, "__self__", None) is _nbc_ext:
            _cbs[_i] = _nbc_timed(_cb, _name)
"""


def make_cell(i: int, lines: int) -> str:
    """A cell of ``lines`` lines: a function with loops and arithmetic, and a few top-level names."""
    body = [f"def helper_{i}(values):", "    total = 0", "    for v in values:"]
    top = [f"data_{i} = list(range(20))", f"result_{i} = helper_{i}(data_{i})"]
    top += [f"r{i}_{k} = result_{i} + {k}" for k in range(8)]
    inner = lines - len(body) - len(top) - 1
    body += [f"        total = total + (v * {j}) % 7" for j in range(inner)]
    body.append("    return total")
    return "\n".join(body + top)


ML_SETUP = ("import pandas as pd\nimport numpy as np\nfrom sklearn.linear_model import LinearRegression\n"
            "base = pd.DataFrame({'a': np.arange(200), 'b': np.arange(200) * 2.0, 's': ['x', 'y'] * 100})")


def make_ml_cell(i: int) -> str:
    """A cell of a small ML session: frames built, columns written, models fitted and used.

    These are the cells whose values nbcrash fingerprints after each run (and whose source the
    pre-run prediction parses), unlike ``make_cell``'s plain Python.
    """
    k = i // 4
    return [f"df_{k} = base.copy()\ndf_{k}['c'] = df_{k}['a'] + df_{k}['b']",
            f"df_{k}['s'] = df_{k}['s'].map({{'x': 0, 'y': 1}})\nX_{k} = df_{k}[['a', 'b']].to_numpy()",
            f"model_{k} = LinearRegression().fit(X_{k}, df_{k}['c'])",
            f"pred_{k} = model_{k}.predict(X_{k})\nerr_{k} = float(np.abs(pred_{k} - df_{k}['c']).mean())"][i % 4]


def write_notebook(cells: list[str], folder: Path) -> Path:
    nb = {"cells": [{"cell_type": "code", "id": f"c{i}", "source": src, "metadata": {},
                     "outputs": [], "execution_count": None} for i, src in enumerate(cells)],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = folder / "session.ipynb"
    path.write_text(json.dumps(nb))
    return path


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def per_cell_hook_times(hook: list, cells: int) -> tuple[list[float], list[float]]:
    """Wall and CPU time of pre_run_cell + post_run_cell, per execution of the session's cells."""
    wall: dict[int, float] = {}
    cpu: dict[int, float] = {}
    for _event, count, seconds, cpu_seconds in hook:
        wall[count] = wall.get(count, 0.0) + seconds
        cpu[count] = cpu.get(count, 0.0) + cpu_seconds
    counts = sorted(wall)[1:cells + 1]  # skip the timing cell's own post_run_cell
    return [wall[c] for c in counts], [cpu[c] for c in counts]


def per_cell(kernels: dict[str, KernelDriver], cells: list[str]) -> dict[str, list[float]]:
    """Round-trip time of every cell, the kernels interleaved cell by cell."""
    times: dict[str, list[float]] = {name: [] for name in kernels}
    for i, src in enumerate(cells):
        for name, kernel in kernels.items():
            run = kernel.run(src, cell_id=f"c{i}")
            assert run.status == "ok", (name, i, run.error)
            times[name].append(run.elapsed)
    return times


def loop_cell(kernels: dict[str, KernelDriver], iterations: int, repeats: int) -> dict[str, float]:
    code = f"s = 0\nfor i in range({iterations}):\n    s += i"
    best: dict[str, list[float]] = {name: [] for name in kernels}
    names = list(kernels)
    for repeat in range(repeats):
        for name in names[repeat % len(names):] + names[:repeat % len(names)]:  # rotate who goes first
            best[name].append(kernels[name].run(code, cell_id="loop").elapsed)
    return {name: statistics.median(values) for name, values in best.items()}


CRASHES = [
    ("warm-up", "import pandas as pd\nframe = pd.DataFrame({'price': [1.0, 2.0], 'qty': [1, 2]})", False),
    ("name", "model.fit(X_train)", True),
    ("key", "frame['prcie'].sum()", True),
    ("attr", "frame.sorted_values('price')", True),
    ("type", "len(5)", True),
]


def card_latency(kernel: KernelDriver) -> list[tuple[str, float, float]]:
    rows = []
    for name, code, crashes in CRASHES:
        run = kernel.run(code, cell_id=f"crash-{name}")
        if not crashes:
            continue
        inside = float(kernel.run("print(_nbc_ext.last_card_latency)").text.strip() or "nan")
        client = (run.card_at - run.error_at) if run.card_at is not None and run.error_at is not None else float("nan")
        rows.append((name, client, inside))
    return rows


def ml_session(kernels: dict[str, KernelDriver], count: int) -> None:
    """1b. Per-cell overhead on ML cells (fingerprints after each run, prediction before it)."""
    if count <= 0:
        return
    for kernel in kernels.values():
        assert kernel.run(ML_SETUP, cell_id="ml-setup").status == "ok"
    kernels["nbcrash"].run("_nbc_hook_times.clear()")
    started = time.perf_counter()
    times = {name: [] for name in kernels}
    for i in range(count):
        for name, kernel in kernels.items():
            run = kernel.run(make_ml_cell(i), cell_id=f"ml{i}")
            assert run.status == "ok", (name, i, run.error)
            times[name].append(run.elapsed)
    hook = json.loads(kernels["nbcrash"].run("import json; print(json.dumps(_nbc_hook_times))").text)
    wall, cpu = per_cell_hook_times(hook, count)
    print(f"1b. per-cell overhead on {count} ML cells (frames, columns, fit, predict; "
          f"{time.perf_counter() - started:.0f} s)")
    print(f"   nbcrash hooks, in the kernel, wall: median {ms(statistics.median(wall))}, "
          f"p99 {ms(pct(wall, 0.99))}, max {ms(max(wall))}")
    print(f"   nbcrash hooks, in the kernel, CPU:  median {ms(statistics.median(cpu))}, p99 {ms(pct(cpu, 0.99))}")
    plain = statistics.median(times["plain"])
    for name, values in times.items():
        print(f"   round trip {name:>8}: median {ms(statistics.median(values))}, p99 {ms(pct(values, 0.99))}"
              f"  (ratio of medians to plain {statistics.median(values) / plain:.3f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cells", type=int, default=500)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--loop", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--ml-cells", type=int, default=200, help="cells of the ML session (0: skip it)")
    parser.add_argument("--ipyflow-path", help="folder holding ipyflow (added to its kernel's PYTHONPATH)")
    args = parser.parse_args()

    cells = [make_cell(i, args.lines) for i in range(args.cells)]
    folder = Path(tempfile.mkdtemp(prefix="nbcrash-bench-"))
    notebook = write_notebook(cells, folder)
    kernels = {"plain": KernelDriver(nbcrash=False, cwd=folder),
               "nbcrash": KernelDriver(notebook=notebook, nbcrash=True)}
    ipyflow_env = {"PYTHONPATH": os.pathsep.join(filter(None, [args.ipyflow_path, os.environ.get("PYTHONPATH")]))}
    if args.ipyflow_path or importlib.util.find_spec("ipyflow"):
        kernels["ipyflow"] = KernelDriver(nbcrash=False, cwd=folder, extra_env=ipyflow_env)
        loaded = kernels["ipyflow"].run("%load_ext ipyflow")
        if loaded.status != "ok":
            print(f"ipyflow did not load: {loaded.error}")
            kernels.pop("ipyflow").shutdown()
    try:
        first = {name: kernel.run("pass", cell_id="first").elapsed for name, kernel in kernels.items()}
        kernels["nbcrash"].run(TIME_HOOKS)
        print(f"python {sys.version.split()[0]}; kernels: {', '.join(kernels)}; "
              f"{args.cells} cells x {args.lines} lines\n")
        started = time.perf_counter()
        times = per_cell(kernels, cells)
        hook = json.loads(kernels["nbcrash"].run("import json; print(json.dumps(_nbc_hook_times))").text)
        wall, cpu = per_cell_hook_times(hook, args.cells)
        print(f"1. per-cell overhead ({time.perf_counter() - started:.0f} s)")
        print(f"   nbcrash hooks, in the kernel, wall: median {ms(statistics.median(wall))}, "
              f"p99 {ms(pct(wall, 0.99))}, max {ms(max(wall))}")
        print(f"   nbcrash hooks, in the kernel, CPU:  median {ms(statistics.median(cpu))}, "
              f"p99 {ms(pct(cpu, 0.99))}, max {ms(max(cpu))}")
        print(f"   first cell round trip (nbcrash reads and analyses the {args.cells}-cell notebook): "
              f"nbcrash {ms(first['nbcrash'])}, plain {ms(first['plain'])}")
        plain = times["plain"][1:]
        for name, values in times.items():
            values = values[1:]
            print(f"   round trip {name:>8}: median {ms(statistics.median(values))}, p99 {ms(pct(values, 0.99))}"
                  f"  (ratio of medians to plain {statistics.median(values) / statistics.median(plain):.3f})")
        ml_session(kernels, args.ml_cells)
        loops = loop_cell(kernels, args.loop, args.repeats)
        print(f"2. {args.loop:,}-iteration loop cell (median of {args.repeats})")
        for name, value in loops.items():
            print(f"   {name:>8}: {value:.3f} s  ratio to plain {value / loops['plain']:.3f}")
        print("3. card latency (error output -> card at the client; nbcrash's own time in the kernel)")
        for name, client, inside in card_latency(kernels["nbcrash"]):
            print(f"   {name:>6}: {ms(client)} client, {ms(inside)} kernel")
    finally:
        for kernel in kernels.values():
            kernel.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
