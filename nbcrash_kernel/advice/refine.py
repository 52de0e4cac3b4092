"""The advice pass over a Diagnosis: specific fixes first, no wrong claims, one sentence on top.

``refine(diagnosis, evidence)`` runs after the classifier (and, live, after
enrichment). It
- puts the specific fixes (did-you-mean, message families, ML shapes) first,
  keeps the classifier's notebook fixes (run cell [3] first) above them, and puts
  generic advice last (none beside a notebook fix: one fix per problem);
- drops fixes that the evidence contradicts: pip-installing a stdlib or importable
  module, a second install line for one package, an API-change fix when the object
  does not belong to that library;
- corrects an API-change verdict that the object's library does not support, and
  takes the advice's verdict when it has one (a missing operator, a module typo);
- keeps the summary to one sentence, and moves the values a message dumps
  (``array=[...]``) to one evidence line.
"""
from __future__ import annotations

import re
from typing import Any

from .evidence import MISSING, Advice, Evidence, owner_library, safe_getattr
from .fallback import fallback_fix
from .modules import never_install

_INSTALL = re.compile(r"pip install ([\w.\-\[\]]+)")
# nbcrash's own general-purpose sentences: ranked after any specific fix.
_GENERIC = ("Check the exact names with", "Check the object's type and members", "Print the shapes of the operands",
            "Compare the call with the function's signature", "Inspect the values:", "Define `",
            "Re-run the notebook from the top", "Clean or encode the column")
_NOTEBOOK = ("Run cell", "Run the cell that defines", "Fix the error in cell", "Move cell", "Re-run the notebook",
             "Make the cell safe to re-run")
_VALUES = re.compile(r"\n|array=\[|\[\[|\s{2,}")
MAX_SUMMARY = 240


def advise(evidence: Evidence) -> Advice:
    """All the advice the evidence supports, most specific first."""
    from .arguments import advise_arguments
    from .attributes import advise_attribute
    from .keys import advise_key
    from .messages import advise_message
    from .ml import advise_ml
    from .modules import advise_import_name, advise_missing_module
    from .names import advise_name

    ename = evidence.ename.rsplit(".", 1)[-1]
    chain: list = [advise_ml]
    if ename in ("NameError", "UnboundLocalError"):
        chain.append(advise_name)
    elif ename == "ModuleNotFoundError" or "No module named" in evidence.evalue:
        chain.append(advise_missing_module)
    elif ename == "ImportError":
        chain.append(advise_import_name)
    elif ename in ("AttributeError", "NotFittedError"):
        chain.append(advise_attribute)
    elif ename == "KeyError":
        chain.append(advise_key)
    elif ename == "TypeError":
        chain.append(advise_arguments)
    chain.append(advise_message)
    advice = Advice()
    for step in chain:
        advice.extend(_guarded(step, evidence))
    return advice


def _guarded(step, evidence: Evidence) -> Advice | None:
    try:
        return step(evidence)
    except Exception:  # noqa: BLE001 - a failing advisor loses its own advice only
        return None


def refine(diagnosis: Any, evidence: Evidence) -> Any:
    """Apply the advice to ``diagnosis`` in place (and return it); never raises."""
    try:
        _refine(diagnosis, evidence)
    except Exception:  # noqa: BLE001 - the classifier's card stands as it was
        pass
    return diagnosis


def _refine(diagnosis: Any, evidence: Evidence) -> None:
    advice = advise(evidence)
    notebook = diagnosis.root_cause == "NB"
    if diagnosis.root_cause_detail == "API change" and not _change_belongs(diagnosis, evidence, advice):
        _withdraw_api_change(diagnosis, advice)
    elif advice.root_cause and not notebook and diagnosis.root_cause_detail != "API change":
        diagnosis.root_cause, diagnosis.root_cause_detail = advice.root_cause
    if advice.verdict and not notebook and diagnosis.root_cause_detail != "API change":
        diagnosis.summary = advice.verdict
    diagnosis.summary = one_sentence(diagnosis.summary)
    diagnosis.suggestions = merge_fixes(diagnosis.suggestions, advice, notebook, here=evidence.is_live)
    if not diagnosis.suggestions:
        diagnosis.suggestions = [fallback_fix(diagnosis.exception_type)]
    for line in advice.evidence + _message_values(diagnosis.evalue):
        if line not in diagnosis.evidence:
            diagnosis.evidence.append(line)
    diagnosis.extra.setdefault("headline", headline(diagnosis.ename, diagnosis.evalue))


