"""Facts about libraries that the pre-run prediction relies on, read without running user code.

Every lookup here reads a module's or a class's ``__dict__`` (``vars``), an instance's own
``__dict__``, or the attributes the brief allows on known library types (shape, dtype, columns,
index, n_features_in_, feature_names_in_): never a property of an unknown object, never
``__getattr__``.
"""
from __future__ import annotations

import difflib
import inspect
import os
import sys
import types
from functools import lru_cache
from typing import Any

from .fingerprint import is_fitted, library_kind

MISSING = object()
KNOWN_ROOTS = frozenset({"pandas", "numpy", "sklearn", "scipy", "torch", "matplotlib", "seaborn",
                         "xgboost", "lightgbm", "statsmodels", "catboost", "imblearn"})
PREDICT_METHODS = frozenset({"predict", "predict_proba", "predict_log_proba", "transform", "decision_function",
                             "score", "inverse_transform", "kneighbors"})
FIT_METHODS = frozenset({"fit", "fit_transform", "fit_predict"})
# scikit-learn estimators whose fit/predict validate X with ensure_2d=True (check_array's default).
ENSURE_2D_MODULES = ("sklearn.linear_model", "sklearn.tree", "sklearn.ensemble", "sklearn.svm",
                     "sklearn.neighbors", "sklearn.naive_bayes", "sklearn.cluster", "sklearn.decomposition",
                     "sklearn.preprocessing._data", "sklearn.preprocessing._encoders", "sklearn.neural_network",
                     "sklearn.discriminant_analysis")
READERS = frozenset({"read_csv", "read_excel", "read_json", "read_parquet", "read_table", "read_pickle",
                     "read_feather", "loadtxt", "genfromtxt", "load", "open", "imread"})


def closest(word: str, candidates: Any, cutoff: float = 0.6) -> str | None:
    found = difflib.get_close_matches(word, [str(c) for c in candidates][:5000], n=1, cutoff=cutoff)
    return found[0] if found else None


def is_module(value: Any) -> bool:
    return type(value) is types.ModuleType


def is_user_function(value: Any) -> bool:
    return type(value) is types.FunctionType and getattr(value, "__module__", None) == "__main__"


def kind_of(value: Any) -> str | None:
    return library_kind(value)


def is_frame(value: Any) -> bool:
    return kind_of(value) == "pandas.DataFrame"


def is_array(value: Any) -> bool:
    return kind_of(value) in ("numpy.ndarray", "torch.Tensor")


def is_estimator(value: Any) -> bool:
    kind = kind_of(value)
    return kind is not None and kind.split(".", 1)[0] in ("sklearn", "xgboost", "lightgbm", "catboost", "imblearn")


def shape_of(value: Any) -> tuple | None:
    """The shape of a known array-like, or (len,) of a builtin list/tuple."""
    if kind_of(value) in ("pandas.DataFrame", "pandas.Series", "numpy.ndarray", "torch.Tensor"):
        return tuple(value.shape)
    if type(value) in (list, tuple):
        return (len(value),)
    return None


def frame_columns(value: Any) -> list[str] | None:
    """A DataFrame's column labels (None for MultiIndex or non-string labels: not certain)."""
    if not is_frame(value):
        return None
    columns = value.columns
    cached = _COLUMNS.get(id(value))
    if cached is not None and cached[0] is columns:
        return cached[1]
    if type(columns).__name__ == "MultiIndex" or len(columns) > 20_000:
        return None
    labels = list(columns)
    labels = labels if all(type(c) is str for c in labels) else None
    if len(_COLUMNS) > 64:
        _COLUMNS.clear()
    _COLUMNS[id(value)] = (columns, labels)  # keyed by the Index object itself: a new Index misses
    return labels


_COLUMNS: dict[int, tuple[Any, list[str] | None]] = {}


def index_has(value: Any, label: Any) -> bool:
    try:
        return label in value.index or label in [n for n in value.index.names if n is not None]
    except Exception:  # noqa: BLE001
        return True


def class_attribute(cls: type, name: str) -> Any:
    for base in cls.__mro__:
        if name in vars(base):
            return vars(base)[name]
    return MISSING


def missing_attribute(value: Any, name: str) -> list[str] | None:
    """The candidates to suggest when ``value.name`` certainly raises AttributeError, else None."""
    if is_module(value):
        namespace = vars(value)
        if name in namespace or name.startswith("__"):
            return None
        if "__getattr__" in namespace:  # lazy loading: certain only for numpy's removed names
            removed = namespace.get("__former_attrs__") or {}
            expired = namespace.get("__expired_attributes__") or {}
            return list(namespace) if name in removed or name in expired else None
        return list(namespace)
    kind = kind_of(value)
    if kind is None or name.startswith("__"):
        return None
    cls = type(value)
    if class_attribute(cls, name) is not MISSING:
        return None
    try:
        own = object.__getattribute__(value, "__dict__")
    except AttributeError:
        own = {}
    if name in own:
        return None
    getattr_owner = next((b for b in cls.__mro__ if "__getattr__" in vars(b)), None)
    if kind == "pandas.DataFrame":
        columns = frame_columns(value)
        if columns is None or name in columns:
            return None
        return columns + [a for a in dir(cls) if not a.startswith("_")]
    if kind == "pandas.Series":
        if index_has(value, name):
            return None
        return [a for a in dir(cls) if not a.startswith("_")]
    if getattr_owner is not None:
        return None
    return [a for a in dir(cls) if not a.startswith("_")] + list(own)


