"""The codes of ``taxonomy.md``: the contract every diagnosis uses.

Scripts outside nbcrash read ``exception_type``, ``root_cause``, ``origin``,
``library`` and ``stage`` by these exact codes, so they never change here
without changing the taxonomy.
"""
from __future__ import annotations

# The library sets live in the knowledge base; re-exported for the faces that read them here.
from ..knowledge.libraries import ML_LIBRARIES, OTHER_ML_LIBRARIES, STUDY_LIBRARIES, is_ml_library  # noqa: F401

EXCEPTION_TYPES: dict[str, str] = {
    "VNF": "variable not found",
    "NAME": "other name not found",
    "MODULE": "module not found",
    "IARG": "invalid argument to an API",
    "ATTR": "attribute error",
    "KEY": "key error",
    "INDEX": "index error",
    "TYPE": "type error",
    "VALUE": "value error",
    "TSHAPE": "tensor / array shape mismatch",
    "BCAST": "unsupported broadcast",
    "DVIOL": "data value violation",
    "FNAME": "feature name mismatch",
    "OOM": "out of memory",
    "IO": "file and I/O error",
    "ENV": "environment error",
    "RERR": "request / network error",
    "RUNTIME": "runtime error",
    "INIT": "model initialization error",
    "OTHER": "other exception",
}

ROOT_CAUSES: dict[str, str] = {
    "API": "API misuse",
    "NB": "notebook-specific issue",
    "DATA": "data confusion",
    "MODEL": "ML model confusion",
    "IMPL": "implementation error",
    "ENV": "environment issue",
    "LIB": "library cause",
    "RSC": "insufficient resources",
    "INTENT": "intentional crash",
    "UNK": "unknown cause",
}

ORIGINS: dict[str, str] = {
    "ML": "ML / data-science library code",
    "PY": "general Python code",
}

STAGES: dict[str, str] = {
    "ENVS": "environment setup",
    "DATAP": "data preparation",
    "DATAV": "data visualization",
    "MCONS": "model construction",
    "TRAIN": "training",
    "EVAL": "evaluation and inference",
    "NONE": "not part of an ML pipeline",
}

# Fine labels of the root causes (taxonomy.md, section 2), one constant each.
NB_EXECUTION_ORDER = "nb specific - execution order"
NB_PREVIOUS_CELL_ERROR = "nb specific - previous cell error"
NB_FUTURE_CELLS = "nb specific - need execute future cells"
API_MISUNDERSTOOD = "misunderstanding of APIs"
LIBRARIES_MISUNDERSTOOD = "misunderstanding of libraries"
INVALID_ARGUMENT = "invalid argument"
DATA_STRUCTURE = "misunderstanding of data structure"
MODEL_MISUNDERSTOOD = "misunderstanding of ML model"
DID_NOT_IMPORT = "did not import"
UNDEFINED_VARIABLE = "undefined variable"
UNDEFINED_FUNCTION = "undefined function"
TYPO = "typo"
WRONG_IMPLEMENTATION = "wrong implementation"
MODULE_NOT_INSTALLED = "module not installed"
ENVIRONMENT_CHANGED = "change of environment"
PATH_NOT_FOUND = "file/path not found or exist"
VERSIONS_INCOMPATIBLE = "library versions incompatible"
SETTINGS = "settings(permission, environment)"
EXTERNAL_CONTROL = "external control (window closed)"
API_CHANGE = "API change"
LIBRARY_INTERNAL = "error inside library"
INSUFFICIENT_RESOURCES = "insufficient resources"
INTENTIONAL = "intentional"
UNKNOWN = "unknown"

