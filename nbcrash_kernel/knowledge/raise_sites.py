"""Messages the libraries raise, each family named by where it is raised.

Every entry was read at its raise site in the installed library (site-packages, or for torch's
ATen kernels the string in ``libtorch_cpu.so`` and its Python mirror) or produced by running the
call; ``source`` says where. A family matches as ``messages.Phrases`` does (lower-cased start of
the message), and knows the libraries that raise it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .messages import Phrases


@dataclass(frozen=True)
class RaiseSite:
    """One message a library raises: the library, the file that raises it, and its wording (a regex)."""

    library: str
    source: str
    pattern: str


# A raise site's wording opens its message (after at most a short prefix such as xgboost's time
# and file), so a family reads only this much: a long alternation costs per character read.
SITE_WINDOW = 400


class SiteFamily(Phrases):
    """The raise sites of one kind of failure, matched together on the message's first ``SITE_WINDOW`` characters."""

    def __init__(self, *sites: RaiseSite) -> None:
        # Not ``Phrases.__init__``: its alternation of every wording serves ``search`` only, which
        # the classifier does not call (it asks ``matches`` and ``site_of``): compiled on first use.
        self.patterns = tuple(site.pattern for site in sites)
        self.sites = sites
        # The same alternatives in two searches: those that hold only at the message's start are
        # tried there alone, the others everywhere: a third of the work of one search trying all.
        wordings = [site.pattern.lower() for site in sites]
        self._at_start = _either([w for w in wordings if _anchored(w)])
        self._anywhere = _either([w for w in wordings if not _anchored(w)])

    @cached_property
    def _regex(self) -> re.Pattern[str]:
        return _either([pattern.lower() for pattern in self.patterns])

    @cached_property
    def _each(self) -> tuple[tuple[RaiseSite, re.Pattern[str]], ...]:
        # Only for a message already known to have one of the family's wordings: seldom needed.
        return tuple((site, re.compile(site.pattern.lower(), re.DOTALL)) for site in self.sites)

    def search(self, text: str) -> re.Match[str] | None:
        return self._regex.search(_window(text))

    def matches(self, text: str) -> bool:
        """Whether the message has the wording of one of the raise sites (as ``search``, faster)."""
        return self._in_window(_window(text))

    def _in_window(self, window: str) -> bool:
        return bool((self._at_start is not None and self._at_start.match(window))
                    or (self._anywhere is not None and self._anywhere.search(window)))

    def site_of(self, text: str) -> RaiseSite | None:
        """The raise site whose wording the message has, or None."""
        window = _window(text)
        if not self._in_window(window):
            return None
        return next((site for site, regex in self._each if regex.search(window)), None)


def _window(text: str) -> str:
    return (text or "")[:SITE_WINDOW].lower()


def _either(wordings: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{w})" for w in wordings), re.DOTALL) if wordings else None


def _anchored(wording: str) -> bool:
    """The wording matches only at the text's start: its first item is ``^``, outside any alternation.

    Read with the regex parser of Python's ``re`` (private); where it is missing, every wording is
    searched everywhere, which finds the same matches.
    """
    try:
        from re import _constants as constants  # Python 3.11+
        from re import _parser as parser
    except ImportError:
        try:
            import sre_constants as constants  # Python 3.10
            import sre_parse as parser
        except ImportError:
            return False
    try:
        items = list(parser.parse(wording))
    except Exception:  # noqa: BLE001 - unreadable here: searched everywhere, as before
        return False
    return bool(items) and items[0] == (constants.AT, constants.AT_BEGINNING)


# torch's broadcasting (ATen ``infer_size`` / ``inferExpandGeometry``): the shapes cannot be broadcast.
TENSOR_BROADCAST = SiteFamily(
    RaiseSite("torch", "aten/src/ATen/ExpandUtils.cpp infer_size; torch/_prims_common/__init__.py",
              r"the size of tensor a \(\d+\) must match the size of tensor b \(\d+\) at non-singleton dimension"),
    RaiseSite("torch", "aten/src/ATen/ExpandUtils.cpp inferExpandGeometry (Tensor.expand)",
              r"the expanded size of the tensor \(-?\d+\) must match the existing size"),
)

