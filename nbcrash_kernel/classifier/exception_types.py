"""Exception type: the raw exception name refined by what the message says."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..knowledge.modules import CONVENTIONAL_ALIASES


@dataclass(frozen=True)
class ExceptionType:
    code: str
    detail: str


# Messages can be megabytes; their first few thousand characters decide the type.
MESSAGE_PREFIX = 4000


class _Phrases:
    """Case-insensitive alternatives, matched on the lower-cased start of a message.

    Lower-casing once and matching case-sensitively is several times faster than
    ``re.IGNORECASE`` on long alternations.
    """

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self._regex = re.compile("|".join(f"(?:{p.lower()})" for p in patterns), re.DOTALL)

    def search(self, text: str) -> re.Match[str] | None:
        return self._regex.search((text or "")[:MESSAGE_PREFIX].lower())


def _rx(*patterns: str) -> _Phrases:
    return _Phrases(patterns)


# Message patterns, checked in order, whatever the exception name (libraries wrap errors).
OOM = _rx(r"out of memory", r"\bOOM\b", r"unable to allocate", r"cannot allocate memory",
          r"MemoryError", r"ResourceExhausted", r"DataLoader worker .* exited unexpectedly",
          r"killed .*memory", r"std::bad_alloc", r"excessive memory usage")
BROADCAST = _rx(r"could not broadcast", r"operands could not be broadcast", r"non-broadcastable",
                r"broadcast.*shape")
SHAPE = _rx(r"shapes? .* not aligned", r"cannot reshape", r"shape of passed values",
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
FEATURE_NAME = _rx(r"could not interpret (?:input|value)", r"feature names? (?:should|must|seen|unseen)",
                   r"feature_names mismatch", r"columns are missing", r"is not in list",
                   r"refers to an operation, not a tensor", r"not in the vocabulary",
                   r"feature names must be", r"unseen at fit time", r"columns? .* not (?:present|found) in",
                   r"does not contain the columns")
DATA_VIOLATION = _rx(r"input contains nan", r"input (?:X )?contains infinity", r"nan values",
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
CAST = _rx(r"could not convert", r"invalid literal for", r"unable to parse string",
           r"can't convert", r"cannot convert", r"only integer scalar arrays can be converted",
           r"cannot be converted", r"could not be converted", r"cannot cast", r"unable to coerce",
           r"does not match format", r"unconverted data remains", r"time data .* does not match",
           r"failed to convert a numpy array", r"setting an array element with a sequence")
RANGE = _rx(r"not enough values to unpack", r"too many values to unpack", r"length of values",
            r"dictionary update sequence", r"must be in range", r"length mismatch",
            r"lengths? must (?:match|be equal)", r"arrays must all be (?:the )?same length",
            r"all arrays must be of the same length", r"index .* is out of bounds", r"out of range")
NOT_FITTED = _rx(r"not fitted", r"call 'fit'", r"must be compiled", r"has not been built",
                 r"has not yet been built", r"not been trained", r"you must compile",
                 r"before (?:calling|using) (?:fit|predict|transform)", r"vocabulary wasn't fitted",
                 r"is not built", r"must call .*fit", r"fail to find the dnn implementation",
                 r"process \d+ terminated", r"uninitialized value")
ARGUMENT = _rx(r"unexpected keyword argument", r"missing \d+ required", r"required positional argument",
               r"positional arguments? but", r"received an invalid combination of arguments",
               r"got multiple values for", r"argument .* must be", r"estimator should be",
               r"if no scoring is specified", r"path should be string", r"expected string or bytes",
               r"invalid shape .* for image data", r"input z must be", r"image data of dtype",
               r"supports only", r"not understood", r"invalid parameter", r"invalid value for",
               r"is not a valid", r"must be (?:one of|an? |either)", r"cannot subset columns",
               r"is less than", r"cast to numpy dtype of object", r"unknown (?:loss|metric|optimizer|activation|solver|kernel)",
               r"expected (?:a |an )?(?:str|string|int|float|list|tuple|sequence|bool)",
               r"the resulting train set will be empty", r"keyword argument", r"unrecognized",
               r"expected .* but got", r"not a valid (?:value|option|choice)", r"invalid (?:argument|combination|mode)",
               r"got an invalid", r"because you didn't supply", r"failed to un-serialize",
               r"invalid input", r"should be (?:a|an|one of)", r"must specify", r"can't pickle",
               r"takes \d+ (?:positional )?arguments?", r"argument .* should be", r"please use", r"invalid (?:type|dtype) promotion",
               r"not supported for", r"expected scalar type", r"input type .* and weight type",
               r"error\(s\) in loading state_dict", r"must be between", r"cannot be used without",
               r"invalid number of arguments", r"no axis named", r"cannot interpret .* as a data type")
NETWORK = _rx(r"url fetch failure", r"http ?error", r"connection (?:refused|reset|error|aborted)",
              r"cannot connect to host", r"max retries exceeded", r"name or service not known",
              r"temporary failure in name resolution", r"timed? ?out", r"ssl", r"urlopen error",
              r"api returned \d{3}", r"requests? to https?://", r"\b(?:403|404|429|500|502|503)\b",
              r"no such table", r"rate limit", r"getaddrinfo", r"network is unreachable")
IO_PATTERNS = _rx(r"no such file", r"does not exist", r"unable to (?:open|create) file", r"not found\.?$",
                  r"no file or directory", r"is a directory", r"permission denied", r"file exists",
                  r"read-only file system", r"codec can't decode", r"expecting value",
                  r"no sheet named", r"can't find a vocabulary file", r"no model config found",
                  r"savedmodel file does not exist", r"error tokenizing data", r"no columns to parse",
                  r"unsupported format", r"not a zip file", r"truncated", r"unpickling", r"file signature not found",
                  r"cannot identify image file", r"excel file format cannot be determined")
MODULE_MISSING = _rx(r"no module named")
IMPORT_NAME = _rx(r"cannot import name", r"dll load failed", r"undefined symbol", r"incompatible architecture",
                  r"numpy\.core\.multiarray failed to import", r"compiled (?:using|against)")
CUDA_ENV = _rx(r"not compiled with cuda", r"cuda\.is_available\(\) is false", r"cpu-only machine", r"no cuda gpus are available", r"found no nvidia driver",
               r"cuda driver version is insufficient", r"please install", r"not installed",
               r"requires? the .* package", r"install .* to use", r"no display name",
               r"directory .* doesn't exist", r"couldn't connect to display", r"could not find a version",
               r"set the environment variable", r"need to install", r"cuda_error_no_device", r"cuinit",
               r"mount failed", r"non-zero exit status", r"cannot connect to \"?none", r"credential propagation")
DISK = _rx(r"no space left on device", r"disk quota exceeded")

_NAME_RE = re.compile(r"name '([^']+)' is not defined|global name '([^']+)' is not defined")
_LOCAL_RE = re.compile(r"local variable '([^']+)' referenced before assignment|cannot access local variable '([^']+)'")


def undefined_name(evalue: str) -> str | None:
    """The name a NameError/UnboundLocalError message is about."""
    for pattern in (_NAME_RE, _LOCAL_RE):
        match = pattern.search(evalue or "")
        if match:
            return next(g for g in match.groups() if g)
    return None


_LINE_TOKEN = re.compile(r"(@|\bclass\s+\w+\s*\(|\.)?\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\(|\.)?")
_CLASS_NAME = re.compile(r"[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)*")


def _uses_of(name: str, line: str) -> tuple[bool, bool]:
    """(called or decorated or subclassed, followed by an attribute) for bare uses of ``name``."""
    called = dotted = False
    for before, token, after in _LINE_TOKEN.findall(line or ""):
        if token != name or before == ".":
            continue
        called = called or after == "(" or before == "@" or before.startswith("class")
        dotted = dotted or after == "."
    return called, dotted


def classify_name_error(name: str | None, crashing_line: str | None, imports_alias: bool) -> ExceptionType:
    """VNF, NAME (function or class) or MODULE (an un-imported module alias)."""
    if name is None:
        return ExceptionType("VNF", "variable not found")
    called, dotted = _uses_of(name, crashing_line or "")
    if imports_alias or name in CONVENTIONAL_ALIASES and (dotted or not crashing_line or name in _SHORT_ALIASES):
        return ExceptionType("MODULE", "module not found")
    if _CLASS_NAME.fullmatch(name):
        return ExceptionType("NAME", "class not found")
    if called and _VARIABLE_LIKE.match(name):
        return ExceptionType("VNF", "variable not found")
    if called:
        return ExceptionType("NAME", "function not found")
    return ExceptionType("VNF", "variable not found")


_BUILTIN_OBJECT = re.compile(r"^'?(?:NoneType|list|str|dict|tuple|int|float|bool|bytes|set|_io\.\w+)' object has no attribute")

# Called names that are nonetheless variables (a model or network object is callable).
_VARIABLE_LIKE = re.compile(r"^(?:model|net|clf|estimator|layer|encoder|decoder|generator|discriminator)\w*$|^[A-Z]_", re.I)
_SHORT_ALIASES = frozenset({"np", "pd", "plt", "sns", "tf"})


def _by_message(evalue: str, qualified: str) -> ExceptionType | None:
    """Message patterns that decide the type whatever the exception's name."""
    text = f"{evalue}"
    if OOM.search(text) or "ResourceExhausted" in qualified or "OutOfMemory" in qualified:
        return ExceptionType("OOM", "out of memory (OOM)")
    if DISK.search(text):
        return ExceptionType("OTHER", "out of space (disk)")
    return None


