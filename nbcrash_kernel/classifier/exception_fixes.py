"""The fixes of the exception-type rules whose fix does not depend on the root cause."""
from __future__ import annotations

FIX_MEMBERS = ("Check the object's type and members (`type(obj)`, `dir(obj)`); the member may belong to another "
               "class or version.")
FIX_SHAPES = "Print the shapes of the operands (`.shape`) and reshape or select so that they agree."
FIX_VALUES = "Inspect the values: `df.isna().sum()`, `np.isfinite(X).all()`, and the label type (`type_of_target`)."
FIX_SIGNATURE = "Compare the call with the function's signature (`help(func)` or `func?`)."
FIX_MEMORY = ("Reduce the batch size or the data in memory, free unused objects (`del x; gc.collect()`), "
              "or use a larger machine.")
FIX_FIT = "Fit or build the model (run its cell) before using it."
FIX_NETWORK = "Check the network connection, the URL and any credentials; retry later if the service is down."
