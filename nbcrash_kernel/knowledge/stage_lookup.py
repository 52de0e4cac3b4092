"""The stage of a library API named in code, looked up in ``stage_apis`` (read from the libraries).

A dotted call resolves through its module alias (``metrics.f1_score``, ``nn.Linear``,
``pd.read_csv``); a name imported from a module resolves through the cell's imports; a method
name resolves when the classes that define it agree on one stage; a bare name resolves when every
library module that has it puts it at one stage and it is distinctive enough not to be a user's
own word.
"""
from __future__ import annotations

import builtins
from functools import lru_cache

from .modules import CONVENTIONAL_ALIASES
from .stage_apis import METHOD_GROUPS, MODULE_GROUPS, WHOLE_MODULES

Entry = tuple[str, float]

# Modules that re-export another library's API under their own name (TensorFlow 2.16+ loads Keras 3
# lazily as tf.keras, tf.optimizers and tf.losses: tensorflow/python/util/lazy_loader.py).
_REEXPORTS = (("tensorflow.keras", "keras"), ("tensorflow.python.keras", "keras"), ("keras.src", "keras"),
              ("keras.api", "keras"), ("tensorflow.optimizers", "keras.optimizers"),
              ("tensorflow.losses", "keras.losses"))


def _members() -> dict[str, dict[str, Entry]]:
    table: dict[str, dict[str, Entry]] = {}
    for stage, weight, module, _source, names in MODULE_GROUPS:
        members = table.setdefault(module, {})
        for name in names.split():
            members.setdefault(name, (stage, weight))  # an earlier, narrower group wins
    return table


def _methods() -> dict[str, Entry]:
    table: dict[str, Entry] = {}
    for stage, weight, _classes, _source, names in METHOD_GROUPS:
        for name in names.split():
            table.setdefault(name, (stage, weight))
    return table


def _distinctive(name: str) -> bool:
    """A name no one would write for their own variable or helper by chance (``read_csv``, ``heatmap``)."""
    return not hasattr(builtins, name) and ("_" in name.strip("_") or name[:1].isupper() or len(name) >= 6)


def _compound_class(name: str) -> bool:
    """A class name of several capitalised words (``RocCurveDisplay``), not one word (``Table``)
    that many libraries use."""
    return name[:1].isupper() and sum(c.isupper() for c in name) >= 2 and not name.isupper()


def _bare_names(members: dict[str, dict[str, Entry]]) -> dict[str, Entry]:
    stages: dict[str, set[str]] = {}
    first: dict[str, Entry] = {}
    for module_members in members.values():
        for name, entry in module_members.items():
            stages.setdefault(name, set()).add(entry[0])
            first.setdefault(name, entry)
    return {name: first[name] for name, found in stages.items() if len(found) == 1 and _distinctive(name)}


def _module_stages(members: dict[str, dict[str, Entry]]) -> dict[str, Entry]:
    """The stage of a whole module, where nine in ten of its listed members share it (``seaborn``)."""
    found: dict[str, Entry] = {}
    for module, module_members in members.items():
        if module not in WHOLE_MODULES:
            continue
        stages = [stage for stage, _ in module_members.values()]
        top = max(set(stages), key=stages.count, default="")
        if len(stages) >= 10 and stages.count(top) >= 0.9 * len(stages):
            found[module] = (top, MODULE_WEIGHT)
    return found


MODULE_WEIGHT = 1.0  # a module named without a member the table lists: weaker than a listed API
MEMBERS = _members()
METHODS = _methods()
BARE_NAMES = _bare_names(MEMBERS)
MODULE_STAGES = _module_stages(MEMBERS)
MODULE_NAMES = frozenset(MEMBERS) | {module.rsplit(".", 1)[0] for module in MEMBERS}


def _normalise(module: str) -> str:
    for prefix, target in _REEXPORTS:
        if module == prefix or module.startswith(prefix + "."):
            return target + module[len(prefix):]
    return module


@lru_cache(maxsize=8192)
def qualified_entry(qualified: str) -> Entry | None:
    """The stage of ``module.member`` (``sklearn.metrics.f1_score``), trying the library's top module
    for a class when the submodule is not listed (``sklearn.ensemble.RandomForestClassifier``)."""
    module, _, member = _normalise(qualified).rpartition(".")
    # a library's classes may be listed at its top (sklearn's estimators); its functions are not
    for candidate in (module, module.split(".", 1)[0]) if member[:1].isupper() else (module,):
        entry = MEMBERS.get(candidate, {}).get(member)
        if entry is not None:
            return entry
    return None


def is_module_alias(name: str, aliases: dict[str, str] | None) -> bool:
    """``name`` is bound to a module the table lists (``plt``, ``sns``, ``metrics``)."""
    module = (aliases or {}).get(name) or CONVENTIONAL_ALIASES.get(name)
    return bool(module) and _normalise(module) in MODULE_NAMES


def chain_entry(chain: tuple[str, ...], aliases: dict[str, str] | None) -> Entry | None:
    """The stage of a dotted chain of names whose root is a module (``("pd", "read_csv")``,
    ``("sns",)`` called itself) or a library class (``("RocCurveDisplay", "from_estimator")``)."""
    root = chain[0]
    module = (aliases or {}).get(root) or CONVENTIONAL_ALIASES.get(root)
    if not module:
        return BARE_NAMES.get(root) if len(chain) > 1 and _compound_class(root) else None
    if len(chain) > 1:
        entry = qualified_entry(".".join((module, *chain[1:])))
        if entry is not None:
            return entry
    return MODULE_STAGES.get(_normalise(module))
