"""Audit time against the number of crashed cells: 500 vs 2,000 in one notebook (target ratio <= 4.5).

Each crashed cell reads a name another cell defines and fails with a saved traceback, as
in a real notebook; the audit (static, one process) is timed end to end, best of
``--repeat`` runs. Also prints a live card's size and latency for a hostile object
(``shape = range(10**7)``) in a real kernel, unless ``--no-kernel``.

    python benchmarks/audit_scaling.py [--small 500] [--large 2000] [--repeat 3] [--no-kernel]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nbcrash_kernel.audit.runner import audit_paths  # noqa: E402

TRACEBACK = ["\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
             "\x1b[0;31mKeyError\x1b[0m                                  Traceback (most recent call last)",
             "Cell \x1b[0;32mIn[{n}], line 2\x1b[0m\n\x1b[0;32m----> 2\x1b[0m total_{n} \x1b[38;5;241m=\x1b[39m df[\x1b[38;5;124m'col_{n}'\x1b[39m]",
             "\x1b[0;31mKeyError\x1b[0m: 'col_{n}'"]


def crashed_notebook(n_crashes: int) -> dict:
    """A notebook of ``n_crashes`` crashed cells, each after a cell that ran."""
    cells = [{"cell_type": "code", "id": "load", "metadata": {}, "execution_count": 1, "outputs": [],
              "source": "import pandas as pd\ndf = pd.DataFrame({'a': [1]})"}]
    for n in range(n_crashes):
        count = 2 + 2 * n
        cells.append({"cell_type": "code", "id": f"d{n}", "metadata": {}, "execution_count": count,
                      "outputs": [], "source": f"value_{n} = {n}"})
        cells.append({"cell_type": "code", "id": f"c{n}", "metadata": {}, "execution_count": count + 1,
                      "source": f"x_{n} = value_{n} + 1\ntotal_{n} = df['col_{n}']",
                      "outputs": [{"output_type": "error", "ename": "KeyError", "evalue": f"'col_{n}'",
                                   "traceback": [line.format(n=count + 1) for line in TRACEBACK]}]})
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}


def audit_seconds(n_crashes: int, repeat: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"crashes_{n_crashes}.ipynb"
        path.write_text(json.dumps(crashed_notebook(n_crashes)))
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            result = audit_paths([str(path)], jobs=1, progress=False)
            best = min(best, time.perf_counter() - started)
        assert result.crash_count == n_crashes, result.crash_count
    return best


def hostile_card() -> tuple[int, float]:
    """(record bytes, card latency in s) for ``big + 1`` with ``big.shape = range(10**7)``."""
    from nbcrash_kernel.live.driver import KernelDriver

    with KernelDriver(nbcrash=True) as kernel:
        kernel.run("import numpy")  # the classifier's first import is not the object's cost
        kernel.run("1/0")
        run = kernel.run("class Big:\n    shape = range(10**7)\n    columns = range(10**7)\nbig = Big()\nbig + 1")
        latency = kernel.run("from nbcrash_kernel.live.extension import active_extension\n"
                             "print(active_extension(get_ipython()).last_card_latency)").text
    [record] = run.crashes
    return len(json.dumps(record, ensure_ascii=False).encode("utf-8")), float(latency)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--large", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-kernel", action="store_true")
    args = parser.parse_args(argv)
    audit_seconds(20, 1)  # warm up: imports and caches
    small, large = audit_seconds(args.small, args.repeat), audit_seconds(args.large, args.repeat)
    print(f"audit of {args.small} crashed cells: {small:.2f} s")
    print(f"audit of {args.large} crashed cells: {large:.2f} s")
    print(f"ratio: {large / small:.2f} (linear would be {args.large / args.small:.1f}; target <= 4.5)")
    if not args.no_kernel:
        size, latency = hostile_card()
        print(f"hostile object card: record {size} bytes (limit 65536), latency {latency * 1000:.0f} ms (limit 100)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
