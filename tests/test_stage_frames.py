"""The stage the library frames of a traceback name (knowledge/pipeline.py LIBRARY_FRAME_VOCABULARY)."""
from __future__ import annotations

import pytest

from nbcrash_kernel.classifier.rules import CELL_FILE, site, traceback_text
from nbcrash_kernel.classify.records import classify_row
from nbcrash_kernel.knowledge.pipeline import score_library_frames, score_stages
from nbcrash_kernel.record.tracebacks import parse_traceback


def _frames(*library_frames: tuple) -> list:
    text = traceback_text("RuntimeError", "bad", (CELL_FILE, "out = step(batch)"), *library_frames)
    return parse_traceback(text).frames


@pytest.mark.parametrize("frames,stage", [
    ([(site("torch/nn/modules/module.py"), "return forward_call(*args)", 9, "Module._call_impl"),
      (site("torch/nn/modules/linear.py"), "return F.linear(input, self.weight)", 9, "Linear.forward")], "TRAIN"),
    ([(site("torch/nn/modules/loss.py"), "return F.cross_entropy(input, target)", 9, "CrossEntropyLoss.forward")],
     "TRAIN"),
    ([(site("torch/optim/adam.py"), "adam(params)", 9, "Adam.step")], "TRAIN"),
    ([(site("torchvision/transforms/transforms.py"), "return F.normalize(tensor)", 9, "Normalize.forward")], "DATAP"),
    ([(site("statsmodels/graphics/tsaplots.py"), "raise", 9, "plot_acf")], "DATAV"),
    ([(site("torch/nn/modules/conv.py"), "super().__init__()", 9, "Conv2d.__init__")], "MCONS"),
])
def test_the_library_frames_name_the_stage(frames, stage):
    scores = score_library_frames(_frames(*frames), 1.0, {})
    assert max(scores, key=scores.get) == stage


def test_a_torch_forward_pass_is_not_model_construction():
    text = traceback_text("RuntimeError", "mat1 and mat2 shapes cannot be multiplied (8x8 and 7x2)",
                          (CELL_FILE, "out = mlp(xb)"),
                          (site("torch/nn/modules/module.py"), "return self._call_impl(*args)", 9,
                           "Module._wrapped_call_impl"),
                          (site("torch/nn/modules/linear.py"), "return F.linear(input, self.weight)", 9,
                           "Linear.forward"))
    record = classify_row({"ename": "RuntimeError", "evalue": "mat1 and mat2 shapes cannot be multiplied (8x8 and 7x2)",
                           "traceback": text})
    assert record["stage"] == "TRAIN"


def test_a_failing_import_statement_is_environment_setup_whatever_it_imports():
    # taxonomy.md: ENVS is imports, installs, paths; `plt` and `pyplot` on an import line name no plotting step.
    text = traceback_text("ModuleNotFoundError", "No module named 'matplotlib'",
                          (CELL_FILE, "import matplotlib.pyplot as plt"))
    record = classify_row({"ename": "ModuleNotFoundError", "evalue": "No module named 'matplotlib'", "traceback": text})
    assert record["stage"] == "ENVS"


@pytest.mark.parametrize("code", [
    "import numpy as np\nfrom sklearn.metrics import f1_score",
    "import numpy as np\n\nfrom sklearn.metrics import f1_score",
    "# imports\nimport numpy as np\nfrom sklearn.metrics import (\n    f1_score,\n    accuracy_score,\n)",
    "from sklearn.metrics import f1_score, \\\n    accuracy_score  # scores",
])
def test_a_cell_of_imports_is_environment_setup_however_it_is_laid_out(code):
    # The names an import statement brings in are no pipeline step, blank lines and comments or not.
    assert score_stages(code) == {"ENVS": 3.0}


def test_a_cell_with_a_statement_after_its_imports_is_scored_on_it():
    assert score_stages("import numpy as np\n\nscore = f1_score(y, p)").get("EVAL", 0) > 0
