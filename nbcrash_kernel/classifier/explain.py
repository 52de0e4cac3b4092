"""Words for a diagnosis: the one-sentence verdict, the explanation, the fixes."""
from __future__ import annotations


from ..facts.cell_names import cell_names
from ..record.diagnosis import Diagnosis
from ..knowledge.messages import missing_module
from ..knowledge.modules import CONVENTIONAL_ALIASES, STDLIB_MODULES, pip_name
from ..record.taxonomy import NB_EXECUTION_ORDER, NB_FUTURE_CELLS, NB_PREVIOUS_CELL_ERROR, describe
from .root_causes import RootCause
from .rules import REGISTRY
from .signals import Signals


def _have(diagnosis: Diagnosis, role: str) -> str:
    """'has' for one related cell of that role, 'have' for several."""
    return "have" if sum(c.role == role for c in diagnosis.related_cells) > 1 else "has"


def _cells(diagnosis: Diagnosis, role: str) -> str:
    """The related cells of a role, named as Jupyter shows them (``In [3] and cell #5``)."""
    return cell_names([(c.index, c.execution_count) for c in diagnosis.related_cells if c.role == role])


def summarize(diagnosis: Diagnosis, signals: Signals, cause: RootCause) -> str:
    """The verdict in one sentence, as a person reads it first."""
    name = signals.undefined_name
    detail = diagnosis.root_cause_detail
    if detail == NB_EXECUTION_ORDER and name and _cells(diagnosis, "definer-not-run"):
        return (f"Out-of-order execution: `{name}` is defined in {_cells(diagnosis, 'definer-not-run')}, "
                f"which had not run when this cell ran.")
    if detail == NB_PREVIOUS_CELL_ERROR and _cells(diagnosis, "definer-crashed"):
        what = f"`{name}`" if name else "what this cell needs"
        return (f"Previous cell error: {_cells(diagnosis, 'definer-crashed')} crashed before defining "
                f"{what}, and the notebook went on.")
    if detail == NB_FUTURE_CELLS and _cells(diagnosis, "definer-below"):
        return (f"Cell order: `{name}` is defined only below, in {_cells(diagnosis, 'definer-below')}, "
                f"which {_have(diagnosis, 'definer-below')} not run.")
    if cause.api_change is not None:
        change = cause.api_change
        return (f"Library API change: `{change.old}` was removed or renamed in {change.version}; "
                f"use {change.new}.")
    reason = cause.evidence[0] if cause.evidence else describe("root_cause", diagnosis.root_cause)
    head = f"{diagnosis.ename or 'Error'}"
    if name:
        head = f"{head} on `{name}`"
    words = describe("root_cause", diagnosis.root_cause)
    return f"{words[:1].upper()}{words[1:]}: {head}, because {_lower_first(reason)}."


def _lower_first(text: str) -> str:
    text = text.rstrip(".")
    return text[:1].lower() + text[1:] if text and not text[:2].isupper() else text


def explanation(diagnosis: Diagnosis, signals: Signals) -> str:
    where = ""
    if signals.crashing_line:
        where = f" The failing line is `{_shorten(signals.crashing_line)}`."
    inside = ""
    if signals.raising_library:
        inside = f" It was raised inside {signals.raising_library}."
    kind = describe("exception_type", diagnosis.exception_type)
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    return (f"{diagnosis.ename}: {_shorten(diagnosis.evalue, 200)}.{where}{inside} "
            f"nbcrash reads this as {article} {kind} caused by "
            f"{describe('root_cause', diagnosis.root_cause)} ({diagnosis.root_cause_detail}), "
            f"in {describe('origin', diagnosis.origin)}"
            f"{' (' + diagnosis.library + ')' if diagnosis.library else ''}, at the "
            f"{describe('stage', diagnosis.stage)} stage.")


def _shorten(text: str, limit: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def suggestions(diagnosis: Diagnosis, signals: Signals, cause: RootCause) -> list[str]:
    """Concrete fixes for what was diagnosed."""
    detail = diagnosis.root_cause_detail
    name = signals.undefined_name
    out: list[str] = []
    if detail == NB_EXECUTION_ORDER:
        cells = _cells(diagnosis, "definer-not-run")
        if cells:
            out.append(f"Run {cells} first, then re-run this cell.")
        elif name:
            out.append(f"Run the cell that defines `{name}` (an import or an earlier step) before this one.")
        else:
            out.append("Re-run the notebook from the top (Kernel → Restart & Run All) so cells run in order.")
        if "drop" in signals.evalue.lower() or "not found in axis" in signals.evalue:
            out.append("Make the cell safe to re-run: drop with errors='ignore', or reload the data first.")
    elif detail == NB_PREVIOUS_CELL_ERROR:
        out.append(f"Fix the error in {_cells(diagnosis, 'definer-crashed') or 'the cell that crashed earlier'}, "
                   "re-run it, then re-run this cell.")
    elif detail == NB_FUTURE_CELLS:
        out.append(f"Move {_cells(diagnosis, 'definer-below')} above this one, or run it first.")
    if cause.api_change is not None:
        out.append(f"Replace `{cause.api_change.old}` with {cause.api_change.new} "
                   f"(changed in {cause.api_change.version}), or pin the older version.")
        return _dedupe(out)
    out.extend(_by_type(diagnosis, signals))
    return _dedupe(out)


def _by_type(diagnosis: Diagnosis, signals: Signals) -> list[str]:
    code = diagnosis.exception_type
    evalue = signals.evalue
    name = signals.undefined_name
    if code == "MODULE":
        module = name and (CONVENTIONAL_ALIASES.get(name) or (name if name in STDLIB_MODULES else None))
        if module:
            alias = f" as {name}" if module.rsplit(".", 1)[-1] != name else ""
            return [f"Add `import {module}{alias}` to the imports cell and run it."]
        module = missing_module(evalue)
        if module:
            return [f"Install it in this kernel: `%pip install {pip_name(module)}`, then restart the kernel."]
    if code in {"VNF", "NAME"} and name and diagnosis.root_cause == "IMPL":
        return [f"Define `{name}` before this line, or correct the name if it is a typo."]
    if code == "IO":
        if diagnosis.root_cause == "ENV":
            return ["Check the path relative to the working directory (`%pwd`), or use an absolute path; "
                    "on Kaggle/Colab, inputs live under /kaggle/input or /content."]
        if "decode" in evalue:
            return ["Read the file with its real encoding, e.g. `encoding='latin-1'`."]
    if code == "KEY" and diagnosis.root_cause == "DATA":
        if "pandas" in (signals.raising_library, diagnosis.library):
            return ["Check the exact names with `df.columns.tolist()`: case, spaces and earlier renames matter."]
        return ["Check the exact key: list them with `list(obj.keys())` (a DataFrame's keys are its columns); "
                "case, spaces and earlier renames matter, and `obj.get(key)` gives None for a missing one."]
    fix = _rule_fix(diagnosis)
    if fix:
        return [fix]
    if code == "VALUE" and "convert" in evalue:
        return ["Clean or encode the column before converting (`pd.to_numeric(..., errors='coerce')`, an encoder)."]
    return []


def _rule_fix(diagnosis: Diagnosis) -> str:
    """The fix the deciding exception-type rule states, if it has one."""
    decided = diagnosis.trace.get("exception_type")
    rule = REGISTRY.by_id.get(decided["rule"]) if decided else None
    return rule.fix if rule is not None else ""


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    return [i for i in items if not (i in seen or seen.add(i))]
