"""Root cause from the crash record, part 3: types, arguments, values, shapes, state, runtime, the rest."""
from __future__ import annotations

import re

from ..knowledge.libraries import is_ml_library
from ..knowledge.messages import NOT_YET_PREPARED
from ..knowledge.root_cause_messages import (AUTOGRAD, CALL_SIGNATURE, CUDA_KERNEL, DATA_SHAPE_FOR_API,
                                              GPU_LIBRARIES, INDEX_KIND, INPUT_KIND, KERAS_INPUT_SPEC, NOT_INSTALLED,
                                              TEXT_OR_NONE_OPERAND)
from ..knowledge.raise_sites import CALL_ORDER, TENSOR_DTYPE, VALUE_VIOLATION
from ..record.taxonomy import (API_MISUNDERSTOOD, DATA_STRUCTURE, EXTERNAL_CONTROL, INSUFFICIENT_RESOURCES, INTENTIONAL,
                               INVALID_ARGUMENT,
                               LIBRARY_INTERNAL, MODULE_NOT_INSTALLED, NB_EXECUTION_ORDER, SETTINGS, TYPO, UNKNOWN,
                               WRONG_IMPLEMENTATION)
from .rules import CELL_FILE, example, rule, site, traceback_text
from .signals import Signals

_ESTIMATOR_LIBRARIES = ("sklearn", "xgboost", "lightgbm", "torch")


def _in_library(library: str, evalue: str, ename: str = "ValueError", line: str = "model.fit(X, y)") -> str:
    return traceback_text(ename, evalue, (CELL_FILE, line), (site(library), "raise"))


# -- TypeError ----------------------------------------------------------------------

@rule("RC-TYPE-MODULE-CALLED", "API", API_MISUNDERSTOOD, confidence=0.6, types=["TYPE"],
      examples=[example("TypeError", "'module' object is not callable")])
def _type_module_called(s: Signals):
    """A module is called as if it were a function (`import tqdm; tqdm(...)`)."""
    return s.etype.detail == "typeerror-notcallable" and "'module' object" in s.evalue.lower() and \
        "a module is called as if it were a function"


@rule("RC-TYPE-OVERWRITTEN", "IMPL", WRONG_IMPLEMENTATION, confidence=0.5, types=["TYPE"],
      examples=[example("TypeError", "'int' object is not callable")])
def _type_overwritten(s: Signals):
    """A value is called in the notebook's own code: a name that held a function or class was overwritten.

    CPython raises "'X' object is not callable" at the call site; when that site is inside a
    library, the value called is the library's own (an argument or attribute it was handed), not a
    name of the notebook.
    """
    return s.etype.detail == "typeerror-notcallable" and not s.raised_in_library and \
        "a name that held a function or class was overwritten with a value"


@rule("RC-TYPE-DATA-VALUES", "DATA", DATA_STRUCTURE, confidence=0.5, types=["TYPE"],
      examples=[example("TypeError", "unsupported operand type(s) for -: 'str' and 'int'")])
def _type_data_values(s: Signals):
    """An operator meets text or None in the data: the values have another type than the code expects."""
    low = s.evalue.lower()
    return (s.etype.detail == "typeerror-op" or "nonetype" in low) and TEXT_OR_NONE_OPERAND.search(low) and \
        "the values have another type than the operation expects (text, missing values)"


_DTYPE_MESSAGE = "mat1 and mat2 must have the same dtype, but got Double and Float"


@rule("RC-TYPE-TENSOR-DTYPE", "DATA", DATA_STRUCTURE, confidence=0.5, types=["TYPE"],
      examples=[example("RuntimeError", _DTYPE_MESSAGE, _in_library("torch/nn/modules/linear.py", _DTYPE_MESSAGE,
                                                                     "RuntimeError", "out = model(inputs)"))])
