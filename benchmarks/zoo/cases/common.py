"""Shorthands for case labels and pools of names and data that the templates draw from."""
from __future__ import annotations

from ..case import Labels, vary  # noqa: F401  (re-exported for the case modules)

# The fine label a case gets unless it names another (taxonomy.md's detail columns).
EXCEPTION_FINE = {
    "VNF": "variable not found", "NAME": "function not found", "MODULE": "module not found",
    "IARG": "wrong arguments to API", "ATTR": "attributeerror", "KEY": "keyerror", "INDEX": "indexerror-nd",
    "TYPE": "typeerror", "VALUE": "valueerror", "TSHAPE": "tensor shape mismatch",
    "BCAST": "unsupported broadcast", "DVIOL": "valueerror - data value violation",
    "FNAME": "valueerror - feature name mismatch", "OOM": "out of memory (OOM)", "IO": "filenotfounderror",
    "ENV": "importerror", "RERR": "requesterror", "RUNTIME": "runtimeerror",
    "INIT": "initialization error (call mul-times, wrong order)", "OTHER": "unknown",
}
CAUSE_FINE = {
    "API": "misunderstanding of APIs", "NB": "nb specific - execution order",
    "DATA": "misunderstanding of data structure", "MODEL": "misunderstanding of ML model",
    "IMPL": "wrong implementation", "ENV": "file/path not found or exist", "LIB": "API change",
    "RSC": "insufficient resources", "INTENT": "intentional", "UNK": "unknown",
}


def lab(codes: str, origin: str, stage: str, library: str = "", *, et: str = "", rc: str = "") -> Labels:
    """``lab("KEY/DATA", "ML", "DATAP", "pandas")``: exception type / root cause, then the rest."""
    exception_type, root_cause = codes.split("/")
    return Labels(exception_type, et or EXCEPTION_FINE[exception_type], root_cause,
                  rc or CAUSE_FINE[root_cause], origin, stage, library)


FRAMES = ["df", "data", "train", "sales", "customers", "houses", "raw", "frame", "titanic", "orders"]
COLUMNS = ["price", "age", "income", "score", "rating", "weight", "height", "area", "distance", "temp"]
LABELS = ["target", "label", "survived", "churn", "y", "outcome", "class_id", "is_fraud"]
CATEGORIES = ["city", "gender", "color", "brand", "region", "species", "segment", "country"]
CITY_VALUES = ["'paris', 'lima', 'oslo'", "'red', 'blue', 'red'", "'a', 'b', 'c'", "'m', 'f', 'm'",
               "'north', 'south', 'east'", "'cat', 'dog', 'cat'"]
ARRAYS = ["x", "arr", "values", "features", "signal", "weights", "matrix", "vec", "samples", "points"]
MODELS = ["model", "clf", "reg", "estimator", "net", "pipe", "knn", "forest", "svm_model", "regressor"]
XS = ["X", "X_train", "features", "inputs", "X_tr", "train_x"]
YS = ["y", "y_train", "labels", "targets", "y_tr", "train_y"]
SIZES = [5, 6, 8, 10, 12, 15, 20, 24, 30, 40]
SEEDS = [0, 1, 7, 13, 42, 99, 123, 2024]
FILES = ["data.csv", "train.csv", "input/houses.csv", "../dataset/sales.csv", "raw/records.csv",
         "titanic.csv", "measurements.csv", "data/test.csv"]
FUNCS = ["clean", "preprocess", "compute_stats", "normalize", "load_data", "plot_history", "evaluate",
         "make_features", "split_data", "train_model"]
