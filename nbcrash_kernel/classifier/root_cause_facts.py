"""Root cause from the crash record, part 0: where Python or a library says who is at fault.

These rules pre-empt the per-type ones (``root_causes.py`` and after): each reads a fact the
traceback states about the raise itself (a library's check of the data's kind, a base class's
contract broken by the user's subclass, CPython's own errors raised in the user's frame, a
``raise`` statement of the notebook's own code), whatever exception class carries it.
"""
from __future__ import annotations

import ast
import re

from ..knowledge.modules import CONVENTIONAL_ALIASES
from ..knowledge.object_conventions import BUILTIN_TYPES
from ..knowledge.raise_sites import AVAILABLE_IF, DATA_KIND, SUBCLASS_CONTRACT
from ..knowledge.symbols import library_of_symbol
from ..record.taxonomy import (API_MISUNDERSTOOD, DATA_STRUCTURE, INTENTIONAL, MODEL_MISUNDERSTOOD, UNKNOWN,
                               WRONG_IMPLEMENTATION)
from .exception_raise_sites import raise_site_of
from .rules import CELL_FILE, example, library_crash, rule, site, traceback_text
from .signals import Signals


@rule("RC-DATA-KIND-CHECK", "DATA", DATA_STRUCTURE, confidence=0.6,
      examples=[library_crash("AttributeError", "Can only use .str accessor with string values, not floating",
                            "df['city'].str.lower()", "pandas/core/strings/accessor.py"),
                library_crash("TypeError", "Cannot handle this data type: (1, 1, 3), <f8",
                            "img = Image.fromarray(arr)", "PIL/Image.py"),
                library_crash("OSError", "cannot write mode RGBA as JPEG", "img.save('a.jpg')",
                            "PIL/JpegImagePlugin.py"),
                library_crash("ValueError", "DataFrame.dtypes for data must be int, float, bool or category.",
                            "model.fit(X, y)", "xgboost/data.py")])
def _data_kind_check(s: Signals):
    """A library checked the kind of the data's values (dtype, inferred type, image mode) and cannot take it.

    The raise sites (knowledge/raise_sites.py DATA_KIND) read the data, not the call's arguments:
    pandas' `StringMethods._validate` infers the values' type (pandas/core/strings/accessor.py),
    Pillow's `fromarray` looks the array's dtype and shape up in its mode table (PIL/Image.py)
    and its JPEG writer the image's mode (PIL/JpegImagePlugin.py), XGBoost the frame's column
    dtypes (xgboost/data.py). Run: `pd.Series([1.0]).str.lower()`, `Image.fromarray(np.zeros((2, 2, 3)))`.
    """
    where = raise_site_of(DATA_KIND, s)
    return where and f"the data's values are of a kind the library checks for and does not take: {where}"


@rule("RC-IMPL-SUBCLASS-CONTRACT", "IMPL", WRONG_IMPLEMENTATION, confidence=0.7,
      examples=[example("AttributeError", "cannot assign module before Module.__init__() call", traceback_text(
          "AttributeError", "cannot assign module before Module.__init__() call", (CELL_FILE, "model = Net()"),
          (CELL_FILE, "self.fc = nn.Linear(7, 2)", 5, "__init__"),
          (site("torch/nn/modules/module.py"), "raise AttributeError(", 2004, "__setattr__"))),
                example("NotImplementedError", 'Module [Net] is missing the required "forward" function')])
def _subclass_contract(s: Signals):
    """The user's subclass of a library base class breaks the base class's contract (knowledge/raise_sites.py).

    torch's `nn.Module.__setattr__` needs `super().__init__()` to have run (it registers the
    submodule in `self._modules`, set by `Module.__init__`), and `Module.__call__` runs the
    subclass's `forward`, which the base class leaves as `_forward_unimplemented`
    (torch/nn/modules/module.py). The class at fault is the user's own.
    """
    where = raise_site_of(SUBCLASS_CONTRACT, s)
    return where and f"the notebook's own subclass breaks its base class's contract: {where}"


@rule("RC-MODEL-NOT-AVAILABLE", "MODEL", MODEL_MISUNDERSTOOD, confidence=0.5,
      examples=[library_crash("AttributeError", "This 'SVC' has no attribute 'predict_proba'",
                            "p = model.predict_proba(X)", "sklearn/utils/_available_if.py", "raise AttributeError")])
