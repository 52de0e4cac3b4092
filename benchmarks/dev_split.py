"""The labelled dev crashes and their frozen half.

Hand rules are written while reading the *open* half only; the *frozen* half (chosen by a salted
hash of ``crash_id``, fixed on 2026-12-04) is never read row by row and gives the out-of-sample
figure for hand rules. The salt matters: the study's own dev/hidden split already uses the parity
of the unsalted SHA-256 of the id, so every dev id has the same unsalted parity.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

DEV_CSV = Path(__file__).resolve().parents[1] / "tests" / "data" / "crash_labels_dev.csv"
COUNTS_JSON = DEV_CSV.with_name("study_v2_counts.json")
_SALT = b"nbcrash-frozen-half/"


def is_frozen(crash_id: str) -> bool:
    """True for the crashes of the frozen half."""
    return hashlib.sha256(_SALT + str(crash_id).encode()).digest()[0] % 2 == 1


def split(frame):
    """``(open_half, frozen_half)`` of a DataFrame with a ``crash_id`` column."""
    frozen = frame["crash_id"].map(is_frozen)
    return frame[~frozen], frame[frozen]


def main() -> None:
    """Print the size of each half."""
    import pandas as pd

    open_half, frozen_half = split(pd.read_csv(DEV_CSV))
    print(f"dev crashes: {len(open_half) + len(frozen_half)}; open half {len(open_half)}, "
          f"frozen half {len(frozen_half)}")


if __name__ == "__main__":
    main()
