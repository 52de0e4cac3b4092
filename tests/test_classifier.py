"""The classifier: exception semantics, message knowledge, notebook causes, the record."""
from __future__ import annotations

import json

import pytest

from nbcrash_kernel.classifier import CrashContext, classify
from nbcrash_kernel.facts.graph import NotebookGraph
from nbcrash_kernel.record.taxonomy import EXCEPTION_TYPES, ORIGINS, ROOT_CAUSES, STAGES


def tb(cell_line: str, ename: str, evalue: str, lineno: int = 1, lib_frames: list[str] = ()) -> list[str]:
    """A saved traceback in IPython 8 style, with optional library frames."""
    lines = ["\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
             f"\x1b[0;31m{ename}\x1b[0m                                 Traceback (most recent call last)",
             f"Cell \x1b[0;32mIn[7], line {lineno}\x1b[0m\n\x1b[0;32m----> {lineno}\x1b[0m {cell_line}\n"]
    lines.extend(lib_frames)
    lines.append(f"\x1b[0;31m{ename}\x1b[0m: {evalue}")
    return lines


def diagnose(ename, evalue, line, **kw):
    return classify(CrashContext(ename=ename, evalue=evalue, traceback=tb(line, ename, evalue, **kw.pop("tb", {})), **kw))


PANDAS_GETITEM = ("File \x1b[0;32m/opt/conda/lib/python3.10/site-packages/pandas/core/frame.py:3761\x1b[0m, in "
                  "\x1b[0;36mDataFrame.__getitem__\x1b[0;34m(self, key)\x1b[0m\n\x1b[0;32m-> 3761\x1b[0m indexer = "
                  "self.columns.get_loc(key)\n")
SKLEARN_FIT = ("File \x1b[0;32m/usr/local/lib/python3.10/dist-packages/sklearn/linear_model/_logistic.py:1196\x1b[0m, "
               "in \x1b[0;36mLogisticRegression.fit\x1b[0;34m(self, X, y)\x1b[0m\n\x1b[0;32m-> 1196\x1b[0m X, y = "
               "self._validate_data(X, y)\n")


def test_every_code_is_from_the_taxonomy():
    d = diagnose("ValueError", "could not convert string to float: 'male'", "model.fit(X, y)",
                 tb={"lib_frames": [SKLEARN_FIT]})
    record = d.to_record()
    assert record["exception_type"] in EXCEPTION_TYPES
    assert record["root_cause"] in ROOT_CAUSES
    assert record["origin"] in ORIGINS
    assert record["stage"] in STAGES
    for key in ("summary", "explanation", "evidence", "suggestions", "related_cells", "confidence"):
        assert key in record


def test_undefined_pipeline_product_is_out_of_order_execution():
    d = diagnose("NameError", "name 'X_train' is not defined", "clf.fit(X_train, y_train)")
    assert (d.exception_type, d.root_cause, d.root_cause_detail) == ("VNF", "NB", "nb specific - execution order")
    assert d.origin == "ML" and d.stage == "TRAIN"


def test_unimported_alias_is_a_module_name():
    d = diagnose("nameerror", "name 'pd' is not defined", "df = pd.read_csv('train.csv')")
    assert d.exception_type == "MODULE"
    assert d.library == "pandas" and d.stage == "DATAP"
    assert any("import pandas as pd" in s for s in d.suggestions)


def test_read_before_assignment_in_a_function_is_implementation():
    d = classify(CrashContext(ename="UnboundLocalError", evalue="local variable 'files' referenced before assignment",
                              traceback=tb("files.append(x)", "UnboundLocalError",
                                           "local variable 'files' referenced before assignment")))
    assert (d.exception_type, d.root_cause) == ("VNF", "IMPL")


def test_typo_of_a_name_in_sight_is_implementation():
    line = "best = random_serch.best_estimator_  # random_search was fitted above"
    d = diagnose("NameError", "name 'random_serch' is not defined", line)
    assert (d.root_cause, d.root_cause_detail) == ("IMPL", "typo")


def test_missing_column_in_pandas_is_data_confusion():
    d = diagnose("KeyError", "'price'", "df['price'].mean()", tb={"lib_frames": [PANDAS_GETITEM]})
    assert (d.exception_type, d.root_cause, d.origin, d.library) == ("KEY", "DATA", "ML", "pandas")


def test_dropping_dropped_columns_is_a_rerun_cell():
    d = diagnose("KeyError", "\"['Cabin'] not found in axis\"", "df = df.drop(['Cabin'], axis=1)")
    assert (d.root_cause, d.root_cause_detail) == ("NB", "nb specific - execution order")


