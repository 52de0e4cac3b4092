"""Exception type, part 1: the rules that read the exception's class first.

The message can override the name (a library wraps an out-of-memory error in any class);
after that, Python's and the libraries' exception classes decide. Part 2
(``exception_messages.py``) refines TypeError and the value-like errors by their message.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..knowledge.messages import CUDA_ENV, DISK, FEATURE_NAME, IO, MODULE_MISSING, NETWORK, OOM
from ..knowledge.modules import CONVENTIONAL_ALIASES, STDLIB_MODULES
from ..knowledge.object_names import callable_object_name
from ..record.taxonomy import (CLASS_NOT_FOUND, ENVIRONMENT_SETUP, FEATURE_NAME_MISMATCH, FILE_NOT_FOUND,
                        FILE_PERMISSION, FUNCTION_NOT_FOUND, INDEX_1D, INIT_ORDER, MODULE_NOT_FOUND,
                        OUT_OF_MEMORY, REQUEST_ERROR, VARIABLE_NOT_FOUND, WRONG_ARGUMENTS)
from .exception_fixes import FIX_FIT, FIX_MEMBERS, FIX_MEMORY, FIX_NETWORK, FIX_SIGNATURE
from .rules import CELL_FILE, example, rule, site, traceback_text
from .signals import Signals


@dataclass(frozen=True)
class ExceptionType:
    code: str
    detail: str


_CLASS_NAME = re.compile(r"[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)*")
_BUILTIN_OBJECT = re.compile(r"^'?(?:NoneType|list|str|dict|tuple|int|float|bool|bytes|set|_io\.\w+)' object has no attribute")
_NETWORK_CLASSES = frozenset({
    "connectionerror", "httperror", "urlerror", "timeout", "timeouterror", "readtimeout", "connecttimeout",
    "sslerror", "gaierror", "requestexception", "clientconnectorerror", "connectionrefusederror",
    "connectionreseterror", "remotedisconnected", "operationalerror", "toomanyrequests", "apierror",
    "ratelimiterror", "databaseerror", "programmingerror", "fstimeouterror"})
_UNREADABLE_FILE_CLASSES = frozenset({"unicodedecodeerror", "parsererror", "emptydataerror", "badzipfile",
                                      "unpicklingerror", "xlrderror", "unidentifiedimageerror", "eoferror"})


def _name(name: str) -> dict:
    return example("NameError", f"name '{name}' is not defined")


@rule("ET-OOM-MESSAGE", "OOM", OUT_OF_MEMORY,
      fix=FIX_MEMORY,
      examples=[example("RuntimeError", "CUDA out of memory. Tried to allocate 20.00 MiB"),
                example("ValueError", "Unable to allocate 3.2 GiB for an array with shape (20000, 20000)")])
def _oom_message(s: Signals):
    """The message or the exception's class says memory ran out, whatever the class.

    Libraries wrap allocation failures in their own classes (torch raises RuntimeError "CUDA out
    of memory", numpy `_ArrayMemoryError` "Unable to allocate", TensorFlow ResourceExhaustedError).
    """
    return OOM.search(s.evalue) or "ResourceExhausted" in s.qualified_name or "OutOfMemory" in s.qualified_name


@rule("ET-DISK-FULL", "OTHER", "out of space (disk)",
      examples=[example("OSError", "[Errno 28] No space left on device")])
def _disk_full(s: Signals):
    """The disk is full: errno 28 (ENOSPC) or EDQUOT, "No space left on device"."""
    return DISK.search(s.evalue)


@rule("ET-NAME-MODULE-ALIAS", "MODULE", MODULE_NOT_FOUND,
      examples=[example("NameError", "name 'np' is not defined", traceback_text(
          "NameError", "name 'np' is not defined", (CELL_FILE, "x = np.zeros(3)")))])
def _name_module_alias(s: Signals):
    """A NameError on a module alias the notebook never imported (`np`, `pd`, `plt`).

    An alias the libraries' documentation imports (knowledge/doc_names.py) or a standard module, read
    with an attribute (`np.zeros`, `json.loads`: Python code uses a module through its attributes;
    bare, `dist` or `stats` is as often a variable), or a name some cell binds with an import, names a
    module: taxonomy.md counts these as module not found.
    """
    name = s.undefined_name
    if s.low_name != "nameerror" or not name:
        return False
    dotted = s.name_uses[1]
    return s.imports_alias or (name in STDLIB_MODULES and dotted) or \
        name in CONVENTIONAL_ALIASES and (dotted or not s.crashing_line)


@rule("ET-NAME-CLASS", "NAME", CLASS_NOT_FOUND, examples=[_name("RandomForestClassifier")])
def _name_class(s: Signals):
    """A NameError on a CapWords name: PEP 8 names classes so (`StandardScaler`)."""
    return s.low_name == "nameerror" and s.undefined_name and _CLASS_NAME.fullmatch(s.undefined_name)


@rule("ET-NAME-CALLED-VARIABLE", "VNF", VARIABLE_NOT_FOUND,
      examples=[example("NameError", "name 'model' is not defined", traceback_text(
          "NameError", "name 'model' is not defined", (CELL_FILE, "model(x)")))])
def _name_called_variable(s: Signals):
    """A NameError on a called name that the libraries' documentation gives callable objects.

    Layers, networks and losses are objects whose class defines `__call__` (`m = nn.Linear(2, 3)`,
    then `m(x)`): knowledge/doc_names.py counts the names the libraries' examples bind to such
    objects or call after binding them (`model`, `layer`, `loss`), and a called name of that form
    is a variable that was never assigned, not a function.
    """
    return s.low_name == "nameerror" and s.undefined_name and s.name_uses[0] and \
        callable_object_name(s.undefined_name)


@rule("ET-NAME-FUNCTION", "NAME", FUNCTION_NOT_FOUND,
      examples=[example("NameError", "name 'train_test_split' is not defined", traceback_text(
          "NameError", "name 'train_test_split' is not defined", (CELL_FILE, "a, b = train_test_split(X)")))])
def _name_function(s: Signals):
    """A NameError on a name that is called, decorated or subclassed: a function or class."""
    return s.low_name == "nameerror" and s.undefined_name and s.name_uses[0]


@rule("ET-NAME-VARIABLE", "VNF", VARIABLE_NOT_FOUND, examples=[_name("df_train"), example("NameError", "")])
def _name_variable(s: Signals):
    """Any other NameError: a variable was read before any cell assigned it."""
    return s.low_name == "nameerror"


@rule("ET-UNBOUND-LOCAL", "VNF", VARIABLE_NOT_FOUND,
      examples=[example("UnboundLocalError", "local variable 'total' referenced before assignment")])
def _unbound_local(s: Signals):
    """UnboundLocalError: a function reads a local name before assigning it (a NameError subclass)."""
    return s.low_name == "unboundlocalerror"


@rule("ET-MODULE-NOT-FOUND", "MODULE", MODULE_NOT_FOUND,
      examples=[example("ModuleNotFoundError", "No module named 'xgboost'"),
                example("ImportError", "No module named 'cv2'")])
def _module_not_found(s: Signals):
    """The import system found no module: ModuleNotFoundError, or an ImportError "No module named"."""
    return s.low_name == "modulenotfounderror" or s.low_name == "importerror" and MODULE_MISSING.search(s.evalue)


@rule("ET-IMPORT-ERROR", "ENV", "importerror",
      examples=[example("ImportError", "cannot import name 'plot_confusion_matrix' from 'sklearn.metrics'")])
def _import_error(s: Signals):
    """Any other ImportError: the module exists but cannot give what is asked (a version or build issue)."""
    return s.low_name == "importerror"


@rule("ET-ATTR-BUILTIN-IN-LIBRARY", "IARG", WRONG_ARGUMENTS,
      fix=FIX_SIGNATURE,
      examples=[example("AttributeError", "'list' object has no attribute 'shape'", traceback_text(
          "AttributeError", "'list' object has no attribute 'shape'", (CELL_FILE, "model.fit(rows)"),
          (site("sklearn/base.py"), "n = X.shape[0]")))])
def _attr_builtin_in_library(s: Signals):
    """An AttributeError raised inside a library on a built-in object the user passed in.

    The library called a method of what it was given (`X.shape` on a list): the user passed the
    wrong kind of argument.
    """
    return s.low_name == "attributeerror" and s.raised_in_library and _BUILTIN_OBJECT.match(s.evalue)


@rule("ET-ATTRIBUTE", "ATTR", "attributeerror",
      fix=FIX_MEMBERS,
      examples=[example("AttributeError", "'DataFrame' object has no attribute 'price'")])
def _attribute(s: Signals):
    """AttributeError: the object has no such member."""
    return s.low_name == "attributeerror"


@rule("ET-KEY", "KEY", "keyerror", examples=[example("KeyError", "'price'")])
def _key(s: Signals):
    """KeyError: a mapping or DataFrame has no such key or column."""
    return s.builtin_class == "keyerror"


@rule("ET-NOT-FOUND-ERROR", "KEY", "notfounderror",
      examples=[example("NotFoundError", "Key dense/kernel not found in checkpoint")])
def _not_found_error(s: Signals):
    """TensorFlow's NotFoundError: a key (variable, op, file entry) is not in what was loaded."""
    return s.low_name == "notfounderror"


@rule("ET-INTERRUPT", "OTHER", "unknown",
      examples=[example("KeyboardInterrupt", ""), example("BdbQuit", "")])
def _interrupt(s: Signals):
    """KeyboardInterrupt or BdbQuit: the user stopped the run (the interrupt button, a debugger quit)."""
    return s.low_name in {"keyboardinterrupt", "bdbquit"}


@rule("ET-DISPLAY-ENV", "ENV", ENVIRONMENT_SETUP,
      examples=[example("TclError", "no display name and no $DISPLAY environment variable")])
def _display_env(s: Signals):
    """A GUI or messaging layer failed to start (TclError without a display, a NoSuchDisplayException)."""
    return s.low_name in {"messageerror", "nosuchdisplayexception", "tclerror"} and not NETWORK.search(s.evalue)


@rule("ET-ALREADY-EXISTS", "INIT", INIT_ORDER,
      fix=FIX_FIT,
      examples=[example("AlreadyExistsError", "Another metric with the same name already exists.")])
def _already_exists(s: Signals):
    """TensorFlow's AlreadyExistsError: something created once (a metric, a variable) is created again."""
    return s.low_name == "alreadyexistserror"


def _index_error(s: Signals) -> bool:
    return s.low_name in {"indexerror", "axiserror"} or s.builtin_class == "indexerror" or \
        "location based indexing" in s.evalue.lower()


_MULTI_AXIS = re.compile(r"axis|dimension|too many indices|\[\s*\d+\s*,", re.I)


@rule("ET-INDEX-ND", "INDEX", "indexerror-nd",
      examples=[example("IndexError", "too many indices for array: array is 1-dimensional, but 2 were indexed")])
def _index_nd(s: Signals):
    """An index error about an axis or dimension of a multi-dimensional array (numpy's AxisError too)."""
    return _index_error(s) and _MULTI_AXIS.search(s.evalue)


@rule("ET-INDEX-1D", "INDEX", INDEX_1D,
      examples=[example("IndexError", "list index out of range"),
                example("IndexError", "single positional indexer is out-of-bounds")])
def _index_1d(s: Signals):
    """Any other index error: a position past the end of a sequence (or pandas' iloc bounds)."""
    return _index_error(s)


@rule("ET-EXECUTABLE-NOT-FOUND", "OTHER", "executablenotfound",
      examples=[example("FileNotFoundError", "[Errno 2] No such file or directory: 'nvidia-smi'", traceback_text(
          "FileNotFoundError", "[Errno 2] No such file or directory: 'nvidia-smi'",
          (CELL_FILE, "subprocess.run(['nvidia-smi'])"),
          ("/usr/lib/python3.11/subprocess.py", "raise child_exception_type(errno_num, err_msg, err_filename)",
           1950, "_execute_child")))])
def _executable_not_found(s: Signals):
    """A FileNotFoundError raised by subprocess: the program to run is not installed (or not on PATH).

    `subprocess.Popen._execute_child` re-raises the child's failed `exec` as FileNotFoundError
    naming the program, so the missing file is an executable.
    """
    frames = s.frames
    return s.low_name == FILE_NOT_FOUND and bool(frames) and frames[-1].filename.endswith("subprocess.py") and \
        frames[-1].function == "_execute_child"


@rule("ET-IS-A-DIRECTORY", "IARG", WRONG_ARGUMENTS,
      fix=FIX_SIGNATURE,
      examples=[example("IsADirectoryError", "[Errno 21] Is a directory: 'dataset'")])
def _is_a_directory(s: Signals):
    """IsADirectoryError: a folder was passed where the call opens a file (errno 21, EISDIR).

    The path exists: `open()` (and every reader built on it) raises EISDIR when its argument names
    a directory, so the argument, not the file system, is wrong.
    """
    return s.low_name == "isadirectoryerror"


@rule("ET-FILE-NOT-FOUND", "IO", FILE_NOT_FOUND,
      examples=[example("FileNotFoundError", "[Errno 2] No such file or directory: 'train.csv'")])
def _file_not_found(s: Signals):
    """FileNotFoundError or NotADirectoryError: the path is not what the code opens."""
    return s.low_name in {FILE_NOT_FOUND, "notadirectoryerror"}


@rule("ET-PERMISSION", "IO", FILE_PERMISSION,
      examples=[example("PermissionError", "[Errno 13] Permission denied: '/kaggle/input/x.csv'")])
def _permission(s: Signals):
    """PermissionError: the file system refuses the access (errno 13, EACCES)."""
    return s.low_name == "permissionerror"


@rule("ET-FILE-EXISTS", "IO", "fileexistserror", examples=[example("FileExistsError", "[Errno 17] File exists: 'out'")])
def _file_exists(s: Signals):
    """FileExistsError: creating a file or folder that is already there (errno 17, EEXIST)."""
    return s.low_name == "fileexistserror"


@rule("ET-JSON-DECODE", "IO", "jsondecodeerror",
      examples=[example("JSONDecodeError", "Expecting value: line 1 column 1 (char 0)")])
def _json_decode(s: Signals):
    """json.JSONDecodeError: the text read is not JSON."""
    return s.low_name == "jsondecodeerror"


@rule("ET-INCOMPLETE-PARSE", "IO", "incompleteparseerror",
      examples=[example("IncompleteParseError", "rule 'expr' didn't consume all the text")])
def _incomplete_parse(s: Signals):
    """parsimonious' IncompleteParseError: a grammar did not consume the whole input."""
    return s.low_name == "incompleteparseerror"


@rule("ET-EXCEL-SHEET", "FNAME", FEATURE_NAME_MISMATCH,
      examples=[example("XLRDError", "No sheet named <'Sheet2'>")])
def _excel_sheet(s: Signals):
    """xlrd's XLRDError about a sheet: the workbook has no sheet of that name (a name mismatch)."""
    return s.low_name == "xlrderror" and FEATURE_NAME.search(s.evalue) is None and "sheet" in s.evalue.lower()


@rule("ET-UNREADABLE-FILE", "IO", "unsupported file type (read file)",
      examples=[example("UnicodeDecodeError", "'utf-8' codec can't decode byte 0xff in position 0"),
                example("EmptyDataError", "No columns to parse from file")])
def _unreadable_file(s: Signals):
    """A reader failed on the file's content (decoding, CSV parsing, zip, pickle, image, Excel, EOF)."""
    return s.low_name in _UNREADABLE_FILE_CLASSES


def _os_error(s: Signals) -> bool:
    return s.low_name in {"oserror", "ioerror"}


_ERRNO = re.compile(r"\[errno \d+\]", re.I)


@rule("ET-OSERROR-NETWORK", "RERR", REQUEST_ERROR,
      fix=FIX_NETWORK,
      examples=[example("OSError", "Max retries exceeded with url: /model.bin")])
def _oserror_network(s: Signals):
    """An OSError whose message is about the network, not a file (socket errors subclass OSError)."""
    return _os_error(s) and NETWORK.search(s.evalue) and not IO.search(s.evalue)


@rule("ET-OSERROR-PERMISSION", "IO", FILE_PERMISSION,
      examples=[example("OSError", "[Errno 13] Permission denied: 'model.h5'")])
def _oserror_permission(s: Signals):
    """An OSError with an errno or file wording that says permission."""
    return _os_error(s) and (IO.search(s.evalue) or _ERRNO.search(s.evalue)) and "permission" in s.evalue.lower()


@rule("ET-OSERROR-FILE", "IO", FILE_NOT_FOUND,
      examples=[example("OSError", "SavedModel file does not exist at: model/")])
def _oserror_file(s: Signals):
    """An OSError with an errno or a file wording (no such file, does not exist)."""
    return _os_error(s) and (IO.search(s.evalue) or _ERRNO.search(s.evalue))


@rule("ET-OSERROR-ENV", "ENV", ENVIRONMENT_SETUP,
      examples=[example("OSError", "'seaborn-whitegrid' is not a valid package style")])
def _oserror_env(s: Signals):
    """An OSError about the environment: a missing driver or component, or a matplotlib style."""
    return _os_error(s) and (CUDA_ENV.search(s.evalue) or "style" in s.evalue.lower())


@rule("ET-OSERROR-OTHER", "IO", FILE_NOT_FOUND, examples=[example("OSError", "Unable to load weights")])
def _oserror_other(s: Signals):
    """Any other OSError: operating-system errors are mostly about files."""
    return _os_error(s)


@rule("ET-MEMORY-ERROR", "OOM", OUT_OF_MEMORY, fix=FIX_MEMORY,
      examples=[example("MemoryError", "")])
def _memory_error(s: Signals):
    """MemoryError (or a library's OutOfMemory/ResourceExhausted class): an allocation failed."""
    return s.low_name in {"memoryerror", "resourceexhaustederror", "outofmemoryerror"}


@rule("ET-NETWORK-ERROR", "RERR", REQUEST_ERROR,
      fix=FIX_NETWORK,
      examples=[example("ConnectionError", "HTTPSConnectionPool(host='x.org', port=443)"),
                example("HTTPError", "HTTP Error 403: Forbidden")])
def _network_error(s: Signals):
    """A network or database client's exception class (requests, urllib, aiohttp, sqlite3, openai)."""
    low = s.low_name
    return low in _NETWORK_CLASSES or any(word in low for word in ("http", "connect", "request", "scraper", "ngrok"))


@rule("ET-SYNTAX", "OTHER", "syntaxerror", examples=[example("SyntaxError", "invalid syntax")])
def _syntax(s: Signals):
    """SyntaxError: the cell (or a module it imports) is not valid Python."""
    return s.low_name == "syntaxerror"


@rule("ET-INDENTATION", "OTHER", "indentationerror",
      examples=[example("IndentationError", "unexpected indent"), example("TabError", "inconsistent use of tabs")])
def _indentation(s: Signals):
    """IndentationError or TabError: the SyntaxError subclasses about indentation."""
    return s.low_name in {"indentationerror", "taberror"}


@rule("ET-ZERO-DIVISION", "OTHER", "zerodivisionerror", examples=[example("ZeroDivisionError", "division by zero")])
def _zero_division(s: Signals):
    """ZeroDivisionError: a division or modulo by zero."""
    return s.low_name == "zerodivisionerror"


@rule("ET-NOT-FITTED-ERROR", "INIT", INIT_ORDER,
      fix=FIX_FIT,
      examples=[example("NotFittedError", "This StandardScaler instance is not fitted yet.")])
def _not_fitted_error(s: Signals):
    """scikit-learn's NotFittedError: an estimator used before fit()."""
    return s.low_name == "notfittederror"
