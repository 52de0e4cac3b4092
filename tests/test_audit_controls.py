"""Controlling the audit's noise as ruff and pylint users expect: --select/--ignore by code,
``# nbcrash: ignore[code]`` in a cell, ``[tool.nbcrash]`` in pyproject.toml, --quiet, and a baseline."""
from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from nbcrash_kernel.cli import main


def _crash_cell(source="1 / 0"):
    return new_code_cell(source, execution_count=5, outputs=[new_output(
        "error", ename="ZeroDivisionError", evalue="division by zero",
        traceback=["ZeroDivisionError: division by zero"])])


def _noisy(extra_source=""):
    """Out of order (two drops), a name defined nowhere, and a crash."""
    return new_notebook(cells=[
        new_code_cell("a = 1", execution_count=3),
        new_code_cell("b = a" + extra_source, execution_count=1),
        new_code_cell("c = b", execution_count=4),
        new_code_cell("d = c", execution_count=2),
        new_code_cell("print(undefined_thing)", execution_count=6),
        _crash_cell(),
    ])


def _write(folder, name, nb):
    path = folder / name
    nbformat.write(nb, str(path))
    return str(path)


def _audit(argv, capsys):
    code = main(["audit", "--format", "json", "--no-progress", *argv])
    doc = json.loads(capsys.readouterr().out)
    findings = [f for nb in doc["notebooks"] for f in nb["findings"]]
    crashes = [c for nb in doc["notebooks"] for c in nb["crashes"]]
    return code, sorted(f["kind"] for f in findings), len(crashes), findings


def test_out_of_order_is_one_finding_listing_its_pairs(tmp_path, capsys):
    path = _write(tmp_path, "nb.ipynb", _noisy())
    _, kinds, _, findings = _audit([path], capsys)
    assert kinds.count("out-of-order") == 1
    order = next(f for f in findings if f["kind"] == "out-of-order")
    assert len(order["pairs"]) == 3  # 1 under 3, 2 under 4, 5 under 6
    assert order["message"].startswith("3 cells ran before a cell above them: In [1] ran before In [3]")


def test_select_and_ignore_by_code(tmp_path, capsys):
    path = _write(tmp_path, "nb.ipynb", _noisy())
    assert _audit([path, "--select", "out-of-order"], capsys)[1:3] == (["out-of-order"], 0)
    _, kinds, crashes, _ = _audit([path, "--ignore", "out-of-order,crash"], capsys)
    assert kinds == ["undefined-name"] and crashes == 0
    code, kinds, crashes, _ = _audit([path, "--select", "crash"], capsys)
    assert (code, kinds, crashes) == (1, [], 1)
    code, kinds, crashes, _ = _audit([path, "--ignore", "ALL"], capsys)
    assert (code, kinds, crashes) == (0, [], 0)


def test_an_unknown_code_is_a_usage_error(tmp_path, capsys):
    path = _write(tmp_path, "nb.ipynb", _noisy())
    assert main(["audit", "--no-progress", path, "--select", "out-of-ordre"]) == 2
    assert "unknown code(s): out-of-ordre" in capsys.readouterr().err


def test_a_comment_in_a_cell_silences_its_codes(tmp_path, capsys):
    nb = _noisy()
    nb.cells[4].source = "print(undefined_thing)  # nbcrash: ignore[undefined-name]"
    nb.cells[3].source = "d = c  # nbcrash: ignore[out-of-order]"  # silences the drop In [2]/In [4]
    nb.cells[5].source = "# nbcrash: ignore\n1 / 0"
    _, kinds, crashes, findings = _audit([_write(tmp_path, "nb.ipynb", nb)], capsys)
    assert kinds == ["out-of-order"] and crashes == 0
    assert len(findings[0]["pairs"]) == 1


def test_a_comment_naming_another_code_silences_nothing(tmp_path, capsys):
    nb = _noisy()
    nb.cells[4].source = "print(undefined_thing)  # nbcrash: ignore[never-ran]"
    _, kinds, _, _ = _audit([_write(tmp_path, "nb.ipynb", nb)], capsys)
    assert "undefined-name" in kinds