# Two operands' sizes disagree where the operation needs them equal.
SHAPE_MISMATCH = SiteFamily(
    RaiseSite("numpy", "numpy/_core/src/umath/ufunc_object.c (gufunc core dimensions: matmul)",
              r"has a mismatch in its core dimension \d+"),
    RaiseSite("scipy", "scipy/sparse/_base.py, scipy/sparse/_coo.py (_matmul_dispatch)",
              r"matmul: dimension mismatch with signature"),
    RaiseSite("scipy", "scipy/stats/_stats_py.py (ttest_rel, paired samples of different lengths)",
              r"^array shapes are incompatible for broadcasting"),
    RaiseSite("sklearn", "sklearn/tree/_classes.py (BaseDecisionTree._fit)",
              r"number of labels=\d+ does not match number of samples=\d+"),
    RaiseSite("torch", "torch/_refs/__init__.py stack; aten/src/ATen/native/TensorShape.cpp",
              r"stack expects each tensor to be equal size"),
    RaiseSite("torch", "torch/_meta_registrations.py common_meta_baddbmm_bmm",
              r"expected size for first two dimensions of batch2 tensor"),
    RaiseSite("torch", "aten/src/ATen/native/Convolution.cpp check_shape_forward",
              r"expected input\[[\d, ]+\] to have \d+ channels"),
    RaiseSite("torch", "aten/src/ATen/native/Normalization.cpp (batch_norm's running statistics)",
              r"running_(?:mean|var) should contain \d+ elements"),
    RaiseSite("torch", "torch/nn/functional.py binary_cross_entropy",
              r"using a target size \(.*\) that is different to the input size"),
    RaiseSite("torch", "aten/src/ATen/native/LossNLL.cpp nll_loss (a one-hot or (N, 1) target)",
              r"target tensor expected, multi-target not supported"),
    RaiseSite("torch", "torch/nn/modules/rnn.py RNNBase.check_input",
              r"input\.size\(-1\) must be equal to input_size"),
    RaiseSite("torch", "torch/nn/modules/rnn.py (RNN, LSTM, GRU forward)",
              r"expected input to be 2d or 3d, got \d+d"),
    RaiseSite("torch", "aten/src/ATen/native/Convolution.cpp (kernel larger than the padded input)",
              r"calculated padded input size per channel"),
    RaiseSite("torch", "aten/src/ATen/native/Pool.h pool2d_shape_check",
              r"calculated output size: .*\. output size is too small"),
    RaiseSite("statsmodels", "statsmodels/base/data.py ModelData._check_integrity",
              r"endog and exog matrices are different sizes"),
    RaiseSite("keras", "keras/src/backend/tensorflow/nn.py (binary/categorical crossentropy)",
              r"arguments `target` and `output` must have the same shape"),
    RaiseSite("tensorflow", "tensorflow/python/framework/tensor_shape.py TensorShape.assert_is_compatible_with",
              r"^shapes \(.*\) and \(.*\) are incompatible"),
    RaiseSite("tensorflow", "tensorflow/core/kernels/concat_op.cc (tf.concat, keras Concatenate)",
              r"concatop : dimension(?:s of inputs should match| \d+ in both shapes must be equal)"),
    RaiseSite("tensorflow", "tensorflow/python/ops/nn_impl.py sigmoid_cross_entropy_with_logits, log_poisson_loss "
              "(tf 2.21: with backticks; tf 1.x/2.x before: without)",
              r"`?(?:logits|log_input)`? and `?(?:labels|targets)`? must have the same shape"),
    RaiseSite("tensorflow", "tensorflow/core/kernels/xent_op.cc (softmax cross-entropy: one-hot labels of another width)",
              r"logits and labels must be broadcastable"),
    RaiseSite("keras", "keras/engine/training_utils.py standardize_input_data (Keras 2: fit's input and target)",
              r"^error when checking (?:input|target|model input|model target): expected \w+ to have"),
    RaiseSite("sklearn", "sklearn/utils/validation.py column_or_1d (scikit-learn 1.9)",
              r"^y should be a 1d array, got an array of shape"),
    RaiseSite("torch", "aten/src/ATen/native/Convolution.cpp check_input_shape_forward (torch 1.x)",
              r"expected \d+-dimensional input for \d+-dimensional weight"),
    RaiseSite("torch", "aten/src/ATen/native/LossNLL2d.cpp check_inputs_nll_loss2d",
              r"only batches of spatial (?:targets|inputs) supported"),
    RaiseSite("torch", "torch/nn/modules/rnn.py RNNBase.check_hidden_size",
              r"^expected hidden(?:\[\d\])? size"),
    RaiseSite("torch", "aten/src/ATen/native/TensorShape.cpp permute",
              r"number of dims don't match in permute"),
    RaiseSite("torch", "aten/src/TH (torch 0.x/1.x copy_ and view): element counts differ",
              r"inconsistent tensor size, expected tensor"),
    RaiseSite("torch", "aten/src/THNN/generic/MSECriterion.c (torch 0.4/1.0 losses)",
              r"input and target shapes do not match"),
    RaiseSite("torch", "torch/nn/modules/rnn.py RNNBase.check_input (torch 1.x)",
              r"^input must have \d+ dimensions, got \d+"),
    RaiseSite("torch", "torch/nn/functional.py _verify_batch_size (batch norm on a batch of one)",
              r"^expected more than 1 value per channel when training"),
)

