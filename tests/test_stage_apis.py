"""The library-sourced stage table (knowledge/stage_apis.py, written by benchmarks/stage_apis.py) and its lookup."""
from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys

import pytest

from benchmarks import stage_apis as generator
from nbcrash_kernel.knowledge import stage_apis
from nbcrash_kernel.knowledge.pipeline import ATTRIBUTES, CALLS, score_stages, stage_words
from nbcrash_kernel.knowledge.stage_lookup import BARE_NAMES, METHODS, chain_entry, qualified_entry
from nbcrash_kernel.record.taxonomy import STAGES


def _best(code: str, aliases: dict[str, str] | None = None) -> str:
    scores = score_stages(code, 1.0, {}, aliases)
    return max(scores, key=scores.get)


def test_every_group_has_a_stage_a_weight_and_a_source():
    for stage, weight, where, source, names in (*stage_apis.MODULE_GROUPS, *stage_apis.METHOD_GROUPS):
        assert stage in STAGES and stage != "NONE", where
        assert weight > 0 and source.strip() and where.strip()
        assert names.split(), where


@pytest.mark.parametrize("code, stage", [
    ("score = metrics.f1_score(y_true, y_hat)", "EVAL"),
    ("layer = nn.Linear(4, 2)", "MCONS"),
    ("frame = pd.read_csv(path)", "DATAP"),
    ("sns.heatmap(corr)", "DATAV"),
    ("out = tf.keras.layers.Dense(3)", "MCONS"),
    ("loader = torch.utils.data.DataLoader(ds, batch_size=4)", "DATAP"),
    ("opt = torch.optim.Adam(params)", "TRAIN"),
    ("plt.switch_backend('TkAgg')", "ENVS"),
    ("sns(frame)", "DATAV"),
    ("RocCurveDisplay.from_estimator(clf, X, y)", "EVAL"),
    ("pd.set_option('display.max_rows', 10)", "ENVS"),
])
def test_module_qualified_calls_take_their_modules_stage(code, stage):
    assert _best(code) == stage


def test_a_name_imported_from_a_module_resolves_through_the_cells_imports():
    aliases = {"minimize": "scipy.optimize.minimize", "f1": "sklearn.metrics.f1_score"}
    assert _best("res = minimize(cost, x0)", aliases) == "TRAIN"
    assert _best("v = f1(a, b)", aliases) == "EVAL"
    assert qualified_entry("sklearn.ensemble.RandomForestClassifier")[0] == "MCONS"  # via the top module


def test_a_variable_named_like_a_module_member_is_not_resolved():
    assert chain_entry(("frame", "read_csv"), None) is None
    assert chain_entry(("Table", "read"), None) is None  # one capitalised word: many libraries have one


def test_methods_apply_when_called_and_shared_container_methods_name_no_stage():
    assert METHODS["fit"][0] == "TRAIN" and METHODS["predict"][0] == "EVAL" and METHODS["compile"][0] == "MCONS"
    assert METHODS["fillna"][0] == "DATAP" and METHODS["set_xlabel"][0] == "DATAV"
    for shared in ("get", "items", "keys", "pop", "append", "format"):  # dict, list and str have them too
        assert shared not in METHODS
    for shared in ("dot", "max", "argsort", "item", "round"):  # numpy arrays and torch tensors have them too
        assert shared not in METHODS
    assert _best("loss = (x.dot(w) - y).max()") != "DATAP"


def test_bare_names_are_distinctive_and_unambiguous():
    assert BARE_NAMES["train_test_split"][0] == "DATAP" and BARE_NAMES["confusion_matrix"][0] == "EVAL"
    for generic in ("plot", "show", "train", "open", "print", "max"):
        assert generic not in BARE_NAMES


def test_the_hand_tables_keep_only_words_the_library_table_does_not_give_the_same_stage():
    assert not [w for w, (stage, _) in CALLS.items() if BARE_NAMES.get(w, ("",))[0] == stage]
    accessors = {"str", "dt", "plot"}  # used without a call (``df.col.str.lower()``), where methods don't apply
    assert not [w for w, (stage, _) in ATTRIBUTES.items()
                if w not in accessors and METHODS.get(w, ("",))[0] == stage]


def test_evidence_names_the_resolved_call():
    # `metrics` names a submodule of sklearn and of torch (doc_names.COLLISIONS): the cell's import decides
    aliases = {"metrics": "sklearn.metrics"}
    assert stage_words("m = metrics.f1_score(a, b)", "EVAL", aliases=aliases) == [".f1_score()"]


def test_the_classifier_imports_no_library_to_read_the_table():
    code = ("import sys; import nbcrash_kernel.knowledge.stage_lookup, nbcrash_kernel.knowledge.pipeline; "
            "print(sorted(m for m in ('sklearn', 'torch', 'matplotlib', 'seaborn', 'keras') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _table_versions() -> dict[str, str]:
    header = " ".join(stage_apis.__doc__.split())
    return dict(re.findall(r"(\w+) ([\w.+]+)[,.]", header.split("against", 1)[1]))


@pytest.mark.parametrize("library, distribution", [("sklearn", "scikit-learn"), ("pandas", "pandas"),
                                                   ("matplotlib", "matplotlib"), ("scipy", "scipy")])
def test_the_table_is_current_for_the_installed_libraries(library, distribution):
    """Regenerating the groups of a library installed here, at the table's version, changes nothing."""
    try:
        installed = importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(f"{distribution} not installed")
    if _table_versions().get(library) != installed:
        pytest.skip(f"the table was written against another {library}")
    for (stage, weight, module, names, source), written in zip(generator.MODULE_GROUPS, stage_apis.MODULE_GROUPS):
        assert (stage, weight, module, source) == written[:4]
        if module.split(".")[0] == library:
            assert generator.group_members(module, names) == written[4].split(), module