def _type_tensor_dtype(s: Signals):
    """torch's kernel got tensors of different dtypes: the data's dtype is not the model's (float64 from numpy).

    ATen's `addmm` and in-place ops check the operands' dtypes (knowledge/raise_sites.py); a tensor
    made from a numpy array is float64 while layer weights are float32, or a target is Long.
    """
    found = s.raise_site
    return found and found[0] is TENSOR_DTYPE and "the tensors' dtypes differ from what the operation needs: the data's dtype is not the model's"


@rule("RC-TYPE-API", "API", API_MISUNDERSTOOD, confidence=0.6, types=["TYPE"],
      examples=[example("TypeError", "unhashable type: 'list'")])
def _type_api(s: Signals):
    """Any other TypeError: the API was called with a value of the wrong type."""
    return "the API was called with a value of the wrong type"


# -- invalid arguments ------------------------------------------------------------------

@rule("RC-IARG-DATA-SHAPE", "DATA", DATA_STRUCTURE, confidence=0.5, types=["IARG"],
      examples=[example("TypeError", "Invalid shape (28, 28, 1) for image data")])
def _iarg_data_shape(s: Signals):
    """matplotlib or numpy rejects the data's shape or dtype (`imshow` on a (28, 28, 1) array)."""
    return DATA_SHAPE_FOR_API.search(s.evalue) and \
        "the data's shape or type does not fit the API"


@rule("RC-IARG-SIGNATURE", "API", INVALID_ARGUMENT, confidence=0.7, types=["IARG"],
      examples=[example("TypeError", "__init__() got an unexpected keyword argument 'n_estimator'")])
def _iarg_signature(s: Signals):
    """Python's own signature check: unexpected keyword, missing or surplus positional arguments."""
    return CALL_SIGNATURE.search(s.evalue) and \
        "the call's arguments do not match the function's signature"


@rule("RC-IARG-WRONG-OBJECT", "API", API_MISUNDERSTOOD, confidence=0.6, types=["IARG"],
      examples=[example("AttributeError", "'list' object has no attribute 'shape'",
                        _in_library("sklearn/base.py", "'list' object has no attribute 'shape'", "AttributeError"))])
def _iarg_wrong_object(s: Signals):
    """A library called a method on a built-in object it was given: it expected another kind of object."""
    given = re.match(r"'?([\w.]+)' object has no attribute '(\w+)'", s.evalue)
    return given and s.raising_library and \
        f"{s.raising_library} was given a {given.group(1)} where it expected an object with .{given.group(2)}"


@rule("RC-IARG-API", "API", API_MISUNDERSTOOD, confidence=0.6, types=["IARG"],
      examples=[example("ValueError", "Invalid parameter n_estimator for estimator RandomForestClassifier")])
def _iarg_api(s: Signals):
    """Any other invalid argument: the API was given an argument it does not accept."""
    return "the API was given an argument it does not accept"


# -- values ---------------------------------------------------------------------------

@rule("RC-VALUE-TEXT-TO-ESTIMATOR", "API", API_MISUNDERSTOOD, confidence=0.55, types=["VALUE"],
      examples=[example("ValueError", "could not convert string to float: 'male'",
                        _in_library("sklearn/utils/validation.py", "could not convert string to float: 'male'"))])
def _value_text_to_estimator(s: Signals):
    """Raw text reached an estimator (sklearn, xgboost, lightgbm, torch) that needs numbers: encode it first."""
    return s.etype.detail == "cast exception" and any(lib in s.libraries for lib in _ESTIMATOR_LIBRARIES) and \
        "raw text reached an estimator that needs numbers: encode it first"


@rule("RC-VALUE-CAST-DATA", "DATA", DATA_STRUCTURE, confidence=0.6, types=["VALUE"],
      examples=[example("ValueError", "could not convert string to float: '1,234'")])
def _value_cast_data(s: Signals):
    """A conversion failed on a value of the data: it is not in the expected format."""
    return s.etype.detail == "cast exception" and "a value in the data is not in the expected format"