# The data's values break what the API needs (NaN, infinity, unseen labels, out of range).
VALUE_VIOLATION = SiteFamily(
    RaiseSite("sklearn", "sklearn/utils/validation.py _assert_all_finite (f'Input {input_name} contains NaN')",
              r"^input (?:\w+ )?contains (?:nan|infinity)"),
    RaiseSite("sklearn", "sklearn/utils/validation.py check_non_negative",
              r"negative values in data passed to"),
    RaiseSite("sklearn", "sklearn/utils/_encode.py _check_unknown; sklearn/preprocessing/_label.py",
              r"y contains previously unseen labels"),
    RaiseSite("sklearn", "sklearn/model_selection/_split.py (KFold, GroupKFold, StratifiedKFold...)",
              r"cannot have number of splits n_splits=\d+ greater than the number of samples"),
    RaiseSite("sklearn", "sklearn/model_selection/_split.py StratifiedKFold (a class with too few members)",
              r"n_splits=\d+ cannot be greater than the number of members in each class"),
    RaiseSite("sklearn", "sklearn/neighbors/_base.py KNeighborsMixin.kneighbors",
              r"expected n_neighbors <= n_samples"),
    RaiseSite("sklearn", "sklearn/svm/_base.py, linear_model/_stochastic_gradient.py, discriminant_analysis.py",
              r"the number of classes has to be greater than one"),
    RaiseSite("sklearn", "sklearn/preprocessing/_label.py LabelBinarizer.fit, MultiLabelBinarizer",
              r"^y has 0 samples"),
    RaiseSite("sklearn", "sklearn/metrics/_classification.py log_loss, brier_score_loss (probabilities above 1)",
              r"y_prob contains values (?:greater than 1|less than 0)"),
    RaiseSite("sklearn", "sklearn/preprocessing/_encoders.py _BaseEncoder._transform (handle_unknown='error')",
              r"found unknown categories"),
    RaiseSite("sklearn", "sklearn/metrics/_regression.py mean_squared_log_error",
              r"(?:root )?mean squared logarithmic error cannot be used when targets contain"),
    RaiseSite("sklearn", "sklearn/cluster/_kmeans.py (fewer samples than clusters)",
              r"n_samples=\d+ should be >= n_clusters=\d+"),
    RaiseSite("sklearn", "sklearn/feature_extraction/text.py CountVectorizer._count_vocab",
              r"empty vocabulary; perhaps the documents only contain stop words"),
    RaiseSite("pandas", "pandas/core/reshape/tile.py (qcut/cut with duplicates='raise')",
              r"bin edges must be unique"),
    RaiseSite("numpy", "numpy/lib/_histograms_impl.py _get_outer_edges (NaN or inf in the data)",
              r"(?:autodetected|supplied) range of \[.*\] is not finite"),
    RaiseSite("scipy", "scipy/interpolate/_interpolate.py interp1d._check_bounds",
              r"in x_new is (?:above|below) the interpolation range"),
    RaiseSite("numpy", "numpy/random/mtrand.pyx RandomState.choice",
              r"^probabilities are not non-negative"),
    RaiseSite("torch", "aten/src/ATen/native/Distributions.cpp multinomial",
              r"probability tensor contains either `inf`, `nan` or element < 0|invalid multinomial distribution"),
    RaiseSite("torch", "aten/src/ATen/native/Loss.cpp binary_cross_entropy; torch/_decomp/decompositions.py",
              r"all elements of (?:input|target) should be between 0 and 1"),
    RaiseSite("xgboost", "xgboost/sklearn.py XGBClassifier.fit (labels must be 0..n_classes-1)",
              r"invalid classes inferred from unique values of `y`"),
    RaiseSite("tensorflow", "tensorflow/core/kernels/sparse_xent_op.cc (sparse categorical cross-entropy)",
              r"received a label value of -?\d+ which is outside the valid range"),
    # NaN and infinity where a number must be finite, whatever class the check raises.
    RaiseSite("", "CPython Objects/floatobject.c (int() of a float NaN or infinity; run: int(float('nan')))",
              r"^cannot convert float (?:nan|infinity) to integer"),
    RaiseSite("pandas", "pandas/core/dtypes/astype.py _astype_float_to_int_nansafe (IntCastingNaNError)",
              r"^cannot convert non-finite values \(na or inf\) to integer"),
    RaiseSite("numpy", "numpy/lib/_function_base_impl.py asarray_chkfinite; scipy/_lib/_array_api.py",
              r"^array must not contain infs or nans"),
    RaiseSite("scipy", "scipy/stats/_distn_infrastructure.py rv_continuous.fit",
              r"^the data contains non-finite values"),
    RaiseSite("matplotlib", "matplotlib/axes/_base.py _validate_converted_limits",
              r"^axis limits cannot be nan or inf"),
    RaiseSite("statsmodels", "statsmodels/base/data.py ModelData.handle_missing (MissingDataError)",
              r"^(?:exog|endog) contains inf or nans"),
    # The wording many raise sites share for a NaN or infinity check on the data given (no one library's):
    # scipy/interpolate/_fitpack2.py, _bsplines.py, scipy/stats/_censored_data.py, _bws_test.py, _mgc.py,
    # _binned_statistic.py, _page_trend_test.py, sklearn/cluster/_hdbscan/hdbscan.py, sklearn/preprocessing/
    # _polynomial.py, matplotlib/tri/_tricontour.py, axes/_axes.py (pcolormesh), numpy/lib/_nanfunctions_impl.py,
    # pandas/core/arrays/numeric.py (scipy 1.17.1, scikit-learn 1.9.1, matplotlib 3.11.2, numpy 2.4.6, pandas 3.1.1).
    RaiseSite("", "scipy, scikit-learn, matplotlib: '<x> must not contain NaNs or infs' (see above)",
              r"(?:must|should) not (?:contain|have|include) (?:values )?(?:nans?|infs?|infinit|non-finite)"),
    RaiseSite("", "scipy, scikit-learn, matplotlib: '<x> contains non-finite values / NaNs / infinities'",
              r"contains? (?:non-finite|nans?\b|infinit)|cannot have non-finite values|"
              r"^(?:nan|inf) values (?:found|in)"),
    RaiseSite("", "numpy/lib/_nanfunctions_impl.py; scipy/interpolate/_interpolate.py; pandas/core/arrays/numeric.py",
              r"all-nan (?:slice|axis)|array is all-nan|cannot cast nan value to integer"),
    # The target's values are of a kind the estimator or splitter does not take.
    RaiseSite("sklearn", "sklearn/utils/multiclass.py unique_labels",
              r"^mix (?:of label input types|type of y not allowed)"),
    RaiseSite("sklearn", "sklearn/model_selection/_split.py StratifiedKFold, StratifiedGroupKFold (type_of_target)",
              r"^supported target types are: .* got '\w[\w-]*' instead"),
)

