"""Live enrichment: the real objects behind a crash (no kernel needed)."""
from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from traitlets.config import Config

from nbcrash_kernel.record.diagnosis import Diagnosis
from nbcrash_kernel.live.config import NbcrashConfig
from nbcrash_kernel.live.enrich import (
    LiveFacts, add_to_diagnosis, closest, describe_value, enrich, installed_version, safe_str,
)


def crash(code: str, namespace: dict) -> LiveFacts:
    """Run ``code`` (as a 'cell' file) and return the enriched facts of its exception."""
    filename = "<cell-under-test>"
    import linecache

    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    try:
        exec(compile(code, filename, "exec"), namespace)
    except BaseException as error:  # noqa: BLE001
        tb = error.__traceback__
        frame = lineno = None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == filename:
                frame, lineno = tb.tb_frame, tb.tb_lineno
            tb = tb.tb_next
        line = linecache.getline(filename, lineno).strip()
        return enrich(LiveFacts(error, namespace, frame, lineno, line))
    raise AssertionError("the code did not raise")


def test_describe_value_shapes_dtypes_columns():
    assert describe_value(np.zeros((3, 2), dtype="float32")) == "numpy.ndarray, shape (3, 2), dtype float32"
    text = describe_value(pd.DataFrame({"a": [1], "b": [2.0]}))
    assert "pandas.DataFrame" in text and "shape (1, 2)" in text and "columns ['a', 'b']" in text
    assert describe_value([1, 2]) == "list, len 2"


def test_safe_str_survives_raising_str_and_cuts_long_text():
    class Bad:
        def __str__(self):
            raise RuntimeError

        def __repr__(self):
            raise RuntimeError

    assert "Bad" in safe_str(Bad())
    assert len(safe_str("x" * 10_000, 50)) == 50


def test_closest_prefers_case_insensitive_match():
    assert closest("price", ["Price", "prize", "qty"])[0] == "Price"
    assert closest("zzz", ["price"]) == []


def test_key_error_lists_columns_and_closest():
    facts = crash("df['prcie'].sum()", {"df": pd.DataFrame({"price": [1.0], "qty": [1]})})
    assert any("shape (1, 2)" in e for e in facts.evidence)
    assert any("'price'" in s for s in facts.evidence)
    assert facts.values["df"].startswith("pandas.DataFrame")


def test_key_error_on_a_dict():
    facts = crash("config['learning_rat']", {"config": {"learning_rate": 0.1, "epochs": 3}})
    assert any("'learning_rate'" in s for s in facts.evidence)


def test_attribute_error_type_and_closest_attributes():
    facts = crash("arr.reshap(2)", {"arr": np.zeros(4)})
    assert any("reshape" in s for s in facts.suggestions)
    assert any("installed numpy is version" in e for e in facts.evidence)


def test_unexpected_keyword_signature_and_closest_parameter():
    def area(width, height):
        return width * height

    facts = crash("area(widht=1, height=2)", {"area": area})
    assert any("signature: " in e and "(width, height)" in e for e in facts.evidence)
    assert any("`width`" in s for s in facts.evidence)


def test_missing_module_gives_pip_name():
    facts = crash("import sklearn_not_a_real_module_xyz", {})
    assert any("%pip install" in s for s in facts.suggestions)
    assert any(sys.executable in e for e in facts.evidence)


def test_missing_file_gives_cwd_and_closest_paths(tmp_path, monkeypatch):
    (tmp_path / "train_data.csv").write_text("a\n1\n")
    monkeypatch.chdir(tmp_path)
    facts = crash("open('train_dta.csv')", {})
    assert any(str(tmp_path) in e for e in facts.evidence)
    assert any("train_data.csv" in s for s in facts.suggestions)


def test_memory_error_gives_free_memory():
    facts = crash("raise MemoryError('Unable to allocate 7 TiB')", {})
    assert any("free memory now" in e for e in facts.evidence)


def test_name_error_closest_defined_names():
    facts = crash("mean_by_clas(1)", {"mean_by_class": len})
    assert any("mean_by_class" in e for e in facts.evidence)  # the advice pass words the fix


def test_failing_enricher_is_reported_not_raised(monkeypatch):
    import nbcrash_kernel.live.enrich as module

    def broken(facts):
        raise RuntimeError("enricher bug")

    monkeypatch.setattr(module, "ENRICHERS", (broken,) + module.ENRICHERS)
    errors = []
    facts = module.enrich(LiveFacts(KeyError("k"), {}), on_error=errors.append)
    assert isinstance(facts, LiveFacts) and [str(e) for e in errors] == ["enricher bug"]


def test_add_to_diagnosis_appends_without_repeats():
    diagnosis = Diagnosis(evidence=["a"], suggestions=["s"])
    facts = LiveFacts(KeyError("k"), {}, evidence=["a", "b"], suggestions=["s", "t"], values={"x": "int"})
    add_to_diagnosis(diagnosis, facts)
    assert diagnosis.evidence == ["a", "b"] and diagnosis.suggestions == ["s", "t"]
    assert diagnosis.to_record()["live_values"] == {"x": "int"}


def test_installed_version_of_import_name():
    assert installed_version("numpy") == np.__version__
    assert installed_version("no_such_library_xyz") is None


def test_config_from_ipython_config():
    config = NbcrashConfig(config=Config({"NbcrashConfig": {"guard": "BLOCK", "max_namespace_scan": 5}}))
    assert config.guard == "block" and config.max_namespace_scan == 5
    with pytest.raises(Exception):
        NbcrashConfig(config=Config({"NbcrashConfig": {"guard": "sometimes"}}))