def _model_not_available(s: Signals):
    """The model as it was built does not offer the method: scikit-learn's `available_if` said so.

    scikit-learn defines such methods with `available_if` (sklearn/utils/_available_if.py), which
    raises "This 'SVC' has no attribute 'predict_proba'" when the estimator's own check fails:
    `SVC(probability=False)`, a Pipeline whose last step lacks the method, a meta-estimator whose
    inner estimator lacks it. Run: `SVC().fit(X, y).predict_proba(X)`.
    """
    where = raise_site_of(AVAILABLE_IF, s)
    return where and f"the model, as it was built, does not offer this method: {where}"


# CPython 3.11 Objects/dictobject.c dictiter_iternextkey ("dictionary changed size during iteration",
# "dictionary keys changed during iteration"), Objects/setobject.c setiter_iternext ("Set changed size
# during iteration"), Objects/odictobject.c ("OrderedDict mutated during iteration"),
# Modules/_collectionsmodule.c ("deque mutated during iteration"). Run: `for k in d: del d[k]`.
_MUTATED_WHILE_ITERATING = re.compile(r"^(?:dictionary|set|ordereddict|deque) (?:changed size|keys changed|mutated) "
                                      r"during iteration", re.I)


def _raised_in_users_code(s: Signals) -> bool:
    """The innermost frame is the notebook's own code (a cell or a user file), no library under it."""
    frames = s.frames
    return bool(frames) and frames[-1].is_user


@rule("RC-IMPL-MUTATED-WHILE-ITERATING", "IMPL", WRONG_IMPLEMENTATION, confidence=0.7,
      examples=[example("RuntimeError", "dictionary changed size during iteration", traceback_text(
          "RuntimeError", "dictionary changed size during iteration", (CELL_FILE, "for k in counts:")))])
def _mutated_while_iterating(s: Signals):
    """The notebook's own loop changes the dict or set it iterates: CPython's iterator refuses to go on.

    CPython's dict and set iterators compare the container's size (and keys' version) with the one
    they started with and raise RuntimeError when the loop body added or deleted entries
    (Objects/dictobject.c, Objects/setobject.c). Raised in the user's own frame, the loop is theirs.
    """
    return _raised_in_users_code(s) and _MUTATED_WHILE_ITERATING.search(s.evalue.strip()) and \
        "the code's own loop adds or deletes entries of the dict or set it iterates"


_RECURSION = "maximum recursion depth exceeded"


@rule("RC-IMPL-RECURSION", "IMPL", WRONG_IMPLEMENTATION, confidence=0.65,
      examples=[example("RecursionError", _RECURSION, traceback_text(
          "RecursionError", _RECURSION, (CELL_FILE, "fact(5)"), (CELL_FILE, "return n * fact(n - 1)", 2, "fact"),
          (CELL_FILE, "return n * fact(n - 1)", 2, "fact")))])
def _recursion(s: Signals):
    """The user's own function calls itself until Python's recursion limit: it never reaches a base case.

    CPython raises RecursionError when the frame depth passes `sys.getrecursionlimit()` (1000 by
    default; Python/ceval.c `_Py_CheckRecursiveCall`). When the innermost frame is the user's
    function and the traceback repeats it, the recursion is the user's own.
    """
    frames = s.frames
    if s.low_name != "recursionerror" or not _raised_in_users_code(s):
        return None
    function = frames[-1].function
    repeated = function and sum(1 for f in frames if f.is_user and f.function == function) >= 2
    return repeated and f"the notebook's own function {function}() calls itself until Python's recursion limit"


_RAISE = re.compile(r"^raise\s+([\w.]+)\s*\(")


@rule("RC-INTENT-OWN-RAISE", "INTENT", INTENTIONAL, confidence=0.5,
      examples=[example("NotImplementedError", "train_model is an exercise: write it", traceback_text(
          "NotImplementedError", "train_model is an exercise: write it", (CELL_FILE, "train_model(5)"),
          (CELL_FILE, "raise NotImplementedError('train_model is an exercise: write it')", 2, "train_model")))])
def _own_raise(s: Signals):
    """The notebook's own `raise` statement, written to stop right there, made the exception.

    The innermost frame is the user's code and its line is `raise Cls(...)` constructing the very
    class the traceback reports (Python's `raise` statement, Language Reference 7.8); not a
    re-raise (`raise`, `raise err`) nor a translation of another error (`raise ... from`, or a
    traceback that shows one exception raised while handling another). It counts as on purpose
    when the cell itself raises (at its top level), or when the class is NotImplementedError, which
    Python documents for methods "still being developed" (an exercise's stub). A guard inside the
    user's own function (`if x < 0: raise ValueError(...)`) is not enough: the guard worked, and
    the cause is whatever passed it the bad value, which this rule cannot see.
    """
    if not _raised_in_users_code(s):
        return None
    frame = s.frames[-1]
    line = (frame.line or "").strip()
    match = _RAISE.match(line)
    if not match or " from " in line or (s.parsed and s.parsed.chained):
        return None
    raised = match.group(1).rsplit(".", 1)[-1]
    top_level = frame.function in (None, "", "<module>")
    return raised.lower() == s.low_name and (top_level or raised == "NotImplementedError") and \
        f"the notebook's own code raises {match.group(1)} on purpose"


