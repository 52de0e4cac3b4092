"""Origin (ML library code vs plain Python) and the library involved."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..knowledge.modules import CONVENTIONAL_ALIASES, top_module
from ..taxonomy import is_ml_library
from .signals import Signals

# Method calls and names that, by data-science convention, mean ML objects.
ML_METHOD = re.compile(
    r"\.(?:fit|fit_transform|transform|predict|predict_proba|score|evaluate|compile|summary|reshape|"
    r"zero_grad|backward|to_csv|rename|merge|iloc|loc|fillna|dropna|astype|groupby|value_counts|"
    r"batch|map_partitions|inverse_transform|add|shape|dtype|values|columns|state_dict|cuda|numpy|"
    r"train|visualize\w*|get_dummies|apply)\b")
ML_NAME = re.compile(r"^(?:df\d*|[Xx]\w*_(?:train|test|val)\w*|[Xx]_?(?:train|test|val)\w*|[Yy]_\w+|\w*_?train_\w+|"
                     r"\w*_(?:train|test)|model\w*|\w*_model|clf\w*|\w*_clf|regressor\w*|classifier\w*|"
                     r"\w*history|\w*_df|\w*_data|data_\w+|datasets?|\w*dataset|tf_?idf\w*|\w*optimizer|"
                     r"\w*tensor\w*|\w*_?loader|embeddings?)$", re.IGNORECASE)

_INFRA = {"IPython", "ipykernel", "ipykernel_launcher", "six", "traitlets", "tornado", "zmq",
          "decorator", "wrapt", "typing_extensions", "google", "absl"}


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


def classify_origin(signals: Signals) -> Origin:
    """ML when ML library code or ML objects are involved, else PY."""
    ml_frames = [lib for lib in signals.libraries if is_ml_library(lib) and lib not in _INFRA]
    if ml_frames:
        library = _keras_flavour(signals, ml_frames[0])
        return Origin("ML", library, f"the error passes through {', '.join(ml_frames[:3])} code")
    from ..knowledge.symbols import library_of_message

    worded = library_of_message(signals.evalue)
    if worded and not signals.libraries:
        return Origin("ML", worded, f"the message is {worded}'s wording")
    for name, library in signals.variable_libraries.items():
        if is_ml_library(library):
            return Origin("ML", library, f"'{name}' holds a {library} object")
    for module in signals.line_modules:
        top = top_module(module)
        if is_ml_library(top):
            return Origin("ML", top, f"the failing line uses {module}")
    missing = _missing_module(signals)
    if missing:
        return Origin("ML" if is_ml_library(missing) else "PY", missing if is_ml_library(missing) else "",
                      f"the missing module is {missing}")
    if signals.message_library and is_ml_library(signals.message_library):
        return Origin("ML", signals.message_library, f"the message names a {signals.message_library} object")
    for lib in signals.line_symbol_libraries:
        if is_ml_library(lib):
            return Origin("ML", lib, f"the failing line calls {lib} API")
    library = next((lib for lib in signals.libraries if lib not in _INFRA), "") or signals.message_library or ""
    line = f"{signals.crashing_line}\n{signals.cell_line}"
    if ML_METHOD.search(line) and not _plain_python_line(signals):
        return Origin("ML", library, "the failing line works on data or model objects")
    if signals.undefined_name and ML_NAME.match(signals.undefined_name):
        return Origin("ML", library, f"'{signals.undefined_name}' names data or a model")
    return Origin("PY", library, "no ML library or ML object is involved")


def _missing_module(signals: Signals) -> str | None:
    """The top-level library a ModuleNotFoundError names (aliases such as 'tf' resolved)."""
    if signals.ename.lower() not in {"modulenotfounderror", "importerror"}:
        return None
    match = re.search(r"No module named '?([\w.]+)", signals.evalue)
    if not match:
        return None
    name = match.group(1)
    return top_module(CONVENTIONAL_ALIASES.get(name, name))


def _plain_python_line(signals: Signals) -> bool:
    """Lines that are plain Python bookkeeping even when a variable name sounds like data."""
    line = signals.crashing_line.strip()
    return bool(re.match(r"^(?:print\(|with open\(|open\(|os\.|sys\.|json\.|for \w+ in range\()", line))
