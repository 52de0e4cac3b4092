"""Exception type, part 0: a message raised at a known library raise site decides first.

A library's exception class often says little (torch raises RuntimeError for a broadcast
failure, matplotlib AttributeError for an unknown keyword, sklearn ValueError for NaN in the
data); the raise site's wording says what failed. The families and their sources are in
``knowledge/raise_sites.py``. Runs before part 1 (``exception_types.py``).
"""
from __future__ import annotations

from ..knowledge.raise_sites import (CALL_ORDER, FILE_MISSING, FILE_UNREADABLE, FORMULA_COLUMN_MISSING, SHAPE_MISMATCH,
                                     TENSOR_BROADCAST, TENSOR_DTYPE, UNKNOWN_ARGUMENT, VALUE_VIOLATION, SiteFamily)
from ..record.taxonomy import FILE_NOT_FOUND, INIT_ORDER, SHAPE_MISMATCH as SHAPE_MISMATCH_DETAIL, WRONG_ARGUMENTS
from .exception_fixes import FIX_FIT, FIX_SHAPES, FIX_SIGNATURE, FIX_VALUES
from .rules import library_crash, rule
from .signals import Signals


def raise_site_of(family: SiteFamily, s: Signals) -> str | None:
    """Who raised the message, by the raise site of ``family`` it matches: 'library (file)', or None."""
    found = s.raise_site
    if not found or found[0] is not family:
        return None
    raised = found[1]
    by = raised.library or ("Python itself" if raised.source.startswith("CPython") else "the code that raised")
    return f"{by} ({raised.source})"


def _raised_at(family: SiteFamily, s: Signals) -> str | None:
    """Why the rule fires: the library and file whose raise site the message matches."""
    where = raise_site_of(family, s)
    return where and f"the message is raised by {where}"


# Each example below is a crash produced by running the call in its cell line (torch 2.13,
# scikit-learn, scipy, numpy, pandas and matplotlib of the test environment), or, for Keras,
# statsmodels, xgboost and LightGBM, the message at the raise site the source names.

@rule("ET-SITE-TENSOR-BROADCAST", "BCAST", "unsupported broadcast", fix=FIX_SHAPES,
      examples=[library_crash("RuntimeError", "The size of tensor a (3) must match the size of tensor b (4) at "
                       "non-singleton dimension 0", "torch.ones(3) + torch.ones(4)", "torch/_tensor.py"),
                library_crash("RuntimeError", "The expanded size of the tensor (4) must match the existing size (3) at "
                       "non-singleton dimension 1.  Target sizes: [4, 4].  Tensor sizes: [2, 3]",
                       "torch.ones(2, 3).expand(4, 4)", "torch/_tensor.py")])
def _tensor_broadcast(s: Signals):
    """torch cannot broadcast the tensors' shapes (ATen's `infer_size`), though it raises RuntimeError.

    torch applies numpy's broadcasting rules to elementwise operations; when two sizes differ and
    neither is 1, ATen's `infer_size` raises "The size of tensor a (3) must match the size of
    tensor b (4) at non-singleton dimension 0" (and `expand` its own wording).
    """
    return _raised_at(TENSOR_BROADCAST, s)


@rule("ET-SITE-SHAPE-MISMATCH", "TSHAPE", SHAPE_MISMATCH_DETAIL, fix=FIX_SHAPES,
      examples=[library_crash("ValueError", "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
                       "signature (n?,k),(k,m?)->(n?,m?) (size 4 is different from 3)",
                       "np.ones((2, 3)) @ np.ones((4, 2))", "numpy/_core/numeric.py"),
                library_crash("ValueError", "Number of labels=4 does not match number of samples=5",
                       "DecisionTreeClassifier().fit(np.ones((5, 2)), np.ones(4))", "sklearn/tree/_classes.py"),
                library_crash("RuntimeError", "stack expects each tensor to be equal size, but got [2] at entry 0 and [3] "
                       "at entry 1", "torch.stack([torch.ones(2), torch.ones(3)])", "torch/functional.py"),
                library_crash("ValueError", "endog and exog matrices are different sizes", "sm.OLS(y, X)",
                       "statsmodels/base/data.py")])
def _shape_mismatch(s: Signals):
    """A library's check that two operands' sizes agree failed (numpy, scipy, sklearn, torch, statsmodels, Keras).

    The raise sites compare one size of each operand: a gufunc's core dimension (`@`), the
    number of labels and samples, a convolution's channels, a loss's target and input.
    """
    return _raised_at(SHAPE_MISMATCH, s)


@rule("ET-SITE-VALUE-VIOLATION", "DVIOL", "valueerror - data value violation", fix=FIX_VALUES,
      examples=[library_crash("ValueError", "Input y contains NaN.",
                       "LinearRegression().fit(np.ones((3, 1)), [1, np.nan, 2])", "sklearn/utils/validation.py"),
                library_crash("ValueError", "y contains previously unseen labels: np.str_('c')",
                       "LabelEncoder().fit(['a', 'b']).transform(['c'])", "sklearn/utils/_encode.py"),
                library_crash("RuntimeError", "probability tensor contains either `inf`, `nan` or element < 0",
                       "torch.multinomial(torch.tensor([0.5, -0.1, 0.6]), 1)", "torch/_tensor.py")])
