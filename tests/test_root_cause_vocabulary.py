"""Root-cause rules decide from library and Python facts and the crash's structure, not from names seen in crashes."""
from __future__ import annotations

import pytest

from nbcrash_kernel.classifier import classify
from nbcrash_kernel.classifier.examples import example_context
from nbcrash_kernel.classifier.rules import CELL_FILE, example, site, traceback_text
from nbcrash_kernel.knowledge.messages import MODEL_WEIGHTS
from nbcrash_kernel.knowledge.object_conventions import BUILTIN_TYPES, is_fitted_attribute


def _decide(ename: str, evalue: str, *frames: tuple) -> tuple[str, str]:
    diagnosis = classify(example_context(example(ename, evalue, traceback_text(ename, evalue, *frames) if frames else "")))
    return diagnosis.root_cause, diagnosis.trace["root_cause"]["rule"]


def _name_error(name: str, line: str, *more: tuple) -> tuple[str, str]:
    return _decide("NameError", f"name '{name}' is not defined", (CELL_FILE, line, *more))


@pytest.mark.parametrize("conventional,invented", [("X_train", "Qk_zvm"), ("y_pred", "wub_zork"), ("model", "gadget"),
                                                   ("df", "zz"), ("history", "ledger")])
def test_an_undefined_name_is_judged_by_where_it_is_read_not_by_what_it_is_called(conventional, invented):
    for line, more in (("print({})", ()), ("z = w + {}", (14,)), ("return {} * 2", (3, "helper"))):
        assert _name_error(conventional, line.format(conventional), *more) == \
            _name_error(invented, line.format(invented), *more), line


def test_an_undefined_name_read_in_a_user_function_is_the_functions_own_slip():
    frames = ((CELL_FILE, "prep(frame)"), (CELL_FILE, "return X_train * 2", 4, "prep"))
    assert _decide("NameError", "name 'X_train' is not defined", *frames) == ("IMPL", "RC-NAME-IN-FUNCTION")


def test_pythons_own_suggestion_means_a_typo_and_a_standard_module_means_an_import():
    assert _decide("NameError", "name 'acuracy' is not defined. Did you mean: 'accuracy'?") == \
        ("IMPL", "RC-NAME-SUGGESTED")
    assert _name_error("itertools", "itertools.chain(a, b)") == ("NB", "RC-NAME-MODULE-ALIAS")


@pytest.mark.parametrize("name,line", [("token", "print(token)"), ("html", "display(html)"), ("code", "run(code)"),
                                       ("string", "s = string + 'x'"), ("array", "total = sum(array)"),
                                       ("time", "elapsed = time - start"), ("email", "send(email)")])
def test_a_standard_module_name_read_as_a_plain_variable_is_not_a_missing_import(name, line):
    assert _name_error(name, line)[1] != "RC-NAME-MODULE-ALIAS"
    assert _name_error(name, f"{name}.attribute") == ("NB", "RC-NAME-MODULE-ALIAS")


def test_model_weights_family_is_the_loaders_wording_only():
    # The strings torch 2.13.0 (nn/modules/module.py) and Keras' HDF5 loader raise.
    assert MODEL_WEIGHTS.search("Error(s) in loading state_dict for Net:\n\tMissing key(s) in state_dict: \"fc.bias\".")
    assert MODEL_WEIGHTS.search("size mismatch for fc.weight: copying a param with shape torch.Size([10, 4])")
    assert MODEL_WEIGHTS.search("You are trying to load a weight file containing 7 layers into a model with 8 layers.")
    assert not MODEL_WEIGHTS.search("Model expected 3 inputs")
    assert not MODEL_WEIGHTS.search("Error in loading the configuration file")


def test_embedding_index_is_model_only_inside_torchs_embedding_lookup():
    message = "index out of range in self"
    lookup = (site("torch/nn/functional.py"), "return torch.embedding(weight, input)", 2615, "embedding")
    assert _decide("IndexError", message, (CELL_FILE, "out = model(ids)"), lookup) == ("MODEL", "RC-MODEL-EMBEDDING-SIZE")
    select = (site("torch/functional.py"), "return torch.index_select(x, 0, idx)", 40, "pick")
    assert _decide("IndexError", message, (CELL_FILE, "out = pick(x, idx)"), select)[0] != "MODEL"


def test_fitted_attributes_follow_scikit_learns_trailing_underscore():
    assert is_fitted_attribute("best_params_") and is_fitted_attribute("coef_") and is_fitted_attribute("n_iter_")
    assert not is_fitted_attribute("__len__") and not is_fitted_attribute("_private_") and \
        not is_fitted_attribute("predict")
    assert _decide("AttributeError", "'Lasso' object has no attribute 'coef_'") == ("NB", "RC-ATTR-FITTED-ONLY")


@pytest.mark.parametrize("evalue", ["'numpy.ndarray' object has no attribute 'unsqueeze_'",
                                    "'DataFrame' object has no attribute 'colums_'",
                                    "'Net' object has no attribute 'hidden_'"])
def test_a_trailing_underscore_is_a_fitted_attribute_only_on_a_scikit_learn_estimator(evalue):
    assert _decide("AttributeError", evalue)[1] != "RC-ATTR-FITTED-ONLY"


def test_an_own_estimator_read_through_scikit_learn_keeps_its_fitted_attribute():
    frames = ((CELL_FILE, "pipe.predict(X)"), (site("sklearn/pipeline.py"), "Xt = transform.transform(Xt)"),
              (CELL_FILE, "return X * self.scale_", 9, "transform"))
    assert _decide("AttributeError", "'MyScaler' object has no attribute 'scale_'", *frames) == \
        ("NB", "RC-ATTR-FITTED-ONLY")


def test_builtin_types_are_read_from_pythons_builtins():
    assert {"list", "dict", "str", "tuple", "int", "float"} <= BUILTIN_TYPES
    assert "object" not in BUILTIN_TYPES and "ValueError" not in BUILTIN_TYPES
