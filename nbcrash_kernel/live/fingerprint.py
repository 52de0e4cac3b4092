"""A cheap, read-only fingerprint of a value: what a later cell depends on.

Only ``type()`` is asked of an arbitrary object. Attributes are read only from objects whose
type is a known library type, identified by its class's module and name (a user's subclass
defined in the notebook is not one): pandas DataFrame/Series (shape, columns, dtypes), numpy
arrays and torch tensors (shape, dtype), scikit-learn-style estimators (fitted or not, from
their instance ``__dict__``), and the length of builtin containers. No property of an unknown
object and no ``__getattr__`` is ever called, so no user code runs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_COLUMNS = 300  # a wider frame keeps its column count only
_CONTAINERS = (list, tuple, dict, set)
_SCALARS = frozenset({type(None), int, float, str, bool, complex, bytes})


@dataclass(frozen=True)
class Fingerprint:
    """What a value looks like to the code that reads it (``identity`` is not compared)."""

    kind: str                                   # 'pandas.DataFrame', 'numpy.ndarray', 'builtins.list', ...
    shape: tuple | None = None
    columns: tuple[str, ...] | None = None
    dtypes: tuple[str, ...] | None = None       # per column for a frame; one entry for arrays and Series
    fitted: bool | None = None
    identity: int = field(default=0, compare=False)

    def dtype_of(self, column: str) -> str | None:
        if self.columns is None or self.dtypes is None or len(self.dtypes) != len(self.columns):
            return None
        try:
            return self.dtypes[self.columns.index(column)]
        except ValueError:
            return None

    @property
    def type_words(self) -> str:
        return self.kind.rsplit(".", 1)[-1] if self.kind.startswith("builtins.") else self.kind


def library_kind(value: Any) -> str | None:
    """'pandas.DataFrame', 'numpy.ndarray', 'torch.Tensor', 'sklearn.<Estimator>' or None."""
    cls = type(value)
    module = getattr(cls, "__module__", "") or ""
    root = module.split(".", 1)[0]
    name = cls.__name__
    if root == "pandas" and name in ("DataFrame", "Series"):
        return f"pandas.{name}"
    if root == "numpy" and name == "ndarray":
        return "numpy.ndarray"
    if root == "torch" and name in ("Tensor", "Parameter"):
        return "torch.Tensor"
    if root in ("sklearn", "xgboost", "lightgbm", "catboost", "imblearn") and _has_method(cls, "fit"):
        return f"{root}.{name}"
    return None


def _has_method(cls: type, name: str) -> bool:
    return any(name in vars(base) for base in cls.__mro__)


def fingerprint(value: Any) -> Fingerprint | None:
    """The value's fingerprint, or None when it is not worth one (not a known type or container)."""
    kind = library_kind(value)
    if kind is None:
        if type(value) in _CONTAINERS:
            return Fingerprint(f"builtins.{type(value).__name__}", shape=(len(value),), identity=id(value))
        return None
    try:
        return _library_fingerprint(kind, value)
    except Exception:  # noqa: BLE001 - an exotic frame: type only
        return Fingerprint(kind, identity=id(value))


def _library_fingerprint(kind: str, value: Any) -> Fingerprint:
    if kind == "pandas.DataFrame":
        shape = tuple(value.shape)
        if shape[1] > MAX_COLUMNS:
            return Fingerprint(kind, shape=shape, identity=id(value))
        return Fingerprint(kind, shape=shape, columns=tuple(str(c) for c in value.columns),
                           dtypes=frame_dtypes(value), identity=id(value))
    if kind == "pandas.Series":
        return Fingerprint(kind, shape=tuple(value.shape), dtypes=(str(value.dtype),), identity=id(value))
    if kind in ("numpy.ndarray", "torch.Tensor"):
        return Fingerprint(kind, shape=tuple(value.shape), dtypes=(str(value.dtype),), identity=id(value))
    return Fingerprint(kind, fitted=is_fitted(value), identity=id(value))


def frame_dtypes(frame: Any) -> tuple[str, ...]:
    """A DataFrame's column dtypes as strings.

    From its block manager's ``get_dtypes`` (pandas 1 to 3) when there: ``frame.dtypes`` builds a
    Series around the same array and costs ten times more, on every fingerprint.
    """
    manager = getattr(frame, "_mgr", None)
    if manager is not None and (type(manager).__module__ or "").startswith("pandas."):
        get_dtypes = getattr(manager, "get_dtypes", None)
        if get_dtypes is not None:
            return tuple(str(d) for d in get_dtypes())
    return tuple(str(d) for d in frame.dtypes)


def is_fitted(estimator: Any) -> bool:
    """scikit-learn's own test (``check_is_fitted``): an instance attribute ending in '_'."""
    try:
        attributes = object.__getattribute__(estimator, "__dict__")
    except AttributeError:
        return False
    return any(k.endswith("_") and not k.startswith("__") for k in attributes)


def fingerprint_names(namespace: Any, names: Any, limit: int = 32) -> dict[str, Fingerprint]:
    """Fingerprints of the bound ``names`` worth one (at most ``limit``)."""
    found: dict[str, Fingerprint] = {}
    get = namespace.get
    for name in names:
        value = get(name, None)
        if type(value) in _SCALARS:
            continue
        fp = fingerprint(value)
        if fp is not None:
            found[name] = fp
            if len(found) >= limit:
                break
    return found
