"""Root cause from the crash record, part 1: rules that pre-empt, and names, modules, files, keys, attributes.

The notebook-aware rules (``notebook.py``) override these when a notebook graph is known;
these decide from the record alone, with the confidence each rule states. Part 2 is
``root_cause_values.py`` (types, arguments, values, shapes, runtime and the rest).
"""
from __future__ import annotations

import symtable
from dataclasses import dataclass, field

from ..knowledge.api_changes import ApiChange
from ..knowledge.messages import MODEL_WEIGHTS, NAME_SUGGESTION, REMOVAL_NOTICE, missing_module
from ..knowledge.root_cause_messages import ALREADY_EXISTS, NO_GPU
from ..knowledge.modules import CONVENTIONAL_ALIASES, PLATFORM_MODULES, STDLIB_MODULES
from ..record.taxonomy import (API_CHANGE, CLASS_NOT_FOUND, ENVIRONMENT_CHANGED, FUNCTION_NOT_FOUND, MODEL_MISUNDERSTOOD,
                        MODULE_NOT_FOUND, MODULE_NOT_INSTALLED, NB_EXECUTION_ORDER, SETTINGS, TYPO,
                        UNDEFINED_VARIABLE, VERSIONS_INCOMPATIBLE, WRONG_IMPLEMENTATION)
from ..facts.cells.ipython import transform_ipython
from .names import close_identifier
from .rules import CELL_FILE, example, rule, site, traceback_text
from .signals import Signals


@dataclass
class RootCause:
    code: str
    detail: str
    confidence: float
    evidence: list[str] = field(default_factory=list)
    api_change: ApiChange | None = None


_API_CHANGE_TYPES = frozenset({"ATTR", "ENV", "MODULE", "IARG", "TYPE", "IO", "OTHER"})
NAME_TYPES = ("VNF", "NAME", "MODULE")


def _name(name: str, line: str = "", **more) -> dict:
    evalue = f"name '{name}' is not defined"
    return example("NameError", evalue, traceback_text("NameError", evalue, (CELL_FILE, line or f"print({name})"))
                   if line else "", **more)


# -- rules that pre-empt the per-type ones ----------------------------------------

@rule("RC-LIB-API-CHANGE", "LIB", API_CHANGE, confidence=0.75, types=_API_CHANGE_TYPES,
      examples=[example("AttributeError", "module 'numpy' has no attribute 'float'")])
def _api_change(s: Signals):
    """A library removed or renamed the API the code uses (knowledge/api_changes.py names the release).

    Example: `np.float` was removed in NumPy 1.24; `AttributeError: module 'numpy' has no
    attribute 'float'`.
    """
    change = s.api_change
    return change and f"{change.library} removed or renamed '{change.old}' ({change.version})"


@rule("RC-LIB-REMOVAL-NOTICE", "LIB", API_CHANGE, confidence=0.7,
      examples=[example("NotImplementedError", "statsmodels.tsa.arima_model.ARMA and statsmodels.tsa.arima_model.ARIMA "
                        "have been removed in favor of statsmodels.tsa.arima.model.ARIMA",
                        traceback_text("NotImplementedError", "have been removed", (CELL_FILE, "ARIMA(y, order=(1, 0, 0))"),
                                       (site("statsmodels/tsa/arima_model.py"), "raise NotImplementedError(ARIMA_DEPRECATION_ERROR)"))),
                example("AttributeError", "`np.float_` was removed in the NumPy 2.0 release. Use `np.float64` instead.")])
def _removal_notice(s: Signals):
    """The library's own message says the API the code uses was removed (knowledge/messages.py REMOVAL_NOTICE).

    Libraries keep a stub where a removed API was, whose error says so ("have been removed in
    favor of", "was removed in the NumPy 2.0 release", "is no longer supported"): the code was
    written for an older release.
    """
    return REMOVAL_NOTICE.search(s.evalue) and "the library's message says the API the code uses was removed"


@rule("RC-MODEL-WEIGHTS-MISMATCH", "MODEL", MODEL_MISUNDERSTOOD, confidence=0.6,
      examples=[example("ValueError", "Layer count mismatch when loading weights from file. Model expected 5 layers"),
                example("RuntimeError", "Error(s) in loading state_dict for Net:\n\tsize mismatch for fc.weight: "
                        "copying a param with shape torch.Size([10, 4]) from checkpoint, the shape in current "
                        "model is torch.Size([3, 4]).")])
def _model_weights_mismatch(s: Signals):
    """The weights loaded do not fit the model built (knowledge/messages.py MODEL_WEIGHTS: torch's and Keras' loaders).

    torch's `load_state_dict` lists missing, unexpected and mis-shaped keys; Keras'
    `load_weights` compares layer and weight counts: the model built is not the one saved.
    """
    return MODEL_WEIGHTS.search(s.evalue) and "the weights loaded do not fit the model built"


