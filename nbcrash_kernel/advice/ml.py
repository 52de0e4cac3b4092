"""ML shapes, devices and fitting: the fix that makes the operands agree.

Facts used (message texts as the libraries raise them):
- numpy ``matmul``: "matmul: Input operand 1 has a mismatch in its core dimension 0,
  with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 3 is different from 4)"
  (numpy/core/src/umath/ufunc_object.c); ``dot``: "shapes (3,4) and (3,4) not aligned:
  4 (dim 1) != 3 (dim 0)" (multiarraymodule.c). ``A @ B`` needs ``A.shape[-1] == B.shape[-2]``.
- numpy broadcasting: "operands could not be broadcast together with shapes (3,4) (3,)";
  trailing axes must be equal or 1, so a length-n vector against (n, m) needs ``v[:, None]``.
- scikit-learn ``check_array``: "Expected 2D array, got 1D array instead" (one feature:
  ``reshape(-1, 1)`` or ``df[['col']]``); ``_check_n_features``: "X has 3 features, but
  LinearRegression is expecting 2 features as input"; ``check_is_fitted``: "This X
  instance is not fitted yet. Call 'fit' ..."; ``check_consistent_length``:
  "Found input variables with inconsistent numbers of samples: [100, 80]";
  ``_check_feature_names``: "The feature names should match those that were passed during fit".
- PyTorch: "Expected all tensors to be on the same device, but found at least two devices,
  cuda:0 and cpu!"; "expected scalar type Float but found Double"; "mat1 and mat2 must have
  the same dtype"; "mat1 and mat2 shapes cannot be multiplied (64x100 and 50x10)";
  "Input type (torch.FloatTensor) and weight type (torch.cuda.FloatTensor) should be the same";
  "Can't call numpy() on Tensor that requires grad"; "can't convert cuda:0 device type tensor to numpy".
- Keras: "Input 0 of layer ... is incompatible with the layer: expected axis -1 of input
  shape to have value 784, but received input with shape (None, 28, 28)".
"""
from __future__ import annotations

import re

from .evidence import MISSING, Advice, Evidence, safe_getattr

_SHAPE = r"\(([\d, ]*)\)"
_MATMUL = re.compile(r"matmul: Input operand 1 has a mismatch in its core dimension")
_DOT = re.compile(r"shapes " + _SHAPE + r" and " + _SHAPE + r" not aligned")
_BROADCAST = re.compile(r"operands could not be broadcast together with (?:remapped )?shapes((?: ?\[?\([\d, ]*\)\]?)+)")
_OPERANDS = re.compile(r"([A-Za-z_][\w.]*(?:\.T)?)\s*(@|\*|\+|-|/)\s*([A-Za-z_][\w.]*(?:\.T)?)")
_DOT_CALL = re.compile(r"(?:np\.dot|np\.matmul|\.dot)\(\s*([A-Za-z_][\w.]*(?:\.T)?)\s*,\s*([A-Za-z_][\w.]*(?:\.T)?)")


def advise_ml(evidence: Evidence) -> Advice | None:
    text = evidence.evalue
    for pattern, advise in _RULES:
        match = pattern.search(text)
        if match:
            advice = advise(match, evidence)
            if advice is not None:
                return advice
    return None


def _shape(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text))


def _live_shape(evidence: Evidence, expression: str) -> tuple[int, ...] | None:
    transposed = expression.endswith(".T")
    value = evidence.resolve(expression[:-2] if transposed else expression)
    shape = safe_getattr(value, "shape") if value is not MISSING else MISSING
    if shape is MISSING or shape is None or callable(shape):
        return None
    try:
        dims = tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        return None
    return dims[::-1] if transposed else dims


def _operands(evidence: Evidence, operator: str | None = "@") -> tuple[str, str] | None:
    for match in _DOT_CALL.finditer(evidence.line):
        return match.group(1), match.group(2)
    for match in _OPERANDS.finditer(evidence.line):
        if operator is None or match.group(2) == operator:
            return match.group(1), match.group(3)
    return None


def align_matmul(left: str, a: tuple[int, ...], right: str, b: tuple[int, ...]) -> str | None:
    """The product that aligns ``a @ b``'s inner dimensions, or None."""
    if len(a) < 1 or len(b) < 1:
        return None
    if len(b) >= 2 and a[-1] == b[-1]:
        return f"{left} @ {flip(right)}"
    if len(a) >= 2 and a[-2] == b[-2 if len(b) >= 2 else -1]:
        return f"{flip(left)} @ {right}"
    if len(a) >= 2 and len(b) >= 2 and a[-2] == b[-1]:
        return f"{right} @ {left}"
    return None


def flip(name: str) -> str:
    """``W`` -> ``W.T`` and ``W.T`` -> ``W``."""
    return name[:-2] if name.endswith(".T") else f"{name}.T"


