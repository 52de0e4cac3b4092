"""IPython syntax to Python with line numbers kept aligned, and the parse that goes with it.

``%magic``, ``%%cell magic``, ``!shell`` and ``x?`` go through IPython's own input transformer;
a line such as ``cd data`` (automagic: a magic called without ``%``) is rewritten as the magic
call when the cell does not parse otherwise.
"""
from __future__ import annotations

import ast
import re
import warnings

# IPython's syntax tables, read by the full transform here and by the lean facts (``lean.py``),
# which blank such lines instead of transforming them. A line is IPython syntax when it starts
# with an escape (``%magic``, ``!shell``, ``?help``), ends with a help mark (``obj?``, ``obj??``)
# or assigns an escape (``x = %magic``, ``files = !ls``).
ESCAPE = r"[ \t]*[%!?]"
ESCAPE_START = "^" + ESCAPE
HELP_END = r"\?[ \t]*$"
ASSIGNED_ESCAPE = r"=[ \t]*[%!]"
LINE_SYNTAX = re.compile(f"{ESCAPE_START}|{HELP_END}|{ASSIGNED_ESCAPE}")
# Prompts pasted with the code (doctest ``>>>``, IPython ``In [1]:``), which the transformer strips.
PROMPT_START = r"^[ \t]*(?:>>>|In \[)"
PROMPT = re.compile(f"(?m){PROMPT_START}")
IPYTHON_SYNTAX = re.compile(f"(?m){ESCAPE_START}|{HELP_END}|{ASSIGNED_ESCAPE}|{PROMPT_START}")
CELL_MAGIC = re.compile(r"[ \t]*%%([A-Za-z_][\w.]*)[ \t]*(.*)")
# Cell magics whose body is Python run in the user's namespace.
PYTHON_BODY_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "memit", "mprun", "snakeviz", "px"}
)

_transformer = None


def _transformer_manager():
    global _transformer
    if _transformer is None:
        from .ipython_transformer import transformer_manager_class

        _transformer = transformer_manager_class()()
    return _transformer


def _may_have_ipython_syntax(source: str) -> bool:
    """A substring pre-check (much cheaper than the regex) for what IPython syntax needs."""
    return "%" in source or "!" in source or "?" in source or ">>>" in source or "In [" in source


def transform_ipython(source: str) -> str:
    """Turn IPython syntax (``%magic``, ``%%cell magic``, ``!shell``, ``x?``) into Python.

    Uses IPython's ``TransformerManager``; line *n* of the result comes from line *n* of
    ``source``. Cell magics whose body is Python (``%%time``, ``%%capture``...) keep their body
    as code after a one-line ``run_cell_magic`` call; other cell magics become IPython's single
    call padded with blank lines. Never raises: on failure the source is returned unchanged.
    """
    try:
        if not isinstance(source, str):
            return ""
        if not _may_have_ipython_syntax(source) or not IPYTHON_SYNTAX.search(source):
            return source
        return _transform_aligned(source)
    except Exception:
        return source


def _transform_aligned(source: str) -> str:
    lines = source.splitlines()
    if not lines:
        return source
    return "\n".join(_transform_block(lines)) + "\n"


def _transform_block(lines: list[str]) -> list[str]:
    """A cell's lines, or a Python cell magic's body (which may start with a cell magic)."""
    leading = 0  # IPython drops leading blank lines: keep them out of its way
    while leading < len(lines) and not lines[leading].strip():
        leading += 1
    body = lines[leading:]
    if not body:
        return list(lines)
    magic = CELL_MAGIC.fullmatch(body[0])
    out = _transform_cell_magic(magic.group(1), magic.group(2), body) if magic else _transform_lines(body)
    return [""] * leading + out


def _transform_cell_magic(name: str, args: str, lines: list[str]) -> list[str]:
    if name in PYTHON_BODY_CELL_MAGICS:
        call = f"get_ipython().run_cell_magic({name!r}, {args.strip()!r}, '')"
        return [call] + _transform_block(lines[1:])
    out = _transformer_manager().transform_cell("\n".join(lines) + "\n").splitlines()
    return out[: len(lines)] + [""] * (len(lines) - len(out))


def _transform_lines(lines: list[str]) -> list[str]:
    text = "\n".join(lines) + "\n"
    if not IPYTHON_SYNTAX.search(text):
        return list(lines)
    if not PROMPT.search(text):
        quick = _transform_each_line(lines)
        if quick is not None and _parse_quietly("\n".join(quick) + "\n") is not None:
            return quick
    out = _transformer_manager().transform_cell(text).splitlines()
    if len(out) == len(lines):
        return out
    return _realign(lines, out)


