"""Root cause from the crash record, part 2: files, the network, memory, keys and attributes."""
from __future__ import annotations

import re

from ..knowledge.libraries import is_ml_library
from ..knowledge.messages import MODULE_ATTRIBUTE, OBJECT_ATTRIBUTE
from ..knowledge.raise_sites import FILE_UNREADABLE
from ..knowledge.root_cause_messages import DROP_MISSING, FILE_CONTENT, FILE_REFUSED, REMOTE_REFUSED
from ..knowledge.modules import STDLIB_MODULES
from ..knowledge.object_conventions import BUILTIN_TYPES, is_fitted_attribute
from ..knowledge.symbols import library_of_symbol
from ..record.taxonomy import (API_MISUNDERSTOOD, DATA_STRUCTURE, EXTERNAL_CONTROL, INSUFFICIENT_RESOURCES,
                        NB_EXECUTION_ORDER, PATH_NOT_FOUND, SETTINGS, TYPO, VERSIONS_INCOMPATIBLE,
                        WRONG_IMPLEMENTATION)
from .rules import CELL_FILE, example, rule, site, traceback_text
from .signals import Signals



@rule("RC-IO-ENCODING", "DATA", DATA_STRUCTURE, confidence=0.7, types=["IO"],
      examples=[example("UnicodeDecodeError", "'utf-8' codec can't decode byte 0xff in position 0")])
def _io_encoding(s: Signals):
    """The file is not in the encoding it is read with (UnicodeDecodeError)."""
    return (s.low_name == "unicodedecodeerror" or "codec can't decode" in s.evalue.lower()) and \
        "the file is not in the encoding read with"


@rule("RC-IO-DIRECTORY", "IMPL", TYPO, confidence=0.55, types=["IO", "IARG"],
      examples=[example("IsADirectoryError", "[Errno 21] Is a directory: 'data/'")])
def _io_directory(s: Signals):
    """The path names a folder where a file is expected (IsADirectoryError, errno 21)."""
    return (s.low_name == "isadirectoryerror" or "is a directory" in s.evalue.lower()) and \
        "the path names a folder where a file is expected"


@rule("RC-IO-NOT-JSON", "IMPL", WRONG_IMPLEMENTATION, confidence=0.5, types=["IO"],
      examples=[example("JSONDecodeError", "Expecting value: line 1 column 1 (char 0)")])
def _io_not_json(s: Signals):
    """The text parsed as JSON is not JSON (often an HTML error page or an empty response)."""
    return (s.low_name == "jsondecodeerror" or "expecting value" in s.evalue.lower()) and \
        "the text parsed as JSON is not JSON"


@rule("RC-IO-GRAMMAR", "IMPL", WRONG_IMPLEMENTATION, confidence=0.5, types=["IO"],
      examples=[example("IncompleteParseError", "rule 'expr' didn't consume all the text")])
def _io_grammar(s: Signals):
    """A parser's grammar does not match its input (parsimonious' IncompleteParseError)."""
    return s.low_name == "incompleteparseerror" and "the grammar does not match the input"


@rule("RC-IO-CONTENT", "DATA", DATA_STRUCTURE, confidence=0.6, types=["IO"],
      examples=[example("ParserError", "Error tokenizing data. C error: Expected 3 fields in line 5, saw 4")])
def _io_content(s: Signals):
    """The file's content is not what the reader expects (pandas' tokenizer, an Excel sheet name)."""
    unreadable = s.raise_site is not None and s.raise_site[0] is FILE_UNREADABLE
    return (unreadable or FILE_CONTENT.search(s.evalue)) and \
        "the file's content is not what the code expects"


@rule("RC-IO-PERMISSION", "ENV", SETTINGS, confidence=0.75, types=["IO"],
      examples=[example("PermissionError", "[Errno 13] Permission denied: '/kaggle/input/a.csv'")])
def _io_permission(s: Signals):
    """The file system refuses the operation (EACCES, EROFS, EEXIST)."""
    return FILE_REFUSED.search(s.evalue) and "the file system refuses the operation"