def classify_exception_type(ename: str, evalue: str, crashing_line: str | None = None,
                            qualified_ename: str | None = None, imports_alias: bool = False,
                            raised_in_library: bool = False) -> ExceptionType:
    """The taxonomy exception type for an exception name (any case) and message.

    ``raised_in_library``: the innermost frame is library code, not the user's.
    """
    name = (ename or "").rsplit(".", 1)[-1]
    low = name.lower()
    evalue = evalue or ""
    qualified = qualified_ename or name
    decided = _by_message(evalue, qualified)
    if decided:
        return decided
    if low in {"nameerror"}:
        return classify_name_error(undefined_name(evalue), crashing_line, imports_alias)
    if low == "unboundlocalerror":
        return ExceptionType("VNF", "variable not found")
    if low in {"modulenotfounderror"}:
        return ExceptionType("MODULE", "module not found")
    if low == "importerror":
        if MODULE_MISSING.search(evalue):
            return ExceptionType("MODULE", "module not found")
        return ExceptionType("ENV", "importerror")
    if low == "attributeerror":
        if raised_in_library and _BUILTIN_OBJECT.match(evalue):
            # The library called a method on what it was given: the user passed the wrong kind of object.
            return ExceptionType("IARG", "wrong arguments to API")
        return ExceptionType("ATTR", "attributeerror")
    if low in {"keyerror", "notfounderror"}:
        return ExceptionType("KEY", "notfounderror" if low == "notfounderror" else "keyerror")
    if low == "keyboardinterrupt" or low == "bdbquit":
        return ExceptionType("OTHER", "unknown")
    if low in {"messageerror", "nosuchdisplayexception", "tclerror"} and not NETWORK.search(evalue):
        return ExceptionType("ENV", "environment setup")
    if low in {"alreadyexistserror"}:
        return ExceptionType("INIT", "initialization error (call mul-times, wrong order)")
    if low in {"indexerror", "axiserror"} or "location based indexing" in evalue.lower():
        multi = re.search(r"axis|dimension|too many indices|\[\s*\d+\s*,", evalue, re.I)
        return ExceptionType("INDEX", "indexerror-nd" if multi else "indexerror-1d")
    if low in {"filenotfounderror", "isadirectoryerror", "notadirectoryerror"}:
        return ExceptionType("IO", "filenotfounderror")
    if low == "permissionerror":
        return ExceptionType("IO", "file permission")
    if low == "fileexistserror":
        return ExceptionType("IO", "fileexistserror")
    if low in {"jsondecodeerror"}:
        return ExceptionType("IO", "jsondecodeerror")
    if low in {"unicodedecodeerror", "parsererror", "emptydataerror", "badzipfile", "unpicklingerror",
               "xlrderror", "unidentifiedimageerror", "incompleteparseerror", "eoferror"}:
        if low == "incompleteparseerror":
            return ExceptionType("IO", "incompleteparseerror")
        if low == "xlrderror" and FEATURE_NAME.search(evalue) is None and "sheet" in evalue.lower():
            return ExceptionType("FNAME", "valueerror - feature name mismatch")
        return ExceptionType("IO", "unsupported file type (read file)")
    if low in {"oserror", "ioerror"}:
        if NETWORK.search(evalue) and not IO_PATTERNS.search(evalue):
            return ExceptionType("RERR", "requesterror")
        if IO_PATTERNS.search(evalue) or re.search(r"\[errno \d+\]", evalue, re.I):
            return ExceptionType("IO", "file permission" if "permission" in evalue.lower() else "filenotfounderror")
        if CUDA_ENV.search(evalue) or "style" in evalue.lower():
            return ExceptionType("ENV", "environment setup")
        return ExceptionType("IO", "filenotfounderror")
    if low in {"memoryerror", "resourceexhaustederror", "outofmemoryerror"}:
        return ExceptionType("OOM", "out of memory (OOM)")
    if low in {"connectionerror", "httperror", "urlerror", "timeout", "timeouterror", "readtimeout",
               "connecttimeout", "sslerror", "gaierror", "requestexception", "clientconnectorerror",
               "connectionrefusederror", "connectionreseterror", "remotedisconnected", "operationalerror",
               "toomanyrequests", "apierror", "ratelimiterror", "databaseerror", "programmingerror",
               "fstimeouterror"} or "http" in low or "connect" in low \
            or "request" in low or "scraper" in low or "ngrok" in low:
        return ExceptionType("RERR", "requesterror")
    if low in {"syntaxerror", "indentationerror", "taberror"}:
        return ExceptionType("OTHER", "indentationerror" if low != "syntaxerror" else "syntaxerror")
    if low == "zerodivisionerror":
        return ExceptionType("OTHER", "zerodivisionerror")
    if low in {"notfittederror"}:
        return ExceptionType("INIT", "initialization error (call mul-times, wrong order)")
    if low in {"typeerror"}:
        return _type_error(evalue)
    return _by_patterns(low, evalue, qualified)