# CPython 3.11 Python/ceval.c unpack_iterable: "not enough values to unpack (expected 2, got 1)",
# "too many values to unpack (expected 2)".
_UNPACK = re.compile(r"^(?:not enough|too many) values to unpack", re.I)


def _unpacked_call(line: str) -> str | None:
    """The callee's name when the line unpacks a call's result into several names (`a, b = f(x)`)."""
    try:
        tree = ast.parse(line.strip())
    except SyntaxError:
        return None
    node = tree.body[0] if len(tree.body) == 1 else None
    if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Call):
        return None
    if not any(isinstance(t, (ast.Tuple, ast.List)) for t in node.targets):
        return None
    return ast.unparse(node.value.func)


@rule("RC-API-UNPACK-RESULT", "API", API_MISUNDERSTOOD, confidence=0.55, types=["VALUE"],
      examples=[example("ValueError", "too many values to unpack (expected 2)", traceback_text(
          "ValueError", "too many values to unpack (expected 2)", (CELL_FILE, "X_train, X_test = train_test_split(X, y)")))])
def _unpack_result(s: Signals):
    """The line unpacks what a library function returns into another number of names than it returns.

    Python's unpacking (Python/ceval.c) counts the values the right-hand side gives; when that is a
    call of a library's function (a known symbol, or reached through a module alias), the number
    is the library's documented return (`train_test_split` returns two arrays per input).
    """
    if not _UNPACK.search(s.evalue.strip()) or not _raised_in_users_code(s):
        return None
    callee = _unpacked_call(s.crashing_line)
    if not callee:
        return None
    root, last = callee.split(".", 1)[0], callee.rsplit(".", 1)[-1]
    imported = s.cell_imports.get(root) or (CONVENTIONAL_ALIASES.get(root) if "." in callee else None)
    library = library_of_symbol(last) or (imported.split(".", 1)[0] if imported else None)
    return library and f"{callee}() is {library}'s, and returns another number of values than the line unpacks"


# TypeErrors CPython raises on its own built-in objects (3.11; each run): Objects/abstract.c "'int' object is
# not iterable", "'NoneType' object is not subscriptable", Objects/call.c "'int' object is not callable",
# Objects/object.c "unhashable type: 'list'", Objects/unicodeobject.c "can only concatenate str (not "int")
# to str", Objects/listobject.c "can only concatenate list (not "int") to list", Python/ceval.c "cannot
# unpack non-iterable int object".
_BUILTIN_TYPE_ERRORS = re.compile(
    r"^(?:'(?P<owner>\w+)' object is not (?:iterable|subscriptable|callable)"
    r"|unhashable type: '(?P<key>\w+)'|can only concatenate (?:str|list|tuple) \(not"
    r"|cannot unpack non-iterable (?P<unpacked>\w+) object)")


def _plain_python(s: Signals) -> bool:
    """The whole traceback is the user's own code: no library frame, the innermost frame theirs."""
    return _raised_in_users_code(s) and not s.libraries and all(f.is_user or f.is_stdlib for f in s.frames)


@rule("RC-IMPL-TYPE-OWN-VALUES", "IMPL", WRONG_IMPLEMENTATION, confidence=0.5, types=["TYPE"],
      examples=[example("TypeError", "unhashable type: 'list'", traceback_text(
          "TypeError", "unhashable type: 'list'", (CELL_FILE, "seen[[1, 2]] = 'pair'"))),
                example("TypeError", "'int' object is not iterable", traceback_text(
                    "TypeError", "'int' object is not iterable", (CELL_FILE, "for i in count:")))])