@lru_cache(maxsize=256)
def needs_fit(cls: type) -> bool:
    """A scikit-learn estimator that raises NotFittedError before fit (not a stateless one).

    Stateless estimators say so in their ``__sklearn_tags__`` (``requires_fit = False``); a
    class with its own ``__sklearn_is_fitted__`` decides itself: not certain.
    """
    if not cls.__module__.startswith("sklearn."):
        return False
    if class_attribute(cls, "__sklearn_is_fitted__") is not MISSING:
        return False
    for base in cls.__mro__:
        tags = vars(base).get("__sklearn_tags__")
        if tags is None:
            continue
        try:
            if "requires_fit = False" in inspect.getsource(tags):
                return False
        except (OSError, TypeError):
            return False
    return True


def unfitted(value: Any) -> bool:
    return is_estimator(value) and not is_fitted(value) and needs_fit(type(value))


def fitted_features(value: Any) -> tuple[int | None, list[str] | None]:
    """(n_features_in_, feature_names_in_) from the fitted estimator's own ``__dict__``."""
    try:
        own = object.__getattribute__(value, "__dict__")
    except AttributeError:
        return None, None
    count = own.get("n_features_in_")
    names = own.get("feature_names_in_")
    names = [str(n) for n in names] if kind_of(names) == "numpy.ndarray" else None
    return (count if type(count) is int else None), names


def ensures_2d(estimator: Any) -> bool:
    module = type(estimator).__module__
    return module.startswith(ENSURE_2D_MODULES) and "_label" not in module


def callee_signature(callee: Any) -> inspect.Signature | None:
    """The signature of a library or notebook callable (None: unknown, or it takes ``**kwargs``)."""
    if isinstance(callee, type):
        root = callee.__module__.split(".", 1)[0]
    elif type(callee) is types.FunctionType:
        root = "__main__" if is_user_function(callee) else (callee.__module__ or "").split(".", 1)[0]
        if "__wrapped__" in vars(callee):
            return None
    else:
        return None
    if root not in KNOWN_ROOTS and root != "__main__":
        return None
    try:
        signature = inspect.signature(callee)
    except (TypeError, ValueError):
        return None
    if any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values()):
        return None
    return signature


def broadcastable(left: tuple, right: tuple) -> bool:
    for a, b in zip(reversed(left), reversed(right)):
        if a != b and a != 1 and b != 1:
            return False
    return True


def closest_path(path: str) -> str | None:
    """The existing path closest to ``path``, from its nearest existing folder."""
    folder, name = os.path.split(path)
    folder = folder or "."
    while not os.path.isdir(folder) and folder not in ("", os.sep):
        folder, name = os.path.split(folder)[0] or ".", os.path.basename(folder)
    try:
        entries = sorted(os.listdir(folder))[:2000]
    except OSError:
        return None
    match = closest(name, entries, cutoff=0.6)
    return os.path.join(folder, match) if match and folder != "." else match


def is_estimator_class(cls: type) -> bool:
    root = (cls.__module__ or "").split(".", 1)[0]
    return root in ("sklearn", "xgboost", "lightgbm", "catboost", "imblearn") and \
        class_attribute(cls, "fit") is not MISSING


def is_columns_axis(value: Any) -> bool:
    return value in (1, "columns")


def is_numpy_constructor(callee: Any) -> bool:
    """``np.ones``/``zeros``/``empty``: their first argument is the shape."""
    return getattr(callee, "__name__", None) in ("ones", "zeros", "empty") and \
        (getattr(callee, "__module__", "") or "").split(".", 1)[0] == "numpy"


def series_lacks(frame: Any, name: str) -> list[str] | None:
    """For a column of ``frame``: the candidates when ``column.name`` certainly raises AttributeError."""
    series = getattr(sys.modules.get("pandas"), "Series", None)
    if series is None or name.startswith("__") or class_attribute(series, name) is not MISSING or \
            index_has(frame, name):
        return None
    return [a for a in dir(series) if not a.startswith("_")]


# Hyperparameters that scikit-learn checks against the data at fit, from its own checks:
# PCA: 0 <= n_components <= min(n_samples, n_features); KMeans-like: n_samples >= n_clusters.
SAMPLE_BOUNDS = {"n_components": ("sklearn.decomposition._pca", "min(n_samples, n_features)"),
                 "n_clusters": ("sklearn.cluster._kmeans", "n_samples")}


def int_params(estimator: Any) -> dict:
    """The estimator's integer hyperparameters that ``SAMPLE_BOUNDS`` knows, from its ``__dict__``."""
    try:
        own = object.__getattribute__(estimator, "__dict__")
    except AttributeError:
        return {}
    return {k: own[k] for k in SAMPLE_BOUNDS if type(own.get(k)) is int}


def hyperparameter_bound(cls: type, params: dict | None, shape: tuple) -> tuple[str, int, str, int] | None:
    """(parameter, value, bound's name, bound) when fitting data of ``shape`` certainly raises."""
    if not params or len(shape) != 2 or not all(type(n) is int for n in shape):
        return None
    for name, (module, bound_name) in SAMPLE_BOUNDS.items():
        value = params.get(name)
        if type(value) is not int or not cls.__module__.startswith(module):
            continue
        bound = min(shape) if name == "n_components" else shape[0]
        if value > bound:
            return name, value, bound_name, bound
    return None
