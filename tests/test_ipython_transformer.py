"""IPython's transformer run without importing IPython (``facts/cells/ipython_transformer.py``):
the same transforms as IPython's own module, IPython left unimported, the real import as fallback."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nbcrash_kernel.facts.cells import ipython_transformer

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [
    "%matplotlib inline\nimport numpy as np\n", "!pip install lime\n", "files = !ls data\n",
    "df.head?\n", "np.zeros??\n", "%%bash\nls -l\necho hi\n", "%%time\nx = f(1)\n",
    "%time y = g(2)\n", "x = %env HOME\n", "  %load_ext autoreload\n", "%%writefile a.py\nprint(1)\n",
    ">>> a = 1\n>>> a\n", "In [1]: b = 2\n", "def f():\n    !echo hi\n", "%run -i script.py \\\n  --flag\n",
    "print('%d' % 3)\n", "a = 1 if b else 2\n", "?np\n", "%config InlineBackend.figure_format = 'svg'\n",
]
PROBE = """import json, sys
from nbcrash_kernel.facts.cells.ipython_transformer import transformer_manager_class
manager = transformer_manager_class()()
out = [manager.transform_cell(s) for s in json.loads(sys.stdin.read())]
print(json.dumps({"out": out, "ipython": "IPython" in sys.modules,
                  "module": type(manager).__module__}))
"""


def test_the_standalone_transformer_transforms_as_ipython_and_leaves_it_unimported():
    run = subprocess.run([sys.executable, "-c", PROBE], input=json.dumps(SAMPLES), capture_output=True,
                         text=True, timeout=120, cwd=ROOT, check=True)
    found = json.loads(run.stdout)
    assert found["ipython"] is False
    assert found["module"].startswith("nbcrash_kernel.facts.cells._ipython_")
    from IPython.core.inputtransformer2 import TransformerManager

    manager = TransformerManager()
    assert found["out"] == [manager.transform_cell(s) for s in SAMPLES]


def test_ipython_itself_when_it_is_imported_or_its_files_differ(monkeypatch):
    import IPython.core.inputtransformer2 as real

    assert ipython_transformer.transformer_manager_class() is real.TransformerManager  # imported already
    monkeypatch.delitem(sys.modules, "IPython")
    monkeypatch.delitem(sys.modules, ipython_transformer._PRIVATE + "inputtransformer2", raising=False)
    monkeypatch.setattr(ipython_transformer, "_TOKENUTIL_IMPORT", "from IPython.utils import nothing_like_it")
    assert ipython_transformer.transformer_manager_class() is real.TransformerManager
    assert ipython_transformer._PRIVATE + "inputtransformer2" not in sys.modules


@pytest.mark.parametrize("sample", SAMPLES[:6])
def test_the_standalone_module_is_a_fresh_copy(sample):
    standalone = ipython_transformer._standalone()
    assert standalone.__name__ != "IPython.core.inputtransformer2"
    from IPython.core.inputtransformer2 import TransformerManager

    assert standalone.TransformerManager().transform_cell(sample) == TransformerManager().transform_cell(sample)
