"""What nbcrash costs a live kernel in memory, beside a plain kernel running the same cells.

    python benchmarks/live_memory.py [--cells 300] [--array-mb 4]

Both kernels run the same session in lockstep: a small ML prelude, then ``--cells`` cells
that each bind a fresh ``--array-mb`` MB array and a DataFrame and then crash in a different
way (missing column, undefined name, shape mismatch, a 1 MB message, an object whose
``shape`` is ``range(10**7)``, an exception whose ``__str__`` raises). A tool that kept the
crashed frames, the arrays or whole messages alive would grow with the number of cells.
The kernel's resident memory (``/proc/self/status``, after ``gc.collect()``) is printed per
kernel at the start and the end, with the difference nbcrash adds (target: ≤ 50 MB over
the run). Linux only (reads ``/proc``).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nbcrash_kernel.live.driver import KernelDriver  # noqa: E402

PRELUDE = """
import gc, numpy as np, pandas as pd
class Huge:
    shape = range(10**7)
    def __repr__(self): return "Huge()"
class BadStr(Exception):
    def __str__(self): raise RuntimeError("no str")
def resident_mb():
    gc.collect()
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
"""

CRASHES = [
    "df['no_such_column']",
    "undefined_name_{i} + 1",
    "a.reshape(3, -1) @ np.ones((7, 2))",
    "raise ValueError('x' * 1_000_000)",
    "h = Huge(); h.shape[0] + None",
    "raise BadStr()",
    "df.merge(df, on='missing')",
    "int('not a number {i}')",
]


def workload(cells: int, array_mb: int) -> list[str]:
    floats = array_mb * 1024 * 1024 // 8
    bind = f"a = np.random.rand({floats}); df = pd.DataFrame({{'x': a[:1000], 'y': a[1000:2000]}})\n"
    return [bind + CRASHES[i % len(CRASHES)].format(i=i) for i in range(cells)]


def resident(kernel: KernelDriver) -> float:
    run = kernel.run("print(resident_mb())")
    return float(run.text.strip().splitlines()[-1])


def measure(cells: int, array_mb: int) -> dict[str, tuple[float, float]]:
    kernels = {"plain": KernelDriver(nbcrash=False), "nbcrash": KernelDriver(nbcrash=True)}
    try:
        start = {}
        for name, kernel in kernels.items():
            kernel.run(PRELUDE)
            start[name] = resident(kernel)
        for code in workload(cells, array_mb):
            for kernel in kernels.values():
                kernel.run(code, timeout=120)
        return {name: (start[name], resident(kernel)) for name, kernel in kernels.items()}
    finally:
        for kernel in kernels.values():
            kernel.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=300, help="crashing cells per kernel")
    parser.add_argument("--array-mb", type=int, default=4, help="size of the array each cell binds")
    args = parser.parse_args(argv)
    if not Path("/proc/self/status").exists():
        print("live_memory: needs Linux's /proc", file=sys.stderr)
        return 2
    figures = measure(args.cells, args.array_mb)
    print(f"kernel resident memory over {args.cells} crashing cells ({args.array_mb} MB bound per cell)")
    for name, (before, after) in figures.items():
        print(f"  {name:8s} {before:8.1f} MB at start  {after:8.1f} MB at end  (+{after - before:.1f} MB)")
    plain_end, nbcrash_end = figures["plain"][1], figures["nbcrash"][1]
    print(f"  nbcrash - plain at the end: {nbcrash_end - plain_end:+.1f} MB (target <= +50 MB); "
          f"ratio {nbcrash_end / plain_end:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
