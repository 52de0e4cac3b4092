"""What an attribute's or a type's name says about the object, by the convention of Python or a library."""
from __future__ import annotations

import builtins

# Python's built-in container and scalar types (the builtins module): the data is a plain object.
BUILTIN_TYPES: frozenset[str] = frozenset(
    name for name, value in vars(builtins).items()
    if isinstance(value, type) and not issubclass(value, BaseException) and name[0].islower()
    and name not in {"object", "type", "super", "property", "classmethod", "staticmethod"})


def is_fitted_attribute(name: str) -> bool:
    """scikit-learn's convention: attributes an estimator learns in fit() end with one underscore.

    scikit-learn 1.9.1, sklearn/utils/validation.py `_is_fitted`: an estimator is fitted when it has
    ``[v for v in vars(estimator) if v.endswith("_") and not v.startswith("__")]``; the developer
    guide ("Estimated Attributes") states the trailing-underscore rule.
    """
    return name.endswith("_") and not name.endswith("__") and not name.startswith("_")
