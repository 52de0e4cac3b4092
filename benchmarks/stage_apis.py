"""Write ``nbcrash_kernel/knowledge/stage_apis.py``: the pipeline stage of library APIs, read from the libraries.

Usage: python benchmarks/stage_apis.py [--write]

Run it where the libraries are installed (the zoo's venv, benchmarks/zoo/README.md, or any venv with
scikit-learn, pandas, matplotlib, seaborn, plotly, scipy, statsmodels, torch, keras, xgboost and
lightgbm). It imports each library, prints its version, and lists the public members of the modules
below (``__all__`` where the module defines it, else ``dir()`` less private names and submodules),
or the public methods of the classes below. Each group gives its members one stage of taxonomy.md
(section 4) by what the module is documented to be for; the names a group lists by hand are the
library's documented grouping of its own API, checked here to exist. A library that is missing
stops the script: the table is always written from all of them.

The classifier reads the written table as plain data (no library is imported at run time).
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import os
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "nbcrash_kernel" / "knowledge" / "stage_apis.py"
LIBRARIES = ("sklearn", "pandas", "matplotlib", "seaborn", "plotly", "scipy", "statsmodels", "torch",
             "keras", "tensorflow", "xgboost", "lightgbm")


def _groups(spec: str) -> tuple[tuple[str, float, str, str, str], ...]:
    """``STAGE WEIGHT WHERE NAMES... | SOURCE`` lines as tuples (``#`` lines are headings; WHERE is a
    module, or classes joined by commas)."""
    groups = []
    for line in spec.strip().splitlines():
        if line.startswith("#"):
            continue
        head, _, source = line.partition(" | ")
        stage, weight, where, names = head.split(None, 3)
        groups.append((stage, float(weight), where.replace(",", " "), names, source))
    return tuple(groups)


# (stage, weight, module, members, source): members is "*" for every public member, or the names the
# source groups together. Order matters: a later group never overrides a member an earlier one set.
MODULE_GROUPS = _groups("""
# scikit-learn: the API reference's module sections (https://scikit-learn.org/stable/api/index.html)
DATAP 2 sklearn.model_selection train_test_split | sklearn API reference, model_selection 'Splitters': splitting the data is data preparation
TRAIN 2 sklearn.model_selection * | sklearn API reference, model_selection: splitters, hyper-parameter search, cross-validation, learning curves
ENVS 2 sklearn set_config get_config config_context show_versions | sklearn API reference, sklearn: global configuration
EVAL 2.5 sklearn.metrics * | sklearn API reference, sklearn.metrics: scores, metrics, displays
EVAL 2 sklearn.inspection * | sklearn API reference, sklearn.inspection: inspecting a fitted model
DATAP 2 sklearn.preprocessing * | sklearn API reference, sklearn.preprocessing
DATAP 2 sklearn.impute * | sklearn API reference, sklearn.impute
DATAP 2 sklearn.feature_extraction * | sklearn API reference, sklearn.feature_extraction
DATAP 2 sklearn.feature_extraction.text * | sklearn API reference, sklearn.feature_extraction.text
DATAP 2 sklearn.feature_selection * | sklearn API reference, sklearn.feature_selection
DATAP 2 sklearn.decomposition * | sklearn API reference, sklearn.decomposition
DATAP 2 sklearn.compose * | sklearn API reference, sklearn.compose: column transformers
DATAP 2 sklearn.datasets * | sklearn API reference, sklearn.datasets: loaders and generators
MCONS 1.2 sklearn.pipeline * | sklearn API reference, sklearn.pipeline: composing an estimator
# pandas: the API reference (https://pandas.pydata.org/docs/reference/index.html)
DATAV 2 pandas.plotting * | pandas API reference, 'Plotting'
ENVS 2 pandas set_option get_option reset_option option_context describe_option show_versions | pandas API reference, 'Options and settings'
DATAP 2 pandas read_* | pandas API reference, 'Input/output': the readers
DATAP 2 pandas concat merge merge_asof merge_ordered get_dummies from_dummies to_datetime to_numeric to_timedelta cut qcut pivot pivot_table melt crosstab wide_to_long json_normalize factorize | pandas API reference, 'General functions': data manipulations and conversions
DATAP 1 pandas * | pandas API reference: data structures and the other functions
# visualisation libraries: every public member draws
ENVS 2 matplotlib.pyplot switch_backend get_backend rc rcdefaults rc_context ioff ion interactive | matplotlib docs, 'Backends' and 'Customizing Matplotlib with style sheets and rcParams': configuration
ENVS 2 matplotlib use rc rcdefaults rc_context | matplotlib API, matplotlib.use and rcParams
DATAV 2 matplotlib.pyplot * | matplotlib.pyplot: the state-based plotting interface
DATAP 2 seaborn load_dataset get_dataset_names get_data_home | seaborn API reference, 'Utility functions': loading example data sets
DATAV 2 seaborn * | seaborn API reference: every function draws a plot
DATAV 2 plotly.express * | plotly.express: figures from data
DATAV 2 plotly.graph_objects * | plotly.graph_objects: figures and traces
DATAV 2 statsmodels.graphics.api * | statsmodels API reference, 'Graphics'
# scipy.stats: transforms of the data (https://docs.scipy.org/doc/scipy/reference/stats.html, "Transformations")
DATAP 1.5 scipy.stats boxcox boxcox_normmax yeojohnson zscore zmap trimboth trim1 sigmaclip | scipy.stats reference, 'Transformations' and 'Trimming functions'
TRAIN 2 scipy.optimize minimize minimize_scalar curve_fit least_squares leastsq fmin fmin_bfgs basinhopping differential_evolution dual_annealing | scipy.optimize reference: 'Optimization' and 'Curve fitting': fitting parameters to data
# statsmodels: models are built and fitted in one expression (statsmodels API reference, 'Regression'...)
TRAIN 1.5 statsmodels.api OLS WLS GLS GLM Logit Probit MNLogit Poisson NegativeBinomial QuantReg RLM MixedLM | statsmodels API reference, statsmodels.api: model classes
TRAIN 1.5 statsmodels.formula.api * | statsmodels API reference, statsmodels.formula.api: models from formulas
TRAIN 1.5 statsmodels.tsa.api ARIMA SARIMAX ExponentialSmoothing SimpleExpSmoothing Holt VAR AutoReg | statsmodels API reference, statsmodels.tsa.api: time-series models
DATAP 1.5 statsmodels.tsa.api seasonal_decompose adfuller kpss acf pacf | statsmodels API reference, statsmodels.tsa: descriptive statistics and tests of a series
# PyTorch (https://docs.pytorch.org/docs/stable/nn.html, optim.html, data.html)
TRAIN 2 torch.nn @torch.nn.modules.loss._Loss | torch.nn reference, 'Loss Functions': the objective a training step minimises
MCONS 2 torch.nn @torch.nn.Module | torch.nn reference: layers and containers that build a model
ENVS 2 torch device manual_seed seed set_default_dtype set_default_device set_num_threads use_deterministic_algorithms | torch reference, 'Random sampling' and 'Tensor attributes: torch.device'
ENVS 2 torch.cuda * | torch.cuda reference: CUDA devices, their memory and seeds
MCONS 2.5 torch load | PyTorch 'Saving and Loading Models': torch.load restores saved weights
MCONS 2 torch.nn.init * | torch.nn.init: initialising a model's weights
TRAIN 2 torch.optim * | torch.optim reference: optimisers
TRAIN 2 torch.optim.lr_scheduler * | torch.optim reference: learning-rate schedules
DATAP 2 torch.utils.data * | torch.utils.data reference: datasets, samplers, loaders
# Keras (https://keras.io/api/)
MCONS 2 keras.utils plot_model model_to_dot | keras.io 'Model plotting utilities': visualising the model
ENVS 2 keras.utils set_random_seed | keras.io 'Python & NumPy utilities': set_random_seed
DATAP 2 keras.utils * | keras.io 'Data loading' and 'Python & NumPy utilities'
DATAP 2 keras.preprocessing * | keras.io 'Data loading' and preprocessing
DATAP 2 keras.preprocessing.image * | keras.io image data preprocessing
DATAP 2 keras.preprocessing.sequence * | keras.io sequence preprocessing
MCONS 2 keras.layers * | keras.io 'Layers API'
MCONS 2.5 keras Sequential Model Input | keras.io 'Models API': the model classes and loader, exported at the top of keras
MCONS 2.5 keras.models * | keras.io 'Models API': building, saving and loading a model
MCONS 2 keras.applications * | keras.io 'Keras Applications': pretrained architectures
MCONS 2 keras.regularizers * | keras.io 'Layer weight regularizers'
MCONS 2 keras.initializers * | keras.io 'Layer weight initializers'
TRAIN 2 keras.optimizers * | keras.io 'Optimizers'
TRAIN 2 keras.losses * | keras.io 'Losses'
TRAIN 2 keras.callbacks * | keras.io 'Callbacks API': hooks into training
# TensorFlow (https://www.tensorflow.org/api_docs/python/tf); tf.keras is Keras, above
DATAP 2 tensorflow.data * | tf.data API reference: input pipelines
DATAP 2 tensorflow.image * | tf.image API reference: image processing
DATAP 2 tensorflow.io * | tf.io API reference: reading and decoding files
ENVS 2 tensorflow.config * | tf.config API reference: devices and runtime configuration
ENVS 2 tensorflow.random set_seed | tf.random.set_seed API reference
TRAIN 2 tensorflow GradientTape | tf.GradientTape: recording gradients for a training step
MCONS 2.5 tensorflow.saved_model load | tf.saved_model API reference: loading a saved model
# gradient boosting libraries' learning APIs
TRAIN 2 xgboost train cv | xgboost Python API reference, 'Learning API'
DATAP 2 xgboost DMatrix QuantileDMatrix | xgboost Python API reference, 'Core Data Structure'
EVAL 2 xgboost plot_importance plot_tree to_graphviz | xgboost Python API reference, 'Plotting API'
MCONS 1.2 xgboost * | xgboost Python API reference, 'Scikit-Learn API': estimator classes
TRAIN 2 lightgbm train cv early_stopping log_evaluation record_evaluation | LightGBM Python API: 'Training API' and 'Callbacks'
DATAP 2 lightgbm Dataset | LightGBM Python API: 'Data Structure API'
EVAL 2 lightgbm plot_importance plot_metric plot_tree plot_split_value_histogram create_tree_digraph | LightGBM Python API: 'Plotting'
MCONS 1.2 lightgbm * | LightGBM Python API: 'Scikit-learn API' estimator classes
# the environment: the standard library's modules for the process and its interpreter
ENVS 2 os chdir getcwd environ makedirs mkdir system getenv putenv | Python docs, os 'Process Parameters' and 'Files and Directories': the working directory and environment
ENVS 2 sys path argv exit version executable setrecursionlimit platform modules | Python docs, sys: the interpreter's settings
ENVS 2 warnings * | Python docs, warnings
ENVS 2 importlib * | Python docs, importlib
""")

# scikit-learn estimators are built (MCONS) when their class is called: sklearn.utils.all_estimators.
ESTIMATOR_TYPES = ("classifier", "regressor", "cluster")

# (stage, weight, classes, methods, source): the public methods of the classes ("*") or the listed ones.
METHOD_GROUPS = _groups("""
TRAIN 2 sklearn.linear_model.SGDClassifier,keras.Model fit partial_fit train_on_batch | sklearn glossary 'fit', keras.io 'Model training APIs': training
EVAL 2.5 sklearn.linear_model.LogisticRegression,keras.Model predict predict_proba predict_log_proba decision_function score evaluate predict_on_batch test_on_batch | sklearn glossary 'predict', 'score'; keras.io 'Model training APIs': evaluate, predict
DATAP 2 sklearn.preprocessing.StandardScaler fit_transform transform | sklearn glossary 'transform': data transformation
MCONS 2 keras.Model,keras.Sequential compile summary add build count_params get_layer | keras.io 'The Model class', 'The Sequential class', 'Model training APIs: compile'
TRAIN 2 torch.Tensor,torch.optim.Optimizer backward step zero_grad | torch.Tensor.backward, torch.optim 'Taking an optimization step'
DATAV 2 pandas.DataFrame,pandas.Series plot hist boxplot | pandas API reference, DataFrame 'Plotting'
DATAV 2 matplotlib.axes.Axes,matplotlib.figure.Figure * | matplotlib Axes and Figure API
DATAP 1 pandas.DataFrame,pandas.Series,pandas.core.groupby.DataFrameGroupBy * | pandas API reference, DataFrame, Series and GroupBy
""")


def public_members(module_name: str) -> list[str]:
    """The module's public names: ``__all__`` when it has one, else ``dir()`` less privates and submodules."""
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is None:  # dir() lists what the module imported too: keep what the library defines
        top = module_name.split(".")[0]
        names = [n for n in dir(module) if not inspect.ismodule(getattr(module, n, None))
                 and (getattr(getattr(module, n), "__module__", None) or top).startswith(top)]
    return sorted(n for n in set(names) if not n.startswith("_"))


