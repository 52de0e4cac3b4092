"""knowledge/exception_classes.py: each library class's built-in base, checked against the installed library."""
from __future__ import annotations

import builtins
import importlib

import pytest

from nbcrash_kernel.classify.records import classify_row
from nbcrash_kernel.knowledge.exception_classes import EXCEPTION_BASES

# Where each installed class lives (the table is keyed by the name a traceback shows).
MODULES = {
    "PIL": ["PIL", "PIL.BlpImagePlugin", "PIL.PdfParser"],
    "matplotlib": ["matplotlib", "matplotlib.units", "matplotlib.bezier", "matplotlib.streamplot"],
    "numpy": ["numpy.exceptions", "numpy.linalg"],
    "pandas": ["pandas.errors", "pandas._libs.tslibs.parsing"],
    "scipy": ["scipy.io.arff", "scipy.io", "scipy.sparse.linalg", "scipy.stats", "scipy.stats.sampling", "scipy.spatial"],
    "sklearn": ["sklearn.exceptions", "sklearn.utils._param_validation"],
}


def _installed_class(library: str, name: str):
    for module in MODULES[library]:
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if found is not None:
            return found
    return None


@pytest.mark.parametrize("name", sorted(n for n, (lib, _) in EXCEPTION_BASES.items() if lib in MODULES))
def test_the_table_names_the_installed_class_built_in_base(name):
    library, base = EXCEPTION_BASES[name]
    pytest.importorskip(library)
    cls = _installed_class(library, name)
    assert cls is not None, f"{library} has no exception class {name}"
    builtin = {n.lower(): getattr(builtins, n) for n in dir(builtins)}[base]
    assert issubclass(cls, builtin)


@pytest.mark.parametrize("ename,evalue,exception_type", [
    ("QhullError", "QH6154 Qhull precision error: initial simplex is flat", "RUNTIME"),  # scipy ConvexHull of a line
    ("XGBoostError", "[10:00:00] src/learner.cc:758: Check failed: mparam_.num_feature != 0", "VALUE"),
    ("DTypePromotionError", "The DType <class 'numpy.dtypes.DateTime64DType'> could not be promoted by "
     "<class 'numpy.dtypes.Float64DType'>.", "TYPE"),
])
def test_a_library_class_no_rule_names_is_read_as_its_built_in_base(ename, evalue, exception_type):
    record = classify_row({"ename": ename, "evalue": evalue})
    assert record["exception_type"] == exception_type