@rule("RC-IO-PATH-NOT-FOUND", "ENV", PATH_NOT_FOUND, confidence=0.85, types=["IO"],
      examples=[example("FileNotFoundError", "[Errno 2] No such file or directory: 'train.csv'")])
def _io_path_not_found(s: Signals):
    """Any other file error: the path does not exist where the code runs."""
    return "the path does not exist where the code runs"


@rule("RC-NET-NO-TABLE", "DATA", DATA_STRUCTURE, confidence=0.5, types=["RERR"],
      examples=[example("OperationalError", "no such table: users")])
def _net_no_table(s: Signals):
    """sqlite3 "no such table": the database has no such table."""
    return "no such table" in s.evalue.lower() and "the database has no such table"


@rule("RC-NET-REMOTE-REFUSED", "ENV", EXTERNAL_CONTROL, confidence=0.6, types=["RERR"],
      examples=[example("ConnectionError", "Connection aborted.")])
def _net_remote_refused(s: Signals):
    """A remote service refused or dropped the request (connection errors, 5xx answers)."""
    return REMOTE_REFUSED.search(s.evalue) and \
        "a remote service refused or dropped the request"


@rule("RC-NET-UNREACHABLE", "ENV", SETTINGS, confidence=0.6, types=["RERR"],
      examples=[example("HTTPError", "HTTP Error 403: Forbidden")])
def _net_unreachable(s: Signals):
    """Any other request error: the machine cannot reach the resource (network or access)."""
    return "the machine cannot reach the resource (network or access)"


@rule("RC-OOM", "RSC", INSUFFICIENT_RESOURCES, confidence=0.9, types=["OOM"], examples=[example("MemoryError", "")])
def _oom(s: Signals):
    """The process ran out of memory."""
    return "the process ran out of memory"


@rule("RC-KEY-DROP-TWICE", "NB", NB_EXECUTION_ORDER, confidence=0.6, types=["KEY"],
      examples=[example("KeyError", "\"['Cabin'] not found in axis\"", traceback_text(
          "KeyError", "\"['Cabin'] not found in axis\"", (CELL_FILE, "df = df.drop(['Cabin'], axis=1)")))])
def _key_drop_twice(s: Signals):
    """drop() fails on columns that are already gone: the cell that drops them most likely ran twice."""
    line = s.crashing_line + "\n" + s.cell_line
    return DROP_MISSING.search(s.evalue) and re.search(r"\.drop\(|\bdrop\(", line) and \
        "drop() fails on columns that are already gone: the cell most likely ran twice"


@rule("RC-KEY-NON-ML-LIBRARY", "API", API_MISUNDERSTOOD, confidence=0.45, types=["KEY"],
      examples=[example("KeyError", "'x'", traceback_text(
          "KeyError", "'x'", (CELL_FILE, "cfg = yaml_get(doc)"), (site("yaml/nodes.py"), "return self.map[key]")))])
def _key_non_ml_library(s: Signals):
    """A KeyError raised inside a non-ML library: the key given does not fit that library's API."""
    lib = s.raising_library
    return lib and not is_ml_library(lib) and lib not in {"pandas"} and f"{lib} did not find the key it was given"


@rule("RC-KEY-DATA", "DATA", DATA_STRUCTURE, confidence=0.65, types=["KEY"], examples=[example("KeyError", "'price'")])
def _key_data(s: Signals):
    """Any other KeyError: the key or column is not in the data (its name or structure differs)."""
    return "the key or column is not in the data (its name or structure differs)"


def _module_attribute(s: Signals):
    return MODULE_ATTRIBUTE.search(s.evalue)


@rule("RC-ATTR-MODULE-CASE-TYPO", "IMPL", TYPO, confidence=0.6, types=["ATTR"],
      examples=[example("AttributeError", "module 'pandas' has no attribute 'Read_csv'")])