def subclasses_in(module_name: str, base_path: str) -> list[str]:
    """The public classes of the module that derive from the base class."""
    module, base = importlib.import_module(module_name), resolve(base_path)
    return sorted(n for n in dir(module) if not n.startswith("_")
                  and inspect.isclass(getattr(module, n)) and issubclass(getattr(module, n), base))


def resolve(path: str):
    module, _, name = path.rpartition(".")
    try:
        return getattr(importlib.import_module(module), name)
    except ModuleNotFoundError:  # a class nested one level deeper (pandas.core.groupby.DataFrameGroupBy)
        outer, _, inner = module.rpartition(".")
        return getattr(getattr(importlib.import_module(outer), inner), name)


def group_members(module_name: str, members: str) -> list[str]:
    if members == "*":
        return public_members(module_name)
    if members.endswith("_*"):  # every public member with this prefix
        return [n for n in public_members(module_name) if n.startswith(members[:-1])]
    if members.startswith("@"):
        return subclasses_in(module_name, members[1:])
    module = importlib.import_module(module_name)
    missing = [n for n in members.split() if not hasattr(module, n)]
    if missing:
        sys.exit(f"{module_name} has no {missing}: update the group's documented names")
    return members.split()


def estimators() -> list[str]:
    from sklearn.utils import all_estimators

    return sorted({name for kind in ESTIMATOR_TYPES for name, _ in all_estimators(type_filter=kind)})


