"""Origin (ML library code vs plain Python) and the library involved, as ordered rules."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..knowledge.libraries import INFRASTRUCTURE, is_ml_library
from ..knowledge.messages import missing_module
from ..knowledge.modules import CONVENTIONAL_ALIASES, top_module
from ..knowledge.object_names import data_or_model_name
from .rules import CELL_FILE, Found, example, rule, site, traceback_text
from .signals import Signals

# Method calls and names that, by data-science convention, mean ML objects.
ML_METHOD = re.compile(
    r"\.(?:fit|fit_transform|transform|predict|predict_proba|score|evaluate|compile|summary|reshape|"
    r"zero_grad|backward|to_csv|rename|merge|iloc|loc|fillna|dropna|astype|groupby|value_counts|"
    r"batch|map_partitions|inverse_transform|add|shape|dtype|values|columns|state_dict|cuda|numpy|"
    r"train|visualize\w*|get_dummies|apply)\b")
_PLAIN_PYTHON_LINE = re.compile(r"^(?:print\(|with open\(|open\(|os\.|sys\.|json\.|for \w+ in range\()")


@dataclass(frozen=True)
class Origin:
    code: str
    library: str
    evidence: str


def _keras_flavour(signals: Signals, library: str) -> str:
    """tf.keras frames live under tensorflow/…/keras: people call that Keras."""
    if library != "tensorflow":
        return library
    for frame in signals.frames:
        if frame.library == "tensorflow" and frame.module and ".keras" in frame.module:
            return "keras"
        if frame.library == "keras":
            return "keras"
    return library


def _line(code: str) -> str:
    return traceback_text("ValueError", "bad", (CELL_FILE, code))


@rule("OR-LIB-FRAME", "ML", examples=[example("ValueError", "bad", traceback_text(
    "ValueError", "bad", (CELL_FILE, "model.fit(X)"), (site("sklearn/base.py"), "raise ValueError('bad')")))])
def _library_frame(s: Signals):
    """The traceback passes through an ML library's code: the crash is in ML library code."""
    ml_frames = [lib for lib in s.libraries if is_ml_library(lib) and lib not in INFRASTRUCTURE]
    return ml_frames and Found(f"the error passes through {', '.join(ml_frames[:3])} code",
                               library=_keras_flavour(s, ml_frames[0]))


@rule("OR-MESSAGE-WORDING", "ML",
      examples=[example("ValueError", "This LogisticRegression instance is not fitted yet")])
def _message_wording(s: Signals):
    """No library frame is shown, but the message is an ML library's own wording."""
    from ..knowledge.symbols import library_of_message

    worded = library_of_message(s.evalue)
    return worded and not s.libraries and Found(f"the message is {worded}'s wording", library=worded)


@rule("OR-VARIABLE-OBJECT", "ML", examples=[example("KeyError", "'price'", _line("frame['price']"),
                                                    cell_source="import pandas as pd\nframe = pd.DataFrame()\nframe['price']")])
def _variable_object(s: Signals):
    """A variable on the failing line holds an ML library's object (live, or inferred from the notebook's code)."""
    for name, library in s.variable_libraries.items():
        if is_ml_library(library):
            return Found(f"'{name}' holds a {library} object", library=library)
    return None


_UNDEFINED = ("NameError", "name 'sales' is not defined")


@rule("OR-NB-UNDEFINED-OBJECT", "ML",
      examples=[example(*_UNDEFINED, traceback_text(*_UNDEFINED, (CELL_FILE, "total = sales.sum()")),
                        notebook={"cells": ["import pandas as pd", "sales = pd.read_csv('sales.csv')", "total = sales.sum()"],
                                  "runs": [[0, 1], [2, 2, "error", 1, *_UNDEFINED]]}, crash=2)])
def _undefined_object(s: Signals):
    """The undefined name is, in the notebook's own code, bound to an ML library's object (`df = pd.read_csv(..)`).

    taxonomy.md's origin is ML when the crash involves an object derived from an ML library; for a
    name that was not defined when the cell ran, the cells that define it say what it would have held.
    """
    graph, name = s.ctx.graph, s.undefined_name
    if graph is None or not name or s.low_name != "nameerror":
        return None
    definers = graph.definers(name)
    if not definers:
        return None
    from ..facts.inference import infer_origins

    importers = [c.source for c in graph.cells if c.kind == "code" and getattr(c.facts, "imports", None)]
    library = infer_origins([*importers, *(c.source for c in definers)]).get(name)
    return library and is_ml_library(library) and \
        Found(f"'{name}' is bound to a {library} object by the notebook's own code", library=library)


