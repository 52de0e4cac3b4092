"""The tour runs on a plain ``pip install nbcrash``, and a card cites only its own section's heading."""
from __future__ import annotations

import json
import re
import sys
from importlib.metadata import PackageNotFoundError, requires
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from nbcrash_kernel.live.notebook_file import read_notebook
from nbcrash_kernel.live.tour import BUNDLED_TOUR

ROOT = Path(__file__).resolve().parents[1]


def _distribution(requirement: str) -> str:
    return re.match(r"[A-Za-z0-9_.\-]+", requirement).group(0).lower().replace("-", "_")


def _installed_by_nbcrash() -> set[str]:
    """The dependencies pyproject.toml lists, and what they require in turn."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {_distribution(r) for r in listed}
    for name in list(names):
        try:
            names |= {_distribution(r) for r in requires(name) or [] if "extra ==" not in r}
        except PackageNotFoundError:
            pass
    return names


def test_the_tour_imports_only_what_pip_install_nbcrash_installs():
    nb = json.loads(BUNDLED_TOUR.read_text(encoding="utf-8"))
    imported = set()
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            imported |= set(re.findall(r"(?m)^\s*(?:import|from)\s+([A-Za-z_]\w*)", source))
    third_party = {m for m in imported if m not in sys.stdlib_module_names}
    assert third_party, "the tour imports at least numpy and pandas"
    assert third_party <= _installed_by_nbcrash(), third_party - _installed_by_nbcrash()


def test_a_crash_gets_the_headings_of_its_own_section(tmp_path):
    nb = new_notebook(cells=[
        new_markdown_cell("# Iris", id="title"), new_markdown_cell("## Load and explore the data", id="h1"),
        new_code_cell("df.head()", id="load"), new_markdown_cell("## Evaluation", id="h2"),
        new_code_cell("score()", id="eval")])
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, str(path))
    snapshot = read_notebook(path)
    assert snapshot.headings_above("load") == ["Iris", "Load and explore the data"]
    assert snapshot.headings_above("eval") == ["Iris", "Evaluation"]
    assert snapshot.headings_above("not-saved-yet") == []