def _attr_module_case_typo(s: Signals):
    """A module member spelled with the wrong letter case (`pd.Dataframe`): a typo."""
    match = _module_attribute(s)
    return match and _case_typo(match.group(2)) and \
        f"'{match.group(2)}' differs only in letter case from a real member"


@rule("RC-ATTR-MODULE-VERSION", "ENV", VERSIONS_INCOMPATIBLE, confidence=0.45, types=["ATTR"],
      examples=[example("AttributeError", "module 'yaml' has no attribute 'FullLoader'")])
def _attr_module_version(s: Signals):
    """A non-ML, non-stdlib module lacks the member: the installed version differs from the one the code knew."""
    match = _module_attribute(s)
    if not match:
        return None
    module, attr = match.groups()
    top = module.split(".")[0]
    return not is_ml_library(top) and top not in STDLIB_MODULES and f"the installed '{module}' lacks '{attr}'"


@rule("RC-ATTR-MODULE-MEMBER", "API", API_MISUNDERSTOOD, confidence=0.6, types=["ATTR"],
      examples=[example("AttributeError", "module 'numpy' has no attribute 'arrange'")])
def _attr_module_member(s: Signals):
    """An ML or stdlib module has no such member: the API is not what the code assumes."""
    match = _module_attribute(s)
    return match and f"'{match.group(1)}' has no member '{match.group(2)}'"


def _object_attribute(s: Signals):
    return OBJECT_ATTRIBUTE.search(s.evalue)


@rule("RC-ATTR-NONE", "API", API_MISUNDERSTOOD, confidence=0.45, types=["ATTR"],
      examples=[example("AttributeError", "'NoneType' object has no attribute 'head'")])
def _attr_none(s: Signals):
    """An attribute of None: a call returned None (often an in-place method) where data was expected."""
    match = _object_attribute(s)
    return match and match.group(1).rsplit(".", 1)[-1] == "NoneType" and \
        "the object is None: a call returned None (often an in-place method) instead of data"


@rule("RC-ATTR-BUILTIN", "DATA", DATA_STRUCTURE, confidence=0.55, types=["ATTR"],
      examples=[example("AttributeError", "'list' object has no attribute 'shape'")])
def _attr_builtin(s: Signals):
    """An attribute of a plain list, str, dict...: the data is not the structure the code expects."""
    match = _object_attribute(s)
    owner = match.group(1).rsplit(".", 1)[-1] if match else ""
    return owner in BUILTIN_TYPES and f"the object is a plain {owner}, not the structure the code expects"


@rule("RC-ATTR-FITTED-ONLY", "NB", NB_EXECUTION_ORDER, confidence=0.45, types=["ATTR"],
      examples=[example("AttributeError", "'GridSearchCV' object has no attribute 'best_params_'")])
def _attr_fitted_only(s: Signals):
    """A fitted attribute (`best_params_`, `classes_`): scikit-learn sets trailing-underscore attributes in fit().

    The convention is scikit-learn's (knowledge/object_conventions.py): its own `check_is_fitted`
    tests for attributes ending in one underscore. It holds for scikit-learn's estimators only:
    the object's class must be scikit-learn's, or scikit-learn be in the traceback (an estimator
    of the user's own reached through scikit-learn's code); `unsqueeze_` of an ndarray is not one.
    """
    match = _object_attribute(s)
    return match and is_fitted_attribute(match.group(2)) and \
        (library_of_symbol(match.group(1)) == "sklearn" or "sklearn" in s.libraries) and \
        f"'{match.group(2)}' exists only after fit(): the fitting cell had not run"


@rule("RC-ATTR-API", "API", API_MISUNDERSTOOD, confidence=0.6, types=["ATTR"],
      examples=[example("AttributeError", "'DataFrame' object has no attribute 'price'")])
def _attr_api(s: Signals):
    """Any other AttributeError: the object has no such member."""
    return "the object has no such member"


def _case_typo(attr: str) -> bool:
    from ..knowledge.symbols import SYMBOL_LIBRARY

    low = attr.lower()
    return any(name.lower() == low and name != attr for name in SYMBOL_LIBRARY)
