"""Exception type, part 2: TypeError and the value-like errors, decided by their message.

ValueError, RuntimeError and the libraries' own classes say what went wrong only in their
message; the message families of ``knowledge/messages.py`` name the kind. Runs after part 1.
"""
from __future__ import annotations

import re

from ..knowledge.messages import (ARGUMENT, BROADCAST, CAST, CUDA_ENV, DATA_VIOLATION, FEATURE_NAME, IO,
                                  NETWORK, NOT_FITTED, RANGE, SHAPE)
from ..record.taxonomy import (CAST_EXCEPTION, ENVIRONMENT_SETUP, FEATURE_NAME_MISMATCH, FILE_NOT_FOUND, INDEX_1D,
                        INIT_ORDER, REQUEST_ERROR, SHAPE_MISMATCH, WRONG_ARGUMENTS)
from .exception_fixes import FIX_FIT, FIX_NETWORK, FIX_SHAPES, FIX_SIGNATURE, FIX_VALUES
from .rules import example, rule
from .signals import Signals

# CPython's operator errors, and pandas 3's for a column of its string dtype (pandas/core/arrays/string_.py
# and arrays/arrow/array.py: "operation 'add' not supported for dtype 'str' with object of type <class 'float'>").
_OPERAND = re.compile(r"unsupported operand|can only concatenate|not supported between instances|"
                      r"bad operand type|can't multiply sequence|must be str, not|can only join|"
                      r"^operation '\w+' not supported for dtype")
_CALL_WORDING = re.compile(r"\w+\(\) (?:got|takes|missing)")
_STATE_DICT = re.compile(r"error\(s\) in loading state_dict", re.I)
_RUNTIME_CLASSES = frozenset({"runtimeerror", "internalerror", "failedpreconditionerror", "unimplementederror",
                              "notimplementederror", "recursionerror", "calledprocesserror"})


def _type_error(s: Signals) -> bool:
    return s.builtin_class == "typeerror"


def _type(evalue: str) -> dict:
    return example("TypeError", evalue)


@rule("ET-TYPE-NOT-CALLABLE", "TYPE", "typeerror-notcallable", examples=[_type("'DataFrame' object is not callable")])
def _not_callable(s: Signals):
    """TypeError "object is not callable": a value is called like a function."""
    return _type_error(s) and "not callable" in s.evalue.lower()


@rule("ET-TYPE-NOT-SUBSCRIPTABLE", "TYPE", "typeerror-notsubscriptable",
      examples=[_type("'method' object is not subscriptable"),
                _type("'str' object does not support item assignment")])
def _not_subscriptable(s: Signals):
    """TypeError "not subscriptable" or "does not support item assignment": `[]` on the wrong object."""
    text = s.evalue.lower()
    return _type_error(s) and ("not subscriptable" in text or "does not support item assignment" in text)


@rule("ET-TYPE-UNHASHABLE", "TYPE", "typeerror-unhashable", examples=[_type("unhashable type: 'list'")])
def _unhashable(s: Signals):
    """TypeError "unhashable type": a mutable value used as a dict key or set member."""
    return _type_error(s) and "unhashable" in s.evalue.lower()


@rule("ET-TYPE-NOT-ITERABLE", "TYPE", "typeerror-notiterable",
      examples=[_type("'int' object is not iterable"), _type("cannot unpack non-iterable NoneType object")])
def _not_iterable(s: Signals):
    """TypeError "not iterable": a loop or unpacking over a value that is not a sequence."""
    text = s.evalue.lower()
    return _type_error(s) and ("not iterable" in text or "cannot unpack non-iterable" in text)


@rule("ET-TYPE-OPERAND", "TYPE", "typeerror-op",
      examples=[_type("unsupported operand type(s) for +: 'int' and 'str'"),
                _type('can only concatenate str (not "int") to str'),
                _type("operation 'radd' not supported for dtype 'str' with object of type <class 'float'>")])
def _operand(s: Signals):
    """TypeError from an operator: the operands' types do not support it (`+`, `<`, `*`, join)."""
    return _type_error(s) and _OPERAND.search(s.evalue.lower())


@rule("ET-TYPE-SLICE-INDEX", "INDEX", INDEX_1D,
      examples=[_type("slice indices must be integers or None or have an __index__ method")])
def _slice_index(s: Signals):
    """TypeError "slice indices must be integers": a slice bound of the wrong type."""
    return _type_error(s) and "slice indices must be" in s.evalue.lower()


