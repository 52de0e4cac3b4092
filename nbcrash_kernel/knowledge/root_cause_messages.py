"""The wording the root-cause rules read, each family named by where Python or a library raises it.

Every phrase was read at its raise site (CPython's C sources or Lib/, or the installed package in
site-packages, versions as named) or produced by running the call; matched like
``messages.Phrases`` (case-insensitively, on the start of the message).
"""
from __future__ import annotations

from .messages import Phrases

# An operator met text or None. CPython 3.11: Objects/abstract.c binop_type_error
# "unsupported operand type(s) for -: 'str' and 'int'"; Objects/unicodeobject.c
# "can only concatenate str (not "int") to str"; Objects/object.c "'<' not supported between
# instances of 'str' and 'float'"; any of them naming 'NoneType'. pandas 3.1, a column of its string
# dtype: pandas/core/arrays/string_.py, arrays/arrow/array.py "operation 'add' not supported for dtype
# 'str' with object of type <class 'float'>".
TEXT_OR_NONE_OPERAND = Phrases(r"'str'", r"'nonetype'", r"str \(not")

# A Keras layer's input check. tf.keras tensorflow/python/keras/engine/input_spec.py and Keras 3
# keras/src/layers/input_spec.py, assert_input_compatibility: 'Input 0 of layer "dense" is
# incompatible with the layer: expected ndim=2, found ndim=3' / "expected axis -1 of input shape
# to have value 8" / "expected shape=(None, 4), found shape=(None, 5)"; Keras 2.9+
# keras/utils/traceback_utils.py wraps a failing call as "Exception encountered when calling layer";
# the merging layers' build(), keras/src/layers/merging/concatenate.py (layers/merge.py in tf.keras):
# "A `Concatenate` layer requires inputs with matching shapes except for the concat axis"; Keras 2.x
# keras/engine/training_utils.py standardize_input_data: "Error when checking input: expected
# dense_input to have shape (4,) but got array with shape (5,)".
KERAS_INPUT_SPEC = Phrases(r"is incompatible with (?:the )?layer", r"exception encountered when calling layer",
                           r"expected (?:min_|max_)?ndim=", r"expected axis -?\d+ of input shape",
                           r"expected shape=", r"requires inputs with matching shapes",
                           r"error when checking (?:model )?(?:input|target)")

# An image or array API rejects the data's shape or dtype. matplotlib 3.x matplotlib/image.py
# "Invalid shape (28, 28, 1) for image data", "Image data of dtype object cannot be converted to
# float"; matplotlib/contour.py "Input z must be 2D"; numpy _multiarray_umath "only integer scalar
# arrays can be converted to a scalar index".
DATA_SHAPE_FOR_API = Phrases(r"invalid shape .* for image data", r"image data of dtype", r"must be 2d",
                             r"only integer scalar arrays")

# Python's own check of a call against the function's signature (CPython 3.11 Python/ceval.c and
# Python/getargs.c): "got an unexpected keyword argument", "missing 1 required positional
# argument", "takes 2 positional arguments but 3 were given", "got multiple values for argument".
CALL_SIGNATURE = Phrases(r"unexpected keyword", r"missing \d+ required", r"positional argument",
                         r"multiple values")

# The API does not take this kind of input: Keras' data_adapter.py "Failed to find data adapter
# that can handle input"; scikit-learn 1.9.1 metrics/cluster/_unsupervised.py "Number of labels
# is 1. Valid values are 2 to n_samples - 1", metrics/_base.py and _ranking.py "{type} format is
# not supported"; numpy linalg "Singular matrix"; sklearn utils/validation.py "Input X contains
# infinity or a value too large for dtype('float64')".
INPUT_KIND = Phrases(r"data adapter", r"too large", r"number of labels is", r"multiclass format",
                     r"singular matrix")

# Indexing with the wrong kind of index: numpy _multiarray_umath "only integers, slices (`:`),
# ellipsis (`...`) ... are valid indices"; CPython Objects/listobject.c "list indices must be
# integers or slices, not str"; "slice indices must be integers or None".
INDEX_KIND = Phrases(r"only integers, slices", r"must be of integer", r"indices must be integers")

# No usable GPU: torch 2.13.0 torch/cuda/__init__.py _lazy_init "Torch not compiled with CUDA
# enabled", _check_driver "Found no NVIDIA driver on your system"; ATen "No CUDA GPUs are available".
NO_GPU = Phrases(r"not compiled with cuda", r"no cuda", r"nvidia driver")

# cuDNN missing: TensorFlow's "Fail to find the dnn implementation" (stream_executor), "cuDNN".
GPU_LIBRARIES = Phrases(r"dnn implementation", r"cudnn")

# autograd on tensors it does not track, strings of torch 2.13.0 libtorch_cpu.so:
# "element 0 of tensors does not require grad and does not have a grad_fn", "one of the variables
# needed for gradient computation has been modified by an inplace operation", "a leaf Variable
# that requires grad is being used in an in-place operation".
AUTOGRAD = Phrases(r"require[s]? grad", r"grad_fn", r"in-?place operation")

# A CUDA kernel failed on its input: torch's c10/cuda "CUDA error: device-side assert triggered",
# "an illegal memory access was encountered".
CUDA_KERNEL = Phrases(r"cuda error", r"illegal memory access", r"device-side assert")

# A component that is not installed or compiled in, in the libraries' own words: torch "not compiled
# with"; pandas' import_optional_dependency (compat/_optional.py): "Missing optional dependency
# 'x'. ... Use pip or conda to install x." (pandas 1.x-2.x), "`Import x` failed. ... Use pip or
# conda to install the x package." (3.1.1); the "please install" of many optional-dependency checks.
NOT_INSTALLED = Phrases(r"please install", r"not installed", r"not compiled with", r"missing optional dependency",
                        r"use pip or conda to install")

# What the cell creates already exists: pandas 3.1.1 io/sql.py "Table 'x' already exists.";
# sqlite3 "table x already exists"; Keras/TF "... already exists" for a registered name.
ALREADY_EXISTS = Phrases(r"already exists")

# pandas 3.1.1 core/indexes/base.py Index.drop: KeyError "['Cabin'] not found in axis".
DROP_MISSING = Phrases(r"not found in axis")

# The file's content is not what the reader expects: pandas _libs/parsers.pyx "Error tokenizing
# data. C error: Expected 3 fields in line 5, saw 4", "No columns to parse from file"
# (EmptyDataError, pandas/errors/__init__.py); pandas 3.1.1 io/excel/_base.py "Worksheet named 'x'
# not found"; xlrd book.py "No sheet named <'x'>".
FILE_CONTENT = Phrases(r"no sheet named", r"worksheet named .* not found", r"error tokenizing",
                       r"no columns to parse")

# The file system refuses: POSIX strerror of EACCES, EROFS, EEXIST as Python's OSError shows it.
FILE_REFUSED = Phrases(r"permission denied", r"read-only file system", r"file exists", r"errno 13",
                       r"errno 30", r"errno 17")

# A remote service refused or dropped the request: Python's ConnectionError family
# (ConnectionRefusedError, ConnectionResetError, ConnectionAbortedError), requests/urllib3
# "Max retries exceeded ... NewConnectionError", aiohttp "Cannot connect to host", and an HTTP
# 5xx status (RFC 9110 section 15.6: the server failed).
REMOTE_REFUSED = Phrases(r"connection", r"cannot connect", r"max retries exceeded", r"\b5\d\d\b")