def _change_belongs(diagnosis: Any, evidence: Evidence, advice: Advice) -> bool:
    """The API change's library really owns the object or module (live object, traceback, message)."""
    from ..knowledge.api_changes import change_for_message
    from ..knowledge.messages import REMOVAL_NOTICE

    if advice.refutes_api_change:
        return False
    if REMOVAL_NOTICE.search(diagnosis.evalue):
        return True  # the library's own message says the API was removed
    change = change_for_message(diagnosis.evalue, diagnosis.library or None)
    if change is None:
        return False
    obj = safe_getattr(evidence.exc, "obj") if evidence.exc is not None else MISSING
    if obj is None and "'NoneType'" not in diagnosis.evalue:
        # CPython sets ``obj`` when its own lookup fails; an AttributeError raised by code (a module's
        # ``__getattr__``, numpy's for ``np.float``) leaves it None: the owner is unknown, not None.
        obj = MISSING
    if obj is not MISSING:
        owner = owner_library(obj)
        return owner == change.library or (owner in ("keras", "tensorflow") and change.library in ("keras", "tensorflow"))
    return True


def _withdraw_api_change(diagnosis: Any, advice: Advice) -> None:
    code, detail = advice.root_cause or ("API", "misunderstanding of APIs")
    diagnosis.root_cause, diagnosis.root_cause_detail = code, detail
    diagnosis.summary = advice.verdict or f"{diagnosis.ename}: {headline(diagnosis.ename, diagnosis.evalue)}"
    diagnosis.evidence = [e for e in diagnosis.evidence if "removed or renamed" not in e]
    diagnosis.suggestions = [s for s in diagnosis.suggestions if not s.startswith("Replace `")]
    diagnosis.confidence = min(float(diagnosis.confidence), 0.5)


def merge_fixes(existing: list[str], advice: Advice, notebook: bool, here: bool = True) -> list[str]:
    """Notebook fixes, then the advice's, then the rest, then generic ones; no contradicted or repeated line."""
    first = [s for s in existing if notebook and s.startswith(_NOTEBOOK)]
    generic = [s for s in existing if s.startswith(_GENERIC) and s not in first]
    others = [s for s in existing if s not in first and s not in generic]
    fixes = advice.fixes
    if first:  # the notebook's fix ("Run cell #4 first") is the fix: a general one beside it only repeats it
        fixes = [f for f in fixes if not f.startswith(_GENERIC)]
        generic = []
    if advice.fixes:
        generic = [s for s in generic if not _superseded(s, advice)]
    others = [s for s in others if not (advice.supersedes and s.startswith(advice.supersedes))]
    ordered = first + fixes + others + generic
    out: list[str] = []
    packages: set[str] = set()
    for line in ordered:
        installs = _INSTALL.findall(line)
        if any(_never_install(p, advice, here) for p in installs):
            continue
        key = {p.lower().replace("_", "-") for p in installs}
        if key and key <= packages:
            continue
        packages |= key
        _add_once(out, line)
    return out


def _add_once(out: list[str], line: str) -> None:
    """Append ``line`` unless a fix already there says the same thing; of two wordings, keep the fuller one."""
    for i, kept in enumerate(out):
        if _same_fix(kept, line):
            if len(line) > len(kept):
                out[i] = line
            return
    out.append(line)


def _same_fix(a: str, b: str) -> bool:
    """One fix worded twice: one is the start of the other, or both open with the same 40 characters."""
    shorter = min(len(a), len(b))
    same = 0
    while same < shorter and a[same] == b[same]:
        same += 1
    return same >= min(40, shorter)


def _superseded(line: str, advice: Advice) -> bool:
    """nbcrash's general sentences give way to a specific fix ('Define `x`' when `x` needs `global`,
    'df.columns' advice for an .npz archive)."""
    return bool(advice.fixes)


def _never_install(package: str, advice: Advice, here: bool) -> bool:
    if package in advice.not_installable:
        return True
    from ..knowledge.modules import PIP_NAMES

    module = next((m for m, p in PIP_NAMES.items() if p == package), package)
    return never_install(module, here) or never_install(package, here)


def one_sentence(text: str) -> str:
    """The first sentence of ``text``, without the values a message dumps, at most MAX_SUMMARY characters."""
    text = (text or "").strip()
    cut = _VALUES.search(text)
    if cut:
        text = text[: cut.start()].rstrip(" :,;")
    if len(text) > MAX_SUMMARY:
        text = text[: MAX_SUMMARY - 1].rstrip() + "…"
    if text and text[-1] not in ".?!…":
        text += "."
    return text


def headline(ename: str, evalue: str) -> str:
    """``ename: the message's first line``, without dumped values."""
    first = one_sentence((evalue or "").split("\n", 1)[0].rstrip(" :")).rstrip(".")
    return f"{ename}: {first}" if first else ename


def _message_values(evalue: str) -> list[str]:
    """The values a message dumps after its first line, as one short evidence line."""
    text = evalue or ""
    cut = _VALUES.search(text)
    if cut is None or len(text) < 80:
        return []
    rest = " ".join(text[cut.start():].split())
    return [f"values in the message: {rest[:300]}{'…' if len(rest) > 300 else ''}"]