def _type_own_values(s: Signals):
    """CPython's TypeError on its own built-in values, in code that is the notebook's alone.

    No library frame is in the traceback and the innermost frame is the user's: the int, list,
    str or None the operation failed on is a plain Python value of the user's code, and the
    message is CPython's own type check for its built-in types (an int iterated, None indexed, a
    list used as a dict key, str + int). A type error depends on the kinds of values the code
    makes, not on their content: the operation written does not fit the value the code made.
    (IndexError, KeyError and ZeroDivisionError depend on the values' content, which may be data:
    they are not read here.)
    """
    if s.low_name != "typeerror" or not _plain_python(s):
        return None
    match = _BUILTIN_TYPE_ERRORS.search(s.evalue.strip())
    if not match:
        return None
    owner = match.group("owner") or match.group("key") or match.group("unpacked")
    if owner and owner not in BUILTIN_TYPES and owner != "NoneType":
        return None
    return "CPython's type check failed on a built-in value of the notebook's own code (no library in the traceback)"


@rule("RC-IMPL-TRUTH-OWN-CODE", "IMPL", WRONG_IMPLEMENTATION, confidence=0.5, types=["VALUE"],
      examples=[example("ValueError", "The truth value of an array with more than one element is ambiguous. Use a.any() "
                        "or a.all()", traceback_text("ValueError", "The truth value of an array with more than one element "
                                                     "is ambiguous.", (CELL_FILE, "if points > 0.5:")))])
def _truth_own_code(s: Signals):
    """The notebook's own `if`, `and`, `or`, `not` or sort asked a numpy array for one True/False.

    numpy's `ndarray.__bool__` (numpy/_core/src/multiarray/number.c `_array_nonzero`, C code, so no
    frame of its own) raises for more than one element; when the innermost frame is the user's,
    the statement that needed a single truth value is the user's own logic (use `.any()`/`.all()`
    or an element). Raised under a library's frame, the library asked: another rule's case.
    """
    return "truth value of an array" in s.evalue.lower() and _raised_in_users_code(s) and \
        "the notebook's own condition asks a numpy array for one True/False"


@rule("RC-IMPL-METRIC-TARGET-KINDS", "IMPL", WRONG_IMPLEMENTATION, confidence=0.5, types=["DVIOL", "VALUE"],
      examples=[example("ValueError", "Classification metrics can't handle a mix of binary and continuous targets",
                        traceback_text("ValueError", "Classification metrics can't handle a mix of binary and continuous "
                                       "targets", (CELL_FILE, "acc = accuracy_score(y_test, scores)"),
                                       (site("sklearn/metrics/_classification.py"), "raise ValueError(")))])
def _metric_target_kinds(s: Signals):
    """A classification metric got predictions of another kind than the true labels (scores, regression outputs).

    scikit-learn's `_check_targets` (sklearn/metrics/_classification.py) compares
    `type_of_target(y_true)` with `type_of_target(y_pred)` and raises "Classification metrics
    can't handle a mix of binary and continuous targets": `y_pred` is what the code computed
    (`decision_function`, a regressor's output, scores), not class labels. A line that passes
    `predict_proba` is RC-DVIOL-PROBA's (API: the method's output misread).
    """
    return s.evalue.lower().startswith("classification metrics can't handle a mix of") and \
        "proba" not in s.crashing_line and \
        "the metric got predictions of another kind (scores, continuous outputs) than the true labels"


@rule("RC-DATA-LENGTH-CHECK", "DATA", DATA_STRUCTURE, confidence=0.5, types=["VALUE"],
      examples=[library_crash("ValueError", "Length of values (3) does not match length of index (4)",
                            "df['group'] = [1, 2, 3]", "pandas/core/common.py", "raise ValueError(")])
def _length_check(s: Signals):
    """A library compared the lengths of the data it was given and they differ (not Python's own unpacking).

    pandas' `require_length_match` (pandas/core/common.py) checks a column's values against the
    frame's index, `Index.set_axis` the labels against the axis ("Length mismatch"); the raise is
    in the library's frame, on the data's sizes. Run: `pd.DataFrame({'a': [1, 2, 3, 4]})['b'] = [1, 2, 3]`.
    """
    return s.etype.detail == "valueerror - data range mismatch" and s.raised_in_library and \
        not _UNPACK.search(s.evalue.strip()) and "a library compared the data's lengths and they differ"



def _torch_layer_frame(s: Signals):
    """The innermost frame of a torch layer's own forward() (torch/nn/modules/, losses excepted), or None."""
    for frame in reversed(s.frames):
        path = (frame.path or frame.filename or "").replace("\\", "/")
        method = (frame.function or "").rsplit(".", 1)[-1]  # IPython shows "Linear.forward"
        if "torch/nn/modules/" in path and method == "forward" and not path.endswith("/loss.py"):
            return frame
    return None


