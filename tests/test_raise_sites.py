"""The raise-site families: each site's wording, as the library raised it, gets the family's verdict.

The messages below were produced by running the call named beside them (torch 2.13; the
scikit-learn, scipy, numpy and matplotlib of the test environment), or, for Keras,
statsmodels, xgboost and LightGBM, copied from the raise site the table names.
"""
from __future__ import annotations

import pytest

from nbcrash_kernel.classifier.signals import _op_message_first
from nbcrash_kernel.classify.records import classify_row
from nbcrash_kernel.knowledge.raise_sites import FAMILIES, raising_library

PRODUCED = [
    # (exception class, message, exception type, root cause)
    ("RuntimeError", "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0",
     "BCAST", "DATA"),  # torch.ones(3) + torch.ones(4)
    ("RuntimeError", "The expanded size of the tensor (4) must match the existing size (3) at non-singleton "
     "dimension 1.  Target sizes: [4, 4].  Tensor sizes: [2, 3]", "BCAST", "DATA"),  # torch.ones(2, 3).expand(4, 4)
    ("ValueError", "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
     "(n?,k),(k,m?)->(n?,m?) (size 4 is different from 3)", "TSHAPE", "DATA"),  # np.ones((2, 3)) @ np.ones((4, 2))
    ("ValueError", "matmul: dimension mismatch with signature (n,k=4),(k=5,1?)->(n,1?)",
     "TSHAPE", "DATA"),  # sparse.csr_matrix(np.ones((3, 4))) @ np.ones((5, 1))
    ("ValueError", "Array shapes are incompatible for broadcasting.", "TSHAPE", "DATA"),  # stats.ttest_rel(a3, b4)
    ("ValueError", "Number of labels=4 does not match number of samples=5", "TSHAPE", "DATA"),
    ("RuntimeError", "stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1",
     "TSHAPE", "DATA"),
    ("RuntimeError", "Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [2, 5].",
     "TSHAPE", "DATA"),  # torch.bmm(torch.ones(2, 3, 4), torch.ones(2, 5, 6))
    ("RuntimeError", "Given groups=1, weight of size [8, 3, 3, 3], expected input[1, 1, 8, 8] to have 3 channels, "
     "but got 1 channels instead", "TSHAPE", "DATA"),
    ("RuntimeError", "running_mean should contain 5 elements not 3", "TSHAPE", "DATA"),  # nn.BatchNorm1d(3)(4x5)
    ("ValueError", "Using a target size (torch.Size([4])) that is different to the input size "
     "(torch.Size([4, 1])) is deprecated. Please ensure they have the same size.", "TSHAPE", "DATA"),
    ("RuntimeError", "0D or 1D target tensor expected, multi-target not supported", "TSHAPE", "DATA"),
    ("RuntimeError", "input.size(-1) must be equal to input_size. Expected 10, got 8", "TSHAPE", "DATA"),
    ("ValueError", "LSTM: Expected input to be 2D or 3D, got 4D instead", "TSHAPE", "DATA"),
    ("RuntimeError", "Calculated padded input size per channel: (2 x 2). Kernel size: (5 x 5). Kernel size can't "
     "be greater than actual input size", "TSHAPE", "DATA"),
    ("RuntimeError", "Given input size: (1x1x1). Calculated output size: (1x0x0). Output size is too small",
     "TSHAPE", "DATA"),  # F.max_pool2d(torch.ones(1, 1, 1, 1), 2)
    ("ValueError", "endog and exog matrices are different sizes", "TSHAPE", "DATA"),
    ("ValueError", "Arguments `target` and `output` must have the same shape. Received: target.shape=(None, 3), "
     "output.shape=(None, 1)", "TSHAPE", None),
    ("ValueError", "Input y contains NaN.", "DVIOL", "DATA"),  # LinearRegression().fit(X, [1, nan, 2])
    ("ValueError", "Input X contains infinity or a value too large for dtype('float64').", "DVIOL", "DATA"),
    ("ValueError", "Negative values in data passed to MultinomialNB (input X).", "DVIOL", "DATA"),
    ("ValueError", "y contains previously unseen labels: np.str_('c')", "DVIOL", "DATA"),
    ("ValueError", "Cannot have number of splits n_splits=5 greater than the number of samples: n_samples=3.",
     "DVIOL", "DATA"),  # list(KFold(5).split(np.ones((3, 1))))
    ("ValueError", "n_splits=3 cannot be greater than the number of members in each class.", "DVIOL", "DATA"),
    ("ValueError", "Expected n_neighbors <= n_samples_fit, but n_neighbors = 5, n_samples_fit = 3, n_samples = 4",
     "DVIOL", "DATA"),  # KNeighborsClassifier(5).fit(X[:3], y).kneighbors(X)
    ("ValueError", "The number of classes has to be greater than one; got 1 class", "DVIOL", "DATA"),
    ("ValueError", "y has 0 samples: []", "DVIOL", "DATA"),  # LabelBinarizer().fit([])
    ("ValueError", "y_prob contains values greater than 1: 1.5", "DVIOL", "DATA"),
    ("ValueError", "Found unknown categories ['b'] in column 0 during transform", "DVIOL", "DATA"),
    ("ValueError", "Mean Squared Logarithmic Error cannot be used when targets contain values less than or equal "
     "to -1.", "DVIOL", "DATA"),  # metrics.mean_squared_log_error([-1, 2], [1, 2])
    ("ValueError", "n_samples=4 should be >= n_clusters=5.", "DVIOL", "DATA"),  # KMeans(5).fit(np.ones((4, 2)))
    ("ValueError", "empty vocabulary; perhaps the documents only contain stop words", "DVIOL", "DATA"),
    ("ValueError", "Bin edges must be unique: Index([1.0, 1.0, 1.0, 1.0, 1.0], dtype='float64').", "DVIOL", "DATA"),
    ("ValueError", "autodetected range of [nan, nan] is not finite", "DVIOL", "DATA"),  # np.histogram([nan, 1])
    ("ValueError", "A value (5.0) in x_new is above the interpolation range's maximum value (2).", "DVIOL", "DATA"),
    ("ValueError", "probabilities are not non-negative", "DVIOL", "DATA"),  # np.random.choice(3, p=[.5, -.1, .6])
    ("RuntimeError", "probability tensor contains either `inf`, `nan` or element < 0", "DVIOL", "DATA"),
    ("RuntimeError", "all elements of input should be between 0 and 1", "DVIOL", "DATA"),
    ("ValueError", "Invalid classes inferred from unique values of `y`.  Expected: [0 1], got [1 2]", "DVIOL", "DATA"),
    ("RuntimeError", "mat1 and mat2 must have the same dtype, but got Double and Float", "TYPE", "DATA"),
    ("RuntimeError", "result type Float can't be cast to the desired output type Long", "TYPE", "DATA"),
    ("RuntimeError", "expected m1 and m2 to have the same dtype, but got: long int != float", "TYPE", "DATA"),
    ("RuntimeError", "expected target dtype to be Long or Byte, but got Float", "TYPE", "DATA"),
    ("RuntimeError", "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, "
     "Int; but got torch.FloatTensor instead (while checking arguments for embedding)", "TYPE", "DATA"),
    ("RuntimeError", "Trying to backward through the graph a second time (or directly access saved tensors after "
     "they have already been freed).", "INIT", "API"),  # y.backward(); y.backward()
    ("InvalidArgumentError", "cannot compute AddV2 as input #1(zero-based) was expected to be a int32 tensor but is "
     "a float tensor [Op:AddV2] name: ", "TYPE", "DATA"),
    ("ValueError", "'reddish' is not a valid value for color: supported inputs are (r, g, b) and (r, g, b, a) 0-1 "
     "float tuples; '#rrggbb', '#rrggbbaa', '#rgb', '#rgba' strings; named color strings", "IARG", "API"),
    ("ValueError", "'top' is not a valid value for loc.", "IARG", "API"),  # plt.legend(loc='top')
    ("ValueError", "'logg' is not a valid value for scale. Did you mean one of: 'log', 'logit', 'symlog'?",
     "IARG", "API"),  # ax.set_xscale('logg')
    ("ValueError", "image has wrong mode", "IARG", "API"),  # Image.new('RGB', (2, 2)).convert('BW')
    ("ValueError", "File not found: filepath=final.keras. Please ensure the file is an accessible `.keras` zip file.",
     "IO", None),
    ("AttributeError", "Line2D.set() got an unexpected keyword argument 'colour'", "IARG", "API"),
    ("ValueError", "Could not interpret loss identifier: categorical", "IARG", "API"),
    ("ValueError", "Could not interpret activation function identifier: sigmoidal", "IARG", "API"),
    ("LightGBMError", "Unknown objective type name: binary_logloss", "IARG", "API"),
    ("XGBoostError", "[23:49:50] /__w/xgboost/xgboost/src/objective/objective.cc:27: Unknown objective function: "
     "`binary:logit`", "IARG", "API"),
    ("ValueError", "Shapes (None, 1) and (None, 10) are incompatible", "TSHAPE", "DATA"),
    ("ValueError", "Error when checking input: expected dense_1_input to have shape (784,) but got array with "
     "shape (28,)", "TSHAPE", "DATA"),
    ("ValueError", "y should be a 1d array, got an array of shape (4, 2) instead.",
     "TSHAPE", "DATA"),  # LogisticRegression().fit(np.ones((4, 1)), np.ones((4, 2)))
    ("RuntimeError", "Expected 4-dimensional input for 4-dimensional weight [64, 3, 7, 7], but got 3-dimensional "
     "input of size [3, 224, 224] instead", "TSHAPE", "DATA"),
    ("RuntimeError", "only batches of spatial targets supported (3D tensors) but got targets of dimension: 4",
     "TSHAPE", "DATA"),
    ("RuntimeError", "Expected hidden[0] size (1, 32, 64), got [1, 16, 64]", "TSHAPE", "DATA"),
    ("RuntimeError", "number of dims don't match in permute", "TSHAPE", "DATA"),
    ("RuntimeError", "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of "
     "elements, but got 3 and 4 elements respectively", "TSHAPE", "DATA"),
    ("RuntimeError", "input and target shapes do not match: input [1 x 1], target [1] at "
     "/pytorch/aten/src/THNN/generic/MSECriterion.c:12", "TSHAPE", "DATA"),
    ("RuntimeError", "input must have 3 dimensions, got 2", "TSHAPE", "DATA"),
    ("ValueError", "Expected more than 1 value per channel when training, got input size torch.Size([1, 64])",
     "TSHAPE", "DATA"),
    ("InvalidArgumentError", "ConcatOp : Dimension 1 in both shapes must be equal: shape[0] = [115,420,540,1] vs. "
     "shape[1] = [115,540,420,1] [Op:ConcatV2] name: concat", "TSHAPE", "DATA"),
    ("InvalidArgumentError", "logits and labels must be broadcastable: logits_size=[32,12] labels_size=[32,13]",
     "TSHAPE", "DATA"),
    ("ValueError", "`logits` and `labels` must have the same shape, received ((2, 10) vs (2, 1)).", "TSHAPE", "DATA"),
    # tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones((2, 1)), logits=tf.ones((2, 10))), tensorflow 2.21
    ("ValueError", "logits and labels must have the same shape ((None, 1) vs (None, 10))", "TSHAPE", "DATA"),
    # the same raise site before tensorflow put the names in backticks
    ("InvalidArgumentError", "Received a label value of 10 which is outside the valid range of [0, 10).  Label "
     "values: 3 10 8 5", "DVIOL", "DATA"),
    ("PatsyError", "Error evaluating factor: NameError: name 'X1' is not defined\n    cost ~ X1\n           ^^",
     "KEY", "DATA"),  # smf.ols('cost ~ X1', data=frame_without_X1)
    ("IntCastingNaNError", "Cannot convert non-finite values (NA or inf) to integer. Replace or remove non-finite "
     "values or cast to an integer type that supports these values (e.g. 'Int64')",
     "DVIOL", "DATA"),  # pd.Series([1, None]).astype(int)
    ("ValueError", "array must not contain infs or NaNs", "DVIOL", "DATA"),  # np.asarray_chkfinite([1, np.nan])
    ("ValueError", "The data contains non-finite values.", "DVIOL", "DATA"),  # stats.norm.fit([1, np.inf])
    ("ValueError", "Axis limits cannot be NaN or Inf", "DVIOL", "DATA"),  # plt.xlim(0, np.nan)
    ("MissingDataError", "exog contains inf or nans", "DVIOL", "DATA"),
    ("ValueError", "Mix of label input types (string and number); Got ['a' 'b'] and [1 2].",
     "DVIOL", "DATA"),  # accuracy_score(['a', 'b'], [1, 2])
    ("ValueError", "Supported target types are: ('binary', 'multiclass'). Got 'continuous' instead.",
     "DVIOL", "DATA"),  # list(StratifiedKFold(2).split(np.ones((6, 1)), np.linspace(0, 1, 6)))
    ("ValueError", "Expected object or value at position 0", "IO", "DATA"),  # pd.read_json on a file that is not JSON
    ("ArrowInvalid", "Could not open Parquet input source 'bad.png': Parquet file size is 1 bytes, smaller than the "
     "minimum file footer (8 bytes)", "IO", "DATA"),  # pd.read_parquet on a file that is not Parquet
    ("RuntimeError", "PytorchStreamReader failed reading zip archive: failed finding central directory",
     "IO", "DATA"),  # torch.load of a truncated checkpoint (message as torch's inline_container.cc words it)
    ("ValueError", "You must call `compile()` before using the model.", "INIT", None),
    ("ValueError", "You tried to call `count_params` on layer 'sequential_10', but the layer isn't built. You can "
     "build it manually via: `layer.build(input_shape)`.", "INIT", None),
    ("UnidentifiedImageError", "cannot identify image file 'b.jpg'", "IO", "DATA"),  # Image.open of bytes no plugin reads
]

