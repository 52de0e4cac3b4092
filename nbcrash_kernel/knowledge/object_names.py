"""Names of data, model and callable objects, as the libraries' own documentation examples name them.

The tables are counted by ``benchmarks/doc_names.py`` (knowledge/doc_names.py): the names the
libraries' doctest examples bind to values computed from the libraries (``df = pd.DataFrame(...)``,
``clf = LogisticRegression()``, ``X_train, X_test, y_train, y_test = train_test_split(...)``), kept when
Python's own examples do not use them as readily; and those of them bound to callable objects
(``m = nn.Linear(2, 3)`` ... ``m(x)``). Nothing here is read from labelled crashes.

A notebook's name is looked up in the form the tables were counted in (case folded, trailing digits
dropped: ``X_train`` and ``x_train``, ``df2`` and ``df``), whole, then by its leading or trailing
snake_case words (PEP 8 joins words with underscores: ``X_train_scaled`` is ``x_train`` scaled,
``train_df`` a ``df``), using only documented names of two letters or more for the parts (a one-letter
word in a compound is an index or a coordinate, not the object's name; a one-letter name alone is
no evidence either: the documentation's ``k``, ``w`` or ``h`` hold integers, frequencies or
responses). Names of callable objects match whole only (``callable_object_name``).
"""
from __future__ import annotations

from .doc_names import CALLABLE_OBJECT_NAMES, DATA_MODEL_NAMES


def normal(name: str) -> str:
    """The table's form of a name (benchmarks/doc_names.py, ``normal``)."""
    return name.lower().rstrip("0123456789_") or name.lower()


def _documented(name: str, table: dict[str, int]) -> str | None:
    """The documented name ``name`` is, or starts or ends with (whole snake_case words)."""
    whole = normal(name.strip("_"))
    if len(whole) > 1 and whole in table:  # one letter names no kind of object (numpy's k, w, h are anything)
        return whole
    words = [w for w in whole.split("_") if w]
    for n in range(len(words) - 1, 0, -1):
        for part in ("_".join(words[:n]), "_".join(words[-n:])):
            part = normal(part)
            if len(part) > 1 and part in table:
                return part
    return None


def data_or_model_name(name: str) -> str | None:
    """The documented data or model name that ``name`` is a form of (``X_train_scaled`` -> ``x_train``)."""
    return _documented(name, DATA_MODEL_NAMES) if name else None


def callable_object_name(name: str) -> str | None:
    """The documented name of a callable object (a layer, a module, a loss) that ``name`` is, whole.

    A compound is no evidence here: the libraries name their own functions so (``log_loss`` and
    ``hinge_loss`` in sklearn.metrics, ``load_model`` and ``clone_model`` in keras.models), and a
    called ``train_model`` is as likely a function.
    """
    whole = normal(name.strip("_")) if name else ""
    return whole if len(whole) > 1 and whole in CALLABLE_OBJECT_NAMES else None
