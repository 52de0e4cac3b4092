"""Signals: the facts about one crash that every rule reads, computed once."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import BuiltinFunctionType, FunctionType, ModuleType
from typing import Any, Callable

from ..facts.context import CrashContext
from ..facts.evaluation_order import names_evaluated_before, names_loaded
from ..knowledge.api_changes import ApiChange, change_for_message
from ..knowledge.exception_classes import builtin_base
from ..knowledge.libraries import is_ml_library
from ..knowledge.messages import MESSAGE_LIMIT, MODULE_ATTRIBUTE, missing_module, undefined_name
from ..knowledge.modules import CONVENTIONAL_ALIASES, top_module
from ..knowledge.raise_sites import RaiseSite, SiteFamily, find_site
from ..knowledge.symbols import library_of_called, library_of_qualified, library_of_symbol
from ..record.tracebacks import Frame, ParsedTraceback


class cached_property:  # noqa: N801 - named as the functools decorator it stands for
    """``functools.cached_property`` without the lock Python 3.11 takes on every first read (a crash
    reads some twenty of these once each): the value is computed once and kept in the instance."""

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func
        self.attrname = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.attrname = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.attrname] = self.func(instance)
        return value


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DOTTED = re.compile(r"(?<![\w.])([A-Za-z_][A-Za-z0-9_]*)\s*(?=\.\s*[A-Za-z_]|\()")
_QUOTED = re.compile(r"'([^']*)'")
# A function or class called by its bare name (not a method): ``train_test_split(``.
_CALLED_NAME = re.compile(r"(?<![\w.])([A-Za-z_][A-Za-z0-9_]*)\s*\(")


@dataclass
class Signals:
    """Everything the rules look at, derived from a CrashContext."""

    ctx: CrashContext
    ename: str = ""
    evalue: str = ""
    parsed: ParsedTraceback | None = None
    notes: list[str] = field(default_factory=list)
    etype: Any = None  # the ExceptionType, once decided: root-cause rules read it
    memo: dict[str, Any] = field(default_factory=dict)  # facts one rule computes for the next ones

    @classmethod
    def from_context(cls, ctx: CrashContext) -> "Signals":
        parsed = ctx.parsed
        ename = ctx.exception_name or parsed.ename or ""
        evalue = ctx.evalue if ctx.evalue is not None else (parsed.evalue or "")
        if ctx.exc is not None and not ctx.evalue:
            evalue = parsed.evalue or ""
        evalue = _enrich_evalue(evalue, parsed)
        return cls(ctx=ctx, ename=_canonical_ename(ename, parsed), evalue=evalue, parsed=parsed)

    @cached_property
    def raise_site(self) -> tuple[SiteFamily, RaiseSite] | None:
        """The library raise site (knowledge/raise_sites.py) whose wording the message has."""
        return find_site(self.evalue)

    # -- traceback -------------------------------------------------------
    @cached_property
    def frames(self) -> tuple[Frame, ...]:
        return self.parsed.frames if self.parsed else ()

    @cached_property
    def crash_frame(self) -> Frame | None:
        return self.parsed.crash_frame if self.parsed else None

    @cached_property
    def crashing_line(self) -> str:
        line = self.parsed.crashing_line if self.parsed else None
        if not line and self.ctx.cell_source and self.crash_frame and self.crash_frame.lineno:
            lines = self.ctx.cell_source.splitlines()
            if 0 < self.crash_frame.lineno <= len(lines):
                line = lines[self.crash_frame.lineno - 1].strip()
        return line or ""

    @cached_property
    def top_user_frame(self) -> Frame | None:
        """The outermost user frame: the line of the cell the user ran."""
        users = self.parsed.user_frames if self.parsed else ()
        return users[0] if users else None

    @cached_property
    def cell_line(self) -> str:
        """The line of the cell itself (outermost user frame), which names the pipeline step."""
        frame = self.top_user_frame
        return (frame.line or "") if frame else self.crashing_line

    @cached_property
    def in_user_function(self) -> bool:
        """The crash is inside a function the user defined, not at the cell's top level."""
        frame = self.crash_frame
        return bool(frame and frame.function and frame.function not in {"<module>", "<cell line: 0>"}
                    and not frame.function.startswith("<cell line"))

    @cached_property
    def code_context(self) -> str:
        """All user code shown: the crashing cell's source when known, else the traceback's lines."""
        if self.ctx.cell_source:
            return self.ctx.cell_source
        parts: list[str] = []
        for frame in self.frames:
            if frame.is_user:
                parts.extend(frame.context or ((frame.line,) if frame.line else ()))
        return "\n".join(parts)

    @cached_property
    def libraries(self) -> tuple[str, ...]:
        """Non-stdlib libraries in the traceback, outermost first."""
        return tuple(self.parsed.libraries) if self.parsed else ()

    @cached_property
    def ml_libraries(self) -> tuple[str, ...]:
        return tuple(lib for lib in self.libraries if is_ml_library(lib))

    @cached_property
    def raising_library(self) -> str | None:
        """The innermost third-party library frame: where the error was raised."""
        frame = self.parsed.innermost_library_frame if self.parsed else None
        return frame.library if frame else None

    @cached_property
    def raised_in_library(self) -> bool:
        """The innermost frame itself is library code (not a user frame called back by it)."""
        frames = self.frames
        return bool(frames) and not frames[-1].is_user and frames[-1].library is not None

    # -- the exception -----------------------------------------------------
    @cached_property
    def low_name(self) -> str:
        """The exception's class name, lower-cased, without its module."""
        return (self.ename or "").rsplit(".", 1)[-1].lower()

    @cached_property
    def builtin_class(self) -> str:
        """The built-in exception the class is or derives from (knowledge/exception_classes.py), lower-case."""
        return builtin_base((self.ename or "").rsplit(".", 1)[-1]) or self.low_name

    @cached_property
    def qualified_name(self) -> str:
        """The exception's dotted name when the traceback shows it (``tensorflow...ResourceExhaustedError``)."""
        qualified = self.parsed.qualified_ename if self.parsed else None
        return qualified or (self.ename or "").rsplit(".", 1)[-1]

    @cached_property
    def api_change(self) -> ApiChange | None:
        """A known removal or rename of a library API that the message is about."""
        return change_for_message(self.evalue, self.message_library or self.raising_library)

    # -- names in the code -----------------------------------------------
    @cached_property
    def undefined_name(self) -> str | None:
        return undefined_name(self.evalue)

    @cached_property
    def name_uses(self) -> tuple[bool, bool]:
        """(called, decorated or subclassed; followed by an attribute) for bare uses of the undefined name."""
        called = dotted = False
        for before, token, after in _LINE_TOKEN.findall(self.crashing_line or ""):
            if token != self.undefined_name or before == ".":
                continue
            called = called or after == "(" or before == "@" or before.startswith("class")
            dotted = dotted or after == "."
        return called, dotted

    @cached_property
    def imports_alias(self) -> bool:
        """The undefined name is an alias some cell of the notebook binds with an import of a module."""
        name = self.undefined_name
        graph = self.ctx.graph
        if not name or graph is None:
            return False
        for cell in graph.definers(name):
            if name in getattr(cell.facts, "imports", {}):
                target = cell.facts.imports[name]
                return target in CONVENTIONAL_ALIASES.values() or target.islower()
        return False

    @cached_property
    def cell_imports(self) -> dict[str, str]:
        facts = self.ctx.facts
        return dict(facts.imports) if facts is not None and not facts.syntax_error else {}

    @cached_property
    def line_modules(self) -> list[str]:
        """Modules named in the crashing and cell lines through imports or conventional aliases."""
        found: list[str] = []
        for text in (self.crashing_line, self.cell_line):
            for root in _DOTTED.findall(text or ""):
                module = self.cell_imports.get(root) or CONVENTIONAL_ALIASES.get(root)
                if module and module not in found and root != self.undefined_name:
                    found.append(module)
                elif root == self.undefined_name and module and module not in found:
                    found.append(module)
        return found

    @cached_property
    def line_symbol_libraries(self) -> list[str]:
        """Libraries of the classes and functions named in the user's lines."""
        found: list[str] = []
        for text in (self.crashing_line, self.cell_line):
            for ident in _CALLED_NAME.findall(text or ""):
                distinctive = "_" in ident.strip("_") or (ident[:1].isupper() and not ident.isupper())
                lib = library_of_symbol(ident) if distinctive else None
                if lib and lib not in found:
                    found.append(lib)
        return found

    @cached_property
    def message_library(self) -> str | None:
        """A library the message names through a type ('numpy.ndarray') or class ('SVC' object)."""
        lib = library_of_qualified(self.evalue)
        if lib:
            return lib
        match = MODULE_ATTRIBUTE.search(self.evalue)
        if match:
            return top_module(match.group(1))
        match = re.search(r"cannot import name '\w+' from '([\w.]+)'", self.evalue)
        if match:
            return top_module(match.group(1))
        missing = missing_module(self.evalue)
        if missing:
            return top_module(missing)
        called = library_of_called(self.evalue)
        if called:
            return called
        for quoted in _QUOTED.findall(self.evalue)[:3]:
            lib = library_of_symbol(quoted.strip())
            if lib and quoted[:1].isupper():
                return lib
        match = re.match(r"\s*'?(\w+)'? object", self.evalue)
        if match and match.group(1)[:1].isupper():
            return library_of_symbol(match.group(1))
        return None

    @cached_property
    def line_variables(self) -> list[str]:
        """Bare variable names read on the crashing and cell lines, in order.

        The crashing line's names are those Python evaluated (``facts.evaluation_order``), in that
        order: a plain assignment target is stored, its old value takes no part; for a NameError,
        only what came before the undefined name (in ``df = clean(df)`` a missing ``clean`` never
        reads ``df``).
        """
        seen: list[str] = []
        evaluated = self._evaluated_on_crashing_line()
        for text in (self.crashing_line, self.cell_line):
            names = _BARE_NAME.findall(text or "")
            if text == self.crashing_line and evaluated is not None:
                names = [n for n in evaluated if n in names]
            for name in names:
                if name not in seen:
                    seen.append(name)
        return seen

    def _evaluated_on_crashing_line(self) -> list[str] | None:
        if not self.crashing_line:
            return None
        name = self.undefined_name
        if self.low_name == "nameerror" and name:
            return names_evaluated_before(self.crashing_line, name)
        return names_loaded(self.crashing_line)

    @cached_property
    def variable_libraries(self) -> dict[str, str]:
        """Library of each line variable: from live objects, else inferred from the notebook's code."""
        found: dict[str, str] = {}
        namespace = self.ctx.namespace
        if namespace is not None:
            for name in self.line_variables:
                library = _library_of_object(namespace.get(name, None)) if name in namespace else None
                if library:
                    found[name] = library
            return found
        sources = self._notebook_sources()
        if sources:
            from ..facts.inference import infer_origins

            origins = infer_origins(sources)
            found = {n: origins[n] for n in self.line_variables if n in origins}
        return found

    def _notebook_sources(self) -> list[str]:
        """The code that could have made the line's variables: imports and the runs binding them."""
        graph = self.ctx.graph
        if graph is None:
            return [self.ctx.cell_source] if self.ctx.cell_source else []
        wanted = set(self.line_variables)
        if graph.executions:  # indexed: asked once per crash over thousands of runs
            from .run_sources import sources_for

            return sources_for(graph, wanted)
        sources: list[str] = []
        runs = [_Run(c.cell_id, c.source) for c in graph.cells if c.kind == "code"]
        for run in runs:
            cell = graph.cell(run.cell_id)
            source = run.source or (cell.source if cell else "")
            facts = cell.facts if cell is not None else None
            if source and facts is not None and (getattr(facts, "imports", None) or wanted & set(facts.defined)):
                sources.append(source)
        return sources

    @cached_property
    def quoted(self) -> list[str]:
        return _QUOTED.findall(self.evalue)


