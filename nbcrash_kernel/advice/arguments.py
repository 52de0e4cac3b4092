"""Calls that do not match the callee: keyword typos, missing and extra arguments.

Facts used:
- CPython's argument errors (``Python/ceval.c``, ``Python/getargs.c``): "f() got an
  unexpected keyword argument 'x'", "f() missing 1 required positional argument: 'y'",
  "f() takes 2 positional arguments but 3 were given", "got multiple values for argument".
  Since 3.10 the function is named by its ``__qualname__`` (``A.f()``).
- ``inspect.signature`` gives the callee's parameters (classes: their ``__init__``).
- A method receives the instance as its first positional argument; a ``def`` inside a
  class without ``self`` takes one positional argument fewer than the call gives.
"""
from __future__ import annotations

import inspect
import re

from .evidence import MISSING, Advice, Evidence
from .similar import closest, suggestion_in_text

_UNEXPECTED = re.compile(r"(?:([\w.<>]+)\(\) )?got an unexpected keyword argument '(\w+)'")
_MISSING_ARGS = re.compile(r"([\w.<>]+)\(\) missing (\d+) required (?:positional|keyword-only) arguments?: (.+)")
_TOO_MANY = re.compile(r"([\w.<>]+)\(\) takes (?:from \d+ to )?(\d+) positional arguments? but (\d+) (?:was|were) given")
_MULTIPLE = re.compile(r"([\w.<>]+)\(\) got multiple values for argument '(\w+)'")


def advise_arguments(evidence: Evidence) -> Advice | None:
    text = evidence.evalue
    for pattern, advise in ((_UNEXPECTED, _unexpected), (_MISSING_ARGS, _missing), (_TOO_MANY, _too_many),
                            (_MULTIPLE, _multiple)):
        match = pattern.search(text)
        if match:
            return advise(evidence, match)
    return None


def _unexpected(evidence: Evidence, match: re.Match) -> Advice:
    callee_name, keyword = match.groups()
    callee = _callee(evidence, callee_name, keyword)
    signature = _signature(callee)
    floor = suggestion_in_text(evidence.traceback_text)
    advice = Advice()
    if signature is not None:
        parameters = [p for p in signature.parameters if p not in ("self", "args", "kwargs")]
        near = floor or closest(keyword, parameters)
        label = _label(callee, callee_name)
        if near:
            advice.fixes.append(f"Did you mean `{near}=`? (`{label}` has no parameter `{keyword}`)")
        else:
            advice.fixes.append(f"Remove `{keyword}=`: `{label}` accepts {_shown(parameters)}.")
        advice.evidence.append(f"signature: `{label}{_short(signature)}`")
    elif floor:
        advice.fixes.append(f"Did you mean `{floor}=`?")
    else:
        advice.fixes.append(f"Remove or rename `{keyword}=`: check the parameters with `help({_short_name(callee_name)})`.")
    return advice


def _missing(evidence: Evidence, match: re.Match) -> Advice:
    function, count, names = match.groups()
    listed = ", ".join(f"`{n}`" for n in re.findall(r"'(\w+)'", names))
    callee = _callee(evidence, function, None)
    signature = _signature(callee)
    shown = f" (signature: `{_label(callee, function)}{_short(signature)}`)" if signature is not None else ""
    if "self" in names:
        return Advice(fixes=[f"Call `{function.split('.')[0]}` on an instance: create it first "
                             f"(`obj = {function.split('.')[0]}(...)`, then `obj.{function.split('.')[-1]}(...)`)."])
    return Advice(fixes=[f"Pass {listed} to `{function}()`: it requires {count} more argument"
                         f"{'s' if count != '1' else ''}{shown}."])


def _too_many(evidence: Evidence, match: re.Match) -> Advice:
    function, takes, given = match.groups()
    callee = _callee(evidence, function, None)
    signature = _signature(callee)
    method_without_self = ("." in function and "<locals>" not in function and int(given) == int(takes) + 1
                           and (signature is None or "self" not in signature.parameters))
    if method_without_self and _called_as_method(evidence, function):
        return Advice(fixes=[f"Add `self` as the first parameter of `{function.split('.')[-1]}()`: "
                             "a method receives the instance as its first argument."])
    shown = f" (signature: `{_label(callee, function)}{_short(signature)}`)" if signature is not None else ""
    return Advice(fixes=[f"Call `{function}()` with {takes} positional argument{'s' if takes != '1' else ''}, "
                         f"not {given}; pass the others by keyword or drop them{shown}."])


def _multiple(evidence: Evidence, match: re.Match) -> Advice:
    function, name = match.groups()
    return Advice(fixes=[f"Pass `{name}` once to `{function}()`: it is given both by position and as `{name}=`."])


def _called_as_method(evidence: Evidence, function: str) -> bool:
    method = function.split(".")[-1]
    return not evidence.line or re.search(r"\." + re.escape(method) + r"\s*\(", evidence.line) is not None


def _callee(evidence: Evidence, name: str | None, keyword: str | None):
    """The callable on the failing line: the one called with ``keyword=``, else by its name."""
    if not evidence.line:
        return None
    dotted = None
    if keyword:
        match = re.search(r"([A-Za-z_][\w.]*)\s*\((?:[^()]|\([^()]*\))*\b" + re.escape(keyword) + r"\s*=", evidence.line)
        dotted = match.group(1) if match else None
    if dotted is None and name:
        short = name.split(".")[-1].replace("__init__", name.split(".")[0] if "." in name else "")
        match = re.search(r"([A-Za-z_][\w.]*\b" + re.escape(short) + r")\s*\(", evidence.line) if short else None
        dotted = match.group(1) if match else None
    value = evidence.resolve(dotted) if dotted else MISSING
    if (value is MISSING or not callable(value)) and name:
        value = _by_qualname(evidence, name)
    return value if value is not MISSING and callable(value) else None


def _by_qualname(evidence: Evidence, qualname: str):
    """``DataFrame.sort_values`` found through a name or a module in the namespace (``pd.DataFrame``)."""
    import types

    first, *rest = qualname.replace(".__init__", "").split(".")
    if "<" in qualname:
        return MISSING
    value = evidence.lookup(first)
    if value is MISSING and evidence.namespace is not None:
        for candidate in list(evidence.namespace.values())[:2000]:
            if isinstance(candidate, types.ModuleType) and isinstance(getattr(candidate, first, None), type):
                value = getattr(candidate, first)
                break
    for part in rest:
        if value is MISSING:
            break
        value = getattr(value, part, MISSING)
    return value


def _signature(callee):
    if callee is None:
        return None
    try:
        return inspect.signature(callee)
    except (TypeError, ValueError):
        return None


def _label(callee, fallback: str | None) -> str:
    return getattr(callee, "__qualname__", None) or getattr(callee, "__name__", None) or fallback or "the function"


def _short(signature) -> str:
    text = str(signature) if signature is not None else "(...)"
    return text if len(text) <= 160 else text[:159] + "…"


def _short_name(name: str | None) -> str:
    return (name or "the function").split(".")[0]


def _shown(parameters: list[str]) -> str:
    if not parameters:
        return "no keyword arguments"
    return ", ".join(f"`{p}`" for p in parameters[:12]) + (" …" if len(parameters) > 12 else "")