# torch 2.13.0, torch/nn/functional.py embedding(): `return torch.embedding(weight, input, ...)`; an index
# at or past num_embeddings fails there with ATen's "index out of range in self" (run on CPU).
_EMBEDDING_LOOKUP = ("torch/nn/functional.py", "embedding")
_EMBEDDING_INDEX = "index out of range in self"


@rule("RC-MODEL-EMBEDDING-SIZE", "MODEL", MODEL_MISUNDERSTOOD, confidence=0.55,
      examples=[example("IndexError", _EMBEDDING_INDEX, traceback_text(
          "IndexError", _EMBEDDING_INDEX, (CELL_FILE, "out = model(tokens)"),
          (site("torch/nn/modules/sparse.py"), "return F.embedding(", 190, "forward"),
          (site("torch/nn/functional.py"), "return torch.embedding(weight, input, padding_idx)", 2615, "embedding")))])
def _model_embedding_size(s: Signals):
    """An index fails inside torch's embedding lookup: the Embedding layer was built with fewer rows than the data's ids."""
    frame = s.frames[-1] if s.frames else None
    inside = frame is not None and frame.function == _EMBEDDING_LOOKUP[1] and \
        (frame.path or frame.filename).replace("\\", "/").endswith(_EMBEDDING_LOOKUP[0])
    return inside and s.low_name == "indexerror" and \
        "the Embedding layer has fewer rows (num_embeddings) than the ids it is given"


@rule("RC-NB-ALREADY-EXISTS", "NB", NB_EXECUTION_ORDER, confidence=0.5,
      examples=[example("ValueError", "Table 'results' already exists.")])
def _already_exists(s: Signals):
    """What the cell creates already exists: the cell most likely ran a second time."""
    return ALREADY_EXISTS.search(s.evalue) and s.etype.code not in {"IO", "ENV"} and \
        "what this cell creates already exists: the cell most likely ran a second time"


# -- names -----------------------------------------------------------------------

def _name_error(s: Signals) -> bool:
    return s.etype.code != "MODULE" or s.low_name == "nameerror"


@rule("RC-NAME-UNBOUND-LOCAL", "IMPL", WRONG_IMPLEMENTATION, confidence=0.8, types=NAME_TYPES,
      examples=[example("UnboundLocalError", "local variable 'total' referenced before assignment")])
def _unbound_local(s: Signals):
    """UnboundLocalError: a function assigns a name somewhere, so Python treats every read of it there as local."""
    return _name_error(s) and s.low_name == "unboundlocalerror" and \
        f"'{s.undefined_name or ''}' is read in a function before it is assigned there"


@rule("RC-NAME-DEFINED-LATER", "IMPL", WRONG_IMPLEMENTATION, confidence=0.7, types=NAME_TYPES,
      examples=[example("NameError", "name 'total' is not defined", traceback_text(
          "NameError", "name 'total' is not defined", (CELL_FILE, "print(total)", 1)),
          cell_source="print(total)\ntotal = 3\n")])
def _defined_later(s: Signals):
    """The crashing cell assigns the name, but on a line below its use: cells run top to bottom."""
    name = s.undefined_name or ""
    facts, frame = s.ctx.facts, s.crash_frame
    if not _name_error(s) or facts is None or not name or frame is None or not frame.lineno or not frame.is_cell:
        return None
    line = facts.def_lines.get(name)
    if line and line > frame.lineno:
        return f"'{name}' is assigned on line {line} of the same cell, after its use on line {frame.lineno}"
    return None


def _local_scopes_binding(source: str, name: str) -> list[str]:
    """The inner scopes (functions, lambdas, comprehensions, classes) of the cell that assign ``name`` locally,
    not as a parameter, when the cell's module level does not bind it: Python's own scope analysis (``symtable``)."""
    try:
        top = symtable.symtable(transform_ipython(source), "<cell>", "exec")
    except (SyntaxError, ValueError, TypeError):
        return []
    try:
        symbol = top.lookup(name)
        if symbol.is_assigned() or symbol.is_imported():
            return []
    except KeyError:
        pass
    found: list[str] = []
    stack = list(top.get_children())
    while stack:
        table = stack.pop()
        try:
            symbol = table.lookup(name)
            if symbol.is_local() and not symbol.is_parameter() and (symbol.is_assigned() or symbol.is_imported()):
                found.append(table.get_name())
        except KeyError:
            pass
        stack.extend(table.get_children())
    return found