def test_removed_api_is_a_library_change_with_its_replacement():
    d = diagnose("AttributeError", "'DataFrame' object has no attribute 'append'", "df = df.append(row, ignore_index=True)")
    assert (d.exception_type, d.root_cause, d.root_cause_detail) == ("ATTR", "LIB", "API change")
    assert "pd.concat" in d.summary and "pandas 2.0" in d.summary


def test_missing_module_suggests_the_pip_package():
    d = diagnose("ModuleNotFoundError", "No module named 'cv2'", "import cv2")
    assert (d.exception_type, d.root_cause, d.stage) == ("MODULE", "ENV", "ENVS")
    assert any("%pip install opencv-python" in s for s in d.suggestions)


def test_colab_only_module_is_a_change_of_environment():
    d = diagnose("ModuleNotFoundError", "No module named 'google.colab'", "from google.colab import drive")
    assert d.root_cause_detail == "change of environment"


def test_file_not_found_is_environment():
    d = diagnose("FileNotFoundError", "[Errno 2] No such file or directory: 'data/train.csv'",
                 "df = pd.read_csv('data/train.csv')")
    assert (d.exception_type, d.root_cause, d.root_cause_detail) == ("IO", "ENV", "file/path not found or exist")


@pytest.mark.parametrize("ename,evalue,code", [
    ("ValueError", "operands could not be broadcast together with shapes (3,) (4,)", "BCAST"),
    ("ValueError", "cannot reshape array of size 10 into shape (3,3)", "TSHAPE"),
    ("ValueError", "Input contains NaN, infinity or a value too large for dtype('float64').", "DVIOL"),
    ("ValueError", "could not convert string to float: 'abc'", "VALUE"),
    ("TypeError", "fit() got an unexpected keyword argument 'epoch'", "IARG"),
    ("TypeError", "'DataFrame' object is not callable", "TYPE"),
    ("RuntimeError", "CUDA out of memory. Tried to allocate 2.00 GiB", "OOM"),
    ("ResourceExhaustedError", "OOM when allocating tensor with shape[1024,1024]", "OOM"),
    ("NotFittedError", "This StandardScaler instance is not fitted yet.", "INIT"),
    ("ConnectionError", "HTTPSConnectionPool: Max retries exceeded", "RERR"),
    ("IndexError", "list index out of range", "INDEX"),
    ("SyntaxError", "invalid syntax", "OTHER"),
    ("ZeroDivisionError", "division by zero", "OTHER"),
    ("UnicodeDecodeError", "'utf-8' codec can't decode byte 0xff", "IO"),
    ("ValueError", "bad input shape (491, 2)", "TSHAPE"),
    ("ValueError", "Length of passed values is 263, index implies 268.", "TSHAPE"),
    ("ValueError", "n_components=200 must be between 0 and min(n_samples, n_features)=150", "IARG"),
    ("ValueError", "mount failed", "ENV"),
    ("CudaSupportError", "Error at driver init: Call to cuInit results in CUDA_ERROR_NO_DEVICE", "ENV"),
    ("AlreadyExistsError", "Another metric with the same name already exists.", "INIT"),
])
def test_exception_type_from_name_and_message(ename, evalue, code):
    assert diagnose(ename, evalue, "x = f(y)").exception_type == code


def test_lower_cased_names_as_in_the_study_are_understood():
    upper = diagnose("AttributeError", "'list' object has no attribute 'shape'", "x.shape")
    lower = diagnose("attributeerror", "'list' object has no attribute 'shape'", "x.shape")
    assert upper.to_record()["exception_type"] == lower.to_record()["exception_type"] == "ATTR"
    assert upper.root_cause == lower.root_cause == "DATA"


def test_empty_record_gives_unknown_not_an_exception():
    d = classify(CrashContext())
    assert d.exception_type in EXCEPTION_TYPES and d.root_cause in ROOT_CAUSES
    assert d.summary


def test_megabyte_message_is_classified_quickly():
    import time

    evalue = "could not convert string to float: '" + "x" * 5_000_000 + "'"
    start = time.perf_counter()
    d = diagnose("ValueError", evalue, "X.astype(float)")
    assert d.exception_type == "VALUE"
    assert time.perf_counter() - start < 5


def _graph_with(cells: list[str]) -> NotebookGraph:
    graph = NotebookGraph()
    for index, source in enumerate(cells):
        graph.add_cell(f"c{index}", source, index=index)
    return graph