def _type_error(evalue: str) -> ExceptionType:
    text = evalue.lower()
    if "not callable" in text:
        return ExceptionType("TYPE", "typeerror-notcallable")
    if "not subscriptable" in text or "does not support item assignment" in text:
        return ExceptionType("TYPE", "typeerror-notsubscriptable")
    if "unhashable" in text:
        return ExceptionType("TYPE", "typeerror-unhashable")
    if "not iterable" in text or "cannot unpack non-iterable" in text:
        return ExceptionType("TYPE", "typeerror-notiterable")
    if re.search(r"unsupported operand|can only concatenate|not supported between instances|"
                 r"bad operand type|can't multiply sequence|must be str, not|can only join", text):
        return ExceptionType("TYPE", "typeerror-op")
    if "slice indices must be" in text:
        return ExceptionType("INDEX", "indexerror-1d")
    if ARGUMENT.search(evalue) or re.search(r"\w+\(\) (?:got|takes|missing)", evalue):
        return ExceptionType("IARG", "wrong arguments to API")
    if CAST.search(evalue):
        return ExceptionType("VALUE", "cast exception")
    return ExceptionType("TYPE", "typeerror")


def _by_patterns(low: str, evalue: str, qualified: str) -> ExceptionType:
    """Value-like errors (ValueError, RuntimeError, library errors): the message decides."""
    text = evalue
    if re.search(r"error\(s\) in loading state_dict", text, re.I):
        if SHAPE.search(text):  # "size mismatch for fc.weight": the checkpoint's shapes differ
            return ExceptionType("TSHAPE", "tensor shape mismatch")
        return ExceptionType("IARG", "wrong arguments to API")
    if CUDA_ENV.search(text):
        return ExceptionType("ENV", "environment setup")
    if BROADCAST.search(text):
        return ExceptionType("BCAST", "unsupported broadcast")
    if NOT_FITTED.search(text):
        return ExceptionType("INIT", "initialization error (call mul-times, wrong order)")
    if FEATURE_NAME.search(text):
        return ExceptionType("FNAME", "valueerror - feature name mismatch")
    if SHAPE.search(text):
        return ExceptionType("TSHAPE", "tensor shape mismatch")
    if NETWORK.search(text) and low not in {"valueerror", "typeerror"}:
        return ExceptionType("RERR", "requesterror")
    if IO_PATTERNS.search(text) and low not in {"runtimeerror"}:
        return ExceptionType("IO", "filenotfounderror")
    if CAST.search(text):
        return ExceptionType("VALUE", "cast exception")
    if DATA_VIOLATION.search(text) or low == "linalgerror":
        return ExceptionType("DVIOL", "valueerror - data value violation")
    if ARGUMENT.search(text) and low != "runtimeerror":
        # PyTorch raises TypeError for a wrong call; its RuntimeErrors about a kernel's
        # "argument" are failures at run time.
        return ExceptionType("IARG", "wrong arguments to API")
    if RANGE.search(text):
        return ExceptionType("VALUE", "valueerror - data range mismatch")
    if low in {"runtimeerror", "internalerror", "failedpreconditionerror", "unimplementederror",
               "notimplementederror", "recursionerror", "calledprocesserror"}:
        return ExceptionType("RUNTIME", "runtimeerror")
    if low == "valueerror" or "valueerror" in low:
        return ExceptionType("VALUE", "valueerror")
    if low in {"processraisedexception", "unknownerror"}:
        return ExceptionType("INIT", "initialization error (call mul-times, wrong order)")
    if low in {"brokenprocesspool", "plotlyerror", "systemerror", "invalidargumenterror"}:
        return ExceptionType("IARG", "wrong arguments to API")
    if low == "assertionerror":
        return ExceptionType("OTHER", "assertionerror")
    return ExceptionType("OTHER", "unknown")