@rule("ET-TYPE-ARGUMENT", "IARG", WRONG_ARGUMENTS,
      fix=FIX_SIGNATURE,
      examples=[_type("__init__() got an unexpected keyword argument 'n_estimator'"),
                _type("fit() missing 1 required positional argument: 'y'")])
def _type_argument(s: Signals):
    """TypeError from a call whose arguments do not match the signature (Python's own wording)."""
    return _type_error(s) and (ARGUMENT.search(s.evalue) or _CALL_WORDING.search(s.evalue))


@rule("ET-TYPE-CAST", "VALUE", CAST_EXCEPTION,
      examples=[_type("can't convert np.ndarray of type numpy.object_")])
def _type_cast(s: Signals):
    """TypeError from a conversion (`can't convert`, `cannot cast`): the value's type cannot be converted."""
    return _type_error(s) and CAST.search(s.evalue)


@rule("ET-TYPE-OTHER", "TYPE", "typeerror", examples=[_type("'NoneType' object has no len()")])
def _type_other(s: Signals):
    """Any other TypeError."""
    return _type_error(s)


@rule("ET-STATE-DICT-SHAPE", "TSHAPE", SHAPE_MISMATCH,
      fix=FIX_SHAPES,
      examples=[example("RuntimeError", "Error(s) in loading state_dict for Net:\n\tsize mismatch for fc.weight")])
def _state_dict_shape(s: Signals):
    """torch's load_state_dict with "size mismatch": the checkpoint's tensor shapes differ from the model's."""
    return _STATE_DICT.search(s.evalue) and SHAPE.search(s.evalue)


@rule("ET-STATE-DICT", "IARG", WRONG_ARGUMENTS,
      fix=FIX_SIGNATURE,
      examples=[example("RuntimeError", 'Error(s) in loading state_dict for Net:\n\tMissing key(s): "fc.bias"')])
def _state_dict(s: Signals):
    """torch's load_state_dict with missing or unexpected keys: the state dict given does not fit the model."""
    return _STATE_DICT.search(s.evalue)


@rule("ET-CUDA-ENV", "ENV", ENVIRONMENT_SETUP,
      examples=[example("AssertionError", "Torch not compiled with CUDA enabled"),
                example("RuntimeError", "Found no NVIDIA driver on your system")])
def _cuda_env(s: Signals):
    """The message says a component is missing (no GPU or driver, a package to install, no display)."""
    return CUDA_ENV.search(s.evalue)


@rule("ET-BROADCAST", "BCAST", "unsupported broadcast",
      fix=FIX_SHAPES,
      examples=[example("ValueError", "operands could not be broadcast together with shapes (3,) (4,)")])
def _broadcast(s: Signals):
    """numpy's broadcasting rules reject the operands' shapes."""
    return BROADCAST.search(s.evalue)


@rule("ET-NOT-FITTED-MESSAGE", "INIT", INIT_ORDER,
      fix=FIX_FIT,
      examples=[example("ValueError", "This model has not yet been built. Build the model first by calling build()"),
                example("RuntimeError", "You must compile your model before training/testing.")])
def _not_fitted_message(s: Signals):
    """The message says an object is used before fit, compile or build (Keras, sklearn, TF)."""
    return NOT_FITTED.search(s.evalue)


@rule("ET-FEATURE-NAME", "FNAME", FEATURE_NAME_MISMATCH,
      examples=[example("ValueError", "The feature names should match those that were passed during fit.")])
def _feature_name(s: Signals):
    """A feature or column name is not among those the estimator or frame knows."""
    return FEATURE_NAME.search(s.evalue)


@rule("ET-SHAPE-MESSAGE", "TSHAPE", SHAPE_MISMATCH,
      fix=FIX_SHAPES,
      examples=[example("ValueError", "shapes (3,4) and (5,6) not aligned: 4 (dim 1) != 5 (dim 0)"),
                example("RuntimeError", "mat1 and mat2 shapes cannot be multiplied (64x100 and 200x10)")])
def _shape_message(s: Signals):
    """The message is about array or tensor shapes that do not fit (numpy, torch, Keras, sklearn)."""
    return SHAPE.search(s.evalue)


@rule("ET-NETWORK-MESSAGE", "RERR", REQUEST_ERROR,
      fix=FIX_NETWORK,
      examples=[example("RuntimeError", "Max retries exceeded with url: /resnet.pth")])
