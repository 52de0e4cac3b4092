"""Libraries: which import names are ML libraries, which are kernel plumbing, where they stand.

One table per fact; ``taxonomy.py`` re-exports the ML sets, ``tracebacks.py`` reads the
checkout names, the classifier reads the rest.
"""
from __future__ import annotations

# The study's 24 ML libraries, by top-level import name (taxonomy.md, section 3).
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
    "patsy", "formulaic",  # statsmodels.formula.api builds its design matrices with them
)

ML_LIBRARIES: frozenset[str] = frozenset(STUDY_LIBRARIES) | frozenset(OTHER_ML_LIBRARIES)

# Import names of widely used data-science libraries: a folder of that name in a path
# outside site-packages is a checkout or a clone of the library, not user code.
WELL_KNOWN_LIBRARIES: tuple[str, ...] = (
    "sklearn", "pandas", "numpy", "scipy", "matplotlib", "seaborn", "statsmodels", "torch",
    "torchvision", "torchaudio", "tensorflow", "keras", "keras_nlp", "keras_cv", "jax", "flax",
    "transformers", "datasets", "tokenizers", "sentence_transformers", "timm", "fastai",
    "ultralytics", "xgboost", "lightgbm", "catboost", "pyspark", "py4j", "nltk", "gensim", "spacy",
    "plotly", "bokeh", "dask", "joblib", "h5py", "cv2", "skimage", "PIL", "networkx", "mrcnn",
)

# Top-level packages installed under another library's name.
LIBRARY_ALIASES: dict[str, str] = {"tensorflow_core": "tensorflow", "tensorflow_estimator": "tensorflow"}

# Packages a traceback passes through on its way to any code (the kernel, decorators,
# compatibility shims): never "the library involved".
INFRASTRUCTURE: frozenset[str] = frozenset({
    "IPython", "ipykernel", "ipykernel_launcher", "six", "traitlets", "tornado", "zmq",
    "decorator", "wrapt", "typing_extensions", "google", "absl",
})

# Libraries whose code is mostly one pipeline stage: (stage, weight of the evidence).
STAGE_PRIOR: dict[str, tuple[str, float]] = {
    "matplotlib": ("DATAV", 1.5), "seaborn": ("DATAV", 2.0), "plotly": ("DATAV", 2.0),
    "wordcloud": ("DATAV", 2.0), "missingno": ("DATAV", 2.0), "pandas": ("DATAP", 1.0),
    "cv2": ("DATAP", 1.0), "PIL": ("DATAP", 1.0), "nltk": ("DATAP", 1.0),
    "h5py": ("EVAL", 0.5),
}


def is_ml_library(name: str | None) -> bool:
    """True for a top-level package that makes code ML-origin (``sklearn``, ``torch``...)."""
    return bool(name) and name in ML_LIBRARIES