@rule("RC-VALUE-COUNT", "IMPL", WRONG_IMPLEMENTATION, confidence=0.45, types=["VALUE"],
      examples=[example("ValueError", "not enough values to unpack (expected 3, got 2)")])
def _value_count(s: Signals):
    """Unpacking or lengths disagree: the code expects a different number of values."""
    return s.etype.detail == "valueerror - data range mismatch" and "the code expects a different number of values"


@rule("RC-VALUE-TRUTH", "API", API_MISUNDERSTOOD, confidence=0.5, types=["VALUE"],
      examples=[example("ValueError", "The truth value of a Series is ambiguous. Use a.empty, a.bool(), a.item()")])
def _value_truth(s: Signals):
    """An array or Series is used where one True/False is needed (`if series:`, `and`)."""
    return "truth value" in s.evalue.lower() and "an array or Series is used where one True/False is needed"


@rule("RC-VALUE-ML-REJECTS", "API", API_MISUNDERSTOOD, confidence=0.45, types=["VALUE"],
      examples=[example("ValueError", "math domain error", _in_library("sklearn/base.py", "math domain error"))])
def _value_ml_rejects(s: Signals):
    """A ValueError raised inside an ML library other than pandas or numpy: the library rejected the input."""
    lib = s.raising_library
    return lib and is_ml_library(lib) and lib not in {"pandas", "numpy"} and f"{lib} rejected the input"


@rule("RC-VALUE-DATA", "DATA", DATA_STRUCTURE, confidence=0.5, types=["VALUE"],
      examples=[example("ValueError", "math domain error")])
def _value_data(s: Signals):
    """Any other ValueError: the data's values are not what the code expects."""
    return "the data's values are not what the code expects"


# -- shapes, broadcast, violations, names, indexes -------------------------------------------

def _keras_layer_shape(s: Signals) -> bool:
    libs = set(s.libraries)
    return bool(KERAS_INPUT_SPEC.search(s.evalue)) and ("keras" in libs or "tensorflow" in libs)


_KERAS_INPUT = "Input 0 of layer dense is incompatible with the layer: expected axis -1 to have value 8"


@rule("RC-SHAPE-KERAS-PREDICT", "DATA", DATA_STRUCTURE, confidence=0.5, types=["TSHAPE"],
      examples=[example("ValueError", _KERAS_INPUT, _in_library("keras/engine/input_spec.py", _KERAS_INPUT,
                                                                line="model.predict(X_test)"))])
def _shape_keras_predict(s: Signals):
    """A Keras layer's input check fails in predict() or evaluate(): the data's shape differs from the model's input."""
    return _keras_layer_shape(s) and re.search(r"\.(predict|evaluate)\(", s.crashing_line + s.cell_line) and \
        "the input's shape differs from the model's input"


@rule("RC-SHAPE-KERAS-LAYER", "API", INVALID_ARGUMENT, confidence=0.5, types=["TSHAPE"],
      examples=[example("ValueError", _KERAS_INPUT, _in_library("keras/engine/input_spec.py", _KERAS_INPUT))])
def _shape_keras_layer(s: Signals):
    """A Keras layer's input check fails while building or fitting: the layer's declared shape is wrong."""
    return _keras_layer_shape(s) and "the layer's expected shape and the input shape differ"


@rule("RC-SHAPE-DATA", "DATA", DATA_STRUCTURE, confidence=0.6, types=["TSHAPE"],
      examples=[example("ValueError", "shapes (3,4) and (5,6) not aligned: 4 (dim 1) != 5 (dim 0)")])
def _shape_data(s: Signals):
    """Any other shape mismatch: the arrays' shapes do not fit together."""
    return "the arrays' shapes do not fit together"


@rule("RC-BROADCAST", "DATA", DATA_STRUCTURE, confidence=0.6, types=["BCAST"],
      examples=[example("ValueError", "operands could not be broadcast together with shapes (3,) (4,)")])
