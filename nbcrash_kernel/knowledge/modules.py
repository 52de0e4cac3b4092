"""Modules: documented import aliases, the standard library, pip package names."""
from __future__ import annotations

import sys

from .doc_names import IMPLICIT_USES, IMPORT_ALIASES
from .libraries import STUDY_LIBRARIES, WELL_KNOWN_LIBRARIES

# Import aliases and module names, as the libraries' own documentation writes them
# (knowledge/doc_names.py, counted by benchmarks/doc_names.py), and the import names of the study's
# libraries (taxonomy.md, section 3) and of the well-known ones (libraries.py): each is that module's own name. An alias two libraries'
# documentation both use (``pl``: polars and pytorch_lightning) is in neither: the notebook's own
# import, or the traceback's modules, decide it.
CONVENTIONAL_ALIASES: dict[str, str] = {**{name: name for name in (*STUDY_LIBRARIES, *WELL_KNOWN_LIBRARIES)},
                                         **IMPORT_ALIASES}

# The aliases the documentation's examples use without importing them (``np.x`` with no import in the
# example: the library's doctest set-up provides it): read as a module even without the import.
IMPLICIT_ALIASES: frozenset[str] = frozenset(name for name in IMPLICIT_USES if name in CONVENTIONAL_ALIASES)

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
