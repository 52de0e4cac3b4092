"""Root cause from the crash record: exception semantics and message knowledge.

The notebook-aware rules (out-of-order execution, previous-cell error) live in
``notebook.py`` and run first when a notebook graph is known; these rules
decide from the record alone, and say how sure they are.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..knowledge.api_changes import ApiChange, change_for_message
from ..knowledge.modules import CONVENTIONAL_ALIASES, PLATFORM_MODULES, STDLIB_MODULES
from ..taxonomy import NB_EXECUTION_ORDER, is_ml_library
from .signals import Signals


@dataclass
class RootCause:
    code: str
    detail: str
    confidence: float
    evidence: list[str] = field(default_factory=list)
    api_change: ApiChange | None = None


def _rc(code: str, detail: str, confidence: float, *evidence: str, change: ApiChange | None = None) -> RootCause:
    return RootCause(code, detail, confidence, [e for e in evidence if e], change)


# Pipeline outputs: names that only exist after an earlier step ran.
PIPELINE_PRODUCT = re.compile(
    r"^(?:X|x|y|Y)(?:_?(?:train|test|val|valid|validation|pred|hat|scaled|smote|res|resampled|new|all|sm|tr|ts|std|norm)\w*)?$|"
    r"^(?:y_pred|preds?|predictions?|history|hist|fit_history|model\w*|clf\w*|classifier\w*|regressor\w*|"
    r"df\w*|\w*_df|data\w*|train\w*|test\w*|val\w*|\w*_train|\w*_test|scaler|encoder|le|ohe|vectorizer|tokenizer|"
    r"\w*_data|\w*_dataset|features?|labels?|target|grid\w*|best_\w+|scores?|results?|output|outputs|"
    r"final_\w+|\w*_(?:scaled|encoded|pred|preds|norm|features|labels|loader)|\w*loader|\w*_model|"
    r"optimizer|d_optimizer|g_optimizer|criterion|net|embedding\w*|tf_idf|tfidf\w*|corpus|vocab\w*)$",
    re.IGNORECASE)

_FITTED_ONLY = {"best_estimator_", "best_params_", "best_score_", "cv_results_", "best_index_",
                "classes_", "n_features_in_", "feature_names_in_", "labels_", "cluster_centers_",
                "inertia_", "components_", "explained_variance_ratio_", "vocabulary_"}
_BUILTIN_TYPES = {"list", "str", "dict", "tuple", "int", "float", "set", "bool", "bytes"}
_MODEL_WORDS = re.compile(r"state_dict|weight file containing|layer count mismatch|loading weights|"
                          r"model expected|size mismatch for|in loading|has no attribute 'built'|"
                          r"unknown layer|not compatible with the model|"
                          r"index out of range in self|refers to an operation")


def classify_root_cause(signals: Signals, exception_type: str, exception_detail: str) -> RootCause:
    """Root cause decided from the exception and its message (no notebook needed)."""
    change = change_for_message(signals.evalue, signals.message_library or signals.raising_library)
    if change is not None and exception_type in {"ATTR", "ENV", "MODULE", "IARG", "TYPE", "IO", "OTHER"}:
        return _rc("LIB", "API change", 0.75,
                   f"{change.library} removed or renamed '{change.old}' ({change.version})", change=change)
    if _MODEL_WORDS.search(signals.evalue.lower()):
        return _rc("MODEL", "misunderstanding of ML model", 0.6, "the message is about the model's structure or weights")
    if "already exists" in signals.evalue and exception_type not in {"IO", "ENV"}:
        return _rc("NB", NB_EXECUTION_ORDER, 0.5,
                   "what this cell creates already exists: the cell most likely ran a second time")
    rule = _RULES.get(exception_type, _rule_other)
    return rule(signals, exception_detail)


# -- one rule per exception type --------------------------------------------------


def _rule_name(signals: Signals, detail: str) -> RootCause:
    name = signals.undefined_name or ""
    if signals.ename.lower() == "unboundlocalerror":
        return _rc("IMPL", "wrong implementation", 0.8, f"'{name}' is read in a function before it is assigned there")
    defined_later = _defined_later_in_cell(signals, name)
    if defined_later:
        return _rc("IMPL", "wrong implementation", 0.7, defined_later)
    typo = _close_identifier(signals, name)
    if typo:
        return _rc("IMPL", "typo", 0.6, f"'{name}' is not defined, but '{typo}' appears in the code")
    if signals.in_user_function and not PIPELINE_PRODUCT.match(name):
        return _rc("IMPL", "undefined variable", 0.55,
                   f"'{name}' is read inside function {signals.crash_frame.function}() and defined nowhere in sight")
    if detail == "module not found" or name in CONVENTIONAL_ALIASES:
        return _rc("NB", NB_EXECUTION_ORDER, 0.55,
                   f"'{name}' is the usual name of a module that notebooks import in an earlier cell")
    if _deep_in_cell(signals) and not PIPELINE_PRODUCT.match(name):
        return _rc("IMPL", "undefined variable", 0.5, f"'{name}' is used deep in a long cell and defined nowhere in sight")
    if PIPELINE_PRODUCT.match(name) or detail in {"class not found", "function not found"}:
        return _rc("NB", NB_EXECUTION_ORDER, 0.6,
                   f"'{name}' is produced by an earlier step of the notebook, which had not run")
    return _rc("NB", NB_EXECUTION_ORDER, 0.5, f"'{name}' is not defined when this cell ran")


def _defined_later_in_cell(signals: Signals, name: str) -> str | None:
    facts = signals.ctx.facts
    frame = signals.crash_frame
    if facts is None or not name or frame is None or not frame.lineno or not frame.is_cell:
        return None
    line = facts.def_lines.get(name)
    if line and line > frame.lineno:
        return f"'{name}' is assigned on line {line} of the same cell, after its use on line {frame.lineno}"
    return None


def _close_identifier(signals: Signals, name: str) -> str | None:
    """A different identifier in the code that looks like a typo of ``name``."""
    assigned_here = set(re.findall(r"([A-Za-z_]\w*)\s*(?:,\s*[A-Za-z_]\w*\s*)*=(?!=)", signals.crashing_line))
    return close_name(name, set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", signals.code_context)) - assigned_here)


def close_name(name: str, candidates: set[str]) -> str | None:
    """The candidate that looks like a typo of ``name`` (case slip, missing or extra letter)."""
    if not name or len(name) < 4:
        return None
    candidates = candidates - {name}
    for candidate in candidates:
        if candidate.lower() == name.lower():
            return candidate
    close = difflib.get_close_matches(name, sorted(candidates), n=3, cutoff=0.88)
    return next((c for c in close if not _sibling(name, c)), None)


def _sibling(a: str, b: str) -> bool:
    """Names of a family, not typos: x_train/y_train, model1/model2, model/model12."""
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diffs) != 1:
            return False
        i = diffs[0]
        # a digit, or a one-letter prefix or part: d_optimizer/g_optimizer, x_train/y_train
        return a[i].isdigit() or b[i].isdigit() or i == 0 or "_" in a[max(0, i - 1):i + 2]
    short, long_ = sorted((a, b), key=len)
    return long_.startswith(short) and long_[len(short):].strip("_").isdigit()


def _deep_in_cell(signals: Signals) -> bool:
    frame = signals.crash_frame
    return bool(frame and frame.lineno and frame.lineno >= 12)


def _rule_module(signals: Signals, detail: str) -> RootCause:
    if signals.ename.lower() == "nameerror":
        return _rule_name(signals, detail)
    match = re.search(r"No module named '?([\w.]+)", signals.evalue)
    module = match.group(1) if match else ""
    for platform_module, platform in PLATFORM_MODULES.items():
        if module == platform_module or module.startswith(platform_module + "."):
            return _rc("ENV", "change of environment", 0.8, f"'{module}' exists only on {platform}")
    if module.split(".")[0] in {"google"}:
        return _rc("ENV", "change of environment", 0.7, f"'{module}' belongs to a hosted platform")
    if signals.raising_library and module and not signals.crashing_line.lstrip().startswith(("import", "from")):
        return _rc("ENV", "library versions incompatible", 0.55,
                   f"{signals.raising_library} itself imports '{module}', which is missing or moved")
    return _rc("ENV", "module not installed", 0.85, f"'{module or 'the module'}' is not installed in this environment")


def _rule_env(signals: Signals, detail: str) -> RootCause:
    if "cannot import name" in signals.evalue:
        return _rc("ENV", "library versions incompatible", 0.6,
                   "the installed version does not provide that name")
    return _rc("ENV", "settings(permission, environment)", 0.6, "the environment is not set up as the code expects")


def _rule_io(signals: Signals, detail: str) -> RootCause:
    low = signals.evalue.lower()
    name = signals.ename.lower()
    if name == "unicodedecodeerror" or "codec can't decode" in low:
        return _rc("DATA", "misunderstanding of data structure", 0.7, "the file is not in the encoding read with")
    if name == "isadirectoryerror" or "is a directory" in low:
        return _rc("IMPL", "typo", 0.55, "the path names a folder where a file is expected")
    if name == "jsondecodeerror" or "expecting value" in low:
        return _rc("IMPL", "wrong implementation", 0.5, "the text parsed as JSON is not JSON")
    if name == "incompleteparseerror":
        return _rc("IMPL", "wrong implementation", 0.5, "the grammar does not match the input")
    if "no sheet named" in low or "error tokenizing" in low or "no columns to parse" in low:
        return _rc("DATA", "misunderstanding of data structure", 0.6, "the file's content is not what the code expects")
    if re.search(r"permission denied|read-only file system|file exists|errno 13|errno 30|errno 17", low):
        return _rc("ENV", "settings(permission, environment)", 0.75, "the file system refuses the operation")
    return _rc("ENV", "file/path not found or exist", 0.85, "the path does not exist where the code runs")


def _rule_network(signals: Signals, detail: str) -> RootCause:
    if "no such table" in signals.evalue.lower():
        return _rc("DATA", "misunderstanding of data structure", 0.5, "the database has no such table")
    if re.search(r"api returned|cannot connect|connection|\b5\d\d\b|requests? to", signals.evalue, re.I):
        return _rc("ENV", "external control (window closed)", 0.6, "a remote service refused or dropped the request")
    return _rc("ENV", "settings(permission, environment)", 0.6, "the machine cannot reach the resource (network or access)")


def _rule_oom(signals: Signals, detail: str) -> RootCause:
    return _rc("RSC", "insufficient resources", 0.9, "the process ran out of memory")


def _rule_key(signals: Signals, detail: str) -> RootCause:
    low = signals.evalue.lower()
    line = signals.crashing_line + "\n" + signals.cell_line
    if "not found in axis" in low and re.search(r"\.drop\(|\bdrop\(", line):
        return _rc("NB", NB_EXECUTION_ORDER, 0.6,
                   "drop() fails on columns that are already gone: the cell most likely ran twice")
    if signals.raising_library and not is_ml_library(signals.raising_library) and signals.raising_library not in {"pandas"}:
        return _rc("API", "misunderstanding of APIs", 0.45, f"{signals.raising_library} did not find the key it was given")
    return _rc("DATA", "misunderstanding of data structure", 0.65,
               "the key or column is not in the data (its name or structure differs)")


def _rule_attr(signals: Signals, detail: str) -> RootCause:
    match = re.search(r"'?([\w.]+)'? object has no attribute '(\w+)'", signals.evalue)
    module_match = re.search(r"module '([\w.]+)' has no attribute '(\w+)'", signals.evalue)
    if module_match:
        module, attr = module_match.groups()
        if _case_typo_in_module(attr):
            return _rc("IMPL", "typo", 0.6, f"'{attr}' differs only in letter case from a real member")
        if not is_ml_library(module.split(".")[0]) and module.split(".")[0] not in STDLIB_MODULES:
            return _rc("ENV", "library versions incompatible", 0.45, f"the installed '{module}' lacks '{attr}'")
        return _rc("API", "misunderstanding of APIs", 0.6, f"'{module}' has no member '{attr}'")
    if match:
        owner, attr = match.groups()
        owner_short = owner.rsplit(".", 1)[-1]
        if owner_short in {"NoneType"}:
            return _rc("API", "misunderstanding of APIs", 0.45,
                       "the object is None: a call returned None (often an in-place method) instead of data")
        if owner_short in _BUILTIN_TYPES:
            return _rc("DATA", "misunderstanding of data structure", 0.55,
                       f"the object is a plain {owner_short}, not the structure the code expects")
        if attr in _FITTED_ONLY:
            return _rc("NB", NB_EXECUTION_ORDER, 0.45,
                       f"'{attr}' exists only after fit(): the fitting cell had not run")
    return _rc("API", "misunderstanding of APIs", 0.6, "the object has no such member")


def _case_typo_in_module(attr: str) -> bool:
    from ..knowledge.symbols import SYMBOL_LIBRARY

    low = attr.lower()
    return any(name.lower() == low and name != attr for name in SYMBOL_LIBRARY)


def _rule_type(signals: Signals, detail: str) -> RootCause:
    low = signals.evalue.lower()
    if detail == "typeerror-notcallable":
        if "'module' object" in low:
            return _rc("API", "misunderstanding of APIs", 0.6, "a module is called as if it were a function")
        return _rc("IMPL", "wrong implementation", 0.5,
                   "a name that held a function or class was overwritten with a value")
    if detail == "typeerror-op" or "nonetype" in low:
        if re.search(r"'str'|'nonetype'|str \(not|'float' and 'str'|'int' and 'str'", low):
            return _rc("DATA", "misunderstanding of data structure", 0.5,
                       "the values have another type than the operation expects (text, missing values)")
    return _rc("API", "misunderstanding of APIs", 0.6, "the API was called with a value of the wrong type")


def _rule_iarg(signals: Signals, detail: str) -> RootCause:
    if re.search(r"invalid shape|must be 2d|image data of dtype|only integer scalar", signals.evalue, re.I):
        return _rc("DATA", "misunderstanding of data structure", 0.5, "the data's shape or type does not fit the API")
    if re.search(r"unexpected keyword|missing \d+ required|positional argument|multiple values", signals.evalue):
        return _rc("API", "invalid argument", 0.7, "the call's arguments do not match the function's signature")
    given = re.match(r"'?([\w.]+)' object has no attribute '(\w+)'", signals.evalue)
    if given and signals.raising_library:
        return _rc("API", "misunderstanding of APIs", 0.6,
                   f"{signals.raising_library} was given a {given.group(1)} where it expected an object "
                   f"with .{given.group(2)}")
    return _rc("API", "misunderstanding of APIs", 0.6, "the API was given an argument it does not accept")


def _rule_value(signals: Signals, detail: str) -> RootCause:
    low = signals.evalue.lower()
    if detail == "cast exception":
        if "sklearn" in signals.libraries or any(lib in signals.libraries for lib in ("xgboost", "lightgbm", "torch")):
            return _rc("API", "misunderstanding of APIs", 0.55,
                       "raw text reached an estimator that needs numbers: encode it first")
        return _rc("DATA", "misunderstanding of data structure", 0.6, "a value in the data is not in the expected format")
    if detail == "valueerror - data range mismatch":
        return _rc("IMPL", "wrong implementation", 0.45, "the code expects a different number of values")
    if "truth value" in low:
        return _rc("API", "misunderstanding of APIs", 0.5, "an array or Series is used where one True/False is needed")
    if signals.raising_library and is_ml_library(signals.raising_library) and signals.raising_library not in {"pandas", "numpy"}:
        return _rc("API", "misunderstanding of APIs", 0.45, f"{signals.raising_library} rejected the input")
    return _rc("DATA", "misunderstanding of data structure", 0.5, "the data's values are not what the code expects")


def _rule_shape(signals: Signals, detail: str) -> RootCause:
    low = signals.evalue.lower()
    libs = set(signals.libraries)
    if re.search(r"incompatible with (?:the )?layer|exception encountered when calling layer|expected shape|"
                 r"shape must be|matching shapes|expected ndim|expected \d+d", low) and ("keras" in libs or "tensorflow" in libs):
        stage_line = signals.crashing_line + signals.cell_line
        if re.search(r"\.(predict|evaluate)\(", stage_line):
            return _rc("DATA", "misunderstanding of data structure", 0.5, "the input's shape differs from the model's input")
        return _rc("API", "invalid argument", 0.5, "the layer's expected shape and the input shape differ")
    return _rc("DATA", "misunderstanding of data structure", 0.6, "the arrays' shapes do not fit together")


def _rule_broadcast(signals: Signals, detail: str) -> RootCause:
    return _rc("DATA", "misunderstanding of data structure", 0.6, "the arrays' shapes cannot be broadcast together")


def _rule_violation(signals: Signals, detail: str) -> RootCause:
    if re.search(r"continuous|multioutput", signals.evalue) and "proba" in signals.crashing_line:
        return _rc("API", "misunderstanding of APIs", 0.6,
                   "probabilities (predict_proba) were passed where class labels are expected")
    if re.search(r"data adapter|too large|number of labels is|multiclass format|singular matrix", signals.evalue, re.I):
        return _rc("API", "misunderstanding of APIs", 0.5, "the API does not accept this kind of input")
    return _rc("DATA", "misunderstanding of data structure", 0.6,
               "the data's values violate what the API needs (NaN, infinity, wrong label type)")


def _rule_fname(signals: Signals, detail: str) -> RootCause:
    return _rc("DATA", "misunderstanding of data structure", 0.55, "a feature or column name does not match the data")


def _rule_index(signals: Signals, detail: str) -> RootCause:
    if re.search(r"only integers, slices|must be of integer|indices must be integers", signals.evalue, re.I):
        return _rc("API", "misunderstanding of APIs", 0.5, "indexing is used with the wrong kind of index")
    return _rc("DATA", "misunderstanding of data structure", 0.55, "the index is beyond the data's size")


def _rule_init(signals: Signals, detail: str) -> RootCause:
    if re.search(r"not fitted|call 'fit'|must call|before (?:calling|using)|has not been built|must be compiled", signals.evalue, re.I):
        return _rc("NB", NB_EXECUTION_ORDER, 0.5, "the model is used before the cell that fits or builds it ran")
    if re.search(r"dnn implementation|cudnn", signals.evalue, re.I):
        return _rc("ENV", "settings(permission, environment)", 0.4, "the GPU libraries are not set up")
    return _rc("IMPL", "wrong implementation", 0.4, "the object is used in the wrong order")


def _rule_runtime(signals: Signals, detail: str) -> RootCause:
    low = signals.evalue.lower()
    if re.search(r"please install|not installed|not compiled with", low):
        return _rc("ENV", "settings(permission, environment)", 0.6, "a required component is not installed")
    if re.search(r"require[s]? grad|grad_fn|in-place operation", low):
        return _rc("API", "misunderstanding of APIs", 0.45, "autograd was used on tensors it does not track")
    if re.search(r"cuda error|illegal memory access|device-side assert", low):
        return _rc("API", "invalid argument", 0.35, "a GPU kernel failed on its input (often a label or index out of range)")
    return _rc("UNK", "unknown", 0.3, "a runtime error whose cause the message does not tell")


def _rule_env_type(signals: Signals, detail: str) -> RootCause:
    if re.search(r"not compiled with cuda|no cuda|nvidia driver", signals.evalue, re.I):
        return _rc("ENV", "settings(permission, environment)", 0.75, "no usable GPU in this environment")
    return _rule_env(signals, detail)


def _rule_other(signals: Signals, detail: str) -> RootCause:
    name = signals.ename.lower()
    if name in {"syntaxerror", "indentationerror", "taberror"}:
        frame = signals.parsed.frames[-1] if signals.parsed and signals.parsed.frames else None
        if frame is not None and not frame.is_user:
            return _rc("LIB", "error inside library", 0.5, "the syntax error is inside an installed library")
        return _rc("IMPL", "typo", 0.7, "the cell is not valid Python")
    if name == "zerodivisionerror":
        return _rc("DATA", "misunderstanding of data structure", 0.4, "a divisor is zero in the data")
    if "space" in detail:
        return _rc("RSC", "insufficient resources", 0.7, "the disk is full")
    if name in {"keyboardinterrupt", "bdbquit"}:
        return _rc("INTENT", "intentional", 0.8, "the run was stopped by the user")
    if name == "assertionerror" and not signals.libraries:
        return _rc("INTENT", "intentional", 0.35, "an assert in the notebook's own code failed")
    if name == "assertionerror":
        return _rc("API", "misunderstanding of APIs", 0.35, f"{signals.raising_library or 'a library'} asserted on its input")
    return _rc("UNK", "unknown", 0.25, "the record does not tell why")


_RULES = {
    "VNF": _rule_name, "NAME": _rule_name, "MODULE": _rule_module, "ENV": _rule_env_type,
    "IO": _rule_io, "RERR": _rule_network, "OOM": _rule_oom, "KEY": _rule_key, "ATTR": _rule_attr,
    "TYPE": _rule_type, "IARG": _rule_iarg, "VALUE": _rule_value, "TSHAPE": _rule_shape,
    "BCAST": _rule_broadcast, "DVIOL": _rule_violation, "FNAME": _rule_fname, "INDEX": _rule_index,
    "INIT": _rule_init, "RUNTIME": _rule_runtime, "OTHER": _rule_other,
}