def _broadcast(s: Signals):
    """The arrays' shapes cannot be broadcast together."""
    return "the arrays' shapes cannot be broadcast together"


@rule("RC-DVIOL-PROBA", "API", API_MISUNDERSTOOD, confidence=0.6, types=["DVIOL"],
      examples=[example("ValueError", "Classification metrics can't handle a mix of binary and continuous targets",
                        traceback_text("ValueError", "Classification metrics can't handle a mix",
                                       (CELL_FILE, "accuracy_score(y, model.predict_proba(X))")))])
def _dviol_proba(s: Signals):
    """Probabilities (predict_proba) were passed where a metric expects class labels."""
    return re.search(r"continuous|multioutput", s.evalue) and "proba" in s.crashing_line and \
        "probabilities (predict_proba) were passed where class labels are expected"


@rule("RC-DVIOL-VALUE-CHECK", "DATA", DATA_STRUCTURE, confidence=0.6, types=["DVIOL"],
      examples=[example("ValueError", "Input X contains infinity or a value too large for dtype('float64').",
                        _in_library("sklearn/utils/validation.py", "Input X contains infinity or a value too large"))])
def _dviol_value_check(s: Signals):
    """A library's check of the data's values failed (knowledge/raise_sites.py): the values are not what it takes.

    sklearn's `_assert_all_finite`, `check_non_negative` and label encoders, scipy's interpolation
    bounds, numpy's and torch's probability checks test each value of the data given.
    """
    found = s.raise_site
    return found and found[0] is VALUE_VIOLATION and \
        f"{found[1].library or 'the code that raised'} checked the data's values and found some it cannot take"


@rule("RC-DVIOL-INPUT-KIND", "API", API_MISUNDERSTOOD, confidence=0.5, types=["DVIOL"],
      examples=[example("ValueError", "Failed to find data adapter that can handle input: <class 'list'>")])
def _dviol_input_kind(s: Signals):
    """The API does not accept this kind of input (Keras' data adapters, label formats, a singular matrix)."""
    return INPUT_KIND.search(s.evalue) and "the API does not accept this kind of input"


@rule("RC-DVIOL-DATA", "DATA", DATA_STRUCTURE, confidence=0.6, types=["DVIOL"],
      examples=[example("ValueError", "Found array with 0 sample(s) (shape=(0, 3)) while a minimum of 1 is required.")])
def _dviol_data(s: Signals):
    """Any other data value violation: NaN, infinity, a wrong label type."""
    return "the data's values violate what the API needs (NaN, infinity, wrong label type)"


@rule("RC-FNAME", "DATA", DATA_STRUCTURE, confidence=0.55, types=["FNAME"],
      examples=[example("ValueError", "The feature names should match those that were passed during fit.")])
def _fname(s: Signals):
    """A feature or column name does not match the data."""
    return "a feature or column name does not match the data"


@rule("RC-INDEX-KIND", "API", API_MISUNDERSTOOD, confidence=0.5, types=["INDEX"],
      examples=[example("IndexError", "only integers, slices (`:`), ellipsis (`...`) are valid indices")])
def _index_kind(s: Signals):
    """Indexing with the wrong kind of index (a float or a string where numpy wants integers)."""
    return INDEX_KIND.search(s.evalue) and \
        "indexing is used with the wrong kind of index"


@rule("RC-INDEX-BEYOND", "DATA", DATA_STRUCTURE, confidence=0.55, types=["INDEX"],
      examples=[example("IndexError", "list index out of range")])
def _index_beyond(s: Signals):
    """Any other index error: the index is beyond the data's size."""
    return "the index is beyond the data's size"


# -- state, runtime, the rest ---------------------------------------------------------------

