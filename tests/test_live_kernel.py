"""nbcrash in a real kernel, driven as JupyterLab drives it (cellId metadata, JPY_SESSION_NAME)."""
from __future__ import annotations

import json
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from nbcrash_kernel.live.driver import KernelDriver

pytestmark = pytest.mark.slow

CELLS = [
    ("imp", "import numpy as np"),
    ("split", "X_train = np.arange(12).reshape(6, 2)\ny_train = np.arange(6)"),
    ("train", "fitted = X_train.sum() + y_train.sum()"),
    ("feat", "base = [1, 2]\nratio = base[5]\nfeatures = base"),
    ("use-feat", "len(features)"),
    ("prep", "scaled = [v * 2 for v in range(3)]"),
    ("use-prep", "total = sum(scaled)"),
    ("blk-def", "blocked_dep = 1"),
    ("blk-use", "ran_marker = 1\nprint(blocked_dep)"),
    ("col-load", "import pandas as pd\nsales = pd.DataFrame({'qty': [1, 2]})"),
    ("col-derive", "sales['total'] = sales['qty'] * 3"),
    ("col-use", "sales['total'].sum()"),
]


def write_notebook(path: Path, cells=CELLS) -> Path:
    nb = new_notebook(cells=[new_markdown_cell("# test", id="title")]
                      + [new_code_cell(src, id=cid) for cid, src in cells])
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def notebook(tmp_path_factory) -> Path:
    return write_notebook(tmp_path_factory.mktemp("nb") / "analysis.ipynb")


@pytest.fixture(scope="module")
def kernel(notebook):
    driver = KernelDriver(notebook=notebook)
    yield driver
    driver.shutdown()


def source(cell_id: str) -> str:
    return dict(CELLS)[cell_id]


def run_cell(kernel, cell_id, *, send_id=True):
    return kernel.run(source(cell_id), cell_id=cell_id if send_id else None)


def related(record, role):
    return [c for c in record.get("related_cells", []) if c.get("role") == role]


def test_out_of_order_cell_gets_warning_then_nb_card(kernel):
    assert run_cell(kernel, "imp").status == "ok"
    run = run_cell(kernel, "train")
    # The user's traceback is still there, as without nbcrash.
    assert run.error is not None and run.error["ename"] == "NameError"
    [warning] = run.warnings
    assert "X_train" in warning["names"]
    assert [c["cell_id"] for c in warning["cells"]] == ["split"]
    [card] = run.crashes
    assert card["root_cause"] == "NB"
    assert card["root_cause_detail"] == "nb specific - execution order"
    assert any(c["cell_id"] == "split" for c in related(card, "definer-not-run"))
    assert card["cell_id"] == "train"
    # The warning comes before the traceback, the card after it.
    kinds = [o["type"] if "data" not in o else next(iter(o["data"])) for o in run.outputs]
    assert kinds.index("application/vnd.nbcrash.warning+json") < kinds.index("error")
    assert kinds.index("error") < kinds.index("application/vnd.nbcrash.crash+json")


def test_in_order_cells_run_clean(kernel):
    assert run_cell(kernel, "split").status == "ok"
    run = run_cell(kernel, "train")
    assert run.status == "ok" and not run.warnings and not run.crashes


def test_previous_cell_error(kernel):
    first = run_cell(kernel, "feat")
    assert first.crashes and first.crashes[0]["ename"] == "IndexError"
    run = run_cell(kernel, "use-feat")
    assert run.warnings and run.warnings[0]["kind"] == "previous-cell-error"
    [card] = run.crashes
    assert card["root_cause"] == "NB"
    assert card["root_cause_detail"] == "nb specific - previous cell error"
    assert any(c["cell_id"] == "feat" for c in related(card, "definer-crashed"))


def test_cells_without_cell_id_are_matched_by_source(kernel):
    run = run_cell(kernel, "use-prep", send_id=False)
    [card] = run.crashes
    assert card["root_cause"] == "NB"
    assert any(c["cell_id"] == "prep" for c in card["related_cells"])
    assert card["cell_id"] == "use-prep"


