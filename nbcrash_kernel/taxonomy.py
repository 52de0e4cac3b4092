"""The codes of ``taxonomy.md``: the contract every diagnosis uses.

Scripts outside nbcrash read ``exception_type``, ``root_cause``, ``origin``,
``library`` and ``stage`` by these exact codes, so they never change here
without changing the taxonomy.
"""
from __future__ import annotations

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

# Fine labels of the root causes that are notebook-specific (taxonomy.md, "precisely").
NB_EXECUTION_ORDER = "nb specific - execution order"
NB_PREVIOUS_CELL_ERROR = "nb specific - previous cell error"
NB_FUTURE_CELLS = "nb specific - need execute future cells"

# The study's 24 ML libraries, by top-level import name.
STUDY_LIBRARIES: tuple[str, ...] = (
    "pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn", "plotly",
    "wordcloud", "missingno", "sklearn", "tensorflow", "keras", "torch", "xgboost",
    "lightgbm", "catboost", "imblearn", "cv2", "torchvision", "skimage", "nltk",
    "transformers", "optuna", "datasets",
)

# Other libraries whose code or objects make a crash ML-origin: model, tensor and
# image libraries. General tools that ML code also uses (dask, pyspark, gym, librosa,
# requests, joblib...) do not: the study's labellers counted their crashes as Python.
OTHER_ML_LIBRARIES: tuple[str, ...] = (
    "PIL", "gensim", "spacy", "keras_nlp", "keras_cv", "tensorflow_hub", "tensorflow_datasets",
    "tensorflow_core", "tensorflow_estimator", "torchaudio", "torchtext", "lightning", "pytorch_lightning",
    "fastai", "timm", "jax", "flax", "sentence_transformers", "tokenizers", "accelerate", "peft",
    "diffusers", "huggingface_hub", "evaluate", "mlxtend", "shap", "lime", "prophet", "fbprophet",
    "pmdarima", "surprise", "umap", "hdbscan", "yellowbrick", "pycaret", "category_encoders",
    "feature_engine", "skopt", "hyperopt", "ultralytics", "yolov5", "detectron2", "mmcv", "kornia",
    "einops", "scikitplot", "mrcnn", "bertopic", "efficientnet_pytorch", "segmentation_models",
    "segmentation_models_pytorch", "albumentations", "imgaug", "keras_preprocessing", "keras_applications",
)

ML_LIBRARIES: frozenset[str] = frozenset(STUDY_LIBRARIES) | frozenset(OTHER_ML_LIBRARIES)


def is_ml_library(name: str | None) -> bool:
    """True for a top-level package that makes code ML-origin (``sklearn``, ``torch``...)."""
    return bool(name) and name in ML_LIBRARIES


def describe(dimension: str, code: str) -> str:
    """The words for a code, e.g. ``describe('root_cause', 'NB')``."""
    table = {
        "exception_type": EXCEPTION_TYPES,
        "root_cause": ROOT_CAUSES,
        "origin": ORIGINS,
        "stage": STAGES,
    }[dimension]
    return table.get(code, code)
