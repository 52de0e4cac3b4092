"""Library facts the root cause reads: who a call-error names, removal notices, scipy's module wording."""
from __future__ import annotations

import pytest

from nbcrash_kernel.classify.records import classify_row
from nbcrash_kernel.knowledge.symbols import library_of_called


@pytest.mark.parametrize("evalue,library", [
    # Python >= 3.10 names the method by its qualified name (produced by the call in the comment).
    ("LinearRegression.__init__() got an unexpected keyword argument 'normalize'", "sklearn"),  # LinearRegression(normalize=True)
    ("OneHotEncoder.__init__() got an unexpected keyword argument 'sparse'", "sklearn"),
    ("train_test_split() got an unexpected keyword argument 'test_sizes'", "sklearn"),
    ("helper() missing 1 required positional argument: 'x'", None),
])
def test_the_class_of_a_method_in_a_call_error_names_its_library(evalue, library):
    assert library_of_called(evalue) == library


def test_a_removed_keyword_of_a_library_class_is_an_api_change():
    record = classify_row({"ename": "TypeError",
                           "evalue": "OneHotEncoder.__init__() got an unexpected keyword argument 'sparse'"})
    assert record["root_cause"] == "LIB" and record["library"] == "sklearn"


@pytest.mark.parametrize("ename,evalue", [
    ("NotImplementedError", "\nstatsmodels.tsa.arima_model.ARMA and statsmodels.tsa.arima_model.ARIMA have\nbeen "
     "removed in favor of statsmodels.tsa.arima.model.ARIMA (note the .\nbetween arima and model)"),
    ("AttributeError", "`np.float_` was removed in the NumPy 2.0 release. Use `np.float64` instead."),
    ("IndexError", "Indexing with a float is no longer supported. Manually convert to an integer key instead."),
])
def test_a_library_message_that_says_the_api_was_removed_is_an_api_change(ename, evalue):
    record = classify_row({"ename": ename, "evalue": evalue})
    assert record["root_cause"] == "LIB"


def test_scipy_module_getattr_wording_is_read_as_a_module_attribute():
    # scipy/__init__.py __getattr__ raises "Module 'scipy' has no attribute ..." (capital M): scipy.interp(...)
    record = classify_row({"ename": "AttributeError", "evalue": "Module 'scipy' has no attribute 'interp'"})
    assert record["root_cause"] == "LIB" and record["library"] == "scipy"