@rule("RC-NAME-LOCAL-ONLY", "IMPL", WRONG_IMPLEMENTATION, confidence=0.65, types=NAME_TYPES,
      examples=[example("NameError", "name 'df' is not defined", traceback_text(
          "NameError", "name 'df' is not defined", (CELL_FILE, "df.head()", 4)),
          cell_source="def load():\n    df = pd.read_csv('a.csv')\nload()\ndf.head()\n")])
def _name_local_only(s: Signals):
    """The cell binds the name only inside a function, lambda, comprehension or class: that binding is local.

    Python's scoping (Language Reference 4.2.2, "Resolution of names"): a name bound in a function
    body, a comprehension (Python 3) or a class body is local to that block, unless declared
    `global`; the cell's top level and its other functions cannot see it. `symtable`, Python's own
    scope analysis of the cell's source, says where the name is bound; the code expected a value
    its own function kept local (a missing `return` or `global`).
    """
    name = s.undefined_name or ""
    if not _name_error(s) or not name or not s.ctx.cell_source:
        return None
    scopes = _local_scopes_binding(s.ctx.cell_source, name)
    return scopes and f"'{name}' is bound only inside {scopes[0]}() of this cell, where it is local"


def _shown_message(s: Signals) -> str:
    """The message as the traceback shows it: CPython's display adds its suggestions there."""
    shown = s.parsed.evalue if s.parsed and s.parsed.evalue else ""
    return f"{s.evalue}\n{shown}"


@rule("RC-NAME-SUGGESTED", "IMPL", TYPO, confidence=0.7, types=NAME_TYPES,
      examples=[example("NameError", "name 'acuracy' is not defined. Did you mean: 'accuracy'?")])
def _name_suggested(s: Signals):
    """Python itself suggests a defined name close to the undefined one ("Did you mean: 'x'?"): a typo.

    CPython adds the suggestion when it finds a close name among the frame's locals, globals and
    builtins, so the intended name was defined when the cell ran: on 3.10 and 3.11 only the
    interpreter's own C printer does (Python/pythonrun.c), from 3.12 Lib/traceback.py does too.
    """
    match = _name_error(s) and NAME_SUGGESTION.search(_shown_message(s))
    return match and f"Python suggests '{match.group(1)}', a defined name close to '{s.undefined_name or ''}'"


@rule("RC-NAME-TYPO", "IMPL", TYPO, confidence=0.6, types=NAME_TYPES,
      examples=[_name("acuracy", "print(acuracy)", cell_source="accuracy = 0.9\nprint(acuracy)")])
def _name_typo(s: Signals):
    """The undefined name differs by a letter or by case from a name in the code shown: a typo."""
    name = s.undefined_name or ""
    typo = _name_error(s) and close_identifier(s, name)
    return typo and f"'{name}' is not defined, but '{typo}' appears in the code"


@rule("RC-NAME-IN-FUNCTION", "IMPL", UNDEFINED_VARIABLE, confidence=0.55, types=NAME_TYPES,
      examples=[example("NameError", "name 'scale' is not defined", traceback_text(
          "NameError", "name 'scale' is not defined", (CELL_FILE, "prep(df)"), (CELL_FILE, "return x * scale", 4, "prep")))])
def _name_in_function(s: Signals):
    """A name read inside the user's own function and defined nowhere in sight.

    Python looks a function's free names up in the module's globals when it runs; a name the
    function reads that no cell in sight defines is a slip in the function's own logic.
    """
    name = s.undefined_name or ""
    return _name_error(s) and s.in_user_function and \
        f"'{name}' is read inside function {s.crash_frame.function}() and defined nowhere in sight"


@rule("RC-NAME-MODULE-ALIAS", "NB", NB_EXECUTION_ORDER, confidence=0.55, types=NAME_TYPES,
      examples=[_name("pd", "df = pd.read_csv('a.csv')")])
def _name_module_alias(s: Signals):
    """The undefined name is a module alias notebooks import in an earlier cell (`pd`, `np`), or a standard module.

    CPython 3.12+ says so itself for standard modules ("Did you forget to import 'sys'",
    Lib/traceback.py, from sys.stdlib_module_names). Many standard module names are ordinary variable
    names too (`token`, `html`, `string`, `time`): such a name counts as a module only when the failing
    line reads an attribute of it (`time.sleep`), and so does a documented alias (`dist`, `stats` and
    `C` are aliases in the libraries' examples and everyday variable names in notebooks): Python code
    uses a module through its attributes, so a bare name is no evidence of one.
    """
    name = s.undefined_name or ""
    stdlib = name in STDLIB_MODULES
    module = (s.etype.detail == MODULE_NOT_FOUND and not stdlib) or \
        ((name in CONVENTIONAL_ALIASES or stdlib) and s.name_uses[1])
    return _name_error(s) and module and \
        f"'{name}' is the usual name of a module that notebooks import in an earlier cell"