def class_methods(classes: str, methods: str) -> list[str]:
    found: set[str] = set()
    for path in classes.split():
        cls = resolve(path)
        public = {n for n in dir(cls) if not n.startswith("_") and callable(getattr(cls, n, None))}
        found |= public if methods == "*" else public & set(methods.split())
    if methods != "*" and set(methods.split()) - found:
        sys.exit(f"{classes} lack {set(methods.split()) - found}: update the group's documented names")
    return sorted(found)


def module_groups() -> list[tuple[str, float, str, list[str], str]]:
    groups = [(st, w, mod, group_members(mod, names), src) for st, w, mod, names, src in MODULE_GROUPS]
    empty = [mod for _, _, mod, members, _ in groups if not members]
    if empty:
        sys.exit(f"no public members in {empty}: list the modules that hold the API")
    groups.append(("MCONS", 1.2, "sklearn", estimators(),
                   "sklearn.utils.all_estimators(type_filter=classifier, regressor, cluster): estimator classes"))
    return groups


def method_groups() -> list[tuple[str, float, str, list[str], str]]:
    """Each group's methods; a method that classes of two stages both have (``DataFrame.update``,
    ``Axes.update``), or that Python's own containers and strings, numpy arrays or torch tensors have
    too (``.dot()`` in a training step, ``.max()`` over predictions), names neither, unless a group
    lists it by name."""
    groups = [(st, w, classes, class_methods(classes, names), src, names == "*")
              for st, w, classes, names, src in METHOD_GROUPS]
    named = {m for *_, methods, _, wild in groups if not wild for m in methods}
    stages: dict[str, set[str]] = {}
    for stage, _, _, methods, _, wild in groups:
        for m in methods if wild else ():
            stages.setdefault(m, set()).add(stage)
    builtin = {m for t in (dict, list, str, set, tuple, bytes) for m in dir(t)}
    builtin |= set(dir(resolve("numpy.ndarray"))) | set(dir(resolve("torch.Tensor")))  # arrays and tensors too
    return [(st, w, classes, [m for m in methods if not wild or (m not in named and m not in builtin
                                                                  and len(stages[m]) == 1)], src)
            for st, w, classes, methods, src, wild in groups]