def _value_violation(s: Signals):
    """A library's check on the data's values failed: NaN, infinity, negative, unseen or out-of-range values.

    The raise sites test values, not shapes or types (sklearn's `_assert_all_finite` and
    `check_non_negative`, `LabelEncoder.transform`, scipy's `interp1d` bounds, numpy's and
    torch's probability checks), whatever class they raise.
    """
    return _raised_at(VALUE_VIOLATION, s)


@rule("ET-SITE-TENSOR-DTYPE", "TYPE", "typeerror",
      examples=[library_crash("RuntimeError", "mat1 and mat2 must have the same dtype, but got Double and Float",
                       "nn.Linear(3, 2)(torch.ones(4, 3, dtype=torch.float64))", "torch/nn/modules/linear.py"),
                library_crash("RuntimeError", "result type Float can't be cast to the desired output type Long",
                       "torch.zeros(3, dtype=torch.long).add_(torch.ones(3) * 0.5)", "torch/_tensor.py")])
def _tensor_dtype(s: Signals):
    """torch's kernel needs tensors of one dtype (or one it can cast to) and got others: a type error."""
    return _raised_at(TENSOR_DTYPE, s)


@rule("ET-SITE-UNKNOWN-ARGUMENT", "IARG", WRONG_ARGUMENTS, fix=FIX_SIGNATURE,
      examples=[library_crash("AttributeError", "Line2D.set() got an unexpected keyword argument 'colour'",
                       "plt.plot([1, 2], colour='red')", "matplotlib/artist.py"),
                library_crash("ValueError", "'top' is not a valid value for loc.", "plt.legend(loc='top')",
                       "matplotlib/_api/__init__.py"),
                library_crash("ValueError", "Could not interpret loss identifier: categorical",
                       "model.compile(loss='categorical')", "keras/src/losses/__init__.py")])
def _unknown_argument(s: Signals):
    """The API does not know a keyword, a keyword's value or an identifier it was given.

    matplotlib passes unknown keywords to `Artist.set`, which raises AttributeError, and checks a
    keyword's value with `_api.check_in_list` (colours with `_check_color_like`); Pillow's
    `convert` rejects an unknown mode; Keras' `get` functions raise ValueError for an unknown loss
    or activation name; LightGBM and XGBoost reject an unknown objective.
    """
    return _raised_at(UNKNOWN_ARGUMENT, s)


@rule("ET-SITE-CALL-ORDER", "INIT", INIT_ORDER, fix=FIX_FIT,
      examples=[library_crash("ValueError", "You must call `compile()` before using the model.", "model.fit(X, y)",
                       "keras/src/trainers/trainer.py"),
                library_crash("RuntimeError", "Trying to backward through the graph a second time (or directly access saved "
                       "tensors after they have already been freed).", "loss.backward()", "torch/autograd/graph.py")])
def _call_order(s: Signals):
    """A step ran before the one it needs (Keras' compile or build), or a second time (torch's backward).

    Keras checks that compile() or build() ran and raises ValueError; torch's autograd frees the
    graph's saved tensors after backward() and raises RuntimeError on a second pass.
    """
    return _raised_at(CALL_ORDER, s)


@rule("ET-SITE-FILE-MISSING", "IO", FILE_NOT_FOUND,
      examples=[library_crash("ValueError", "File not found: filepath=final.keras. Please ensure the file is an accessible "
                       "`.keras` zip file.", "model = keras.models.load_model('final.keras')",
                       "keras/src/saving/saving_api.py")])
def _file_missing(s: Signals):
    """A library's loader found no file at the path it was given, and says so in a ValueError (Keras' load_model)."""
    return _raised_at(FILE_MISSING, s)


@rule("ET-SITE-FILE-UNREADABLE", "IO", "unsupported file type (read file)",
      examples=[library_crash("ValueError", "Expected object or value at position 0", "df = pd.read_json('rows.json')",
                       "pandas/io/json/_json.py"),
                library_crash("ArrowInvalid", "Could not open Parquet input source '<Buffer>': Parquet magic bytes not found "
                       "in footer. Either the file is corrupted or this is not a parquet file.",
                       "df = pd.read_parquet('rows.parquet')", "pyarrow/parquet/core.py")])
def _file_unreadable(s: Signals):
    """A reader found a file whose content is not the format it parses (JSON, Parquet, a torch checkpoint).

    pandas' JSON reader, pyarrow's Parquet reader and torch.load raise ValueError, ArrowInvalid or
    RuntimeError, whose class says nothing of files; their wording says the file is unreadable.
    """
    return _raised_at(FILE_UNREADABLE, s)


@rule("ET-SITE-FORMULA-COLUMN", "KEY", "keyerror",
      examples=[library_crash("PatsyError", "Error evaluating factor: NameError: name 'X1' is not defined\n    cost ~ X1\n"
                       "           ^^", "fit = smf.ols('cost ~ X1', data=data).fit()", "patsy/eval.py")])
def _formula_column(s: Signals):
    """A model formula names a column the data does not have (patsy, under statsmodels' formula API).

    patsy evaluates each term of `y ~ x1 + x2` in a namespace of the data's columns and then the
    caller's variables; a name found in neither raises NameError, which patsy wraps in a PatsyError
    "Error evaluating factor": the column is missing, as a KeyError says for a DataFrame.
    """
    return _raised_at(FORMULA_COLUMN_MISSING, s)
