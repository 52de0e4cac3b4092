"""The crash zoo: short notebooks built to crash in a known way, run in real kernels.

Each case (``cases/*_cases.py``) is data: its cells, the order a user runs them in, the
exception it must raise and its taxonomy labels, written with the case before any classifier
sees it. ``python -m benchmarks.zoo run`` executes the cases against the installed libraries
and records every crash in ``records/zoo.jsonl`` with its executed notebook in ``notebooks/``.
"""