def _network_message(s: Signals):
    """A library error (not a ValueError) whose message is about a network request."""
    return NETWORK.search(s.evalue) and s.low_name not in {"valueerror", "typeerror"}


@rule("ET-IO-MESSAGE", "IO", FILE_NOT_FOUND,
      examples=[example("ValueError", "Invalid file path or buffer object type: <class 'NoneType'> does not exist")])
def _io_message(s: Signals):
    """The message is about a file (no such file, does not exist, permission), outside RuntimeError."""
    return IO.search(s.evalue) and s.low_name != "runtimeerror"


@rule("ET-CAST-MESSAGE", "VALUE", CAST_EXCEPTION,
      examples=[example("ValueError", "could not convert string to float: 'abc'"),
                example("ValueError", "invalid literal for int() with base 10: 'x'")])
def _cast_message(s: Signals):
    """A conversion failed: the value is not in a format the target type reads."""
    return CAST.search(s.evalue)


@rule("ET-DATA-VIOLATION", "DVIOL", "valueerror - data value violation",
      fix=FIX_VALUES,
      examples=[example("ValueError", "Found array with 0 sample(s) (shape=(0, 3)) while a minimum of 1 is required."),
                example("LinAlgError", "Singular matrix")])
def _data_violation(s: Signals):
    """The data's values break what the API needs: NaN, infinity, label types, a singular matrix."""
    return DATA_VIOLATION.search(s.evalue) or s.low_name == "linalgerror"


@rule("ET-ARGUMENT-MESSAGE", "IARG", WRONG_ARGUMENTS,
      fix=FIX_SIGNATURE,
      examples=[example("ValueError", "Invalid parameter n_estimator for estimator RandomForestClassifier")])
def _argument_message(s: Signals):
    """The message says an argument is wrong (outside RuntimeError, where torch's kernels say "argument")."""
    return ARGUMENT.search(s.evalue) and s.low_name != "runtimeerror"


@rule("ET-RANGE-MESSAGE", "VALUE", "valueerror - data range mismatch",
      examples=[example("ValueError", "not enough values to unpack (expected 3, got 2)")])
def _range_message(s: Signals):
    """A count of values does not match (unpacking, lengths, a value out of range)."""
    return RANGE.search(s.evalue)


@rule("ET-RUNTIME", "RUNTIME", "runtimeerror",
      examples=[example("RuntimeError", "CUDA error: device-side assert triggered"),
                example("RecursionError", "maximum recursion depth exceeded")])
def _runtime(s: Signals):
    """RuntimeError and its kin (TF's InternalError, NotImplementedError, RecursionError, a library's
    RuntimeError subclass such as scipy's QhullError) with no other clue."""
    return s.low_name in _RUNTIME_CLASSES or s.builtin_class == "runtimeerror"


@rule("ET-VALUE", "VALUE", "valueerror", examples=[example("ValueError", "math domain error")])
def _value(s: Signals):
    """Any other ValueError (or a library class named after it or derived from it, such as pandas' ParserError)."""
    return s.low_name == "valueerror" or "valueerror" in s.low_name or s.builtin_class == "valueerror"


@rule("ET-PROCESS-INIT", "INIT", INIT_ORDER, fix=FIX_FIT,
      examples=[example("UnknownError", "Failed to get convolution algorithm.")])
def _process_init(s: Signals):
    """TF's UnknownError or a ProcessRaisedException: a component failed to initialise."""
    return s.low_name in {"processraisedexception", "unknownerror"}


@rule("ET-LIBRARY-ARGUMENT", "IARG", WRONG_ARGUMENTS,
      fix=FIX_SIGNATURE,
      examples=[example("InvalidArgumentError", "indices[3] = 12 is not in [0, 10)")])
def _library_argument(s: Signals):
    """A library class that means a bad argument (TF's InvalidArgumentError, plotly's PlotlyError...)."""
    return s.low_name in {"brokenprocesspool", "plotlyerror", "systemerror", "invalidargumenterror"}


@rule("ET-ASSERTION", "OTHER", "assertionerror", examples=[example("AssertionError", "")])
def _assertion(s: Signals):
    """AssertionError: an `assert` failed."""
    return s.low_name == "assertionerror"


@rule("ET-OTHER", "OTHER", "unknown", examples=[example("StopIteration", "")])
def _other(s: Signals):
    """Any other exception."""
    return True