def test_graph_names_the_cell_that_has_not_run():
    graph = _graph_with(["import pandas as pd", "df = pd.read_csv('a.csv')\nX_train = df.values", "model.fit(X_train)"])
    graph.add_execution("c0", 1)
    graph.add_execution("c2", 2, status="error", ename="NameError", evalue="name 'X_train' is not defined",
                        error_lineno=1)
    d = classify(CrashContext(ename="NameError", evalue="name 'X_train' is not defined",
                              traceback=tb("model.fit(X_train)", "NameError", "name 'X_train' is not defined"),
                              cell_id="c2", execution_count=2, graph=graph, cell_source="model.fit(X_train)"))
    assert (d.root_cause, d.root_cause_detail) == ("NB", "nb specific - execution order")
    assert [(c.role, c.index) for c in d.related_cells] == [("definer-not-run", 1)]
    # The defining cell never ran: Jupyter shows no count, so it is named by its 1-based position.
    assert d.summary.startswith("Out-of-order execution: `X_train` is defined in cell #2")
    assert any("Run cell #2" in s for s in d.suggestions)


def test_graph_names_the_cell_that_crashed_before_defining():
    graph = _graph_with(["df = load()\ny_pred = model.predict(df)", "score(y_pred)"])
    graph.add_execution("c0", 1, status="error", error_lineno=1, ename="NameError", evalue="name 'load' is not defined")
    graph.add_execution("c1", 2, status="error", error_lineno=1, ename="NameError",
                        evalue="name 'y_pred' is not defined")
    d = classify(CrashContext(ename="NameError", evalue="name 'y_pred' is not defined",
                              traceback=tb("score(y_pred)", "NameError", "name 'y_pred' is not defined"),
                              cell_id="c1", execution_count=2, graph=graph, cell_source="score(y_pred)"))
    assert d.root_cause_detail == "nb specific - previous cell error"
    assert d.related_cells[0].role == "definer-crashed" and d.related_cells[0].index == 0


def test_graph_proves_a_name_defined_nowhere_is_implementation():
    graph = _graph_with(["import numpy as np", "print(totl)"])
    graph.add_execution("c0", 1)
    graph.add_execution("c1", 2, status="error", error_lineno=1, ename="NameError", evalue="name 'totl' is not defined")
    d = classify(CrashContext(ename="NameError", evalue="name 'totl' is not defined",
                              traceback=tb("print(totl)", "NameError", "name 'totl' is not defined"),
                              cell_id="c1", execution_count=2, graph=graph, cell_source="print(totl)"))
    assert d.root_cause == "IMPL"


def test_alias_never_imported_anywhere_is_did_not_import():
    graph = _graph_with(["x = [1, 2]", "np.mean(x)"])
    graph.add_execution("c0", 1)
    graph.add_execution("c1", 2, status="error", error_lineno=1)
    d = classify(CrashContext(ename="NameError", evalue="name 'np' is not defined",
                              traceback=tb("np.mean(x)", "NameError", "name 'np' is not defined"),
                              cell_id="c1", execution_count=2, graph=graph, cell_source="np.mean(x)"))
    assert (d.exception_type, d.root_cause, d.root_cause_detail) == ("MODULE", "IMPL", "did not import")


def test_definition_only_below_needs_future_cells():
    graph = _graph_with(["print(total)", "total = 3"])
    graph.add_execution("c0", 1, status="error", error_lineno=1)
    d = classify(CrashContext(ename="NameError", evalue="name 'total' is not defined",
                              traceback=tb("print(total)", "NameError", "name 'total' is not defined"),
                              cell_id="c0", execution_count=1, graph=graph, cell_source="print(total)"))
    assert d.root_cause_detail == "nb specific - need execute future cells"


def test_live_exception_is_classified_from_its_traceback():
    import pandas as pd

    df = pd.DataFrame({"a": [1]})
    try:
        df["price"]
    except KeyError as exc:
        d = classify(CrashContext(exc=exc))
    assert (d.ename, d.exception_type, d.library, d.origin) == ("KeyError", "KEY", "pandas", "ML")


def test_record_is_json_serialisable():
    d = diagnose("ValueError", "Found input variables with inconsistent numbers of samples: [10, 9]",
                 "model.fit(X, y)", tb={"lib_frames": [SKLEARN_FIT]})
    json.dumps(d.to_record())
    assert d.exception_type == "TSHAPE" and d.library == "sklearn" and d.stage == "TRAIN"