@rule("OR-LINE-MODULE", "ML", examples=[example("KeyError", "'a'", _line("x = np.where(v['a'])"))])
def _line_module(s: Signals):
    """The failing line uses an ML module through its import or conventional alias (`np.`, `pd.`)."""
    for module in s.line_modules:
        top = top_module(module)
        if is_ml_library(top):
            return Found(f"the failing line uses {module}", library=top)
    return None


def _missing(s: Signals) -> str | None:
    """The top-level library a ModuleNotFoundError names (aliases such as 'tf' resolved)."""
    if s.low_name not in {"modulenotfounderror", "importerror"}:
        return None
    name = missing_module(s.evalue)
    return top_module(CONVENTIONAL_ALIASES.get(name, name)) if name else None


@rule("OR-MISSING-ML-MODULE", "ML", examples=[example("ModuleNotFoundError", "No module named 'xgboost'")])
def _missing_ml_module(s: Signals):
    """The module that cannot be imported is an ML library."""
    missing = _missing(s)
    return missing and is_ml_library(missing) and Found(f"the missing module is {missing}", library=missing)


@rule("OR-MISSING-MODULE", "PY", examples=[example("ModuleNotFoundError", "No module named 'yaml'")])
def _missing_module(s: Signals):
    """The module that cannot be imported is not an ML library."""
    missing = _missing(s)
    return missing and f"the missing module is {missing}"


@rule("OR-MESSAGE-OBJECT", "ML", examples=[example("TypeError", "Object of type 'DataFrame' is not JSON serializable",
                                                   traceback_text("TypeError", "Object of type 'DataFrame' is not JSON serializable",
                                                                  (CELL_FILE, "simplejson.dumps(obj)"),
                                                                  (site("simplejson/encoder.py"), "raise TypeError(o)")))])
def _message_object(s: Signals):
    """The message names an ML library's type or class (`numpy.ndarray`, `'DataFrame' object`)."""
    lib = s.message_library
    return lib and is_ml_library(lib) and Found(f"the message names a {lib} object", library=lib)


@rule("OR-LINE-SYMBOL", "ML", examples=[example("TypeError", "bad", _line("a, b = train_test_split(rows)"))])
def _line_symbol(s: Signals):
    """The failing line calls a class or function of an ML library by its distinctive name."""
    for lib in s.line_symbol_libraries:
        if is_ml_library(lib):
            return Found(f"the failing line calls {lib} API", library=lib)
    return None


def _fallback_library(s: Signals) -> str:
    return next((lib for lib in s.libraries if lib not in INFRASTRUCTURE), "") or s.message_library or ""


@rule("OR-ML-METHOD", "ML", examples=[example("KeyError", "'a'", _line("out = table.fillna(0)"))])
def _ml_method(s: Signals):
    """The failing line calls a method that, by data-science convention, belongs to data or model objects."""
    line = f"{s.crashing_line}\n{s.cell_line}"
    return ML_METHOD.search(line) and not _PLAIN_PYTHON_LINE.match(s.crashing_line.strip()) and \
        Found("the failing line works on data or model objects", library=_fallback_library(s))


@rule("OR-ML-NAME", "ML", examples=[example("NameError", "name 'X_train' is not defined")])
def _ml_name(s: Signals):
    """The undefined name is one the ML libraries' own documentation gives their data or models.

    knowledge/doc_names.py counts, in the libraries' doctest examples, the names bound to values
    computed from the libraries (`df = pd.DataFrame(...)`, `X_train, X_test, ... = train_test_split(...)`,
    `clf = LogisticRegression()`), keeping those Python's own examples do not use as readily; the
    name matches in case-folded form, or by its leading or trailing words (`X_train_scaled`, `train_df`).
    """
    name = s.undefined_name
    documented = name and data_or_model_name(name)
    return documented and Found(f"'{name}' is how the ML libraries' documentation names their objects "
                                f"('{documented}')", library=_fallback_library(s))


@rule("OR-PLAIN-PYTHON", "PY", examples=[example("ZeroDivisionError", "division by zero")])
def _plain_python(s: Signals):
    """No ML library or ML object is involved."""
    return Found("no ML library or ML object is involved", library=_fallback_library(s))
