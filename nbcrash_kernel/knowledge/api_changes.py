"""APIs that libraries removed or renamed, with the replacement.

A crash on one of these is a library API change (root cause LIB), not a
misunderstanding: the code was right for an older version.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .messages import CANNOT_IMPORT_FROM, MODULE_ATTRIBUTE, OBJECT_ATTRIBUTE, missing_module


@dataclass(frozen=True)
class ApiChange:
    library: str
    old: str            # the member as a crash names it (attribute, keyword or import)
    new: str            # what to use instead
    version: str        # the release that removed or renamed it
    kind: str = "attribute"   # attribute | keyword | import | module | style


API_CHANGES: tuple[ApiChange, ...] = (
    # pandas
    ApiChange("pandas", "append", "pd.concat([df, other])", "pandas 2.0"),
    ApiChange("pandas", "ix", ".loc[] (labels) or .iloc[] (positions)", "pandas 1.0"),
    ApiChange("pandas", "iteritems", ".items()", "pandas 2.0"),
    ApiChange("pandas", "as_matrix", ".to_numpy()", "pandas 1.0"),
    ApiChange("pandas", "get_value", ".at[] / .iat[]", "pandas 1.0"),
    ApiChange("pandas", "set_value", ".at[] / .iat[]", "pandas 1.0"),
    ApiChange("pandas", "sort", ".sort_values()", "pandas 0.20"),
    ApiChange("pandas", "swapaxes", ".transpose()", "pandas 3.0"),
    ApiChange("pandas", "datetime", "the datetime module", "pandas 2.0"),
    ApiChange("pandas", "Panel", "a MultiIndex DataFrame or xarray", "pandas 1.0"),
    ApiChange("pandas", "scatter_matrix", "pandas.plotting.scatter_matrix", "pandas 0.25"),
    ApiChange("pandas", "lookup", ".melt() then .loc[] or numpy indexing", "pandas 2.0"),
    ApiChange("pandas", "is_monotonic", ".is_monotonic_increasing", "pandas 2.0"),
    ApiChange("pandas", "line_terminator", "lineterminator=", "pandas 2.0", "keyword"),
    ApiChange("pandas", "error_bad_lines", "on_bad_lines='skip'", "pandas 2.0", "keyword"),
    ApiChange("pandas", "squeeze", ".squeeze('columns') after reading", "pandas 2.0", "keyword"),
    ApiChange("pandas", "date_parser", "date_format=", "pandas 2.0", "keyword"),
    ApiChange("pandas", "infer_datetime_format", "(remove: it is the default)", "pandas 2.0", "keyword"),
    # numpy
    ApiChange("numpy", "float", "float or np.float64", "numpy 1.24"),
    ApiChange("numpy", "int", "int or np.int64", "numpy 1.24"),
    ApiChange("numpy", "bool", "bool or np.bool_", "numpy 1.24"),
    ApiChange("numpy", "object", "object", "numpy 1.24"),
    ApiChange("numpy", "str", "str", "numpy 1.24"),
    ApiChange("numpy", "long", "int", "numpy 1.24"),
    ApiChange("numpy", "asscalar", "a.item()", "numpy 1.23"),
    ApiChange("numpy", "NaN", "np.nan", "numpy 2.0"),
    ApiChange("numpy", "Inf", "np.inf", "numpy 2.0"),
    ApiChange("numpy", "float_", "np.float64", "numpy 2.0"),
    ApiChange("numpy", "product", "np.prod", "numpy 2.0"),
    ApiChange("numpy", "row_stack", "np.vstack", "numpy 2.0"),
    ApiChange("numpy", "trapz", "np.trapezoid", "numpy 2.0"),
    ApiChange("numpy", "in1d", "np.isin", "numpy 2.0"),
    # scikit-learn
    ApiChange("sklearn", "plot_confusion_matrix", "ConfusionMatrixDisplay.from_estimator(...)", "scikit-learn 1.2", "import"),
    ApiChange("sklearn", "plot_roc_curve", "RocCurveDisplay.from_estimator(...)", "scikit-learn 1.2", "import"),
    ApiChange("sklearn", "plot_precision_recall_curve", "PrecisionRecallDisplay.from_estimator(...)", "scikit-learn 1.2", "import"),
    ApiChange("sklearn", "get_feature_names", "get_feature_names_out()", "scikit-learn 1.2"),
    ApiChange("sklearn", "load_boston", "fetch_california_housing() or fetch_openml('boston')", "scikit-learn 1.2", "import"),
    ApiChange("sklearn", "Imputer", "sklearn.impute.SimpleImputer", "scikit-learn 0.22", "import"),
    ApiChange("sklearn", "cross_validation", "sklearn.model_selection", "scikit-learn 0.20", "module"),
    ApiChange("sklearn", "grid_search", "sklearn.model_selection", "scikit-learn 0.20", "module"),
    ApiChange("sklearn", "joblib", "import joblib", "scikit-learn 0.23", "import"),
    ApiChange("sklearn", "externals.six", "import six", "scikit-learn 0.23", "module"),
    ApiChange("sklearn", "sparse", "sparse_output=", "scikit-learn 1.4", "keyword"),
    ApiChange("sklearn", "normalize", "a StandardScaler in a Pipeline", "scikit-learn 1.2", "keyword"),
    ApiChange("sklearn", "squared", "root_mean_squared_error(...)", "scikit-learn 1.6", "keyword"),
    ApiChange("sklearn", "n_iter", "max_iter=", "scikit-learn 0.21", "keyword"),
    ApiChange("sklearn", "affinity", "metric=", "scikit-learn 1.4", "keyword"),
    ApiChange("sklearn", "base_estimator", "estimator=", "scikit-learn 1.4", "keyword"),
    ApiChange("sklearn", "multi_class", "(remove: multinomial is the default)", "scikit-learn 1.7", "keyword"),
    ApiChange("sklearn", "from_estimator", "upgrade scikit-learn to 1.0 or newer", "scikit-learn 1.0 (added)"),
    # TensorFlow / Keras
    ApiChange("tensorflow", "Session", "eager execution, or tf.compat.v1.Session", "TensorFlow 2.0"),
    ApiChange("tensorflow", "placeholder", "tf.keras.Input or tf.compat.v1.placeholder", "TensorFlow 2.0"),
    ApiChange("tensorflow", "contrib", "tf.keras / TensorFlow Addons", "TensorFlow 2.0"),
    ApiChange("tensorflow", "get_default_graph", "tf.compat.v1.get_default_graph", "TensorFlow 2.0"),
    ApiChange("tensorflow", "global_variables_initializer", "eager execution (not needed)", "TensorFlow 2.0"),
    ApiChange("tensorflow", "set_random_seed", "tf.random.set_seed", "TensorFlow 2.0"),
    ApiChange("tensorflow", "FileWriter", "tf.summary.create_file_writer", "TensorFlow 2.0"),
    ApiChange("tensorflow", "ConfigProto", "tf.config / tf.compat.v1.ConfigProto", "TensorFlow 2.0"),
    ApiChange("tensorflow", "predict_classes", "np.argmax(model.predict(x), axis=-1)", "TensorFlow 2.6"),
    ApiChange("tensorflow", "predict_proba", "model.predict(x)", "TensorFlow 2.6"),
    ApiChange("keras", "predict_classes", "np.argmax(model.predict(x), axis=-1)", "Keras 2.6"),
    ApiChange("keras", "fit_generator", "model.fit(generator, ...)", "Keras 2.6"),
    ApiChange("keras", "predict_generator", "model.predict(generator)", "Keras 2.6"),
    ApiChange("keras", "evaluate_generator", "model.evaluate(generator)", "Keras 2.6"),
    ApiChange("keras", "lr", "learning_rate=", "Keras 2.11", "keyword"),
    ApiChange("keras", "np_utils", "keras.utils.to_categorical", "Keras 2.9", "module"),
    ApiChange("keras", "merge", "keras.layers.Concatenate / Add", "Keras 2.0", "module"),
    ApiChange("keras", "Merge", "keras.layers.Concatenate / Add", "Keras 2.0", "import"),
    ApiChange("keras", "nb_epoch", "epochs=", "Keras 2.0", "keyword"),
    ApiChange("keras", "init", "kernel_initializer=", "Keras 2.0", "keyword"),
    ApiChange("keras", "decay", "a LearningRateSchedule", "Keras 2.11", "keyword"),
    ApiChange("keras", "epsilon", "(check the optimizer's signature)", "Keras 2.11", "keyword"),
    ApiChange("keras", "pad_sequences", "keras.utils.pad_sequences", "Keras 2.9", "import"),
    ApiChange("keras", "load_img", "keras.utils.load_img", "Keras 2.9", "import"),
    ApiChange("keras", "img_to_array", "keras.utils.img_to_array", "Keras 2.9", "import"),
    ApiChange("keras", "to_categorical", "keras.utils.to_categorical", "Keras 2.9", "import"),
    ApiChange("keras", "set_session", "(not needed in TF 2)", "Keras 2.4", "import"),
    # PyTorch / vision
    ApiChange("torch", "Variable", "plain tensors (requires_grad=True)", "PyTorch 0.4"),
    ApiChange("torchtext", "legacy", "torchtext 0.9-0.11's torchtext.legacy, or the new API", "torchtext 0.12", "module"),
    ApiChange("torchvision", "pretrained", "weights=", "torchvision 0.13", "keyword"),
    # matplotlib / seaborn / plotting
    ApiChange("matplotlib", "seaborn", "plt.style.use('seaborn-v0_8')", "matplotlib 3.6", "style"),
    ApiChange("matplotlib", "get_cmap", "matplotlib.colormaps[name]", "matplotlib 3.9"),
    ApiChange("matplotlib", "normed", "density=", "matplotlib 3.1", "keyword"),
    ApiChange("matplotlib", "b", "visible=", "matplotlib 3.5", "keyword"),
    ApiChange("seaborn", "distplot", "sns.histplot / sns.displot", "seaborn 0.14"),
    ApiChange("seaborn", "tsplot", "sns.lineplot", "seaborn 0.9"),
    ApiChange("seaborn", "factorplot", "sns.catplot", "seaborn 0.9"),
    # others
    ApiChange("scipy", "imread", "imageio.v3.imread", "SciPy 1.2"),
    ApiChange("scipy", "imresize", "PIL.Image.resize or skimage.transform.resize", "SciPy 1.3"),
    ApiChange("scipy", "imsave", "imageio.v3.imwrite", "SciPy 1.2"),
    ApiChange("scipy", "misc", "imageio / PIL", "SciPy 1.10", "module"),
    # scipy.misc's aliases of scipy.special functions: deprecated in SciPy 1.0, removed in 1.3 (release notes;
    # "cannot import name 'comb' from 'scipy.misc'").
    ApiChange("scipy", "comb", "scipy.special.comb", "SciPy 1.3", "import"),
    ApiChange("scipy", "factorial", "scipy.special.factorial", "SciPy 1.3", "import"),
    ApiChange("scipy", "logsumexp", "scipy.special.logsumexp", "SciPy 1.3", "import"),
    # scipy/__init__.py (1.17.1): the numpy functions once re-exported at the top level are gone.
    ApiChange("scipy", "interp", "np.interp", "SciPy 1.12"),
    ApiChange("gym", "Monitor", "gym.wrappers.RecordVideo", "gym 0.23"),
    ApiChange("gensim", "size", "vector_size=", "gensim 4.0", "keyword"),
    ApiChange("gensim", "iter", "epochs=", "gensim 4.0", "keyword"),
    ApiChange("gensim", "vocab", "model.wv.key_to_index", "gensim 4.0"),
    ApiChange("gensim", "intersect_word2vec_format", "KeyedVectors.intersect_word2vec_format", "gensim 4.0"),
    ApiChange("PIL", "ANTIALIAS", "Image.LANCZOS", "Pillow 10"),
    ApiChange("PIL", "textsize", "ImageDraw.textbbox", "Pillow 10"),
    ApiChange("cv2", "xfeatures2d", "cv2.SIFT_create() (OpenCV ≥ 4.4) or opencv-contrib-python", "OpenCV 4.4"),
    ApiChange("statsmodels", "ols", "statsmodels.formula.api.ols", "statsmodels 0.13"),
    ApiChange("importlib", "metadata", "Python ≥ 3.8 (or the importlib-metadata package)", "Python 3.8 (added)", "import"),
)

_BY_ATTR: dict[str, list[ApiChange]] = {}
for _change in API_CHANGES:
    _BY_ATTR.setdefault(_change.old, []).append(_change)


def find_change(member: str, library: str | None = None, kind: str | None = None) -> ApiChange | None:
    """The change that removed ``member`` (best match for ``library`` when given)."""
    candidates = _BY_ATTR.get(member, [])
    if kind:
        candidates = [c for c in candidates if c.kind == kind] or []
    if library:
        for change in candidates:
            if change.library == library or library.startswith(change.library):
                return change
        return None
    return candidates[0] if len(candidates) == 1 else None


_TYPE_ATTR = re.compile(r"type object '([\w.]+)' has no attribute '(\w+)'")
_UNEXPECTED_KW = re.compile(r"unexpected keyword argument '(\w+)'")


_MEMBER_KINDS = ("attribute", "import", "module")
# Types no library's API change is about (builtins' own types).
_NOT_LIBRARY_TYPES = frozenset({"NoneType", "int", "float", "str", "bytes", "list", "tuple", "dict", "set",
                                "frozenset", "bool", "complex", "function", "method", "module", "type",
                                "generator", "range", "builtin_function_or_method"})


def _member_change(member: str, library: str | None) -> ApiChange | None:
    """A removed attribute, imported name or submodule of ``library`` (never a keyword or style)."""
    if not library:
        return None
    change = find_change(member, library)
    return change if change is not None and change.kind in _MEMBER_KINDS else None


def _qualified_library(owner: str) -> str | None:
    """``pandas.core.frame.DataFrame`` -> ``pandas`` when the owner is written with its module."""
    return owner.split(".", 1)[0] if "." in owner else None


_MENTIONS_CHANGE = ("has no attribute", "cannot import name", "unexpected keyword", "No module named", "style")


def change_for_message(evalue: str, library: str | None = None) -> ApiChange | None:
    """A known API change that explains an AttributeError/ImportError/TypeError message."""
    text = evalue or ""
    if not any(phrase in text for phrase in _MENTIONS_CHANGE):
        return None
    match = MODULE_ATTRIBUTE.search(text)
    if match:
        module, member = match.groups()
        return _member_change(member, module.split(".")[0])
    match = _TYPE_ATTR.search(text) or OBJECT_ATTRIBUTE.search(text)
    if match:
        owner, member = match.groups()
        from .symbols import library_of_symbol

        # Only an object of the library itself (its type names the library) shows that library's change:
        # None, a builtin or a user class with a member of the same name is not that library's API.
        short = owner.rsplit(".", 1)[-1]
        fallback = None if short in _NOT_LIBRARY_TYPES else library
        return _member_change(member, library_of_symbol(short) or _qualified_library(owner) or fallback)
    match = CANNOT_IMPORT_FROM.search(text)
    if match:
        member, module = match.groups()
        return find_change(member, module.split(".")[0])
    match = _UNEXPECTED_KW.search(text)
    if match and library:
        return find_change(match.group(1), library, kind="keyword")
    missing = missing_module(text)
    if missing:
        parts = missing.split(".")
        if len(parts) > 1:
            return find_change(".".join(parts[1:]), parts[0], kind="module") or find_change(parts[-1], parts[0], kind="module")
    if "is not a valid package style" in text or "not found in the style library" in text:
        return find_change("seaborn", "matplotlib", kind="style")
    return None
