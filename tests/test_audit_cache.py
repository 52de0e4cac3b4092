"""The audit's on-disk cache (``audit/cache.py``): a report is reused only for the same bytes, path,
nbcrash (version and sources), Python and installed packages; ``--no-cache`` and bad entries bypass it."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from nbcrash_kernel.audit import cache
from nbcrash_kernel.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _cache_on(monkeypatch):
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    monkeypatch.delenv(cache.ENV_DIR, raising=False)


def _crashing(ename="ZeroDivisionError", evalue="division by zero"):
    return new_notebook(cells=[new_code_cell("1 / 0", execution_count=1, outputs=[new_output(
        "error", ename=ename, evalue=evalue, traceback=[ename])])])


def _write(path, nb):
    nbformat.write(nb, str(path))
    return str(path)


def _audit(capsys, *argv):
    main(["audit", "--format", "json", "--no-progress", "--isolated", *argv])
    return json.loads(capsys.readouterr().out)


def _namespace(folder):
    (namespace,) = Path(folder).glob("v*")
    return str(namespace)


def _entries(folder):
    """Every entry of the cache, as a run reads them."""
    cache.forget(_namespace(folder))
    return cache._index(_namespace(folder))


def _packs(folder):
    return sorted(Path(_namespace(folder)).glob("*.pack"))


def _plant(folder, path, error, name="99999999999999999999-planted.pack"):
    """A pack, read last, with a report for ``path`` that no audit gives: seeing it shows the cache was used."""
    key = cache._entry_name(path, Path(path).read_bytes())
    blob = json.dumps([path, error, [], [], [], 4, 1, 0])
    (Path(_namespace(folder)) / name).write_text(json.dumps({key: blob}))


def test_a_warm_run_reads_the_entries_and_gives_the_same_report(tmp_path, capsys):
    paths = [_write(tmp_path / f"n{i}.ipynb", _crashing()) for i in range(3)]
    store = tmp_path / "cache"
    cold = _audit(capsys, "--cache-dir", str(store), *paths)
    assert len(_entries(store)) == 3 and len(_packs(store)) == 1
    assert (store / ".gitignore").read_text().splitlines()[-1] == "*"
    warm = _audit(capsys, "--cache-dir", str(store), *paths)
    assert warm == cold == _audit(capsys, "--no-cache", *paths)
    assert len(_packs(store)) == 1  # nothing new to write
    assert not list(store.glob("v*/*.tmp"))
    for path in paths:
        _plant(store, path, "planted", name=f"99999999999999999999-{os.path.basename(path)}.pack")
    assert [n["error"] for n in _audit(capsys, "--cache-dir", str(store), *paths)["notebooks"]] == ["planted"] * 3
    assert [n["error"] for n in _audit(capsys, "--no-cache", "--cache-dir", str(store), *paths)["notebooks"]] \
        == [None] * 3


def test_changed_bytes_or_path_are_audited_again(tmp_path, capsys):
    store = str(tmp_path / "cache")
    path = _write(tmp_path / "a.ipynb", _crashing())
    first = _audit(capsys, "--cache-dir", store, path)
    _write(tmp_path / "a.ipynb", _crashing("KeyError", "'price'"))
    second = _audit(capsys, "--cache-dir", store, path)
    assert first["notebooks"][0]["crashes"][0]["exception_type"] != second["notebooks"][0]["crashes"][0]["exception_type"]
    assert second == _audit(capsys, "--no-cache", path)
    moved = shutil.copy(path, tmp_path / "b.ipynb")
    assert _audit(capsys, "--cache-dir", store, str(moved))["notebooks"][0]["path"] == str(moved)
    assert len(_entries(store)) == 3


def test_packs_are_merged_when_they_pile_up(tmp_path, capsys):
    store = tmp_path / "cache"
    paths = [_write(tmp_path / f"n{i}.ipynb", _crashing()) for i in range(cache.MAX_PACKS + 2)]
    for path in paths[: cache.MAX_PACKS]:
        _audit(capsys, "--cache-dir", str(store), path)
    assert len(_packs(store)) == cache.MAX_PACKS
    _audit(capsys, "--cache-dir", str(store), paths[cache.MAX_PACKS])
    assert len(_packs(store)) == 1 and len(_entries(store)) == cache.MAX_PACKS + 1
    everything = _audit(capsys, "--cache-dir", str(store), *paths)
    assert everything == _audit(capsys, "--no-cache", *paths)
    assert len(_packs(store)) == 2 and len(_entries(store)) == cache.MAX_PACKS + 2


def test_the_namespace_changes_with_the_version_the_sources_and_the_installed_modules(tmp_path, monkeypatch):
    from nbcrash_kernel import _version

    package = tmp_path / "pkg"
    shutil.copytree(ROOT / "nbcrash_kernel" / "audit", package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(sys, "path", [str(tmp_path / "site")])
    (tmp_path / "site").mkdir()
    base = cache.namespace(package)
    assert cache.namespace(package) == base
    (tmp_path / "site" / "notes.txt").write_text("not importable")
    (tmp_path / "site" / ".hidden").mkdir()
    assert cache.namespace(package) == base
    (package / "cache.py").write_text((package / "cache.py").read_text() + "\n# edited\n")
    edited = cache.namespace(package)
    assert edited != base
    (tmp_path / "site" / "torch").mkdir()  # a package installed
    installed = cache.namespace(package)
    assert installed != edited
    (tmp_path / "site" / "numpy-2.0.dist-info").mkdir()
    assert cache.namespace(package) != installed
    monkeypatch.setattr(_version, "__version__", "9.9.9")
    assert cache.namespace(package).startswith("v9.9.9-")


def test_a_new_namespace_audits_again(tmp_path, capsys, monkeypatch):
    store = tmp_path / "cache"
    path = _write(tmp_path / "a.ipynb", _crashing())
    _audit(capsys, "--cache-dir", str(store), path)
    _plant(store, path, "planted")
    assert _audit(capsys, "--cache-dir", str(store), path)["notebooks"][0]["error"] == "planted"
    monkeypatch.setattr(cache, "namespace", lambda: "v0-other")
    assert _audit(capsys, "--cache-dir", str(store), path)["notebooks"][0]["error"] is None


def test_bad_packs_and_entries_are_misses(tmp_path, capsys):
    store = tmp_path / "cache"
    path = _write(tmp_path / "a.ipynb", _crashing())
    good = _audit(capsys, "--cache-dir", str(store), path)
    (pack,) = _packs(store)
    for junk in (b"", b"\x00garbage", pack.read_bytes()[:20]):
        pack.write_bytes(junk)
        assert _audit(capsys, "--cache-dir", str(store), path) == good
        for extra in _packs(store):
            if extra != pack:
                extra.unlink()
    key = cache._entry_name(path, Path(path).read_bytes())
    for blob in ("junk", json.dumps(["another/path.ipynb", "planted", [], [], [], 4, 1, 0]),
                 json.dumps([path, "too short"]), 42):  # never used for this path
        (Path(_namespace(store)) / "99999999999999999999-x.pack").write_text(json.dumps({key: blob}))
        assert _audit(capsys, "--cache-dir", str(store), path) == good


def test_no_cache_by_flag_or_environment_writes_nothing(tmp_path, capsys, monkeypatch):
    path = _write(tmp_path / "a.ipynb", _crashing())
    monkeypatch.chdir(tmp_path)
    _audit(capsys, "--no-cache", path)
    monkeypatch.setenv(cache.ENV_OFF, "1")
    _audit(capsys, path)
    assert not (tmp_path / cache.DEFAULT_DIR).exists()
    monkeypatch.delenv(cache.ENV_OFF)
    _audit(capsys, path)
    assert len(_entries(tmp_path / cache.DEFAULT_DIR)) == 1
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "elsewhere"))
    _audit(capsys, path)
    assert len(_entries(tmp_path / "elsewhere")) == 1


def test_an_unwritable_cache_is_skipped(tmp_path, capsys):
    path = _write(tmp_path / "a.ipynb", _crashing())
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go")
    assert _audit(capsys, "--cache-dir", str(blocker / "cache"), path)["notebooks"][0]["error"] is None


def test_concurrent_runs_share_the_cache(tmp_path):
    paths = [_write(tmp_path / f"n{i}.ipynb", _crashing()) for i in range(40)]
    store = str(tmp_path / "cache")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop(cache.ENV_OFF, None)
    command = [sys.executable, "-m", "nbcrash_kernel", "audit", "--no-progress", "--isolated", "-f", "json",
               "-j", "2", "--cache-dir", store, *paths]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, env=env, cwd=tmp_path) for _ in range(3)]
    outputs = [json.loads(run.communicate(timeout=300)[0]) for run in runs]
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(_entries(store)) == 40
    packs = _packs(store)
    again = subprocess.run(command, stdout=subprocess.PIPE, env=env, cwd=tmp_path, check=False, timeout=300)
    assert json.loads(again.stdout) == outputs[0]
    assert _packs(store) == packs  # every report was read from the cache
    assert not list(Path(store).glob("v*/*.tmp"))


def test_a_warm_run_starts_no_workers_and_a_partly_warm_one_audits_the_rest(tmp_path, monkeypatch):
    import concurrent.futures

    from nbcrash_kernel.audit.runner import audit_paths

    paths = [_write(tmp_path / f"n{i:02}.ipynb", _crashing()) for i in range(40)]
    folder = cache.cache_dir(directory=str(tmp_path / "cache"))
    cold = audit_paths(paths, jobs=2, progress=False, cache=folder)

    class NoPool:
        def __init__(self, *args, **kwargs):
            raise AssertionError("a warm run started worker processes")

    with monkeypatch.context() as patch:
        patch.setattr(concurrent.futures, "ProcessPoolExecutor", NoPool)
        warm = audit_paths(paths, jobs=2, progress=False, cache=folder)
    assert warm.reports == cold.reports  # every field of each report, not only those the json format shows
    for path in paths[10::3]:  # edited: audited again, by the workers
        _write(Path(path), _crashing("KeyError", "'price'"))
    partly = audit_paths(paths, jobs=2, progress=False, cache=folder)
    fresh = audit_paths(paths, jobs=2, progress=False)
    assert [r.to_dict() for r in partly.reports] == [r.to_dict() for r in fresh.reports]
    assert [r.to_dict() for r in partly.reports] != [r.to_dict() for r in cold.reports]