_LINE_TOKEN = re.compile(r"(@|\bclass\s+\w+\s*\(|\.)?\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\(|\.)?")
_BARE_NAME = re.compile(r"(?<![\w.'\"])([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*=[^=])")


@dataclass(frozen=True)
class _Run:
    cell_id: str
    source: str


def _library_of_object(value) -> str | None:
    """Top-level package of a live object: its type's (``DataFrame`` -> ``pandas``); for a module, a
    class or a function, whose type is builtins' ``module``, ``type`` or ``function``, its own
    (``sns`` -> ``seaborn``, ``train_test_split`` -> ``sklearn``)."""
    module = _own_module(value)
    if module is None:
        module = getattr(type(value), "__module__", "") or ""
    if not isinstance(module, str):
        return None
    top = module.split(".", 1)[0]
    return None if top in {"builtins", "__main__", ""} else top


# Read through the builtin types' own descriptors, not ``getattr``: a user's object or metaclass may
# define ``__getattr__``, ``__module__`` or ``__class__`` to raise.
_OWN_MODULE = ((ModuleType, lambda v: ModuleType.__dict__["__dict__"].__get__(v).get("__name__", "")),
               (type, type.__dict__["__module__"].__get__),
               (FunctionType, FunctionType.__dict__["__module__"].__get__),
               (BuiltinFunctionType, BuiltinFunctionType.__dict__["__module__"].__get__))


