"""The values the pre-run prediction reasons with: a value derived in the cell (:class:`Shaped`), an
estimator (:class:`Model`), the crash it foresees (:class:`Prediction`), and :class:`Stop`, which ends
the walk. Shared by the walker (``predict``) and its checks (``predict_checks``)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Prediction:
    """One certain crash ahead: ``kind``, the ``key`` (column, attribute, path, ...), the fix."""

    kind: str
    key: str
    message: str
    fix: str
    lineno: int = 0
    subject: str = ""   # the variable the key belongs to, as written (``df``)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Shaped:
    """A value derived in the cell from a live one: its kind, shape, columns, dtype."""

    kind: str                      # frame | series | array
    shape: tuple | None = None
    columns: list[str] | None = None
    dtype: str | None = None
    origin: Any = None             # the live frame a column came from (its index answers a Series' __getattr__)


@dataclass
class Model:
    """An estimator: its class and what fitting told (from the live object or a fit in the cell)."""

    cls: type
    fitted: bool
    n_features: int | None = None
    names: list[str] | None = None
    params: dict | None = None     # constant hyperparameters, from the constructor call or the instance


class Stop(Exception):
    """The walk found a certain crash, or ran out of its time budget."""