def test_pyproject_settings_are_found_from_the_audited_path(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.nbcrash]\nignore = ["out-of-order"]\nfail-on = "never"\n')
    sub = tmp_path / "analysis" / "deep"
    sub.mkdir(parents=True)
    path = _write(sub, "nb.ipynb", _noisy())
    code, kinds, _, _ = _audit([path], capsys)
    assert code == 0 and "out-of-order" not in kinds and "undefined-name" in kinds
    # the command line wins over the file; --isolated ignores it
    assert _audit([path, "--ignore", "undefined-name"], capsys)[1].count("out-of-order") == 1
    assert "out-of-order" in _audit([path, "--isolated"], capsys)[1]


def test_a_bad_pyproject_key_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text("[tool.nbcrash]\nselekt = ['crash']\n")
    path = _write(tmp_path, "nb.ipynb", _noisy())
    assert main(["audit", "--no-progress", path]) == 2
    assert "selekt" in capsys.readouterr().err


def test_quiet_prints_the_findings_only(tmp_path, capsys):
    noisy = _write(tmp_path, "nb.ipynb", _noisy())
    clean = _write(tmp_path, "clean.ipynb", new_notebook(cells=[new_code_cell("x = 1", execution_count=1)]))
    assert main(["audit", "--quiet", clean]) == 0
    assert capsys.readouterr().out == ""
    assert main(["audit", "-q", noisy]) == 1
    out = capsys.readouterr().out
    assert "undefined-name" in out and "1 notebook" not in out


def test_a_baseline_fails_only_on_new_findings(tmp_path, capsys):
    path = _write(tmp_path, "nb.ipynb", _noisy())
    baseline = str(tmp_path / "nbcrash-baseline.json")
    assert main(["audit", "--no-progress", path, "--write-baseline", baseline]) == 0
    capsys.readouterr()
    code, kinds, crashes, _ = _audit([path, "--baseline", baseline], capsys)
    assert (code, kinds, crashes) == (0, [], 0)
    nb = nbformat.read(path, as_version=4)  # the same notebook, saved again with one more cell
    nb.cells.append(new_code_cell("print(another_missing)", execution_count=7))
    _write(tmp_path, "nb.ipynb", nb)
    code, kinds, crashes, findings = _audit([path, "--baseline", baseline], capsys)
    assert (code, kinds, crashes) == (1, ["undefined-name"], 0)
    assert findings[0]["names"] == ["another_missing"]


def test_a_baseline_from_pyproject_is_relative_to_it(tmp_path, capsys, monkeypatch):
    path = _write(tmp_path, "nb.ipynb", _noisy())
    assert main(["audit", "--no-progress", path, "--write-baseline", str(tmp_path / "base.json")]) == 0
    (tmp_path / "pyproject.toml").write_text('[tool.nbcrash]\nbaseline = "base.json"\n')
    monkeypatch.chdir(tmp_path.parent)
    capsys.readouterr()
    assert _audit([path], capsys)[:3] == (0, [], 0)


def test_a_missing_baseline_is_a_usage_error(tmp_path, capsys):
    path = _write(tmp_path, "nb.ipynb", _noisy())
    assert main(["audit", "--no-progress", path, "--baseline", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["text", "markdown", "sarif"])
def test_saved_notebook_reports_never_say_in_this_session(tmp_path, capsys, fmt):
    nb = new_notebook(cells=[new_code_cell("model = 1", execution_count=None),
                             new_code_cell("model.fit()", execution_count=1, outputs=[new_output(
                                 "error", ename="NameError", evalue="name 'model' is not defined",
                                 traceback=["NameError: name 'model' is not defined"])])])
    main(["audit", "--no-progress", "--format", fmt, _write(tmp_path, "nb.ipynb", nb)])
    assert "this session" not in capsys.readouterr().out


def test_the_help_lists_every_code():
    from nbcrash_kernel.audit.cli import EPILOG
    from nbcrash_kernel.audit.codes import known_codes

    assert [c for c in known_codes() if c not in EPILOG] == []