def test_column_written_by_an_unrun_cell(kernel):
    assert run_cell(kernel, "col-load").status == "ok"
    run = run_cell(kernel, "col-use")
    [warning] = run.warnings
    assert warning["names"] == ["sales['total']"]
    assert [c["cell_id"] for c in warning["cells"]] == ["col-derive"]
    [card] = run.crashes
    assert card["ename"] == "KeyError"
    assert card["root_cause"] == "NB"
    assert any(c["cell_id"] == "col-derive" for c in card["related_cells"])


def test_block_mode_stops_the_cell(kernel):
    assert "block" in kernel.run("%nbcrash guard block").text
    run = run_cell(kernel, "blk-use")
    assert run.warnings and run.warnings[0]["blocked"] is True
    assert run.error is not None and "nbcrash blocked" in run.error["evalue"]
    assert not run.crashes
    assert "False" in kernel.run("print('ran_marker' in globals())").text
    assert "[]" in kernel.run("print(get_ipython().ast_transformers)").text  # removed after the cell
    kernel.run("%nbcrash guard warn")
    run = run_cell(kernel, "blk-use")
    assert run.warnings and run.crashes  # warn mode lets it run (and crash)
    assert "True" in kernel.run("print('ran_marker' in globals())").text


def test_notebook_reread_when_it_changes(kernel, notebook):
    time.sleep(0.05)
    write_notebook(notebook, CELLS + [("late", "late_var = 5")])
    run = kernel.run("late_var + 1", cell_id="use-late")
    assert run.warnings and run.warnings[0]["cells"][0]["cell_id"] == "late"
    assert run.crashes[0]["root_cause"] == "NB"


def test_keyboard_interrupt_gets_no_card(kernel):
    run = kernel.run("raise KeyboardInterrupt", cell_id="ki")
    assert run.error["ename"] == "KeyboardInterrupt"
    assert not run.crashes


@pytest.mark.parametrize("code, ename", [
    ("def f(:\n    pass", "SyntaxError"),
    ("if True:\nprint(1)", "IndentationError"),
])
def test_syntax_errors_get_a_card(kernel, code, ename):
    run = kernel.run(code, cell_id=f"syn-{ename}")
    assert run.error["ename"] == ename  # IPython's own display, unchanged
    [card] = run.crashes
    assert card["ename"] == ename


@pytest.mark.parametrize("code", ["1 / 0", "def g(:\n    pass"])
def test_card_execution_count_is_the_cells_own(kernel, code):
    """The card names the same In[n] as IPython's traceback (IPython counts up before running)."""
    import re

    run = kernel.run(code, cell_id="count-check")
    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(run.error["traceback"]))
    [shown] = set(re.findall(r"In\s*\[(\d+)\]", text))
    [card] = run.crashes
    assert card["execution_count"] == int(shown)


def test_live_enrichment_in_cards(kernel):
    kernel.run("import pandas as pd\nframe = pd.DataFrame({'price': [1.0], 'qty': [2]})", cell_id="mk")
    card = kernel.run("frame['prices'].sum()", cell_id="key").crashes[0]
    assert any("'price'" in s for s in card["suggestions"])
    assert any("shape (1, 2)" in e for e in card["evidence"])
    card = kernel.run("frame.sorted_values('price')", cell_id="attr").crashes[0]
    assert any("sort_values" in s for s in card["suggestions"])
    card = kernel.run("def area(width, height):\n    return width * height\narea(widht=1, height=2)",
                      cell_id="kw").crashes[0]
    assert any("`width=`" in s for s in card["suggestions"])
    assert sum(e.startswith("signature:") for e in card["evidence"]) == 1
    card = kernel.run("open('no_such_dir/data.csv')", cell_id="file").crashes[0]
    assert any("working directory" in e for e in card["evidence"])



def test_profiling_and_tracing_after_a_card_do_not_hang_the_kernel(kernel):
    # A card reads live objects under a deadline; clearing that deadline once left CPython's
    # eval breaker set, and the next %prun / cProfile / sys.settrace looped forever.
    kernel.run("import pandas as pd\nprof_frame = pd.DataFrame({'a': [1]})", cell_id="prof-mk")
    assert kernel.run("prof_frame['b']", cell_id="prof-crash").crashes
    run = kernel.run("%prun -q sum(range(10))", cell_id="prof-prun", timeout=30)
    assert run.status == "ok"
    run = kernel.run("import sys\nsys.settrace(lambda *a: None)\nlen([1])\nsys.settrace(None)\nprint('traced')",
                     cell_id="prof-trace", timeout=30)
    assert run.status == "ok" and "traced" in run.text