@rule("RC-INIT-BACKWARD-TWICE", "API", API_MISUNDERSTOOD, confidence=0.5, types=["INIT"],
      examples=[example("RuntimeError", "Trying to backward through the graph a second time (or directly access saved "
                        "tensors after they have already been freed).")])
def _init_backward_twice(s: Signals):
    """A second backward() through a graph torch already freed: backward frees it unless `retain_graph=True`.

    The autograd documentation states the contract; calling backward twice on one graph misreads it.
    """
    found = s.raise_site
    return found and found[0] is CALL_ORDER and found[1].library == "torch" and \
        "backward() frees the graph; a second pass needs retain_graph=True"


@rule("RC-INIT-NOT-FITTED", "NB", NB_EXECUTION_ORDER, confidence=0.5, types=["INIT"],
      examples=[example("NotFittedError", "This StandardScaler instance is not fitted yet. Call 'fit' first.")])
def _init_not_fitted(s: Signals):
    """A model used before fit or build: in a notebook, the cell that fits it had not run."""
    return NOT_YET_PREPARED.search(s.evalue) and "the model is used before the cell that fits or builds it ran"


@rule("RC-INIT-GPU", "ENV", SETTINGS, confidence=0.4, types=["INIT"],
      examples=[example("UnknownError", "Fail to find the dnn implementation.")])
def _init_gpu(s: Signals):
    """cuDNN or the DNN implementation is not found: the GPU libraries are not set up."""
    return GPU_LIBRARIES.search(s.evalue) and "the GPU libraries are not set up"


@rule("RC-INIT-ORDER", "IMPL", WRONG_IMPLEMENTATION, confidence=0.4, types=["INIT"],
      examples=[example("AlreadyExistsError", "Another metric with the same name exists.")])
def _init_order(s: Signals):
    """Any other initialisation error: the object is used in the wrong order."""
    return "the object is used in the wrong order"


@rule("RC-RUNTIME-NOT-INSTALLED", "ENV", SETTINGS, confidence=0.6, types=["RUNTIME"],
      examples=[example("RuntimeError", "Not compiled with GPU support")])
def _runtime_not_installed(s: Signals):
    """A required component is not installed or compiled in."""
    return NOT_INSTALLED.search(s.evalue) and \
        "a required component is not installed"


@rule("RC-RUNTIME-AUTOGRAD", "API", API_MISUNDERSTOOD, confidence=0.45, types=["RUNTIME"],
      examples=[example("RuntimeError", "element 0 of tensors does not require grad and does not have a grad_fn")])
def _runtime_autograd(s: Signals):
    """torch autograd was used on tensors it does not track (no grad_fn, in-place operations)."""
    return AUTOGRAD.search(s.evalue) and \
        "autograd was used on tensors it does not track"


@rule("RC-RUNTIME-CUDA-KERNEL", "API", INVALID_ARGUMENT, confidence=0.35, types=["RUNTIME"],
      examples=[example("RuntimeError", "CUDA error: device-side assert triggered")])
def _runtime_cuda_kernel(s: Signals):
    """A GPU kernel failed on its input: a device-side assert is most often a label or index out of range."""
    return CUDA_KERNEL.search(s.evalue) and \
        "a GPU kernel failed on its input (often a label or index out of range)"


@rule("RC-RUNTIME-UNKNOWN", "UNK", UNKNOWN, confidence=0.3, types=["RUNTIME"],
      examples=[example("RecursionError", "maximum recursion depth exceeded")])
def _runtime_unknown(s: Signals):
    """Any other runtime error: the message does not tell the cause."""
    return "a runtime error whose cause the message does not tell"


@rule("RC-EXECUTABLE-MISSING", "ENV", MODULE_NOT_INSTALLED, confidence=0.6, types=["OTHER"],
      examples=[example("FileNotFoundError", "[Errno 2] No such file or directory: 'nvidia-smi'", traceback_text(
          "FileNotFoundError", "[Errno 2] No such file or directory: 'nvidia-smi'",
          (CELL_FILE, "subprocess.run(['nvidia-smi'])"),
          ("/usr/lib/python3.11/subprocess.py", "raise child_exception_type(errno_num, err_msg, err_filename)",
           1950, "_execute_child")))])
