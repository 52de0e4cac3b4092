"""ST-CALL-VOCAB: when the failing line called into a library, a bare name the user bound is no clue to what ran."""
from __future__ import annotations

from nbcrash_kernel.classifier.rules import CELL_FILE, site, traceback_text
from nbcrash_kernel.classify.records import classify_row
from nbcrash_kernel.knowledge.pipeline import score_stages

_MATMUL = "mat1 and mat2 must have the same dtype, but got Double and Float"


def _torch_forward(line: str) -> str:
    return traceback_text("RuntimeError", _MATMUL, (CELL_FILE, line),
                          (site("torch/nn/modules/module.py"), "return self._call_impl(*args)", 9,
                           "Module._wrapped_call_impl"),
                          (site("torch/nn/modules/module.py"), "return forward_call(*args)", 9, "Module._call_impl"),
                          (site("torch/nn/modules/linear.py"), "return F.linear(input, self.weight)", 9,
                           "Linear.forward"))


def test_a_module_called_by_a_name_that_looks_like_a_step_is_still_a_forward_pass():
    # torch/nn/modules/module.py: calling a Module runs its forward on the batch, whatever the variable's name.
    for line in ("out = encoder(x)", "out = model(images)", "vectors = classifier(tokens)"):
        record = classify_row({"ename": "RuntimeError", "evalue": _MATMUL, "traceback": _torch_forward(line)})
        assert record["stage"] == "TRAIN", line


def test_without_library_frames_the_name_of_the_users_callable_is_read():
    assert "DATAP" in score_stages("out = encoder(x)")
    assert "DATAP" not in score_stages("out = encoder(x)", call_shapes=False)


def test_dotted_and_imported_callables_are_the_librarys_own_names():
    assert "DATAP" in score_stages("abc = camelot.read_pdf(f)", call_shapes=False)
    assert "DATAP" in score_stages("abc = read_pdf(f)", aliases={"read_pdf": "camelot.read_pdf"}, call_shapes=False)


def test_a_librarys_open_reads_a_file_as_the_builtin_open_does():
    # PIL.Image.open, gzip.open, tarfile.open: the builtin open() for their formats, data loading.
    for line in ("img = Image.open(path)", "f = gzip.open(path)"):
        scores = score_stages(line)
        assert max(scores, key=scores.get) == "DATAP", line