def test_origin_inferred_from_the_notebook_code_without_live_objects():
    graph = _graph_with(["import pandas as pd\nframe = pd.read_csv('a.csv')", "frame.fit(1)"])
    graph.add_execution("c0", 1)
    graph.add_execution("c1", 2, status="error", error_lineno=1)
    evalue = "'DataFrame' object has no attribute 'fit'"
    d = classify(CrashContext(ename="AttributeError", evalue="object has no attribute 'fit'",
                              traceback=tb("frame.fit(1)", "AttributeError", evalue),
                              cell_id="c1", execution_count=2, graph=graph, cell_source="frame.fit(1)"))
    assert (d.origin, d.library) == ("ML", "pandas")


def test_origin_from_live_objects_in_the_namespace():
    import numpy as np

    evalue = "unsupported thing"
    d = classify(CrashContext(ename="TypeError", evalue=evalue, traceback=tb("total = thing + 1", "TypeError", evalue),
                              namespace={"thing": np.zeros(3), "total": 0}))
    assert (d.origin, d.library) == ("ML", "numpy")


def test_model_used_before_its_fitting_cell_ran_is_out_of_order():
    graph = _graph_with(["from sklearn.preprocessing import StandardScaler\nscaler = StandardScaler()",
                         "scaler.fit(X)", "scaler.transform(X)"])
    graph.add_execution("c0", 1)
    graph.add_execution("c2", 2, status="error", error_lineno=1)
    evalue = "This StandardScaler instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator."
    d = classify(CrashContext(ename="NotFittedError", evalue=evalue, traceback=tb("scaler.transform(X)", "NotFittedError", evalue),
                              cell_id="c2", execution_count=2, graph=graph, cell_source="scaler.transform(X)"))
    assert (d.exception_type, d.root_cause) == ("INIT", "NB")
    assert [(c.role, c.index) for c in d.related_cells] == [("definer-not-run", 1)]


def test_model_fitted_nowhere_is_api_misuse():
    # Not a skipped cell (the record alone cannot tell): no cell fits it, as the crash zoo's and the
    # study's labels read an unfitted model used through its API.
    graph = _graph_with(["from sklearn.preprocessing import StandardScaler\nscaler = StandardScaler()",
                         "scaler.transform(X)"])
    graph.add_execution("c0", 1)
    graph.add_execution("c1", 2, status="error", error_lineno=1)
    evalue = "This StandardScaler instance is not fitted yet."
    d = classify(CrashContext(ename="NotFittedError", evalue=evalue, traceback=tb("scaler.transform(X)", "NotFittedError", evalue),
                              cell_id="c1", execution_count=2, graph=graph, cell_source="scaler.transform(X)"))
    assert (d.root_cause, d.trace["root_cause"]["rule"]) == ("API", "RC-NB-NEVER-FITTED")


def test_something_that_already_exists_means_a_cell_ran_twice():
    d = diagnose("ValueError", "cannot insert Library, already exists", "df.insert(0, 'Library', names)")
    assert (d.root_cause, d.root_cause_detail) == ("NB", "nb specific - execution order")


def test_keyboard_interrupt_is_external_control():
    d = diagnose("KeyboardInterrupt", "", "model.fit(X, y)")
    assert (d.root_cause, d.root_cause_detail) == ("ENV", "external control (window closed)")


def test_column_dropped_by_a_later_run_is_out_of_order():
    graph = _graph_with(["import pandas as pd\ndf = pd.DataFrame({'a': [1]})\ndf['total'] = df['a'] * 2",
                         "df = df.drop(columns=['total'])", "df['total'].sum()"])
    graph.add_execution("c0", 1)
    graph.add_execution("c1", 2)
    graph.add_execution("c2", 3, status="error", error_lineno=1)
    d = classify(CrashContext(ename="KeyError", evalue="'total'", traceback=tb("df['total'].sum()", "KeyError", "'total'"),
                              cell_id="c2", execution_count=3, graph=graph, cell_source="df['total'].sum()"))
    assert (d.root_cause, d.root_cause_detail) == ("NB", "nb specific - execution order")
    assert [(c.role, c.index) for c in d.related_cells] == [("redefined-after", 1)]


def test_message_cut_to_its_first_line_is_read_whole_from_the_traceback():
    full = ("Error(s) in loading state_dict for Net:\n\tsize mismatch for fc.weight: copying a param with "
            "shape torch.Size([10, 58]) from checkpoint, the shape in current model is torch.Size([10, 57]).")
    lines = tb("net.load_state_dict(torch.load('net.pt'))", "RuntimeError", full)
    cut = classify(CrashContext(ename="RuntimeError", evalue="Error(s) in loading state_dict for Net:",
                                traceback=lines))
    assert cut.exception_type == "TSHAPE"
    missing = full.replace("size mismatch for fc.weight", "Missing key(s) in state_dict: \"fc.bias\"").split(": copying")[0]
    other = classify(CrashContext(ename="RuntimeError", evalue="Error(s) in loading state_dict for Net:",
                                  traceback=tb("net.load_state_dict(sd)", "RuntimeError", missing)))
    assert other.exception_type == "IARG"


