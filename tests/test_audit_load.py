"""Loading notebooks for the audit: nbformat 4 and 3, and every kind of bad file."""
from __future__ import annotations

import json
import os

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from nbcrash_kernel.audit.load import LoadError, LoadedNotebook, load_notebook, locate_cells


def _write(path, text_or_bytes):
    mode = "wb" if isinstance(text_or_bytes, bytes) else "w"
    with open(path, mode) as handle:
        handle.write(text_or_bytes)
    return str(path)


def _crash_notebook():
    nb = new_notebook()
    nb.cells = [
        new_markdown_cell("# Data"),
        new_code_cell("import pandas as pd\ndf = pd.DataFrame()", execution_count=1),
        new_code_cell("df['price']", execution_count=2, outputs=[new_output(
            "error", ename="KeyError", evalue="'price'", traceback=["KeyError: 'price'"])]),
    ]
    return nb


def test_nbformat4_loads_with_text_sources_and_cell_lines(tmp_path):
    path = tmp_path / "a.ipynb"
    nbformat.write(_crash_notebook(), str(path))
    loaded = load_notebook(str(path))
    assert isinstance(loaded, LoadedNotebook)
    assert loaded.nbformat == 4
    assert [c["cell_type"] for c in loaded.cells] == ["markdown", "code", "code"]
    assert loaded.cells[1]["source"].startswith("import pandas")
    lines = path.read_text().splitlines()
    for index in range(3):  # each located line is where that cell's cell_type key sits
        assert '"cell_type"' in lines[loaded.cell_line(index) - 1]


def test_nbformat3_is_converted_to_the_v4_shape(tmp_path):
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "heading", "level": 2, "source": "Training"},
        {"cell_type": "code", "input": "x = 1", "prompt_number": 1, "outputs": []},
        {"cell_type": "code", "input": ["print(", "y)"], "prompt_number": 2, "language": "python",
         "outputs": [{"output_type": "pyerr", "ename": "NameError",
                      "evalue": "name 'y' is not defined", "traceback": ["NameError"]}]},
    ]}]}
    loaded = load_notebook(_write(tmp_path / "v3.ipynb", json.dumps(v3)))
    assert loaded.nbformat == 3
    assert loaded.cells[0] == {"cell_type": "markdown", "source": "## Training", "metadata": {}}
    assert loaded.cells[2]["source"] == "print(y)"
    assert loaded.cells[2]["execution_count"] == 2
    assert loaded.cells[2]["outputs"][0]["output_type"] == "error"
    assert loaded.cells[2]["outputs"][0]["ename"] == "NameError"


