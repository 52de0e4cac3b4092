"""Modules: conventional aliases, the standard library, pip package names."""
from __future__ import annotations

import sys

# Conventional import aliases and bare module names people use without importing.
CONVENTIONAL_ALIASES: dict[str, str] = {
    "np": "numpy", "pd": "pandas", "plt": "matplotlib.pyplot", "mpl": "matplotlib",
    "sns": "seaborn", "tf": "tensorflow", "keras": "keras", "K": "keras.backend",
    "nn": "torch.nn", "F": "torch.nn.functional", "optim": "torch.optim", "torch": "torch",
    "torchvision": "torchvision", "transforms": "torchvision.transforms",
    "px": "plotly.express", "go": "plotly.graph_objects", "py": "plotly.offline",
    "sm": "statsmodels.api", "smf": "statsmodels.formula.api", "sp": "scipy",
    "stats": "scipy.stats", "cv2": "cv2", "cv": "cv2", "xgb": "xgboost", "lgb": "lightgbm",
    "lgbm": "lightgbm", "cb": "catboost", "sk": "sklearn", "sklearn": "sklearn",
    "skl": "sklearn", "ske": "sklearn.ensemble", "metrics": "sklearn.metrics",
    "preprocessing": "sklearn.preprocessing", "tfds": "tensorflow_datasets",
    "hub": "tensorflow_hub", "layers": "tensorflow.keras.layers", "msno": "missingno",
    "nltk": "nltk", "spacy": "spacy", "gensim": "gensim", "optuna": "optuna",
    "pl": "pytorch_lightning", "transformers": "transformers", "datasets": "datasets",
    "Image": "PIL.Image", "PIL": "PIL", "imblearn": "imblearn", "shap": "shap",
    "scipy": "scipy", "pandas": "pandas", "numpy": "numpy", "seaborn": "seaborn",
    "matplotlib": "matplotlib", "tensorflow": "tensorflow", "xgboost": "xgboost",
    "lightgbm": "lightgbm", "catboost": "catboost", "statsmodels": "statsmodels",
    "plotly": "plotly", "wordcloud": "wordcloud", "skimage": "skimage", "io": "io",
    "os": "os", "sys": "sys", "re": "re", "json": "json", "pickle": "pickle",
    "math": "math", "random": "random", "time": "time", "datetime": "datetime",
    "glob": "glob", "shutil": "shutil", "warnings": "warnings", "collections": "collections",
    "itertools": "itertools", "string": "string", "csv": "csv", "requests": "requests",
    "joblib": "joblib", "tqdm": "tqdm", "Path": "pathlib.Path", "display": "IPython.display",
"sqlite3": "sqlite3",
    "copy": "copy", "gc": "gc", "zipfile": "zipfile", "urllib": "urllib", "torchtext": "torchtext",
}

# The aliases so conventional that ``np.x`` reads as a module attribute even without the import
# (cell facts use these; the classifier reads the whole table above).
IMPLICIT_ALIASES: frozenset[str] = frozenset({
    "np", "pd", "plt", "sns", "tf", "torch", "nn", "sklearn", "cv2", "sm", "smf", "px", "xgb", "lgb",
    "keras", "nltk", "msno", "scipy", "numpy", "pandas", "matplotlib", "os", "sys", "math", "json", "re",
})

# Module top names of the standard library (fallback list for Python < 3.10 is unnecessary).
STDLIB_MODULES: frozenset[str] = frozenset(getattr(sys, "stdlib_module_names", ())) | {
    "__future__", "builtins",
}

# import name -> pip package name, where they differ.
PIP_NAMES: dict[str, str] = {
    "cv2": "opencv-python", "sklearn": "scikit-learn", "PIL": "pillow",
    "skimage": "scikit-image", "yaml": "pyyaml", "bs4": "beautifulsoup4",
    "dateutil": "python-dateutil", "Crypto": "pycryptodome", "dotenv": "python-dotenv",
    "docx": "python-docx", "pptx": "python-pptx", "magic": "python-magic",
    "serial": "pyserial", "usb": "pyusb", "git": "gitpython", "jwt": "pyjwt",
    "MySQLdb": "mysqlclient", "psycopg2": "psycopg2-binary", "tensorflow_datasets": "tensorflow-datasets",
    "tensorflow_hub": "tensorflow-hub", "keras_nlp": "keras-nlp", "keras_cv": "keras-cv",
    "imblearn": "imbalanced-learn", "fitz": "pymupdf", "Levenshtein": "python-Levenshtein",
    "sentence_transformers": "sentence-transformers", "category_encoders": "category-encoders",
    "pytorch_lightning": "pytorch-lightning", "lightning": "lightning", "umap": "umap-learn",
    "pyLDAvis": "pyldavis", "wordninja": "wordninja", "google.colab": "(Colab only: not installable)",
    "splitfolders": "split-folders", "attr": "attrs", "OpenSSL": "pyopenssl",
    "win32api": "pywin32", "win32com": "pywin32", "tflite_runtime": "tflite-runtime",
    "mpl_toolkits.basemap": "basemap", "faiss": "faiss-cpu", "detectron2": "(build from source)",
    "fbprophet": "prophet", "sklearn_crfsuite": "sklearn-crfsuite", "scikitplot": "scikit-plot",
    "skopt": "scikit-optimize", "mlxtend": "mlxtend", "gym": "gymnasium",
}

# Modules that exist only on a particular platform.
PLATFORM_MODULES: dict[str, str] = {
    "google.colab": "Google Colab", "kaggle_secrets": "Kaggle", "kaggle_datasets": "Kaggle",
    "learntools": "Kaggle", "js": "Pyodide",
}


def top_module(qualified: str) -> str:
    """``'sklearn.model_selection'`` -> ``'sklearn'``."""
    return qualified.split(".", 1)[0] if qualified else ""


def pip_name(module: str) -> str:
    """The pip package that provides an import name (``cv2`` -> ``opencv-python``)."""
    if module in PIP_NAMES:
        return PIP_NAMES[module]
    top = top_module(module)
    return PIP_NAMES.get(top, top.replace("_", "-"))


def is_stdlib(module: str) -> bool:
    return top_module(module) in STDLIB_MODULES
