"""Message families: the wording Python and ML libraries use for one kind of failure.

Each family is matched case-insensitively on the start of a message (``MESSAGE_LIMIT``
characters: a megabyte message says what it says early). Rules, origins and fixes read
these tables; none keeps its own copy of a phrase.
"""
from __future__ import annotations

import re

# Rules read this much of a message; the live extension's ``max_message_chars`` trait
# defaults to the same number.
MESSAGE_LIMIT = 4000


class Phrases:
    """Case-insensitive alternatives, matched on the lower-cased start of a message.

    Lower-casing once and matching case-sensitively is several times faster than
    ``re.IGNORECASE`` on long alternations.
    """

    def __init__(self, *patterns: str) -> None:
        self.patterns = patterns
        self._regex = re.compile("|".join(f"(?:{p.lower()})" for p in patterns), re.DOTALL)

    def search(self, text: str) -> re.Match[str] | None:
        return self._regex.search((text or "")[:MESSAGE_LIMIT].lower())


def ascii_lowered(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A case-insensitive pattern for lower-cased ASCII text, searched without ``re.IGNORECASE``:
    several times faster, the same matches (at the same places) on ASCII text. Text that is not
    ASCII keeps the original pattern (Unicode case folding is not lower-casing)."""
    source = pattern.pattern
    if not source.isascii() or re.search(r"\\[A-Z]", source):
        raise ValueError(f"lower-casing changes this pattern's meaning: {source!r}")
    return re.compile(source.lower(), pattern.flags & ~re.IGNORECASE)


OOM = Phrases(r"out of memory", r"\bOOM\b", r"unable to allocate", r"cannot allocate memory",
              r"MemoryError", r"ResourceExhausted", r"DataLoader worker .* exited unexpectedly",
              r"killed .*memory", r"std::bad_alloc", r"excessive memory usage")
BROADCAST = Phrases(r"could not broadcast", r"operands could not be broadcast", r"non-broadcastable",
                    r"broadcast.*shape")
SHAPE = Phrases(r"shapes? .* not aligned", r"cannot reshape", r"shape of passed values",
                r"incompatible with (?:the )?layer", r"expected shape", r"must have (?:the )?same first dimension",
                r"shape must be", r"matching shapes", r"exception encountered when calling layer",
                r"slice index \d+ of dimension", r"mat1 and mat2", r"size mismatch", r"shape mismatch",
                r"expected input batch_size", r"expected ndim", r"expected \d+D", r"found array with dim",
                r"expected 2d array", r"inconsistent numbers of samples", r"input to reshape is a tensor",
                r"incompatible shapes", r"matrix size-incompatible", r"dimensions must be equal",
                r"is invalid for input of size", r"sizes of tensors must match", r"same number of dimensions",
                r"input contains \d+ features", r"has \d+ features?,? but .* expect", r"X has \d+ features",
                r"should have (?:the )?(?:same|\d+) (?:length|shape)", r"doesn't match the broadcast shape",
                r"all the input array dimensions", r"all the input arrays must have same number",
                r"wrong number of dimensions", r"rank \d+", r"target size .* must be the same as input size",
                r"expected (?:target|input) size", r"x and y must be the same size", r"bad input shape",
                r"length of passed values is", r"wrong number of items passed", r"data must be 1-dimensional",
                r"columns must be same length as key", r"number of features of the model must match")
FEATURE_NAME = Phrases(r"could not interpret (?:input|value)", r"feature names? (?:should|must|seen|unseen)",
                       r"feature_names mismatch", r"columns are missing", r"is not in list",
                       r"refers to an operation, not a tensor", r"not in the vocabulary",
                       r"feature names must be", r"unseen at fit time", r"columns? .* not (?:present|found) in",
                       r"does not contain the columns")
DATA_VIOLATION = Phrases(r"input contains nan", r"input (?:X )?contains infinity", r"nan values",
                         r"number of labels is", r"multiclass format is not supported",
                         r"(?:continuous|multiclass|binary|multilabel-indicator) is not supported",
                         r"classification metrics can't handle", r"failed to find data adapter",
                         r"too large", r"columns overlap", r"empty sequence", r"trying to merge on",
                         r"does not match size of target_names", r"invalid matplotlib", r"unknown label type",
                         r"only one class", r"needs samples of at least 2 classes", r"found array with 0 sample",
                         r"negative values", r"singular matrix", r"assertion failed", r"contains only one label",
                         r"is not a valid (?:value|date)", r"out of bounds nanosecond", r"with 0 feature",
                         r"must be non-?negative", r"must be positive", r"probabilities do not sum",
                         r"the least populated class", r"empty (?:dataframe|array)", r"zero-size array",
                         r"should be finite", r"requires .* to be numeric", r"not unique")
CAST = Phrases(r"could not convert", r"invalid literal for", r"unable to parse string",
               r"can't convert", r"cannot convert", r"only integer scalar arrays can be converted",
               r"cannot be converted", r"could not be converted", r"cannot cast", r"unable to coerce",
               r"does not match format", r"unconverted data remains", r"time data .* does not match",
               r"failed to convert a numpy array", r"setting an array element with a sequence")
RANGE = Phrases(r"not enough values to unpack", r"too many values to unpack", r"length of values",
                r"dictionary update sequence", r"must be in range", r"length mismatch",
                r"lengths? must (?:match|be equal)", r"arrays must all be (?:the )?same length",
                r"all arrays must be of the same length", r"index .* is out of bounds", r"out of range")
# An object used before the step that prepares it (fit, compile, build) ran.
NOT_FITTED = Phrases(r"not fitted", r"call 'fit'", r"must be compiled", r"has not been built",
                     r"has not yet been built", r"not been trained", r"you must compile",
                     r"before (?:calling|using) (?:fit|predict|transform)", r"vocabulary wasn't fitted",
                     r"is not built", r"must call .*fit", r"fail to find the dnn implementation",
                     r"process \d+ terminated", r"uninitialized value")
# The part of NOT_FITTED that means "the preparing step has not run" (not a GPU set-up failure).
NOT_YET_PREPARED = re.compile(r"not fitted|call 'fit'|must call|before (?:calling|using)|has not been built|"
                              r"must be compiled", re.I)
ARGUMENT = Phrases(r"unexpected keyword argument", r"missing \d+ required", r"required positional argument",
                   r"positional arguments? but", r"received an invalid combination of arguments",
                   r"got multiple values for", r"argument .* must be", r"estimator should be",
                   r"if no scoring is specified", r"path should be string", r"expected string or bytes",
                   r"invalid shape .* for image data", r"input z must be", r"image data of dtype",
                   r"supports only", r"not understood", r"invalid parameter", r"invalid value for",
                   r"is not a valid", r"must be (?:one of|an? |either)", r"cannot subset columns",
                   r"is less than", r"cast to numpy dtype of object",
                   r"unknown (?:loss|metric|optimizer|activation|solver|kernel)",
                   r"expected (?:a |an )?(?:str|string|int|float|list|tuple|sequence|bool)",
                   r"the resulting train set will be empty", r"keyword argument", r"unrecognized",
                   r"expected .* but got", r"not a valid (?:value|option|choice)",
                   r"invalid (?:argument|combination|mode)",
                   r"got an invalid", r"because you didn't supply", r"failed to un-serialize",
                   r"invalid input", r"should be (?:a|an|one of)", r"must specify", r"can't pickle",
                   r"takes \d+ (?:positional )?arguments?", r"argument .* should be", r"please use",
                   r"invalid (?:type|dtype) promotion",
                   r"not supported for", r"expected scalar type", r"input type .* and weight type",
                   r"error\(s\) in loading state_dict", r"must be between", r"cannot be used without",
                   r"invalid number of arguments", r"no axis named", r"cannot interpret .* as a data type")
NETWORK = Phrases(r"url fetch failure", r"http ?error", r"connection (?:refused|reset|error|aborted)",
                  r"cannot connect to host", r"max retries exceeded", r"name or service not known",
                  r"temporary failure in name resolution", r"timed? ?out", r"ssl", r"urlopen error",
                  r"api returned \d{3}", r"requests? to https?://", r"\b(?:403|404|429|500|502|503)\b",
                  r"no such table", r"rate limit", r"getaddrinfo", r"network is unreachable")
IO = Phrases(r"no such file", r"does not exist", r"unable to (?:open|create) file", r"not found\.?$",
             r"no file or directory", r"is a directory", r"permission denied", r"file exists",
             r"read-only file system", r"codec can't decode", r"expecting value",
             r"no sheet named", r"can't find a vocabulary file", r"no model config found",
             r"savedmodel file does not exist", r"error tokenizing data", r"no columns to parse",
             r"unsupported format", r"not a zip file", r"truncated", r"unpickling", r"file signature not found",
             r"cannot identify image file", r"excel file format cannot be determined")
IMPORT_NAME = Phrases(r"cannot import name", r"dll load failed", r"undefined symbol", r"incompatible architecture",
                      r"numpy\.core\.multiarray failed to import", r"compiled (?:using|against)")
CUDA_ENV = Phrases(r"not compiled with cuda", r"cuda\.is_available\(\) is false", r"cpu-only machine",
                   r"no cuda gpus are available", r"found no nvidia driver",
                   r"cuda driver version is insufficient", r"please install", r"not installed",
                   r"requires? the .* package", r"install .* to use", r"no display name",
                   r"directory .* doesn't exist", r"couldn't connect to display", r"could not find a version",
                   r"set the environment variable", r"need to install", r"cuda_error_no_device", r"cuinit",
                   r"mount failed", r"non-zero exit status", r"cannot connect to \"?none", r"credential propagation")
# A library saying in its own message that the API or behaviour the code uses was taken out.
# Raise sites: numpy/__init__.py __getattr__ ("`np.float_` was removed in the NumPy 2.0 release"),
# numpy/lib/__init__.py; statsmodels/tsa/arima_model.py ("ARMA and ... ARIMA have been removed in
# favor of statsmodels.tsa.arima.model.ARIMA"); sklearn/datasets/__init__.py ("`load_boston` has been
# removed from scikit-learn since version 1.2"); pandas' "... is no longer supported" (core/common.py,
# core/indexers/utils.py, core/ops/array_ops.py, io/excel/_util.py, plotting/_matplotlib/hist.py).
REMOVAL_NOTICE = Phrases(r"(?:has|have)\s+been\s+removed", r"(?:was|were)\s+removed\s+in", r"(?:is|are)\s+no\s+longer\s+supported")
# Weights that do not fit the model they are loaded into: the raise sites of the libraries' loaders.
# torch 2.13.0, torch/nn/modules/module.py, Module.load_state_dict / _load_from_state_dict:
#   "Error(s) in loading state_dict for {}", "size mismatch for {key}: copying a param with shape",
#   "Missing key(s) in state_dict", "Unexpected key(s) in state_dict".
# Keras, load_weights_from_hdf5_group (keras/src/legacy/saving/legacy_h5_format.py in Keras 3,
# keras/saving/hdf5_format.py in tf.keras 2.x): "Layer count mismatch when loading weights from file",
# "Weight count mismatch for layer", "Shape mismatch in ... for weight"; Keras 2.0-2.2
# keras/engine/saving.py: "You are trying to load a weight file containing {} layers into a model".
MODEL_WEIGHTS = Phrases(r"error\(s\) in loading state_dict", r"size mismatch for [\w.]+: copying a param",
                        r"missing key\(s\) in state_dict", r"unexpected key\(s\) in state_dict",
                        r"layer count mismatch when loading weights", r"weight count mismatch for",
                        r"shape mismatch in .*for weight", r"trying to load a weight file containing")
DISK = Phrases(r"no space left on device", r"disk quota exceeded")

# "No module named 'x.y'": the import system's words for a module it cannot find.
NO_MODULE = re.compile(r"No module named '?([\w.]+)'?")
MODULE_MISSING = Phrases(r"no module named")
# The attribute-error families of Python's own wording.
# Python's wording, and scipy's own module ``__getattr__`` (scipy/__init__.py: "Module 'scipy' has no attribute").
MODULE_ATTRIBUTE = re.compile(r"[Mm]odule '([\w.]+)' has no attribute '(\w+)'")
OBJECT_ATTRIBUTE = re.compile(r"'?([\w.]+)'? object has no attribute '(\w+)'")
CANNOT_IMPORT_FROM = re.compile(r"cannot import name '(\w+)' from '([\w.]+)'")
# NameError / UnboundLocalError wording (Python 2 and 3, 3.11+).
NAME_NOT_DEFINED = re.compile(r"name '([^']+)' is not defined|global name '([^']+)' is not defined")
# CPython's suggestions, added when the exception is displayed, not part of str(exc): ". Did you mean:
# 'x'?" from a close name among the frame's locals, globals and builtins. On 3.10 and 3.11 only the
# interpreter's own C printer adds it (Python/pythonrun.c with Python/suggestions.c; Lib/traceback.py's
# format_exception does not); from 3.12 Lib/traceback.py (TracebackException) adds it too, and also
# ". Did you forget to import 'x'" when the name is in sys.stdlib_module_names.
NAME_SUGGESTION = re.compile(r"Did you mean: '([^']+)'\?")
LOCAL_NOT_ASSIGNED = re.compile(r"local variable '([^']+)' referenced before assignment|"
                                r"cannot access local variable '([^']+)'")


def missing_module(evalue: str) -> str:
    """The dotted name a "No module named" message is about, or ''."""
    match = NO_MODULE.search(evalue or "")
    return match.group(1) if match else ""


def undefined_name(evalue: str) -> str | None:
    """The name a NameError/UnboundLocalError message is about."""
    for pattern in (NAME_NOT_DEFINED, LOCAL_NOT_ASSIGNED):
        match = pattern.search(evalue or "")
        if match:
            return next(g for g in match.groups() if g)
    return None