# Tensors of different dtypes where the kernel needs one (a type error, whatever the class).
TENSOR_DTYPE = SiteFamily(
    RaiseSite("torch", "aten/src/ATen/native/LinearAlgebra.cpp addmm; torch/_decomp/decompositions.py",
              r"mat1 and mat2 must have the same dtype"),
    RaiseSite("torch", "aten/src/ATen/TensorIterator.cpp (in-place result type); torch/_prims_common",
              r"result type \w+ can't be cast to the desired output type"),
    RaiseSite("tensorflow", "tensorflow/python/framework/ops.py raise_from_not_ok_status (an op's input dtype check)",
              r"cannot compute \w+ as input #\d+\(zero-based\) was expected to be a \w+ tensor but is a \w+ tensor"),
    RaiseSite("torch", "aten/src/ATen/native/cpu/Blas / LinearAlgebra.cpp addmm_impl_cpu_",
              r"expected m1 and m2 to have the same dtype"),
    RaiseSite("torch", "aten/src/ATen/native/LossNLL.cpp (class-index target of a float dtype)",
              r"expected target dtype to be long or byte|expected floating point type for target with class probabilities"),
    RaiseSite("torch", "aten/src/ATen/TensorUtils.cpp checkScalarTypes (embedding indices, ...)",
              r"expected tensor for argument #\d+ '\w+' to have (?:one of the following )?scalar type"),
)