ROBUSTNESS = {
    # IPython and ipykernel themselves fail on str(Weird()) and report their RuntimeError too:
    # the cards follow the errors the kernel reports.
    "str-raises": ("class Weird(Exception):\n    def __str__(self):\n        raise RuntimeError('no')\n"
                   "    def __repr__(self):\n        raise RuntimeError('no')\nraise Weird()", "RuntimeError"),
    "huge-message": ("raise ValueError('x' * 3_000_000)", "ValueError"),
    # A low limit keeps IPython's own formatting of the frames (seconds at 3000) out of the test time.
    "recursion": ("import sys\ndef down(n):\n    return down(n + 1)\nlimit = sys.getrecursionlimit()\n"
                  "sys.setrecursionlimit(300)\ntry:\n    down(0)\nfinally:\n    sys.setrecursionlimit(limit)",
                  "RecursionError"),
    "bash": ("%%bash\necho oops >&2\nexit 3", "CalledProcessError"),
    "async": ("import asyncio\nawait asyncio.sleep(0)\n{}['missing']", "KeyError"),
    "group": ("raise ExceptionGroup('many', [ValueError('a'), TypeError('b')])", "ExceptionGroup"),
}


@pytest.mark.parametrize("name", sorted(ROBUSTNESS))
def test_robustness_cases_get_a_card_and_no_internal_error(kernel, name):
    code, ename = ROBUSTNESS[name]
    run = kernel.run(code, cell_id=f"rob-{name}")
    assert run.crashes
    card = run.crashes[-1]
    assert card["ename"] == ename
    if run.error is not None:  # an ExceptionGroup goes to stderr, with no error output
        assert run.error["ename"] == ename
    assert len(card["evalue"]) <= 5000
    assert len(json.dumps(card)) < 200_000
    assert "no internal error" in kernel.run("%nbcrash").text


def test_huge_namespace(kernel):
    kernel.run("globals().update({f'v{i}': i for i in range(100_000)})", cell_id="big")
    run = kernel.run("v99999 + undefined_big", cell_id="big-use")
    assert run.crashes and run.crashes[0]["ename"] == "NameError"
    assert "no internal error" in kernel.run("%nbcrash").text


def test_magics(kernel, tmp_path):
    assert "NameError" in kernel.run("%nbcrash last").crashes[0]["ename"]
    history = kernel.run("%nbcrash history 200").text
    assert "train" in history and "error NameError" in history
    import re
    assert re.search(r"(?m)^In \[\d+\]\s+cell #\d+ ", history)  # the run's count, the cell's place
    report = kernel.run("%nbcrash report").text
    assert "NB" in report and "VNF" in report or "NAME" in report
    target = tmp_path / "crashes.jsonl"
    out = kernel.run(f"%nbcrash export {target}").text
    lines = target.read_text().splitlines()
    assert lines and f"wrote {len(lines)}" in out
    assert all(json.loads(line)["root_cause"] for line in lines)
    kernel.run("%nbcrash off")
    assert not kernel.run("1/0", cell_id="off").crashes
    kernel.run("%nbcrash on")
    assert kernel.run("1/0", cell_id="on").crashes


def test_traitlets_config_through_percent_config(kernel):
    kernel.run("%config NbcrashConfig.show_card = False")
    assert not kernel.run("1/0", cell_id="cfg").crashes
    kernel.run("%config NbcrashConfig.show_card = True")
    assert kernel.run("1/0", cell_id="cfg").crashes


def test_unload_restores_the_shell(kernel):
    count = "ip = get_ipython(); print(len(ip.events.callbacks['post_run_cell']), len(ip.ast_transformers))"
    loaded = kernel.run(count).text.split()
    kernel.run("%unload_ext nbcrash")
    unloaded = kernel.run(count).text.split()
    assert [int(a) - int(b) for a, b in zip(loaded, unloaded)] == [1, 0]  # no AST transformer left
    run = kernel.run("1/0", cell_id="after-unload")
    assert run.error["ename"] == "ZeroDivisionError" and not run.crashes
    assert "UsageError" in kernel.run("%nbcrash").text
    kernel.run("%load_ext nbcrash")
    assert kernel.run("1/0", cell_id="reloaded").crashes