# Families that decide the root cause only (the exception class keeps its type), each message produced
# by running the call in the venv of the 12 libraries (Pillow 12, pandas 3.1, torch 2.13, xgboost, sklearn 1.9).
PRODUCED_ROOT_CAUSE = [
    ("AttributeError", "Can only use .str accessor with string values, not floating", "DATA"),  # pd.Series([1.0]).str.lower()
    ("TypeError", "Cannot handle this data type: (1, 1, 3), <f8", "DATA"),  # Image.fromarray(np.zeros((2, 2, 3)))
    ("OSError", "cannot write mode RGBA as JPEG", "DATA"),  # Image.new('RGBA', (2, 2)).save(buf, 'JPEG')
    ("ValueError", "DataFrame.dtypes for data must be int, float, bool or category. When categorical type is "
     "supplied, the experimental DMatrix parameter`enable_categorical` must be set to `True`.  Invalid columns:city: "
     "object", "DATA"),  # XGBClassifier().fit(pd.DataFrame({'city': ['x', 'y']}), [0, 1])
    ("NotImplementedError", 'Module [Net] is missing the required "forward" function', "IMPL"),  # Net()(x), no forward
    ("AttributeError", "cannot assign module before Module.__init__() call", "IMPL"),  # __init__ without super().__init__()
    ("AttributeError", "This 'SVC' has no attribute 'predict_proba'", "MODEL"),  # SVC().fit(X, y).predict_proba(X)
]


