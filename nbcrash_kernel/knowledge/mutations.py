"""Calls that change their receiver in place, from the Python and pandas documentation.

- Python's "Mutable Sequence Types", "Mapping Types — dict" and "Set Types" (docs.python.org/3/library/stdtypes.html):
  ``pop``, ``remove``, ``popitem``, ``clear`` remove items; ``append``, ``extend``, ``insert``, ``sort``,
  ``reverse``, ``update``, ``add``, ``discard``, ``setdefault`` change the object and (but for ``pop``,
  ``popitem`` and ``setdefault``) return None, as ``random.shuffle`` does.
- pandas (pandas.pydata.org, "DataFrame.drop", "DataFrame.pop", ...): ``pop`` removes the column and
  returns it; a method called with ``inplace=True`` changes the frame and returns None.
"""
from __future__ import annotations

# Methods that remove what they are given from their receiver (list, dict, set, DataFrame, Series).
REMOVING_METHODS: frozenset[str] = frozenset({"pop", "remove", "popitem", "discard"})

# Methods of the built-in containers that change the receiver and return None.
NONE_RETURNING_METHODS: frozenset[str] = frozenset({
    "append", "extend", "insert", "sort", "reverse", "remove", "clear", "update", "add", "discard",
})

# Functions of the standard library that change their argument in place and return None, by the
# name the notebook's imports resolve them to (a bare ``shuffle`` may be ``sklearn.utils.shuffle``,
# which returns the shuffled arrays).
NONE_RETURNING_FUNCTIONS: frozenset[str] = frozenset({"random.shuffle"})

# The keyword that makes a pandas method change its frame and return None.
INPLACE_KEYWORD = "inplace"