def _transform_each_line(lines: list[str]) -> list[str] | None:
    """Transform only the lines that look like IPython syntax, one at a time.

    IPython's whole-cell transform re-tokenizes the whole cell once per magic (about 10 ms for
    a 100-line cell); this costs one small transform per magic line. The caller keeps the result
    only if it parses (a continued magic line or a magic inside brackets does not)."""
    manager = _transformer_manager()
    out = list(lines)
    for index, line in enumerate(lines):
        if not LINE_SYNTAX.search(line):
            continue
        stripped = line.lstrip(" \t")
        transformed = manager.transform_cell(stripped + "\n").splitlines()
        if len(transformed) != 1:
            return None
        out[index] = line[: len(line) - len(stripped)] + transformed[0]
    return out


# The trees of the last few parses, by text: the analysis parses a transformed cell once, and
# inference (``facts.cell_code``) reads the trees of the cells the audit just analysed in full.
_RECENT_TREES: dict[str, ast.Module] = {}
_MAX_RECENT_TREES = 32


def recent_tree(text: str) -> ast.Module | None:
    """The tree of ``text`` when it was one of the last few parsed here (never changed by readers)."""
    return _RECENT_TREES.get(text)


def _remember(text: str, tree: ast.Module) -> ast.Module:
    if len(_RECENT_TREES) >= _MAX_RECENT_TREES:
        del _RECENT_TREES[next(iter(_RECENT_TREES))]
    _RECENT_TREES[text] = tree
    return tree


def _parse_quietly(text: str) -> ast.Module | None:
    try:
        with warnings.catch_warnings():  # the user's invalid escapes are not our warnings
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None
    return _remember(text, tree)


def _realign(original: list[str], transformed: list[str]) -> list[str]:
    """Put line numbers back where IPython folded a backslash-continued magic into one line."""
    aligned: list[str] = []
    i = j = 0
    while i < len(original) and j < len(transformed):
        aligned.append(transformed[j])
        deficit = (len(original) - i) - (len(transformed) - j)
        folded = 1
        if original[i] != transformed[j]:
            while deficit > 0 and original[i + folded - 1].endswith("\\") and i + folded < len(original):
                folded += 1
                deficit -= 1
        aligned.extend([""] * (folded - 1))
        i += folded
        j += 1
    if j < len(transformed):  # more lines than the original: keep them on the last line
        aligned[-1:] = [" ".join(aligned[-1:] + transformed[j:])]
    return aligned + [""] * (len(original) - len(aligned))


AUTOMAGICS = frozenset("""
cd ls ll pwd pip conda mamba env load_ext reload_ext unload_ext matplotlib pylab time timeit who
whos who_ls reset reset_selective run history mkdir rmdir cat cp mv rm less man clear config
store autoreload aimport tensorflow_version bookmark pdb debug prun precision xmode alias
unalias sx sc system edit load save logstart psearch dhist dirs popd pushd page colors
lsmagic magic killbgscripts doctest_mode gui recall rerun macro pycat automagic autocall
""".split())
_AUTOMAGIC_LINE = re.compile(r"([ \t]*)([A-Za-z_]\w*)(?:[ \t]+([^=(\[.].*))?[ \t]*")
_MAX_AUTOMAGIC_REWRITES = 20


def parse_with_automagic(python_source: str) -> tuple[ast.Module, str]:
    """Parse; on a syntax error at a line such as ``cd data`` or ``pip install x`` (IPython's
    automagic: a magic called without ``%``), rewrite that line as the magic call and retry."""
    known = _RECENT_TREES.get(python_source)
    if known is not None:
        return known, python_source
    for _ in range(_MAX_AUTOMAGIC_REWRITES):
        try:
            with warnings.catch_warnings():  # the user's invalid escapes are not our warnings
                warnings.simplefilter("ignore")
                return _remember(python_source, ast.parse(python_source)), python_source
        except SyntaxError as error:
            lines = python_source.split("\n")
            index = (error.lineno or 0) - 1
            match = _AUTOMAGIC_LINE.fullmatch(lines[index]) if 0 <= index < len(lines) else None
            if match is None or match.group(2) not in AUTOMAGICS:
                raise
            indent, name, args = match.group(1), match.group(2), match.group(3) or ""
            lines[index] = f"{indent}get_ipython().run_line_magic({name!r}, {args.strip()!r})"
            python_source = "\n".join(lines)
    return ast.parse(python_source), python_source