def _own_module(value) -> object | None:
    kind = type(value)
    for base, read in _OWN_MODULE:
        if issubclass(kind, base):
            try:
                return read(value)
            except Exception:  # noqa: BLE001 - a broken class: no library from it
                return ""
    return None


def _canonical_ename(ename: str, parsed: ParsedTraceback | None) -> str:
    """Study data lower-cases names; prefer the traceback's spelling when it matches."""
    if parsed and parsed.ename and parsed.ename.lower() == ename.lower():
        return parsed.ename
    return ename.rsplit(".", 1)[-1] if ename else (parsed.ename if parsed and parsed.ename else "")


def _enrich_evalue(evalue: str, parsed: ParsedTraceback | None) -> str:
    """An empty or 'ignored' value gets the traceback's own message; long ones are cut."""
    if (not evalue or evalue.strip().lower() == "ignored") and parsed and parsed.evalue:
        evalue = parsed.evalue
    elif _continued_in_traceback(evalue, parsed):
        evalue = parsed.evalue  # a record cut to the first line: the traceback keeps the details
    evalue = _op_message_first(evalue or "")
    if len(evalue) > MESSAGE_LIMIT:
        evalue = f"{evalue[:MESSAGE_LIMIT]}… [{len(evalue) - MESSAGE_LIMIT} more characters]"
    return evalue


