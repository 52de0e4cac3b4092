"""The zoo's cases, one module per library group; each module has ``build() -> list[Case]``.

Modules hold sources as text: importing them imports none of the libraries they exercise.
"""
from __future__ import annotations

import importlib

from ..case import Case

MODULES = ("stdlib", "numpy", "pandas", "sklearn", "matplotlib", "seaborn", "scipy", "statsmodels",
           "torch", "tensorflow", "xgboost", "lightgbm", "pillow", "notebook")


def all_cases() -> list[Case]:
    cases: list[Case] = []
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}_cases")
        cases.extend(module.build())
    ids = [case.id for case in cases]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"duplicate zoo case ids: {sorted(duplicates)}")
    return cases