def versions() -> dict[str, str]:
    found = {}
    for name in LIBRARIES:
        found[name] = getattr(importlib.import_module(name), "__version__", "?")
    return found


def _names_block(names: list[str], indent: str = "        ") -> str:
    return "\n".join(textwrap.wrap(" ".join(names), 120, initial_indent=indent, subsequent_indent=indent))


def render(found_versions: dict[str, str]) -> str:
    shown = ", ".join(f"{k} {v}" for k, v in found_versions.items())
    lines = [
        '"""Pipeline stage of library APIs, read from the libraries\' own module structure.',
        "",
        "Generated by ``python benchmarks/stage_apis.py --write`` (do not edit) against",
        *textwrap.wrap(shown + ".", 100),
        "Each group names its source: the module or classes whose public members it lists and the",
        "documentation that puts them at their stage (taxonomy.md, section 4). Read by knowledge/pipeline.py.",
        '"""',
        "from __future__ import annotations",
        "",
        "# (stage, weight, module, source, its members)",
        "MODULE_GROUPS: tuple[tuple[str, float, str, str, str], ...] = (",
    ]
    for stage, weight, module, names, source in module_groups():
        lines += [f"    ({stage!r}, {weight}, {module!r}, {source!r}, \"\"\"", _names_block(names) + '"""),']
    whole = sorted({module for _, _, module, names, _ in MODULE_GROUPS if names == "*"})
    lines += [")", "", "# Modules whose every public member the groups above list: the module itself has their stage.",
              "WHOLE_MODULES: frozenset[str] = frozenset(\"\"\"", _names_block(whole) + '""".split())',
              "", "# (stage, weight, classes, source, their methods)",
              "METHOD_GROUPS: tuple[tuple[str, float, str, str, str], ...] = ("]
    for stage, weight, classes, names, source in method_groups():
        lines += [f"    ({stage!r}, {weight}, {classes!r}, {source!r}, \"\"\"", _names_block(names) + '"""),']
    lines += [")", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite {TABLE.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    os.environ.setdefault("KERAS_BACKEND", "torch")
    found = versions()
    for name, version in found.items():
        print(f"{name} {version}")
    text = render(found)
    groups = text.count("\"\"\"),")
    print(f"{groups} groups, {len(text.split())} words")
    if args.write:
        TABLE.write_text(text)
        print(f"wrote {TABLE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