ROOT_CAUSE_DETAILS: dict[str, tuple[str, ...]] = {
    "API": (API_MISUNDERSTOOD, LIBRARIES_MISUNDERSTOOD, INVALID_ARGUMENT),
    "NB": (NB_EXECUTION_ORDER, NB_PREVIOUS_CELL_ERROR, NB_FUTURE_CELLS),
    "DATA": (DATA_STRUCTURE,),
    "MODEL": (MODEL_MISUNDERSTOOD,),
    "IMPL": (DID_NOT_IMPORT, UNDEFINED_VARIABLE, UNDEFINED_FUNCTION, TYPO, WRONG_IMPLEMENTATION),
    "ENV": (MODULE_NOT_INSTALLED, ENVIRONMENT_CHANGED, PATH_NOT_FOUND, VERSIONS_INCOMPATIBLE, SETTINGS,
            EXTERNAL_CONTROL),
    "LIB": (API_CHANGE, LIBRARY_INTERNAL),
    "RSC": (INSUFFICIENT_RESOURCES,),
    "INTENT": (INTENTIONAL,),
    "UNK": (UNKNOWN,),
}

# Fine labels of the exception types that several rules give (taxonomy.md, section 1).
WRONG_ARGUMENTS = "wrong arguments to API"
FILE_NOT_FOUND = "filenotfounderror"
VARIABLE_NOT_FOUND = "variable not found"
REQUEST_ERROR = "requesterror"
ENVIRONMENT_SETUP = "environment setup"
FEATURE_NAME_MISMATCH = "valueerror - feature name mismatch"
SHAPE_MISMATCH = "tensor shape mismatch"
OUT_OF_MEMORY = "out of memory (OOM)"
MODULE_NOT_FOUND = "module not found"
INDEX_1D = "indexerror-1d"
FILE_PERMISSION = "file permission"
CLASS_NOT_FOUND = "class not found"
FUNCTION_NOT_FOUND = "function not found"
INIT_ORDER = "initialization error (call mul-times, wrong order)"
CAST_EXCEPTION = "cast exception"

# Fine labels of the exception types (taxonomy.md, section 1).
EXCEPTION_TYPE_DETAILS: dict[str, tuple[str, ...]] = {
    "VNF": (VARIABLE_NOT_FOUND,),
    "NAME": (FUNCTION_NOT_FOUND, CLASS_NOT_FOUND, "nameerror"),
    "MODULE": (MODULE_NOT_FOUND,),
    "IARG": (WRONG_ARGUMENTS,),
    "ATTR": ("attributeerror",),
    "KEY": ("keyerror", "notfounderror"),
    "INDEX": (INDEX_1D, "indexerror-nd"),
    "TYPE": ("typeerror", "typeerror-notcallable", "typeerror-op", "typeerror-notsubscriptable",
             "typeerror-notiterable", "typeerror-unhashable"),
    "VALUE": (CAST_EXCEPTION, "valueerror - data range mismatch", "valueerror"),
    "TSHAPE": (SHAPE_MISMATCH,),
    "BCAST": ("unsupported broadcast",),
    "DVIOL": ("valueerror - data value violation",),
    "FNAME": (FEATURE_NAME_MISMATCH,),
    "OOM": (OUT_OF_MEMORY,),
    "IO": (FILE_NOT_FOUND, "unsupported file type (read file)", FILE_PERMISSION, "fileexistserror",
           "jsondecodeerror", "incompleteparseerror"),
    "ENV": ("importerror", ENVIRONMENT_SETUP),
    "RERR": (REQUEST_ERROR,),
    "RUNTIME": ("runtimeerror",),
    "INIT": (INIT_ORDER,),
    "OTHER": ("syntaxerror", "indentationerror", "zerodivisionerror", "assertionerror", "systemerror",
              "executablenotfound", "out of space (disk)", "unknown"),
}

def describe(dimension: str, code: str) -> str:
    """The words for a code, e.g. ``describe('root_cause', 'NB')``."""
    table = {
        "exception_type": EXCEPTION_TYPES,
        "root_cause": ROOT_CAUSES,
        "origin": ORIGINS,
        "stage": STAGES,
    }[dimension]
    return table.get(code, code)
