"""The fix of last resort, one per exception type of taxonomy.md, so no card goes without one.

Each states the general remedy of its kind; specific advice (``messages``, ``ml``,
the did-you-mean modules) comes first whenever it applies.
"""
from __future__ import annotations

BY_CODE: dict[str, str] = {
    "VNF": "Define the variable (or run the cell that defines it) before this line, or correct its spelling.",
    "NAME": "Define or import the function or class before this line, or correct its spelling.",
    "MODULE": "Import the module in the imports cell and run it; install it first if it is missing.",
    "IARG": "Compare the call with the function's signature (`help(func)` or `func?`) and fix the argument.",
    "ATTR": "Check the object's type (`type(obj)`) and its members (`dir(obj)`): the member belongs to another type or version.",
    "KEY": "Check the keys or columns that exist (`list(d)`, `df.columns.tolist()`), or use `.get(key)`.",
    "INDEX": "Check the length or shape before indexing (`len(x)`, `x.shape`); valid positions are 0 to len - 1.",
    "TYPE": "Convert the value to the type the operation expects, or use the operation that fits its type.",
    "VALUE": "Check the value passed in: print it and its type, and clean or convert it first.",
    "TSHAPE": "Print both operands' `.shape` and reshape, transpose or select so the dimensions agree.",
    "BCAST": "Make the shapes agree axis by axis from the right (equal or 1): add an axis with `[:, None]` or reshape.",
    "DVIOL": "Clean the values first: `df.isna().sum()` and `dropna`/`fillna` for NaN, `np.isfinite` for infinities.",
    "FNAME": "Use the same feature names and order as at fit time (`model.feature_names_in_`).",
    "OOM": "Use less memory: smaller batches, `float32`, `del` unused objects and `gc.collect()`, or a larger machine.",
    "IO": "Check the path and the file: `%pwd`, `os.path.exists(path)`, and the file's format and encoding.",
    "ENV": "Check the environment: the installed versions (`%pip show pkg`) and the settings the library asks for.",
    "RERR": "Check the network connection, the URL and any credentials; retry later if the service is down.",
    "RUNTIME": "Read the last line of the message: it names the operation that failed; check that operation's inputs.",
    "INIT": "Build or fit the object (run its cell) before using it, and in the order the library requires.",
    "OTHER": "Read the message's last line and fix the line it points to.",
}


def fallback_fix(exception_type: str) -> str:
    return BY_CODE.get(exception_type, BY_CODE["OTHER"])
