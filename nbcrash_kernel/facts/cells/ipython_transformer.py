"""IPython's input transformer (``IPython.core.inputtransformer2.TransformerManager``), without IPython.

Importing ``IPython.core.inputtransformer2`` runs ``IPython/__init__.py`` first, which imports the
interactive shell, traitlets and the terminal: 70-80 ms of CPU, most of what an audit of a corpus
spends importing. The transformer itself needs only ``IPython.utils.tokenutil`` and the standard
library. So when IPython is not imported yet, both modules' own files are run here, unchanged but
for that one import line, as private modules (``IPython`` stays unimported, and a later ``import
IPython`` gets the real package). The same code runs, so the transforms are the same. When IPython
is imported already (in a kernel), or its files are not as expected, the real import is used.
"""
from __future__ import annotations

import re
import sys
import types
from typing import Any

_TOKENUTIL_IMPORT = "from IPython.utils import tokenutil"
_ANY_IPYTHON_IMPORT = re.compile(r"^[ \t]*(?:from|import)[ \t]+IPython\b", re.MULTILINE)
_PRIVATE = "nbcrash_kernel.facts.cells._ipython_"


def transformer_manager_class() -> Any:
    """The ``TransformerManager`` class: IPython's own module when IPython is loaded, else its file run alone."""
    if "IPython" not in sys.modules:
        try:
            return _standalone().TransformerManager
        except Exception:  # noqa: BLE001 - another IPython layout: import it as usual
            pass
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager


def _standalone() -> types.ModuleType:
    loaded = sys.modules.get(_PRIVATE + "inputtransformer2")
    if loaded is not None:
        return loaded
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("IPython")  # finds the package without running it
    if spec is None or not spec.origin:
        raise ImportError("IPython is not installed")
    root = Path(spec.origin).parent
    tokenutil_source = (root / "utils" / "tokenutil.py").read_text(encoding="utf-8")
    if _ANY_IPYTHON_IMPORT.search(tokenutil_source):
        raise ImportError("IPython.utils.tokenutil imports IPython")
    tokenutil = _run(_PRIVATE + "tokenutil", root / "utils" / "tokenutil.py", tokenutil_source, {})
    source = (root / "core" / "inputtransformer2.py").read_text(encoding="utf-8")
    imports = _ANY_IPYTHON_IMPORT.findall(source)
    if len(imports) != 1 or source.count(_TOKENUTIL_IMPORT + "\n") != 1:
        raise ImportError("IPython.core.inputtransformer2 imports more of IPython than tokenutil")
    source = source.replace(_TOKENUTIL_IMPORT + "\n", "pass  # tokenutil: given by nbcrash\n")
    return _run(_PRIVATE + "inputtransformer2", root / "core" / "inputtransformer2.py", source,
                {"tokenutil": tokenutil})


def _run(name: str, path: Any, source: str, given: dict[str, Any]) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__file__ = str(path)
    module.__dict__.update(given)
    sys.modules[name] = module  # as an import does: dataclasses and typing look modules up there
    try:
        exec(compile(source, str(path), "exec"), module.__dict__)  # noqa: S102 - IPython's own file
    except BaseException:
        del sys.modules[name]
        raise
    return module