def _matmul(match: re.Match, evidence: Evidence) -> Advice:
    names = _operands(evidence, "@")
    shapes = (_live_shape(evidence, names[0]), _live_shape(evidence, names[1])) if names else (None, None)
    if match.groups() and len(match.groups()) == 2:  # np.dot's message carries the shapes
        shapes = (_shape(match.group(1)), _shape(match.group(2)))
    left, right = names or ("A", "B")
    a, b = shapes
    if a and b:
        aligned = align_matmul(left, a, right, b)
        head = f"`{left}` has shape {a} and `{right}` has shape {b}: `@` needs `{left}.shape[-1] == {right}.shape[-2]`"
        fix = f"Use `{aligned}`, which aligns the inner dimensions." if aligned else (
            "Reshape or select so that the inner dimensions agree (the columns of the left, the rows of the right).")
        return Advice(fixes=[fix], evidence=[head],
                      verdict=f"The inner dimensions of `{left} @ {right}` differ ({a} and {b}).")
    return Advice(fixes=["Make the inner dimensions agree: the left operand's last axis must equal the right "
                         "operand's second-to-last (transpose one with `.T` if they are swapped)."])


def _broadcast(match: re.Match, evidence: Evidence) -> Advice:
    shapes = [_shape(s) for s in re.findall(_SHAPE, match.group(1))]
    names = _operands(evidence, None)
    if len(shapes) >= 2:
        a, b = shapes[0], shapes[1]
        fix = _broadcast_fix(a, b, names)
        return Advice(fixes=[fix], evidence=[f"the operands have shapes {a} and {b}"],
                      verdict=f"Arrays of shapes {a} and {b} cannot be combined element-wise.")
    return Advice(fixes=["Make the shapes agree axis by axis from the right (equal, or 1): reshape with "
                         "`[:, None]` or select matching rows."])


def _broadcast_fix(a: tuple[int, ...], b: tuple[int, ...], names: tuple[str, str] | None) -> str:
    left, right = names or ("a", "b")
    if len(b) == 1 and len(a) == 2 and b[0] == a[0]:
        return f"Add an axis to the vector so it runs down the rows: `{left} {'+'} {right}[:, None]` (shape {b} -> ({b[0]}, 1))."
    if len(a) == 1 and len(b) == 2 and a[0] == b[0]:
        return f"Add an axis to the vector so it runs down the rows: `{left}[:, None]` (shape {a} -> ({a[0]}, 1))."
    if len(a) == len(b) and sorted(a) == sorted(b):
        return f"The axes are swapped: transpose one operand (`{right}.T`)."
    return (f"Shapes {a} and {b} differ in a trailing axis: reshape or select so each axis is equal or 1 "
            "(compare `.shape` of both).")


def _expected_2d(match: re.Match, evidence: Evidence) -> Advice:
    column = re.search(r"([A-Za-z_]\w*)\[\s*(['\"][^'\"]+['\"])\s*\]", evidence.line)
    fixes = []
    if column:
        fixes.append(f"Select the column as a one-column DataFrame: `{column.group(1)}[[{column.group(2)}]]` "
                     "(double brackets keep it 2-D).")
    fixes.append("For one feature, reshape the 1-D array into a column: `X.reshape(-1, 1)`; for one sample, "
                 "`x.reshape(1, -1)`.")
    return Advice(fixes=fixes, verdict="scikit-learn expects a 2-D array (samples × features) and got a 1-D one.")


def _missing_values(match: re.Match, evidence: Evidence) -> Advice:
    if match.group(1) == "NaN":
        return Advice(fixes=["Fill or drop the missing values before fitting: `SimpleImputer()` in a Pipeline, "
                             "`X.fillna(...)` or `X.dropna()` (with the same rows of y), or an estimator that "
                             "accepts NaN such as `HistGradientBoostingClassifier`."])
    return Advice(fixes=["Replace the infinities first: `X = X.replace([np.inf, -np.inf], np.nan)` then impute, "
                         "or find the division that made them."])


def _mixed_targets(match: re.Match, evidence: Evidence) -> Advice:
    return Advice(fixes=["Pass class labels to the metric: `model.predict(X)`, or threshold the probabilities "
                         "(`(proba[:, 1] >= 0.5).astype(int)`); metrics such as `roc_auc_score` take the "
                         "probabilities themselves."],
                  verdict=f"The metric got {match.group(1)} and {match.group(2)} targets: scores or probabilities "
                          "where class labels are expected.")


def _continuous_labels(match: re.Match, evidence: Evidence) -> Advice:
    return Advice(fixes=["The target is continuous: use a regressor (e.g. `RandomForestRegressor`), or turn the "
                         "target into classes first (`pd.cut`, a threshold) for a classifier."])


def _n_features(match: re.Match, evidence: Evidence) -> Advice:
    got, model, expected = match.groups()
    return Advice(fixes=[f"Give `{model}` the same {expected} feature columns it was fitted on: apply the same "
                         f"preprocessing (the fitted transformer's `.transform`, the same column list) to this "
                         f"data, which has {got}."],
                  verdict=f"The data has {got} features but `{model}` was fitted on {expected}.")