_NODE_LINE = re.compile(r"^Node: '[^'\n]*'\n")
_LAST_NODE_LINE = re.compile(r"^Node: '[^'\n]*'\n", re.M)


def _op_message_first(evalue: str) -> str:
    """TensorFlow's "Graph execution error" with the op's own message moved to the front.

    tensorflow/python/eager/execute.py raises it with the node's Python stack first ("Detected at
    node ... defined at (most recent call last)") and the op's message last, just before
    "[[{{node"; the stack can outrun what the rules read, the op's message says what failed. Before
    Keras 3 (TensorFlow 2.9-2.12) a "Node: '...'" line follows the stack with no blank line between:
    the op's message is what follows the last such line. A cut that would still start with the stack
    ("Detected at node") leaves the message as it is.
    """
    if not evalue.lstrip().lower().startswith("graph execution error"):
        return evalue
    end = evalue.find("[[{{node")
    head = evalue[:end if end >= 0 else len(evalue)].rstrip()
    nodes = list(_LAST_NODE_LINE.finditer(head + "\n"))
    if nodes:
        op_message = (head + "\n")[nodes[-1].end():].strip()
    else:
        start = head.rfind("\n\n")
        if start < 0:
            return evalue
        op_message = _NODE_LINE.sub("", head[start:].strip())
    if op_message.lower().startswith("detected at node"):
        return evalue
    return f"{op_message}\n\n{evalue}" if op_message else evalue


def _continued_in_traceback(evalue: str, parsed: ParsedTraceback | None) -> bool:
    """The traceback's message is this one with more lines (a header such as 'Error(s) in ...:')."""
    full = parsed.evalue if parsed else None
    head = evalue.rstrip()
    return bool(full and head and len(full) > len(head) + 1 and "\n" in full and full.startswith(head)
                and "Traceback (most recent call last)" not in full)  # not a remote worker's own traceback

