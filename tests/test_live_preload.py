"""The first card of a session: what it needs is imported at ``%load_ext``, off the user's path."""
from __future__ import annotations

import pytest

from nbcrash_kernel.live.driver import KernelDriver

pytestmark = pytest.mark.slow

WAIT_FOR_PRELOAD = (
    "import sys, threading, time\n"
    "deadline = time.monotonic() + 60\n"
    "while any(t.name == 'nbcrash-preload' for t in threading.enumerate()) and time.monotonic() < deadline:\n"
    "    time.sleep(0.05)\n"
    "loaded_before = {m for m in sys.modules if m.startswith('nbcrash_kernel')}"
)


def test_the_first_crash_imports_no_nbcrash_module(tmp_path):
    with KernelDriver() as kernel:
        assert kernel.run(WAIT_FOR_PRELOAD).status == "ok"
        crash = kernel.run("values = [1, 2]\nvalues[5]")
        assert crash.crashes, "the crash got no card"
        run = kernel.run("print(sorted({m for m in sys.modules if m.startswith('nbcrash_kernel')} - loaded_before))")
        assert run.text.strip() == "[]", f"imported by the first card, not at load: {run.text.strip()}"