# A keyword or identifier the API does not know.
UNKNOWN_ARGUMENT = SiteFamily(
    RaiseSite("matplotlib", "matplotlib/artist.py Artist._update_props (AttributeError)",
              r"\w+\.set\(\) got an unexpected keyword argument"),
    RaiseSite("matplotlib", "matplotlib/_api/__init__.py check_in_list; matplotlib/colors.py _check_color_like",
              r"^'[^']*' is not a valid value for \w+(?:: supported inputs are \(r, g, b\)|"
              r"\. (?:supported values are|did you mean)|\.$)"),
    RaiseSite("PIL", "PIL/Image.py Image.convert (the C core rejects the mode)",
              r"^image has wrong mode$"),
    RaiseSite("keras", "keras/src/losses/__init__.py get; keras/src/activations/__init__.py get (and peers)",
              r"could not interpret (?:loss|activation function|optimizer|metric|initializer|regularizer)"
              r"(?: function)? identifier"),
    RaiseSite("lightgbm", "LightGBM src/objective/objective_function.cpp CreateObjectiveFunction",
              r"unknown objective type name"),
    RaiseSite("xgboost", "xgboost src/objective/objective.cc ObjFunction::Create",
              r"unknown objective function"),
)

# A step called before the one it needs, or a second time (taxonomy: "call mul-times, wrong order").
CALL_ORDER = SiteFamily(
    RaiseSite("keras", "keras/src/trainers/trainer.py _assert_compile_called",
              r"you must call `compile\(\)` before"),
    RaiseSite("keras", "keras/src/layers/layer.py count_params",
              r"you tried to call `count_params` on layer .*, but the layer isn't built"),
    RaiseSite("torch", "torch/csrc/autograd (ERR_BACKWARD_TWICE): the graph's saved tensors were freed",
              r"trying to backward through the graph a second time"),
)

# A file the library was asked to read is not there (raised as ValueError).
FILE_MISSING = SiteFamily(
    RaiseSite("keras", "keras/src/saving/saving_api.py load_model",
              r"^file not found: filepath="),
)