def _not_fitted(match: re.Match, evidence: Evidence) -> Advice:
    model = match.group(1)
    return Advice(fixes=[f"Call `.fit(X, y)` on this {model} (or run the cell that fits it) before "
                         "predict/transform/score."],
                  verdict=f"The {model} is used before it was fitted.")


def _samples(match: re.Match, evidence: Evidence) -> Advice:
    counts = match.group(1)
    return Advice(fixes=[f"X and y must have one row per sample (they have {counts} rows): split, filter or "
                         "drop rows on both together (`train_test_split(X, y)`, the same mask on both)."])


def _feature_names(match: re.Match, evidence: Evidence) -> Advice:
    return Advice(fixes=["Pass the same columns, in the same order, as at fit time: "
                         "`X_new = X_new[model.feature_names_in_]`."])


def _device(match: re.Match, evidence: Evidence) -> Advice:
    devices = f"{match.group(1)} and {match.group(2)}"
    return Advice(fixes=["Move the model and every tensor to one device: `device = torch.device('cuda' if "
                         "torch.cuda.is_available() else 'cpu')`, then `model.to(device)` and `x = x.to(device)`."],
                  verdict=f"The tensors of one operation are on different devices ({devices}).",
                  root_cause=("API", "misunderstanding of APIs"))


def _input_weight(match: re.Match, evidence: Evidence) -> Advice:
    return Advice(fixes=["Put the input on the model's device and dtype: `x = x.to(next(model.parameters()).device, "
                         "dtype=torch.float32)` (or `model.to(device)`)."],
                  verdict="The input tensor and the layer's weights differ in device or dtype.")


def _dtype(match: re.Match, evidence: Evidence) -> Advice:
    return Advice(fixes=["Use one dtype: convert with `x = x.float()` (float32, the default of layers), or "
                         "`torch.tensor(data, dtype=torch.float32)`; class targets of a loss are `.long()`."],
                  verdict="The tensors of one operation have different dtypes.")


def _linear_shapes(match: re.Match, evidence: Evidence) -> Advice:
    rows, cols, in_features, out = match.groups()
    return Advice(fixes=[f"Make the layer take {cols} input features: `nn.Linear({cols}, {out})` (it is built for "
                         f"{in_features}), or flatten/reshape the input to (batch, {in_features})."],
                  verdict=f"The input has {cols} features per sample but the layer expects {in_features}.")


def _keras_axis(match: re.Match, evidence: Evidence) -> Advice:
    expected, got = match.groups()
    return Advice(fixes=[f"Make the input's last axis {expected}: add `Flatten()` before the layer, or reshape "
                         f"the data to (-1, {expected}); it arrives as {got}."])


def _to_numpy(match: re.Match, evidence: Evidence) -> Advice:
    return Advice(fixes=["Convert with `tensor.detach().cpu().numpy()`."])


_RULES = (
    (_MATMUL, _matmul),
    (_DOT, _matmul),
    (_BROADCAST, _broadcast),
    (re.compile(r"Expected 2D array, got (?:1D array|scalar array) instead|Expected a 2-dimensional container"), _expected_2d),
    (re.compile(r"Input (?:X |y )?contains (NaN|infinity)"), _missing_values),
    (re.compile(r"Classification metrics can't handle a mix of ([\w-]+) and ([\w-]+) targets"), _mixed_targets),
    (re.compile(r"Unknown label type: '?continuous"), _continuous_labels),
    (re.compile(r"X has (\d+) features?, but (\w+) is expecting (\d+) features? as input"), _n_features),
    (re.compile(r"This (\w+) instance is not fitted yet"), _not_fitted),
    (re.compile(r"Found input variables with inconsistent numbers of samples: (\[[\d, ]+\])"), _samples),
    (re.compile(r"feature names should match those that were passed during fit"), _feature_names),
    (re.compile(r"Expected all tensors to be on the same device, but found at least two devices, ([\w:]+) and ([\w:]+)"), _device),
    (re.compile(r"Input type \(([\w.]+)\) and weight type \(([\w.]+)\) should be the same"), _input_weight),
    (re.compile(r"mat1 and mat2 shapes cannot be multiplied \((\d+)x(\d+) and (\d+)x(\d+)\)"), _linear_shapes),
    (re.compile(r"expected scalar type (\w+) but found (\w+)|mat1 and mat2 must have the same dtype|"
                r"[Ff]ound dtype (\w+) but expected (\w+)|expected (?:m1|mat1) and (?:m2|mat2) to have the same dtype"), _dtype),
    (re.compile(r"expected axis -?\d+ of input shape to have value (\d+),? but received input with shape (\([\w, ]+\))"), _keras_axis),
    (re.compile(r"Can't call numpy\(\) on Tensor that requires grad|can't convert cuda:?\d* device type tensor to numpy"), _to_numpy),
)
