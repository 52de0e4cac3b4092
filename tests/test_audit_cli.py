"""``nbcrash audit`` end to end: exit codes, --fail-on, -o, stdin, bad files, nothing written."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from nbcrash_kernel.cli import main


def _crashing():
    return new_notebook(cells=[new_code_cell("1 / 0", execution_count=1, outputs=[new_output(
        "error", ename="ZeroDivisionError", evalue="division by zero", traceback=["ZeroDivisionError"])])])


def _with_finding():
    return new_notebook(cells=[new_code_cell("b = a", execution_count=2),
                               new_code_cell("a = 1", execution_count=1)])


def _clean():
    return new_notebook(cells=[new_code_cell("a = 1", execution_count=1),
                               new_code_cell("b = a", execution_count=2)])


def _write(folder, name, nb):
    path = folder / name
    nbformat.write(nb, str(path))
    return str(path)


def _snapshot(folder):
    return sorted((p, os.lstat(os.path.join(root, p)).st_mtime_ns)
                  for root, dirs, files in os.walk(folder) for p in dirs + files)


def _json_run(argv, capsys):
    code = main(["audit", "--format", "json", "--no-progress", *argv])
    return code, json.loads(capsys.readouterr().out)


def test_exit_codes_follow_fail_on(tmp_path, capsys):
    crash = _write(tmp_path, "crash.ipynb", _crashing())
    finding = _write(tmp_path, "finding.ipynb", _with_finding())
    clean = _write(tmp_path, "clean.ipynb", _clean())
    assert _json_run([clean], capsys)[0] == 0
    assert _json_run([crash], capsys)[0] == 1
    assert _json_run([finding], capsys)[0] == 1
    assert _json_run(["--fail-on", "crash", finding], capsys)[0] == 0
    assert _json_run(["--fail-on", "crash", crash], capsys)[0] == 1
    assert _json_run(["--fail-on", "never", crash, finding], capsys)[0] == 0


def test_unreadable_files_exit_2_and_the_others_are_still_audited(tmp_path, capsys):
    folder = tmp_path / "nbs"
    folder.mkdir()
    _write(folder, "crash.ipynb", _crashing())
    (folder / "empty.ipynb").write_bytes(b"")
    (folder / "trunc.ipynb").write_text(nbformat.writes(_crashing())[:50])
    (folder / "dir.ipynb").mkdir()  # a folder named like a notebook: reported, not walked
    (folder / "dangling.ipynb").symlink_to(folder / "nowhere.ipynb")
    before = _snapshot(tmp_path)
    code, doc = _json_run(["--fail-on", "never", "-j", "2", str(folder), str(tmp_path / "missing.ipynb")], capsys)
    assert code == 2
    errors = {os.path.basename(n["path"]): n["error"] for n in doc["notebooks"]}
    assert errors["crash.ipynb"] is None
    assert "is a directory" in errors["dir.ipynb"]
    for name in ("empty.ipynb", "trunc.ipynb", "dangling.ipynb", "missing.ipynb", "dir.ipynb"):
        assert name in errors[name]
    assert doc["summary"]["crashes"] == 1
    assert _snapshot(tmp_path) == before  # nothing written next to the audited files


def test_output_file_and_formats(tmp_path, capsys):
    crash = _write(tmp_path, "crash.ipynb", _crashing())
    out = tmp_path / "report.sarif"
    assert main(["audit", "-f", "sarif", "-o", str(out), crash]) == 1
    assert capsys.readouterr().out == ""
    assert json.loads(out.read_text())["version"] == "2.1.0"
    assert main(["audit", "-f", "markdown", "-o", str(tmp_path / "no" / "such" / "dir.md"), crash]) == 2


def test_stdin_is_read_for_dash(tmp_path, capsys, monkeypatch):
    data = nbformat.writes(_crashing()).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, doc = _json_run(["-"], capsys)
    assert code == 1
    assert doc["notebooks"][0]["path"] == "<stdin>"
    assert doc["notebooks"][0]["crashes"][0]["ename"] == "ZeroDivisionError"


def test_usage_errors_exit_2(tmp_path, capsys):
    for argv in (["audit"], ["audit", "--fail-on", "sometimes", "x"], ["audit", "-j", "0", "x"],
                 ["audit", "--format", "pdf", "x"]):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 2
    assert main(["audit", "-", "-"]) == 2


def test_text_output_has_no_colour_when_piped(tmp_path, capsys):
    crash = _write(tmp_path, "crash.ipynb", _crashing())
    main(["audit", crash])
    out = capsys.readouterr().out
    assert "ZeroDivisionError" in out and "\x1b[" not in out


def test_progress_bar_only_on_a_terminal_outside_ci(monkeypatch):
    from nbcrash_kernel.audit.runner import show_progress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("CI", raising=False)
    assert show_progress(Tty()) is True
    assert show_progress(io.StringIO()) is False
    monkeypatch.setenv("CI", "true")
    assert show_progress(Tty()) is False


def test_console_script(tmp_path):
    script = shutil.which("nbcrash", path=os.path.dirname(sys.executable))
    if script is None:
        pytest.skip("the nbcrash console script is not installed")
    crash = _write(tmp_path, "crash.ipynb", _crashing())
    done = subprocess.run([script, "audit", "-f", "json", crash], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "CI": "1"})
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["summary"]["crashes"] == 1
    assert done.stderr == ""


def test_pre_commit_hook_runs_the_audit_on_notebooks():
    from pathlib import Path

    yaml = pytest.importorskip("yaml")
    hooks = yaml.safe_load((Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "nbcrash-audit" and hook["types"] == ["jupyter"]
    assert hook["language"] == "python"
    from nbcrash_kernel.cli import build_parser

    args = build_parser().parse_args(hook["entry"].split()[1:] + ["a.ipynb"])
    assert args.paths == ["a.ipynb"] and args.no_progress


def test_a_dead_worker_does_not_stop_the_audit(tmp_path, monkeypatch):
    from nbcrash_kernel.audit import runner

    paths = [_write(tmp_path, f"n{i:02}.ipynb", _crashing()) for i in range(3 * runner.CHUNK_SIZE)]

    class DeadPool:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def map(self, function, items, chunksize=1):
            yield function(items[0])
            raise BrokenProcessPool("worker killed")

    import concurrent.futures
    from concurrent.futures.process import BrokenProcessPool

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", DeadPool)  # runner imports it when it needs it
    result = runner.audit_paths(paths, jobs=2, progress=False)
    assert [r.path for r in result.reports] == paths
    assert all(len(r.crashes) == 1 for r in result.reports)


_FROZEN_AT_EXIT = """import atexit, gc, sys
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))  # runs after the audit's
from nbcrash_kernel.cli import main
main(["audit", "--no-progress", "-o", sys.argv[2], sys.argv[1]])
"""


def test_the_command_skips_the_last_full_collection_at_exit(tmp_path):
    """The audit freezes the collector at exit: the interpreter's last collection would traverse
    every report and cache still alive, only to end the process."""
    crash = _write(tmp_path, "crash.ipynb", _crashing())
    done = subprocess.run([sys.executable, "-c", _FROZEN_AT_EXIT, crash, str(tmp_path / "out.txt")],
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "frozen at exit: True", done.stderr