@rule("RC-MODEL-LAYER-SIZE", "MODEL", MODEL_MISUNDERSTOOD, confidence=0.5, types=["TSHAPE"],
      examples=[example("RuntimeError", "mat1 and mat2 shapes cannot be multiplied (8x8 and 7x2)", traceback_text(
          "RuntimeError", "mat1 and mat2 shapes cannot be multiplied (8x8 and 7x2)", (CELL_FILE, "out = model(xb)"),
          (site("torch/nn/modules/linear.py"), "return F.linear(input, self.weight, self.bias)", 125, "forward")))])
def _layer_size(s: Signals):
    """A torch layer's forward() fails on a shape: the size the layer was built with is not its input's.

    `nn.Linear.forward` computes `F.linear(input, self.weight, self.bias)` (torch/nn/modules/linear.py),
    `input @ weight.T`, so "mat1 and mat2 shapes cannot be multiplied (8x8 and 7x2)" says the layer
    was built with `in_features=7` for an input of 8 features; convolutions and recurrent layers
    check `in_channels` and `input_size` the same way (torch/nn/modules/conv.py, rnn.py).
    """
    frame = _torch_layer_frame(s)
    return frame is not None and \
        f"torch's {frame.filename.rsplit('/', 1)[-1]} forward() fails: the layer's built size is not its input's"


@rule("RC-UNK-CHILD-EXIT", "UNK", UNKNOWN, confidence=0.35,
      examples=[example("CalledProcessError", "Command '['sh', '-c', 'exit 3']' returned non-zero exit status 3.")])
def _child_exit(s: Signals):
    """A command run by `subprocess` exited with an error status: the exception says no more than that.

    `subprocess.CalledProcessError.__str__` (Lib/subprocess.py) words only the command and its
    exit status or signal; why the program failed is in its own output (`stderr`), which the
    message does not carry. The record does not tell the cause.
    """
    return s.low_name == "calledprocesserror" and \
        "the command exited with an error status; its reason is in its own output, which the message does not carry"


# keras/src/backend/tensorflow/nn.py binary_crossentropy / categorical_crossentropy (Keras 3): the loss
# compares the model's output with the target; Keras 2 keras/engine/training_utils.py
# standardize_input_data: "Error when checking target: expected dense_2 to have shape (10,)".
_OUTPUT_VS_TARGET = re.compile(r"^(?:arguments `target` and `output` must have the same shape"
                               r"|error when checking (?:model )?target: expected \w+ to have)", re.I)


@rule("RC-MODEL-OUTPUT-VS-TARGET", "MODEL", MODEL_MISUNDERSTOOD, confidence=0.45, types=["TSHAPE"],
      examples=[library_crash("ValueError", "Arguments `target` and `output` must have the same shape. Received: "
                            "target.shape=(None, 3), output.shape=(None, 1)", "model.fit(X, y, epochs=1)",
                            "keras/src/backend/tensorflow/nn.py")])
def _output_vs_target(s: Signals):
    """Keras' loss compares the model's output with the target, and the model's output has another shape.

    The check (keras/src/backend/tensorflow/nn.py in Keras 3; training_utils.py "Error when
    checking target" in Keras 2) names the model's output layer against the labels given: the
    last layer was built with another number of units (or activation) than the target has columns.
    """
    return _OUTPUT_VS_TARGET.search(s.evalue.strip()) and \
        "the model's output layer has another shape than the target it is trained on"


# keras/src/layers/layer.py count_params (Keras 3): "You tried to call `count_params` on layer 'x', but the
# layer isn't built"; tf.keras / Keras 2 engine/training.py summary(): "This model has not yet been built.
# Build the model first by calling `build()` or by calling the model on a batch of data."
_NOT_BUILT = re.compile(r"but the layer isn't built|this model has not yet been built", re.I)


@rule("RC-MODEL-NOT-BUILT", "MODEL", MODEL_MISUNDERSTOOD, confidence=0.45, types=["INIT", "VALUE"],
      examples=[library_crash("ValueError", "You tried to call `count_params` on layer 'sequential', but the layer isn't "
                            "built. You can build it manually via: `layer.build(input_shape)`.",
                            "print(model.count_params())", "keras/src/layers/layer.py")])
def _model_not_built(s: Signals):
    """A Keras model defined without its input shape has no weights yet: summary() and count_params() fail.

    Keras creates a layer's weights in `build()`, once the input shape is known (the Sequential
    model guide, "Specifying the input shape in advance": layers show `built=False` until the model
    sees an `Input` or data); `Layer.count_params` (keras/src/layers/layer.py) and Keras 2's
    `summary()` refuse an unbuilt model. The model, as it was defined, lacks its input shape.
    """
    return _NOT_BUILT.search(s.evalue) and "the model was defined without its input shape, so it has no weights yet"
