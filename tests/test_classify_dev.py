"""The classifier over the study's labelled crashes, and the generality of its rules."""
from __future__ import annotations

import json
import keyword
import re
import string

import pytest

from nbcrash_kernel.classify.records import classify_frame
from nbcrash_kernel.knowledge import pipeline
from nbcrash_kernel.knowledge.api_changes import API_CHANGES
from nbcrash_kernel.knowledge.modules import CONVENTIONAL_ALIASES, PIP_NAMES, STDLIB_MODULES
from nbcrash_kernel.knowledge.object_names import callable_object_name, data_or_model_name
from nbcrash_kernel.knowledge.symbols import SYMBOL_LIBRARY
from nbcrash_kernel.record.taxonomy import EXCEPTION_TYPES, ML_LIBRARIES, ORIGINS, ROOT_CAUSES, STAGES

DIMENSIONS = ("exception_type", "root_cause", "origin", "stage")


@pytest.fixture(scope="module")
def predicted(dev_frame):
    return classify_frame(dev_frame)


def test_every_dev_crash_gets_a_valid_record(dev_frame, predicted):
    assert len(predicted) == len(dev_frame)
    assert predicted["error"].isna().all()
    assert set(predicted.exception_type) <= set(EXCEPTION_TYPES)
    assert set(predicted.root_cause) <= set(ROOT_CAUSES)
    assert set(predicted.origin) <= set(ORIGINS)
    assert set(predicted.stage) <= set(STAGES)
    assert list(predicted.crash_id) == list(dev_frame.crash_id)
    assert predicted.summary.str.len().min() > 20


@pytest.mark.parametrize("dimension,floor", [
    ("exception_type", 0.95), ("root_cause", 0.75), ("origin", 0.89), ("stage", 0.67)])
def test_accuracy_does_not_regress(dev_frame, predicted, dimension, floor):
    """Floors a little under the measured dev accuracy (README): a drop means a rule broke."""
    accuracy = (predicted[dimension].values == dev_frame[dimension].values).mean()
    assert accuracy >= floor, f"{dimension} accuracy {accuracy:.1%} fell under {floor:.0%}"


# -- generality: renaming the user's own identifiers must not change any verdict ----------

_KNOWN = (set(CONVENTIONAL_ALIASES) | set(SYMBOL_LIBRARY) | set(ML_LIBRARIES) | set(STDLIB_MODULES)
          | set(keyword.kwlist) | set(dir(__builtins__)) | set(pipeline.CALLS) | set(pipeline.ATTRIBUTES)
          | set(pipeline.NAMES) | pipeline._CURVES | {c.library for c in API_CHANGES} | set(PIP_NAMES))
_CIPHER = str.maketrans(string.ascii_lowercase, "qwertzuiopasdfghjklyxcvbnm")
_IDENT = re.compile(r"(?<![\w/\\.])([A-Za-z_][A-Za-z0-9_]*)(?![\w/\\])(?!\.py)")


def _conventional(name: str) -> bool:
    """Names whose shape is knowledge (model, df_...): renaming them is not neutral."""
    low = name.lower()
    return (name in _KNOWN or low in _KNOWN or bool(data_or_model_name(name))
            or bool(callable_object_name(name)) or any(part in low for part, _s, _w in pipeline.CALL_SHAPES)
            or any(shape.search(name) for shape, _s, _w in pipeline.NAME_SHAPES)
            or any(w in low for w in ("plot", "show", "hist", "loss", "acc", "pred", "train", "test", "fit",
                                      "score", "model", "data", "df", "img", "image", "encod", "layer")))


def _rename(name: str) -> str:
    renamed = name.translate(_CIPHER)
    return renamed if not _conventional(renamed) and renamed != name else name


_QUOTED = re.compile(r"(?<![A-Za-z])'[^'\n]*'")
# Bare variables of the user's code: not attributes (API members) nor keyword parameters.
_VARIABLE = re.compile(r"(?<![\w.'\"])([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*=[^=])(?![.\w]*\()")
# Numbered source lines of a frame: "----> 3 x = f(y)" or "      2 import os".
_CODE_LINE = re.compile(r"^(\s*(?:\x1b\[[\d;]*m)?(?:-*>)?\s*(?:\x1b\[[\d;]*m)?\s*\d+(?:\x1b\[[\d;]*m)?\s)(.*)$")


def _sub(text: str, names: set[str]) -> str:
    return _IDENT.sub(lambda m: _rename(m.group(1)) if m.group(1) in names else m.group(1), text)


def rename_in_message(text: str, names: set[str]) -> str:
    """Only quoted parts of a message are the user's names; the prose stays."""
    return _QUOTED.sub(lambda m: _sub(m.group(0), names), text)


def rename_in_traceback_line(line: str, names: set[str]) -> str:
    """Rename in source-code lines and quoted message parts; paths and prose stay."""
    out = []
    for part in line.split("\n"):
        match = _CODE_LINE.match(part)
        out.append(match.group(1) + _sub(match.group(2), names) if match else rename_in_message(part, names))
    return "\n".join(out)


def user_identifiers(row) -> set[str]:
    """Identifiers of the user's own code lines and the names quoted in the message."""
    names: set[str] = set()
    for line in json.loads(row["traceback"]):
        if "site-packages" in line or "dist-packages" in line:
            continue
        for part in line.split("\n"):
            match = _CODE_LINE.match(part)
            if match:
                names.update(_VARIABLE.findall(match.group(2)))
    return {n for n in names if len(n) > 2 and not _conventional(n)}


def test_renaming_user_identifiers_changes_no_verdict(dev_frame, predicted):
    renamed = dev_frame.copy()
    changed_rows = 0
    for i, row in dev_frame.iterrows():
        names = user_identifiers(row)
        if not names:
            continue
        renamed.at[i, "evalue"] = rename_in_message(str(row["evalue"]), names)
        renamed.at[i, "traceback"] = json.dumps([rename_in_traceback_line(l, names)
                                                 for l in json.loads(row["traceback"])])
        changed_rows += renamed.at[i, "traceback"] != row["traceback"]
    assert changed_rows > len(dev_frame) // 3, "the renaming must touch most records to mean anything"
    after = classify_frame(renamed)
    for dimension in (*DIMENSIONS, "library"):
        differ = [(i, predicted.at[i, dimension], after.at[i, dimension])
                  for i in dev_frame.index if predicted.at[i, dimension] != after.at[i, dimension]]
        assert not differ, f"{dimension} changed when identifiers were renamed: {differ[:5]}"