@pytest.mark.parametrize("ename,evalue,root_cause", PRODUCED_ROOT_CAUSE, ids=[p[1][:40] for p in PRODUCED_ROOT_CAUSE])
def test_a_produced_message_gets_its_root_cause(ename, evalue, root_cause):
    record = classify_row({"ename": ename, "evalue": evalue, "traceback": ""})
    assert record["root_cause"] == root_cause
    assert raising_library(evalue) != ""  # the origin may name another library the message names ('DataFrame')


@pytest.mark.parametrize("ename,evalue,exception_type,root_cause", PRODUCED, ids=[p[1][:40] for p in PRODUCED])
def test_a_produced_message_gets_its_family_verdict_and_names_its_library(ename, evalue, exception_type, root_cause):
    record = classify_row({"ename": ename, "evalue": evalue, "traceback": ""})
    assert record["exception_type"] == exception_type
    assert record["trace"]["exception_type"]["rule"].startswith("ET-SITE-")
    if root_cause:
        assert record["root_cause"] == root_cause
    assert record["origin"] == "ML" and record["library"] == raising_library(evalue) != ""


# Raised by Python itself (int() of a float), so no library is named and the origin is the record's.
PRODUCED_BY_PYTHON = [
    ("ValueError", "cannot convert float NaN to integer", "DVIOL"),  # int(float('nan'))
    ("OverflowError", "cannot convert float infinity to integer", "DVIOL"),  # int(float('inf'))
]


