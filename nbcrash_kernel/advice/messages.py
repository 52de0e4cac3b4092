"""Message families of plain Python errors, each with the fix it calls for.

Every row names where the message text comes from (CPython's ``Objects/*.c``,
``Python/*.c``, ``Modules/*.c`` as of 3.11-3.13), so a row states a fact about
Python, not a sample. A row's fix is a template over the message's groups; a few
rows look at the failing line or the live values (``line_fixes``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .evidence import MISSING, Advice, Evidence


@dataclass(frozen=True)
class Family:
    enames: tuple[str, ...]        # exception names it applies to ('*' for any)
    pattern: re.Pattern[str]
    fix: str | Callable[[re.Match, Evidence], Advice | str | None]
    source: str
    verdict: str | None = None     # one sentence, when the family alone says what happened


def _f(enames: str, pattern: str, fix, source: str, verdict: str | None = None) -> Family:
    return Family(tuple(enames.split()), re.compile(pattern, re.S), fix, source, verdict)


# ---- fixes that need more than the message ----------------------------------------------------

_LITERAL_CALL = re.compile(r"(?:(?<![\w.])\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|[)\]}'\"])\s*\(")


def _not_callable(match: re.Match, evidence: Evidence) -> Advice:
    kind = match.group(1)
    line = evidence.line
    literal = _LITERAL_CALL.search(line) if line else None
    if literal and kind in ("int", "float", "complex", "str", "tuple", "list", "dict", "set"):
        paren = literal.end() - 1
        fixed = f"{line[:paren].rstrip()} * {line[paren:]}"
        return Advice(fixes=[f"Add the missing operator: `{fixed}` (Python has no implicit multiplication; "
                             f"{_article(kind)} {kind} followed by `(` is a call)."],
                      verdict=f"{_article(kind).capitalize()} {kind} value is followed by `(`, so Python calls it: an operator "
                              "(such as `*`) is missing before the parenthesis.",
                      root_cause=("IMPL", "typo"))
    callee = _callee_name(line)
    if callee and callee in __builtins_names():
        return Advice(verdict=f"`{callee}` now holds a {kind}, which hides the built-in function of that name.", fixes=[f"`{callee}` was assigned a {kind}, hiding the built-in `{callee}()`: rename that "
                             f"variable and run `del {callee}` to get the built-in back."])
    if kind == "module":
        return Advice(fixes=[f"Call the function or class inside the module, e.g. `{callee}.{callee}(...)`, "
                             f"or import it with `from {callee} import {callee}`." if callee else
                             "Call the function or class inside the module (`from module import name`), not the module."])
    if kind in ("DataFrame", "Series"):
        return Advice(fixes=["Index with square brackets: `df['col']`, not `df('col')`."])
    if callee:
        return Advice(verdict=f"`{callee}` holds a {kind}, which cannot be called like a function.",
                      fixes=[f"`{callee}` holds a {kind}, not a function: use another name for the value, "
                             f"or index it with `[...]` if that was meant."])
    return Advice(fixes=[f"A {kind} is called with `(...)`: use `[...]` to index it, or add the missing operator."])


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def __builtins_names() -> set[str]:
    import builtins

    return set(dir(builtins))


def _callee_name(line: str) -> str | None:
    match = re.search(r"([A-Za-z_]\w*)\s*\(", line or "")
    return match.group(1) if match else None


def _operand_types(match: re.Match, evidence: Evidence) -> str:
    op, left, right = match.group(1), match.group(2), match.group(3)
    kinds = {left, right}
    if "NoneType" in kinds:
        return f"One operand of `{op}` is `None`: find the value that is None (a function without `return`?)."
    if "str" in kinds and kinds & {"int", "float"}:
        return (f"Convert before `{op}`: `int(s)`/`float(s)` for arithmetic, or `str(n)` (or an f-string "
                f"`f'{{s}}{{n}}'`) to build text.")
    if "list" in kinds and kinds & {"int", "float"}:
        return f"Lists do not do arithmetic: use `np.array(values) {op} n`, or `[v {op} n for v in values]`."
    return f"Convert one operand so both are the same kind before `{op}` (`{left}` and `{right}` do not combine)."


def _unpack(match: re.Match, evidence: Evidence) -> str:
    text = match.group(0)
    numbers = re.findall(r"\d+", text)
    if "for " in evidence.line and ".items()" not in evidence.line and "in " in evidence.line:
        loop = " When looping over a dict for key and value, iterate over `.items()`."
    else:
        loop = ""
    if text.startswith("not enough"):
        return (f"The right side has {numbers[1] if len(numbers) > 1 else 'fewer'} values but {numbers[0]} names "
                f"receive them: use as many names as values, or `a, *rest = …`.{loop}")
    return (f"The right side has more values than the {numbers[0] if numbers else ''} names: add names, or "
            f"collect the rest with `a, b, *rest = …`.{loop}")


def _int_literal(match: re.Match, evidence: Evidence) -> str:
    text = match.group(2)
    body = text.strip("'\"")
    if re.fullmatch(r"\s*[-+]?\d*\.\d+\s*|\s*[-+]?\d+\.\d*\s*", body):
        return f"`{text}` is a decimal: convert with `int(float({text}))`, or `float({text})`."
    if body.strip() != body:
        return f"Strip the spaces first: `int({text}.strip())`."
    if body == "":
        return "The text is empty: skip or fill empty values before converting (e.g. `int(s) if s else 0`)."
    return (f"`{text}` is not a number: clean the text first, or convert a column with "
            "`pd.to_numeric(col, errors='coerce')`.")


def _float_literal(match: re.Match, evidence: Evidence) -> str:
    text = match.group(1)
    if "," in text:
        return f"Remove the thousands separator first: `float({text}.replace(',', ''))`."
    return (f"`{text}` is not a number: clean the text, or convert a column with "
            "`pd.to_numeric(col, errors='coerce')` (non-numbers become NaN).")


def _index_range(match: re.Match, evidence: Evidence) -> str:
    kind = match.group(1)
    sequence = _subscripted(evidence)
    size = ""
    if sequence is not None:
        value = evidence.lookup(sequence)
        try:
            size = f" `{sequence}` has {len(value)} item{'s' if len(value) != 1 else ''}, so the valid indices are 0 to {len(value) - 1}." if value is not MISSING else ""
        except Exception:  # noqa: BLE001
            size = ""
    return (f"The index is past the end of the {kind}.{size} Loop with `for item in seq` or "
            "`range(len(seq))`, and check `len(seq)` before indexing.")


def _subscripted(evidence: Evidence) -> str | None:
    match = re.search(r"([A-Za-z_]\w*)\s*\[", evidence.line or "")
    return match.group(1) if match else None


def _numpy_bounds(match: re.Match, evidence: Evidence) -> str:
    index, axis, size = match.groups()
    return (f"Axis {axis} has size {size}, so its valid indices are 0 to {int(size) - 1} "
            f"(or -{size} to -1); index {index} is outside.")


# ---- the table --------------------------------------------------------------------------------

FAMILIES: tuple[Family, ...] = (
    # TypeError
    _f("TypeError", r"'(\w+)' object is not callable", _not_callable, "Objects/call.c _PyObject_MakeTpCall"),
    _f("TypeError", r"unsupported operand type\(s\) for ([^:]+): '(\w+)' and '(\w+)'", _operand_types,
       "Objects/abstract.c binop_type_error"),
    _f("TypeError", r"can only concatenate str \(not \"(\w+)\"\) to str",
       "Convert the {0} to text first: `str(value)`, or use an f-string `f'...{{value}}'`.", "Objects/unicodeobject.c"),
    _f("TypeError", r"can only concatenate list \(not \"(\w+)\"\) to list",
       "Wrap the {0} in a list (`lst + [value]`) or use `lst.append(value)`.", "Objects/listobject.c list_concat"),
    _f("TypeError", r"can only concatenate tuple \(not \"(\w+)\"\) to tuple",
       "Make a one-element tuple: `t + (value,)`.", "Objects/tupleobject.c"),
    _f("TypeError", r"'NoneType' object is not (?:subscriptable|iterable)",
       "The value is `None`: find where it was assigned (a function without `return`, or an in-place method "
       "such as `list.sort()` whose result was kept).", "Objects/abstract.c"),
    _f("TypeError", r"'(?:function|method|builtin_function_or_method)' object is not subscriptable",
       "Call the function with `(...)`, not `[...]`; or index its result: `f(x)[i]`.", "Objects/abstract.c"),
    _f("TypeError", r"'(int|float|bool)' object is not subscriptable",
       "The value is a number ({0}), not a list or dict: index the container that holds it, not the number.",
       "Objects/abstract.c PyObject_GetItem"),
    _f("TypeError", r"'type' object is not subscriptable",
       "Call the class with `(...)`, or index an instance of it, not the class itself.", "Objects/abstract.c"),
    _f("TypeError", r"'(\w+)' object is not subscriptable",
       "A {0} cannot be indexed with `[...]`: convert it (`list(x)`) or use its methods.", "Objects/abstract.c"),
    _f("TypeError", r"'(?:method|function|builtin_function_or_method)' object is not iterable",
       "Call it first: add `()` (e.g. `d.items()`, `f()`), then iterate over the result.", "Objects/abstract.c"),
    _f("TypeError", r"argument of type '(\w+)' is not iterable",
       "`in` needs a container on its right: a {0} is not one (compare with `==`, or test the list/str/dict).",
       "Objects/abstract.c PySequence_Contains"),
    _f("TypeError", r"'(\w+)' object cannot be interpreted as an integer",
       "Pass an int: convert with `int(x)` (e.g. `range(int(n))`); a {0} is not accepted.", "Objects/abstract.c PyNumber_Index"),
    _f("TypeError", r"not all arguments converted during string formatting",
       "The `%` format has fewer placeholders than values (or `%` was meant as modulo on a str): use an f-string "
       "`f'{{a}} {{b}}'`, or convert the text to a number first.", "Objects/unicodeobject.c PyUnicode_Format"),
    _f("TypeError", r"sequence item (\d+): expected str instance, (\w+) found",
       "`str.join` takes text only: convert the items, `', '.join(map(str, items))`.", "Objects/stringlib/join.h"),
    _f("TypeError", r"bad operand type for unary ([-+~]): '(\w+)'",
       "Convert the {1} to a number before applying `{0}` (`-float(x)`).", "Objects/abstract.c"),
    _f("TypeError", r"object of type '(?:generator|map|filter|zip)' has no len\(\)",
       "An iterator has no length: make a list first, `len(list(it))` (it is consumed once).", "Objects/abstract.c"),
    _f("TypeError", r"'(int|float)' object is not iterable",
       "Loop over `range(n)` to repeat n times; a single {0} cannot be iterated.", "Objects/abstract.c PyObject_GetIter"),
    _f("TypeError", r"cannot unpack non-iterable (\w+) object",
       "The right side is one {0}, not a sequence: return or assign a tuple to unpack it.", "Python/ceval.c"),
    _f("TypeError", r"'(\w+)' object is not iterable",
       "A {0} cannot be looped over: iterate over a list, `range(...)`, or `.items()` of a dict.", "Objects/abstract.c"),
    _f("TypeError", r"unhashable type: '(list|dict|set|ndarray|Series|DataFrame)'",
       "A {0} cannot be a dict key or set member: use a tuple (`tuple(x)`), a frozenset, or a string key.",
       "Objects/object.c PyObject_HashNotImplemented"),
    _f("TypeError", r"unhashable type: '(\w+)'",
       "A {0} cannot be a dict key or set member: use an immutable value (tuple, str, int).", "Objects/object.c"),
    _f("TypeError", r"'(str|tuple)' object does not support item assignment",
       "A {0} cannot be changed in place: build a new one (`s[:i] + c + s[i+1:]`), or convert to a list first.",
       "Objects/abstract.c PyObject_SetItem"),
    _f("TypeError", r"'(\w+)' object does not support item assignment",
       "A {0} cannot be assigned by index: use a list or dict, or its own update method.", "Objects/abstract.c"),
    _f("TypeError", r"'([<>=!]+)' not supported between instances of '(\w+)' and '(\w+)'",
       "Convert to one type before comparing (`int(s)`, `float(s)` or `str(n)`): a {1} and a {2} do not compare with `{0}`.",
       "Objects/object.c do_richcompare"),
    _f("TypeError", r"object of type '(\w+)' has no len\(\)",
       "A {0} has no length: call `len()` on the container, or `len(str(n))` for the digits of a number.",
       "Objects/abstract.c PyObject_Size"),
    _f("TypeError", r"(list|tuple) indices must be integers or slices, not (\w+)",
       "Index the {0} with an integer: `int(i)`, `i // 2` instead of `i / 2`; to look up by name use a dict.",
       "Objects/listobject.c list_subscript"),
    _f("TypeError", r"string indices must be integers",
       "The value is a str, not a dict or list: parse it first (`json.loads(s)`), or index the real container.",
       "Objects/unicodeobject.c unicode_subscript"),
    _f("TypeError", r"can't multiply sequence by non-int of type '(\w+)'",
       "A list or str repeats only by an int: convert the values to numbers first (`np.array(values) * x`, "
       "`float(s) * x`).", "Objects/abstract.c sequence_repeat"),
    _f("TypeError", r"(\w+)\(\) takes no arguments",
       "`{0}` has no `__init__` that takes them: check the spelling `__init__` (two underscores each side).",
       "Objects/typeobject.c object_init"),
    _f("TypeError", r"(int|float)\(\) argument must be a string(?:,| or) .*not '(\w+)'",
       "`{0}()` converts one value, not a {1}: convert each element (`[{0}(v) for v in values]`, `arr.astype({0})`).",
       "Objects/longobject.c, Objects/floatobject.c"),
    _f("TypeError", r"'(\w+)' object is not an iterator",
       "Call `iter(x)` first, or use `next(iter(x))`: a {0} is iterable but not an iterator.", "Python/bltinmodule.c builtin_next"),
    _f("TypeError", r"descriptor '(\w+)' (?:of|for) '(\w+)' object needs an argument",
       "Call `{0}` on a {1} value (`value.{0}()`), not on the class.", "Objects/descrobject.c"),
    _f("TypeError", r"must be (\w+), not (\w+)",
       "Pass a {0} here, not a {1}: convert the value (`{0}(value)`).", "Python/getargs.c"),
    _f("TypeError", r"__init__\(\) should return None",
       "Remove the `return` value from `__init__`: it must return None.", "Objects/typeobject.c slot_tp_init"),
    # ValueError
    _f("ValueError", r"(?:not enough|too many) values to unpack[^\n]*", _unpack, "Python/ceval.c unpack_iterable"),
    _f("ValueError", r"invalid literal for int\(\) with base (\d+): ('.*')", _int_literal,
       "Objects/longobject.c PyLong_FromString"),
    _f("ValueError", r"could not convert string to float: ('.*')", _float_literal,
       "Objects/floatobject.c PyFloat_FromString"),
    _f("ValueError", r"math domain error",
       "An argument is outside the function's domain (`sqrt`/`log` of a negative number, `log(0)`, "
       "`acos` outside [-1, 1]): check the value first, or use `cmath` for complex results.",
       "Modules/mathmodule.c math_error"),
    _f("ValueError", r"list\.remove\(x\): x not in list",
       "Check first: `if x in lst: lst.remove(x)`.", "Objects/listobject.c list_remove"),
    _f("ValueError", r"\A(.+) is not in list",  # anchored: same match, not quadratic
       "Check first: `lst.index(x) if x in lst else -1`.", "Objects/listobject.c list_index"),
    _f("ValueError", r"substring not found",
       "Use `s.find(sub)` (it returns -1 instead of raising), or check `sub in s` first.", "Objects/unicodeobject.c"),
    _f("ValueError", r"(max|min)\(\) (?:arg is an|iterable argument is) empty",
       "The sequence is empty: pass a default, `{0}(values, default=None)`, or check it first.", "Python/bltinmodule.c min_max"),
    _f("ValueError", r"I/O operation on closed file",
       "Use the file inside its `with open(...) as f:` block (it is closed after the block).", "Modules/_io"),
    _f("ValueError", r"[Tt]he truth value of an? (?:array|Series|DataFrame)[^.]*is ambiguous",
       "Combine conditions with `&` / `|` and parentheses (`(a > 0) & (b < 1)`), and reduce with `.any()` / "
       "`.all()` where one True/False is needed.", "numpy/core/src/multiarray, pandas/core/generic.py __nonzero__"),
    _f("ValueError", r"Length of values \((\d+)\) does not match length of index \((\d+)\)",
       "Give one value per row: the new values have {0} items but the DataFrame has {1} rows (or assign a scalar).",
       "pandas/core/common.py require_length_match"),
    _f("ValueError", r"time data ('[^']*') does not match format ('[^']*')",
       "Fix the format string to match {0} (see `strftime` codes), or pass `errors='coerce'` to `pd.to_datetime`.",
       "Lib/_strptime.py"),
    _f("KeyError", r"(?:popitem\(\): dictionary is empty|pop from an empty set)",
       "The container is empty: check `if d:` before popping.", "Objects/dictobject.c, Objects/setobject.c"),
    # IndexError
    _f("IndexError", r"(list|tuple|string|range object) index out of range", _index_range,
       "Objects/listobject.c, tupleobject.c, unicodeobject.c"),
    _f("IndexError", r"pop from empty (list|deque)", "The {0} is empty: check `if items:` before `pop()`.",
       "Objects/listobject.c list_pop_impl"),
    _f("IndexError", r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)", _numpy_bounds,
       "numpy/core/src/multiarray/mapping.c"),
    _f("IndexError", r"too many indices for array: array is (\d+)-dimensional, but (\d+) were indexed",
       "The array has {0} dimension(s) but {1} indices were given: use {0} index/indices, or reshape it first "
       "(`a.reshape(-1, 1)` for a column).", "numpy/core/src/multiarray/mapping.c"),
    _f("IndexError", r"single positional indexer is out-of-bounds",
       "`iloc` is positional: the position is past `len(df)`; check `len(df)` (or use `.loc` for labels).",
       "pandas/core/indexing.py _validate_integer"),
    _f("IndexError", r"(?:invalid index to scalar variable|index out of range)",
       "The value has fewer items than the index: check its length or shape before indexing.", "numpy, Python"),
    # arithmetic
    _f("ZeroDivisionError", r".*",
       "A divisor is zero: guard the division (`x / y if y else 0.0`), or fix the value that became zero.",
       "Objects/longobject.c, Objects/floatobject.c"),
    _f("OverflowError", r"Numerical result out of range|\(34,",
       "The float result is larger than about 1.8e308: compute with ints (`2 ** 1600` is exact), "
       "`decimal.Decimal`, or in logarithms (`1600 * math.log(2)`).", "Objects/floatobject.c float_pow",
       "The float result is too large to represent (floats stop near 1.8e308)."),
    _f("OverflowError", r"math range error",
       "The result is too large for a float: work in logarithms (e.g. `math.log` of the terms) or with `decimal.Decimal`.",
       "Modules/mathmodule.c", "The float result is too large to represent (floats stop near 1.8e308)."),
    _f("OverflowError", r"int too large to convert to float|too large to convert to C",
       "The int is too large for a float or a C integer: keep it an int, use `decimal.Decimal`, or scale it down.",
       "Objects/longobject.c"),
    _f("OverflowError", r".*", "A number is too large for its type: use Python ints or `decimal.Decimal`, or rescale.",
       "Objects/longobject.c"),
    _f("RecursionError", r"maximum recursion depth exceeded",
       "Give the recursive function a base case that is reached (check the argument shrinks each call), "
       "or rewrite it as a loop; raise `sys.setrecursionlimit` only for a deep but finite recursion.",
       "Python/ceval.c _Py_CheckRecursiveCall"),
    _f("StopIteration", r".*", "The iterator is exhausted: use `next(it, default)` or loop with `for`.",
       "Objects/abstract.c PyIter_Next"),
    _f("AssertionError", r".*", "An `assert` failed: print the values it checks, and fix the data or the condition.",
       "Python/compile.c assert"),
    _f("NotImplementedError", r".*",
       "The method is abstract here: call it on a subclass that implements it, or implement it.", "Objects/exceptions.c"),
    # I/O and environment
    _f("FileNotFoundError", r".*",
       "Check the path relative to the working directory (`%pwd`, `os.listdir()`), or use an absolute path.",
       "Modules/posixmodule.c"),
    _f("IsADirectoryError", r".*", "The path is a folder: open a file inside it (`os.listdir(path)`).", "Modules/_io"),
    _f("PermissionError", r".*", "Write to a folder you own (e.g. the working directory), or fix the file's permissions.",
       "Modules/posixmodule.c"),
    _f("FileExistsError", r".*", "It exists already: pass `exist_ok=True` to `os.makedirs`, or remove it first.",
       "Modules/posixmodule.c"),
    _f("JSONDecodeError", r"Expecting value: line 1 column 1",
       "The text is empty or not JSON (often an HTML error page): print its first characters before `json.loads`.",
       "Lib/json/decoder.py"),
    _f("JSONDecodeError", r".*", "The text is not valid JSON at the position shown: print it around that position.",
       "Lib/json/decoder.py"),
    _f("UnicodeDecodeError", r".*", "Read the file with its real encoding, e.g. `encoding='latin-1'` or `'cp1252'`.",
       "Objects/unicodeobject.c"),
    _f("MemoryError", r".*", "Use less memory at once: smaller batches or chunks (`chunksize=`), `float32`, "
       "`del` unused objects and `gc.collect()`.", "Objects/obmalloc.c"),
    _f("KeyboardInterrupt", r".*", "The run was interrupted: re-run the cell when ready.", "Modules/signalmodule.c"),
    _f("SyntaxError IndentationError TabError", r".*", "Fix the syntax at the line and column the message points to "
       "(the message names what the parser expected).", "Parser/pegen_errors.c"),
    _f("ConnectionError HTTPError URLError Timeout", r".*",
       "Check the network connection, the URL and any credentials; retry later if the service is down.",
       "requests/exceptions.py, Lib/urllib/error.py"),
)


def advise_message(evidence: Evidence) -> Advice | None:
    """The first family whose exception and message match, as Advice."""
    ename = evidence.ename.rsplit(".", 1)[-1]
    for family in FAMILIES:
        if family.enames != ("*",) and ename not in family.enames:
            continue
        match = family.pattern.search(evidence.evalue or "")
        if match is None:
            continue
        fix = family.fix(match, evidence) if callable(family.fix) else _articles(family.fix.format(*match.groups()), match.groups())
        if isinstance(fix, Advice):
            return fix
        return Advice(fixes=[fix], verdict=family.verdict) if fix else None
    return None


def _articles(text: str, names: tuple) -> str:
    """'A int' -> 'An int': the article before a type name filled into a template."""
    for name in {n for n in names if n and n[0] in "aeiouAEIOU"}:
        text = re.sub(rf"\b([Aa]) ({re.escape(name)})\b", lambda m: f"{m.group(1)}n {m.group(2)}", text)
    return text