BAD_FILES = {
    "invalid.ipynb": (b'{"cells": [}', "invalid JSON at line 1"),
    "truncated.ipynb": (b'{"cells": [{"cell_type": "code", "source": "x', "truncated JSON"),
    "list.ipynb": (b"[1, 2, 3]", "top level is a list"),
    "object.ipynb": (b'{"hello": "world"}', "no 'cells' list"),
    "binary.ipynb": (bytes(range(256)) * 4, "binary file"),
    "latin1.ipynb": ('{"cells": "caf\xe9"}'.encode("latin-1"), "not UTF-8"),
    "empty.ipynb": (b"", "empty file"),
    "blank.ipynb": (b"  \n\n", "empty file"),
    "cells-not-list.ipynb": (b'{"nbformat": 4, "cells": {"a": 1}}', "no 'cells' list"),
    "nbformat2.ipynb": (b'{"nbformat": 2, "worksheets": 5}', "nbformat 2 is not supported"),
    "deep.ipynb": (b"[" * 100000 + b"]" * 100000, "nested too deeply"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gives_an_error_naming_the_file(tmp_path, name):
    data, expected = BAD_FILES[name]
    path = _write(tmp_path / name, data)
    result = load_notebook(path)
    assert isinstance(result, LoadError)
    assert path in result.message
    assert expected in result.message


def test_directory_named_like_a_notebook_is_an_error(tmp_path):
    folder = tmp_path / "x.ipynb"
    folder.mkdir()
    result = load_notebook(str(folder))
    assert isinstance(result, LoadError) and "is a directory" in result.message


def test_broken_symlink_and_symlink_loop_are_errors(tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.symlink_to(tmp_path / "missing.ipynb")
    loop_a, loop_b = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    for path in (broken, loop_a):
        result = load_notebook(str(path))
        assert isinstance(result, LoadError) and str(path) in result.message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads files whatever their permissions")
def test_unreadable_file_is_an_error(tmp_path):
    path = tmp_path / "secret.ipynb"
    nbformat.write(_crash_notebook(), str(path))
    path.chmod(0)
    try:
        result = load_notebook(str(path))
    finally:
        path.chmod(0o644)
    assert isinstance(result, LoadError) and "permission denied" in result.message


def test_malformed_cells_are_repaired_with_warnings(tmp_path):
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": [], "cells": [
        {"cell_type": "code", "source": 42, "outputs": "nope", "execution_count": "3"},
        {"cell_type": "code", "source": ["a", 1], "outputs": [
            {"output_type": "error", "ename": 5, "evalue": None, "traceback": "line1\nline2"}]},
        "not a cell",
        {"cell_type": "widget", "source": "x"},
        {"cell_type": "markdown", "source": None, "id": 7},
    ]}
    loaded = load_notebook(_write(tmp_path / "odd.ipynb", json.dumps(nb)))
    assert isinstance(loaded, LoadedNotebook)
    assert loaded.nb["metadata"] == {}
    assert [c["source"] for c in loaded.cells] == ["", "", "", "x", ""]
    assert loaded.cells[0]["outputs"] == [] and loaded.cells[0]["execution_count"] is None
    error = loaded.cells[1]["outputs"][0]
    assert error == {"output_type": "error", "ename": "5", "evalue": "", "traceback": ["line1", "line2"]}
    assert loaded.cells[2]["cell_type"] == "raw" and loaded.cells[3]["cell_type"] == "raw"
    assert loaded.cells[4]["id"] == "7"
    joined = "\n".join(loaded.warnings)
    for fragment in ("cell 0: source is not text", "cell 1: source is not text",
                     "cell 2: not a JSON object", "unknown cell_type 'widget'",
                     "execution_count '3'"):
        assert fragment in joined


def test_utf8_bom_and_stdin_bytes_load(tmp_path):
    data = b"\xef\xbb\xbf" + nbformat.writes(_crash_notebook()).encode()
    loaded = load_notebook("<stdin>", data)
    assert isinstance(loaded, LoadedNotebook) and loaded.path == "<stdin>"
    assert len(loaded.cells) == 3


def test_locate_cells_ignores_cell_type_inside_strings():
    nb = new_notebook(cells=[new_code_cell('s = "\\"cell_type\\": 1"'), new_code_cell("y = 2")])
    text = nbformat.writes(nb)
    lines = locate_cells(text, 2)
    assert lines is not None and lines[0] < lines[1]
    assert locate_cells(text, 3) is None


# The fast JSON reader (orjson, when installed) must give exactly what json gives.

_STRICT_JSON_CASES = {
    "huge execution count": '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": ['
                            '{"cell_type": "code", "source": "x", "metadata": {}, "outputs": [],'
                            ' "execution_count": 123456789012345678901234567890}]}',
    "NaN in metadata": '{"nbformat": 4, "nbformat_minor": 5, "metadata": {"a": NaN}, "cells": []}',
    "lone surrogate": '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": ['
                      '{"cell_type": "code", "source": "s = \'\\ud800\'", "metadata": {}, "outputs": [],'
                      ' "execution_count": 1}]}',
    "byte order mark": '\ufeff{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": ['
                       '{"cell_type": "code", "source": "x = 1", "metadata": {}, "outputs": [],'
                       ' "execution_count": 3}]}',
}


@pytest.mark.parametrize("case", sorted(_STRICT_JSON_CASES))
def test_fast_and_plain_json_readers_load_the_same_notebook(tmp_path, monkeypatch, case):
    from nbcrash_kernel.audit import load

    path = _write(tmp_path / "n.ipynb", _STRICT_JSON_CASES[case].encode("utf-8"))
    fast = load_notebook(path)
    monkeypatch.setattr(load, "orjson", None)
    plain = load_notebook(path)
    assert isinstance(fast, LoadedNotebook) and isinstance(plain, LoadedNotebook)
    assert repr(fast.nb) == repr(plain.nb)  # repr: NaN != NaN, and 1 == 1.0 would hide a float
    assert fast.warnings == plain.warnings
    assert fast.cell_lines == plain.cell_lines


def test_huge_execution_count_stays_an_exact_integer(tmp_path):
    path = _write(tmp_path / "n.ipynb", _STRICT_JSON_CASES["huge execution count"].encode())
    loaded = load_notebook(path)
    assert loaded.cells[0]["execution_count"] == 123456789012345678901234567890
    assert loaded.warnings == []