# Wording many libraries share for a NaN or infinity check: no one library is named.
PRODUCED_SHARED_WORDING = [
    ("ValueError", "`x` and `y` must not contain NaNs.", "DVIOL"),  # stats.bws_test([1, np.nan, 2], [1, 2, 3])
    ("ValueError", "[[1, inf, 2]] contains non-finite values.", "DVIOL"),  # stats.binned_statistic([1, np.inf, 2], ...)
    ("ValueError", "All-NaN slice encountered", "DVIOL"),  # np.nanargmax([np.nan, np.nan])
]


@pytest.mark.parametrize("ename,evalue,exception_type", PRODUCED_BY_PYTHON + PRODUCED_SHARED_WORDING)
def test_a_message_of_no_one_library_gets_its_family_verdict_and_names_no_library(ename, evalue, exception_type):
    record = classify_row({"ename": ename, "evalue": evalue, "traceback": ""})
    assert record["exception_type"] == exception_type
    assert record["trace"]["exception_type"]["rule"].startswith("ET-SITE-")
    assert raising_library(evalue) == "" and record["root_cause"] == "DATA"


def test_every_raise_site_is_shown_by_a_produced_message():
    shown = {family.site_of(evalue) for family in FAMILIES for _, evalue, *_ in
             PRODUCED + PRODUCED_BY_PYTHON + PRODUCED_SHARED_WORDING + PRODUCED_ROOT_CAUSE}
    missing = [site for family in FAMILIES for site in family.sites if site not in shown]
    assert not missing