def test_plotting_learning_curves_is_evaluation_not_visualisation():
    curves = diagnose("NameError", "name 'train_losses' is not defined", "plt.plot(train_losses, label='loss')")
    plain = diagnose("NameError", "name 'prices' is not defined", "plt.plot(prices, label='price')")
    assert (curves.stage, plain.stage) == ("EVAL", "DATAV")


def test_a_line_inside_a_training_cell_is_training():
    lines = tb("X = X.reshape(-1, 28, 28)", "ValueError", "cannot reshape array of size 5 into shape (28,28)")
    lines[2] = lines[2].rstrip("\n") + "\n      2 model.fit(X, y, epochs=10)\n"
    d = classify(CrashContext(ename="ValueError", evalue="cannot reshape array of size 5 into shape (28,28)",
                              traceback=lines))
    assert d.stage == "TRAIN"


@pytest.mark.parametrize("name, stage", [("y_pred_knn", "EVAL"), ("rmse_test", "EVAL"), ("plot_df", "DATAV")])
def test_shape_of_a_variables_name_hints_the_stage(name, stage):
    assert diagnose("NameError", f"name '{name}' is not defined", f"print({name})").stage == stage


def test_evidence_says_which_words_put_the_crash_at_its_stage():
    fit = diagnose("ValueError", "Input contains NaN", "model.fit(X, y)")
    assert fit.stage == "TRAIN" and any(e.startswith("stage TRAIN") and "`.fit()`" in e for e in fit.evidence)
    curves = diagnose("NameError", "name 'val_loss' is not defined", "plt.plot(val_loss)")
    assert any(e.startswith("stage EVAL") and "`val_loss`" in e for e in curves.evidence)
    bare = diagnose("KeyError", "'price'", "x = table['price']")
    assert any(e.startswith(f"stage {bare.stage}") and "names no pipeline step" in e for e in bare.evidence)


def test_a_prose_comment_in_the_cell_names_its_step_but_commented_out_code_does_not():
    lines = tb("for batch in loader[:100]:", "TypeError", "'DataLoader' object is not subscriptable")
    lines[2] = "Cell In[7], line 2\n      1 # inference on the held-out images\n----> 2 for batch in loader[:100]:\n"
    d = classify(CrashContext(ename="TypeError", evalue="'DataLoader' object is not subscriptable", traceback=lines))
    assert d.stage == "EVAL" and any("comment" in e and "inference" in e for e in d.evidence)
    from nbcrash_kernel.knowledge.pipeline import cell_comments

    code = "# Train the model\nx = 1  # trailing notes are not step names\n# model.fit(X, y)\n#\n"
    assert cell_comments(code) == ["Train the model"]


def test_builtin_object_without_the_attribute_a_library_wanted_is_a_wrong_argument():
    inside = ("File \x1b[0;32m/opt/conda/lib/python3.10/site-packages/pandas/core/internals/managers.py:2111\x1b[0m, "
              "in \x1b[0;36m_consolidate\x1b[0;34m(blocks)\x1b[0m\n\x1b[0;32m-> 2111\x1b[0m "
              "if not blk._can_consolidate:\n")
    evalue = "'NoneType' object has no attribute '_can_consolidate'"
    given = diagnose("AttributeError", evalue, "df = pd.concat([a, b])", tb={"lib_frames": [inside]})
    assert (given.exception_type, given.root_cause) == ("IARG", "API")
    assert "pandas was given a NoneType" in given.summary
    # The same message on the user's own line is the user's attribute mistake.
    own = diagnose("AttributeError", evalue, "x = blk._can_consolidate")
    assert own.exception_type == "ATTR"


def test_a_runtime_error_about_a_kernel_argument_stays_a_runtime_error():
    d = diagnose("RuntimeError", "'lengths' argument should be a 1D CPU int64 tensor, but got 0D cpu Long tensor",
                 "packed = pack_padded_sequence(x, lengths)")
    assert d.exception_type == "RUNTIME"
    assert diagnose("TypeError", "'lengths' argument should be a 1D CPU int64 tensor, but got 0D cpu Long tensor",
                    "packed = pack_padded_sequence(x, lengths)").exception_type == "IARG"