def _executable_missing(s: Signals):
    """The program a subprocess runs is not installed in this environment (or not on PATH)."""
    return s.etype.detail == "executablenotfound" and "the program to run is not installed here"


_SYNTAX = {"syntaxerror", "indentationerror", "taberror"}


@rule("RC-SYNTAX-IN-LIBRARY", "LIB", LIBRARY_INTERNAL, confidence=0.5, types=["OTHER"],
      examples=[example("SyntaxError", "invalid syntax", traceback_text(
          "SyntaxError", "invalid syntax", (CELL_FILE, "import oldlib"), (site("oldlib/__init__.py"), "print 'x'")))])
def _syntax_in_library(s: Signals):
    """A syntax error inside an installed library (written for another Python version)."""
    frame = s.parsed.frames[-1] if s.parsed and s.parsed.frames else None
    return s.low_name in _SYNTAX and frame is not None and not frame.is_user and \
        "the syntax error is inside an installed library"


@rule("RC-SYNTAX", "IMPL", TYPO, confidence=0.7, types=["OTHER"], examples=[example("SyntaxError", "invalid syntax")])
def _syntax(s: Signals):
    """The cell is not valid Python."""
    return s.low_name in _SYNTAX and "the cell is not valid Python"


@rule("RC-ZERO-DIVISION", "DATA", DATA_STRUCTURE, confidence=0.4, types=["OTHER"],
      examples=[example("ZeroDivisionError", "division by zero")])
def _zero_division(s: Signals):
    """A divisor is zero in the data."""
    return s.low_name == "zerodivisionerror" and "a divisor is zero in the data"


@rule("RC-DISK-FULL", "RSC", INSUFFICIENT_RESOURCES, confidence=0.7, types=["OTHER"],
      examples=[example("OSError", "[Errno 28] No space left on device")])
def _disk_full(s: Signals):
    """The disk is full."""
    return "space" in s.etype.detail and "the disk is full"


@rule("RC-INTERRUPT", "ENV", EXTERNAL_CONTROL, confidence=0.8, types=["OTHER"], examples=[example("KeyboardInterrupt", "")])
def _interrupt(s: Signals):
    """The run was stopped from outside the code (the interrupt button, a debugger's quit).

    taxonomy.md files "external control (window closed)" under ENV; the code raised nothing on
    purpose (INTENT), the user or the environment stopped it. Two blind labellers of real crashes
    read the taxonomy so, independently; the study's pipeline drops interrupts, so its labels never say.
    """
    return s.low_name in {"keyboardinterrupt", "bdbquit"} and "the run was stopped by the user"


@rule("RC-ASSERT-OWN", "INTENT", INTENTIONAL, confidence=0.35, types=["OTHER"], examples=[example("AssertionError", "")])
def _assert_own(s: Signals):
    """An assert in the notebook's own code failed (no library in the traceback): a check written on purpose."""
    return s.low_name == "assertionerror" and not s.libraries and "an assert in the notebook's own code failed"


@rule("RC-ASSERT-LIBRARY", "API", API_MISUNDERSTOOD, confidence=0.35, types=["OTHER"],
      examples=[example("AssertionError", "", _in_library("torch/nn/functional.py", "", "AssertionError"))])
def _assert_library(s: Signals):
    """A library's assert on its input failed."""
    return s.low_name == "assertionerror" and f"{s.raising_library or 'a library'} asserted on its input"


@rule("RC-UNKNOWN", "UNK", UNKNOWN, confidence=0.25, types=["OTHER"], examples=[example("StopIteration", "")])
def _unknown(s: Signals):
    """The record does not tell why."""
    return "the record does not tell why"