def test_a_message_of_no_raise_site_is_left_to_the_other_rules():
    assert raising_library("name 'df' is not defined") == ""
    record = classify_row({"ename": "RuntimeError", "evalue": "CUDA error: device-side assert triggered"})
    assert not record["trace"]["exception_type"]["rule"].startswith("ET-SITE-")


def test_a_program_subprocess_cannot_find_is_an_executable_not_found():
    traceback = "\n".join([
        "Traceback (most recent call last):",
        '  File "/tmp/ipykernel_1/1.py", line 1, in <module>',
        "    subprocess.run(['no-such-program-x'])",
        '  File "/usr/lib/python3.11/subprocess.py", line 1950, in _execute_child',
        "    raise child_exception_type(errno_num, err_msg, err_filename)",
        "FileNotFoundError: [Errno 2] No such file or directory: 'no-such-program-x'"])
    record = classify_row({"ename": "FileNotFoundError", "evalue": "[Errno 2] No such file or directory: "
                           "'no-such-program-x'", "traceback": traceback})
    assert (record["exception_type"], record["exception_type_detail"]) == ("OTHER", "executablenotfound")
    assert (record["root_cause"], record["root_cause_detail"]) == ("ENV", "module not installed")
    plain = classify_row({"ename": "FileNotFoundError", "evalue": "[Errno 2] No such file or directory: 'a.csv'"})
    assert plain["exception_type"] == "IO"


def test_tensorflow_graph_execution_error_is_read_by_the_op_message_at_its_end():
    # tensorflow/python/eager/execute.py: the node's Python stack first, the op's message last (before "[[{{node").
    stack = "".join(f'  File "/usr/local/lib/python3.11/dist-packages/keras/src/m{i}.py", line {i}, in f{i}\n\n'
                    for i in range(60))
    evalue = ("Graph execution error:\n\nDetected at node compile_loss/sparse_categorical_crossentropy defined at "
              "(most recent call last):\n" + stack + "Received a label value of 10 which is outside the valid range "
              "of [0, 10).  Label values: 3 10 8\n\t [[{{node compile_loss/sparse_categorical_crossentropy/"
              "SparseSoftmaxCrossEntropyWithLogits}}]] [Op:__inference_multi_step_on_iterator_2438]")
    assert len(evalue) > 4000  # beyond what the rules read of a message
    record = classify_row({"ename": "InvalidArgumentError", "evalue": evalue, "traceback": ""})
    assert record["exception_type"] == "DVIOL" and record["root_cause"] == "DATA"


def test_the_older_tensorflow_graph_execution_error_puts_only_the_op_message_first():
    # TensorFlow 2.9-2.12 (Keras 2): "Node: '...'" follows the stack with no blank line before the op's message.
    stack = "".join(f'    File "/usr/local/lib/python3.9/site-packages/keras/engine/m{i}.py", line {i}, in f{i}\n'
                    f"      return step{i}(data)\n" for i in range(3))
    message = "Received a label value of 10 which is outside the valid range of [0, 10).  Label values: 3 10 8"
    evalue = ("Graph execution error:\n\nDetected at node 'sparse_categorical_crossentropy/SparseSoftmax' defined at "
              "(most recent call last):\n" + stack + "Node: 'sparse_categorical_crossentropy/SparseSoftmax'\n" +
              message + "\n\t [[{{node sparse_categorical_crossentropy/SparseSoftmax}}]] [Op:__inference_train_1234]")
    assert _op_message_first(evalue) == f"{message}\n\n{evalue}"


def test_a_graph_execution_error_whose_cut_is_still_the_stack_is_left_as_it_is():
    evalue = ("Graph execution error:\n\nDetected at node 'loss/Op' defined at (most recent call last):\n"
              '    File "m.py", line 3, in f\n      return g()\n\t [[{{node loss/Op}}]]')
    assert _op_message_first(evalue) == evalue


@pytest.mark.parametrize("evalue,by", [("cannot convert float NaN to integer", "Python itself"),
                                       ("x must not contain infs or NaNs.", "the code that raised")])
def test_a_raise_site_of_no_one_library_names_who_raised_it(evalue, by):
    record = classify_row({"ename": "ValueError", "evalue": evalue})
    why = record["trace"]["exception_type"]["why"]
    assert why.startswith(f"the message is raised by {by} (") and "by  (" not in why