# A file is there but its content is not the format the reader parses (taxonomy: unsupported file type).
FILE_UNREADABLE = SiteFamily(
    RaiseSite("pandas", "pandas/io/json/_json.py (ujson_loads; run: pd.read_json on a file that is not JSON)",
              r"^expected object or value"),
    RaiseSite("pyarrow", "pyarrow/_parquet.pyx ParquetReader.open (run: pd.read_parquet on a non-Parquet file)",
              r"could not open parquet input source|parquet magic bytes not found"),
    RaiseSite("torch", "caffe2/serialize/inline_container.cc via torch/serialization.py _open_zipfile_reader (torch.load)",
              r"pytorchstreamreader failed reading zip archive"),
    RaiseSite("PIL", "PIL/Image.py open (UnidentifiedImageError: no image plugin recognises the file's bytes; Pillow 12)",
              r"^cannot identify image file"),
)

# The data's values are of a kind (dtype, inferred type, image mode) the library checks for and does not take:
# the check reads the data's content, not the call's arguments.
DATA_KIND = SiteFamily(
    RaiseSite("pandas", "pandas/core/strings/accessor.py StringMethods._validate (lib.infer_dtype of the values)",
              r"^can only use \.str accessor with string values"),
    RaiseSite("PIL", "PIL/Image.py fromarray (the array's typestr and shape are in no mode of _fromarray_typemap)",
              r"^cannot handle this data type"),
    RaiseSite("PIL", "PIL/JpegImagePlugin.py _save (the image's mode has no JPEG raw mode: RGBA, P, LA)",
              r"^cannot write mode \w+ as jpeg"),
    RaiseSite("xgboost", "xgboost/data.py _invalid_dataframe_dtype (a column of object or string dtype)",
              r"^dataframe\.dtypes for data must be int, float,? bool or category"),
)

# A contract of a library's base class that the user's subclass breaks: the user's own class is wrong.
SUBCLASS_CONTRACT = SiteFamily(
    RaiseSite("torch", "torch/nn/modules/module.py _forward_unimplemented (the subclass defines no forward())",
              r"^module \[\w+\] is missing the required \"forward\" function"),
    RaiseSite("torch", "torch/nn/modules/module.py Module.__setattr__, register_buffer, register_parameter "
              "(an attribute set before super().__init__())", r"^cannot assign \w+ before module\.__init__\(\) call"),
)

# A formula names a column the data does not have: patsy evaluates each term in a namespace of the
# data's columns (then the caller's variables), so a NameError there is a column missing from the data.
FORMULA_COLUMN_MISSING = SiteFamily(
    RaiseSite("patsy", "patsy/eval.py EvalFactor._eval (call_and_wrap_exc over VarLookupDict([data, ...]); "
              "statsmodels.formula.api)", r"^error evaluating factor: nameerror: name '[^']+' is not defined"),
)

# A method the estimator defines but offers only when its configuration or inner estimator supports it.
AVAILABLE_IF = SiteFamily(
    RaiseSite("sklearn", "sklearn/utils/_available_if.py _AvailableIfDescriptor._check (run: SVC().fit(X, y).predict_proba(X))",
              r"^this '\w+' has no attribute '\w+'"),
)

FAMILIES: tuple[SiteFamily, ...] = (TENSOR_BROADCAST, SHAPE_MISMATCH, VALUE_VIOLATION, TENSOR_DTYPE,
                                     UNKNOWN_ARGUMENT, CALL_ORDER, FILE_MISSING, FILE_UNREADABLE,
                                     FORMULA_COLUMN_MISSING, DATA_KIND, SUBCLASS_CONTRACT, AVAILABLE_IF)


_ANY_SITE = SiteFamily(*(site for family in FAMILIES for site in family.sites))


@lru_cache(maxsize=4)  # one crash asks twice (its rules, then its origin); no more is kept
def find_site(text: str) -> tuple[SiteFamily, RaiseSite] | None:
    """The family and raise site whose wording the message has (the first family in order), or None.

    One search over every site's wording first: most messages match none.
    """
    if not _ANY_SITE.matches(text):
        return None
    for family in FAMILIES:
        found = family.site_of(text)
        if found:
            return family, found
    return None


def raising_library(text: str) -> str:
    """The library whose raise site has the message's wording, or ''."""
    found = find_site(text or "")
    return found[1].library if found else ""
