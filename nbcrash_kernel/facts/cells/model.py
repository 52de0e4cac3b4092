"""A cell's facts as the rest of nbcrash reads them: :class:`CellFacts` and the :class:`Call`s in it."""
from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import Mapping, NamedTuple


class Call(NamedTuple):
    """One call in a cell, as written and as resolved through the cell's imports.

    A named tuple, not a frozen dataclass: a cell makes one per call, and this is 4x cheaper.
    """

    func: str
    qualname: str | None
    receiver: str | None
    lineno: int
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class CellFacts:
    """What one cell binds, reads, deletes, imports, calls and mutates (see module docstring).

    ``used`` holds free names: read from the namespace before the cell binds them, including
    global reads inside function bodies defined in the cell (``deferred_used`` is the subset read
    only there, i.e. only when the function is called). ``del x`` both reads and deletes ``x``.
    Column facts are keyed by the variable subscripted; whether that variable is a DataFrame is
    not known here (see :mod:`nbcrash_kernel.facts.inference`).
    """

    source: str
    defined: frozenset[str] = frozenset()
    used: frozenset[str] = frozenset()
    deleted: frozenset[str] = frozenset()
    imports: Mapping[str, str] = field(default_factory=dict)
    star_imports: tuple[str, ...] = ()
    columns_written: Mapping[str, frozenset[str]] = field(default_factory=dict)
    columns_read: Mapping[str, frozenset[str]] = field(default_factory=dict)
    columns_dropped: Mapping[str, frozenset[str]] = field(default_factory=dict)
    mutated: frozenset[str] = frozenset()
    calls: tuple[Call, ...] = ()
    functions: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    magics: tuple[str, ...] = ()
    def_lines: Mapping[str, int] = field(default_factory=dict)
    use_lines: Mapping[str, int] = field(default_factory=dict)
    syntax_error: str | None = None
    error_lineno: int | None = None
    deferred_used: frozenset[str] = frozenset()
    python_source: str = ""

    def __hash__(self) -> int:  # the facts are a function of the source
        return hash(self.source)

    def defines_before(self, name: str, lineno: int) -> bool:
        """True when the cell binds ``name`` at cell scope on a line before ``lineno``."""
        line = self.def_lines.get(name)
        return line is not None and line < lineno

    @property
    def parsed(self) -> bool:
        """True when the cell's (transformed) source parsed."""
        return self.syntax_error is None

    @classmethod
    def built(cls, **given: object) -> "CellFacts":
        """``CellFacts(**given)``, the same value, built four times faster.

        A frozen dataclass sets each of its 20 fields through ``object.__setattr__``; the
        audit builds the facts of every cell of a corpus, so here the fields are set at once.
        """
        facts = object.__new__(cls)
        values = facts.__dict__
        values.update(_DEFAULTS)
        for name in _FACTORIES:
            values[name] = {}
        values.update(given)
        if "source" not in given or len(values) != len(_FIELD_NAMES):
            raise TypeError(f"CellFacts fields: {sorted(set(given) - _FIELD_NAMES) or 'source missing'}")
        return facts


_FIELD_NAMES = frozenset(f.name for f in fields(CellFacts))
_DEFAULTS = {f.name: f.default for f in fields(CellFacts) if f.default is not MISSING}
_FACTORIES = tuple(f.name for f in fields(CellFacts) if f.default_factory is dict)
assert len(_DEFAULTS) + len(_FACTORIES) == len(_FIELD_NAMES) - 1  # all but ``source``