@rule("RC-NAME-CLASS-OR-FUNCTION", "NB", NB_EXECUTION_ORDER, confidence=0.6, types=NAME_TYPES,
      examples=[_name("StandardScaler"), example("NameError", "name 'train_test_split' is not defined", traceback_text(
          "NameError", "name 'train_test_split' is not defined", (CELL_FILE, "a, b = train_test_split(X)")))])
def _name_class_or_function(s: Signals):
    """The undefined name is a class or function (CapWords per PEP 8, or called): its import is in a cell that had not run."""
    name = s.undefined_name or ""
    return _name_error(s) and s.etype.detail in {CLASS_NOT_FOUND, FUNCTION_NOT_FOUND} and \
        f"'{name}' is a class or function whose import or definition is in a cell that had not run"


@rule("RC-NAME-NOT-YET-DEFINED", "NB", NB_EXECUTION_ORDER, confidence=0.5, types=NAME_TYPES,
      examples=[_name("counts")])
def _name_not_yet_defined(s: Signals):
    """Any other undefined name: in a notebook, most often a cell that defines it has not run."""
    return _name_error(s) and f"'{s.undefined_name or ''}' is not defined when this cell ran"


# -- modules and environment ------------------------------------------------------

def _platform(module: str) -> str | None:
    for platform_module, platform in PLATFORM_MODULES.items():
        if module == platform_module or module.startswith(platform_module + "."):
            return platform
    return None


@rule("RC-MODULE-PLATFORM", "ENV", ENVIRONMENT_CHANGED, confidence=0.8, types=["MODULE"],
      examples=[example("ModuleNotFoundError", "No module named 'google.colab'")])
def _module_platform(s: Signals):
    """The missing module exists only on one platform (google.colab on Colab, kaggle_secrets on Kaggle)."""
    module = missing_module(s.evalue)
    platform = _platform(module)
    return platform and f"'{module}' exists only on {platform}"


@rule("RC-MODULE-HOSTED", "ENV", ENVIRONMENT_CHANGED, confidence=0.7, types=["MODULE"],
      examples=[example("ModuleNotFoundError", "No module named 'google.cloud'")])
def _module_hosted(s: Signals):
    """The missing module is under `google.`: a hosted platform's package."""
    module = missing_module(s.evalue)
    return module.split(".")[0] in {"google"} and f"'{module}' belongs to a hosted platform"


@rule("RC-MODULE-LIBRARY-IMPORTS", "ENV", VERSIONS_INCOMPATIBLE, confidence=0.55, types=["MODULE"],
      examples=[example("ModuleNotFoundError", "No module named 'numpy.core._multiarray_umath'", traceback_text(
          "ModuleNotFoundError", "No module named 'numpy.core._multiarray_umath'",
          (CELL_FILE, "df = pd.read_pickle('a.pkl')"), (site("pandas/io/pickle.py"), "return pickle.load(f)")))])
def _module_library_imports(s: Signals):
    """A library itself imports the missing module (not the user's import line): versions do not match."""
    module = missing_module(s.evalue)
    return s.raising_library and module and not s.crashing_line.lstrip().startswith(("import", "from")) and \
        f"{s.raising_library} itself imports '{module}', which is missing or moved"


@rule("RC-MODULE-NOT-INSTALLED", "ENV", MODULE_NOT_INSTALLED, confidence=0.85, types=["MODULE"],
      examples=[example("ModuleNotFoundError", "No module named 'xgboost'")])
def _module_not_installed(s: Signals):
    """The module is not installed in the kernel's environment."""
    return f"'{missing_module(s.evalue) or 'the module'}' is not installed in this environment"


@rule("RC-ENV-NO-GPU", "ENV", SETTINGS, confidence=0.75, types=["ENV"],
      examples=[example("AssertionError", "Torch not compiled with CUDA enabled")])
def _env_no_gpu(s: Signals):
    """No usable GPU: torch built without CUDA, or no NVIDIA driver."""
    return NO_GPU.search(s.evalue) and \
        "no usable GPU in this environment"


@rule("RC-ENV-CANNOT-IMPORT-NAME", "ENV", VERSIONS_INCOMPATIBLE, confidence=0.6, types=["ENV"],
      examples=[example("ImportError", "cannot import name 'soft_unicode' from 'markupsafe'")])
def _env_cannot_import_name(s: Signals):
    """ImportError "cannot import name": the installed version does not provide that name."""
    return "cannot import name" in s.evalue and "the installed version does not provide that name"


@rule("RC-ENV-SETTINGS", "ENV", SETTINGS, confidence=0.6, types=["ENV"],
      examples=[example("TclError", "no display name and no $DISPLAY environment variable")])
def _env_settings(s: Signals):
    """Any other environment error: the environment is not set up as the code expects."""
    return "the environment is not set up as the code expects"
