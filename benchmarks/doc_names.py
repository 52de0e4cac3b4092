"""Write ``nbcrash_kernel/knowledge/doc_names.py``: the names the libraries' own documentation examples use.

Usage: python benchmarks/doc_names.py [--write]

Run it where the libraries are installed (the venv of benchmarks/stage_apis.py). It reads, without
importing them, the source files of each library below (test folders left out) and of Python's own
standard library, takes every string constant that holds doctest examples (``>>>`` and ``...``
lines: the docstrings of the public API, and the texts torch attaches with ``add_docstr``), parses
each example with ``doctest.DocTestParser`` and ``ast``, and counts, once per docstring:

- import aliases: ``import M as A`` and ``from M import N as A`` (A -> M or M.N), per library whose
  documentation writes them, and the module names imported plainly (``import torch``);
- implicit aliases: an alias of the first table that an example uses (``np.array``) without any
  import of it in that docstring: the library's doctest set-up provides it, and its documentation
  takes the reader to know it;
- bound names: the names an assignment binds (``clf = LogisticRegression()``, ``X_train, X_test, y_train,
  y_test = train_test_split(...)``, ``df = pd.DataFrame(...)``) to a value computed from the library
  (a chain of calls, attributes and subscripts whose root is a name imported from one of the
  libraries below, one of its implicit aliases, or a name bound so before);
- called bound names: those of the bound names that the same docstring then calls
  (``m = nn.Linear(20, 30)`` ... ``output = m(input)``): callable objects (modules, layers, losses).

The standard library's examples give the same counts for Python itself: a name that Python's own
documentation binds as readily is Python's vocabulary, not a name for data or models.
The classifier reads the written table as plain data (no library is imported at run time).
"""
from __future__ import annotations

import argparse
import builtins
import ast
import collections
import doctest
import importlib.metadata
import importlib.util
import keyword
import os
import pydoc
import re
import sys
import sysconfig
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "nbcrash_kernel" / "knowledge" / "doc_names.py"
# import name -> distribution (for the version); the libraries of benchmarks/stage_apis.py with numpy and PIL
LIBRARIES = {"sklearn": "scikit-learn", "pandas": "pandas", "numpy": "numpy", "scipy": "scipy",
             "statsmodels": "statsmodels", "matplotlib": "matplotlib", "seaborn": "seaborn", "plotly": "plotly",
             "torch": "torch", "keras": "keras", "tensorflow": "tensorflow-cpu", "xgboost": "xgboost",
             "lightgbm": "lightgbm", "PIL": "pillow"}
SKIPPED_DIRS = {"tests", "test", "testing", "_testing", "benchmarks", "conftest.py", "site-packages",
                "idlelib", "lib2to3", "turtledemo", "ensurepip"}
# Thresholds (see README, "How it is built"): an entry must be written in this many docstrings.
MIN_ALIAS_DOCS = 5        # an alias a handful of docstrings write is one author's habit, not the convention
MIN_IMPLICIT_DOCS = 10    # used without an import in ten docstrings or more: not one example's omission
MIN_BOUND_DOCS = 20       # names bound in fewer than 20 of ~20,000 example docstrings are incidental
MIN_CALLED_DOCS = 5       # of the bound names, those called in at least five docstrings
PYTHON_RATIO = 10.0
# Aliases that a library's own documentation states but its installed package ships in no example
# (seaborn ships no doctests; xgboost, lightgbm and plotly.express write them in their web guides).
# Each is checked to name a module here and not to collide with an alias the scan found.
DOCUMENTED_ALIASES = (
    ("sns", "seaborn",
     "seaborn docs, 'An introduction to seaborn' (doc/_tutorial/introduction.ipynb): import seaborn as sns"),
    ("px", "plotly.express",
     "plotly docs, 'Plotly Express in Python': the plotly.express module (usually imported as px)"),
    ("xgb", "xgboost", "XGBoost docs, 'Python Package Introduction': import xgboost as xgb"),
    ("lgb", "lightgbm", "LightGBM docs, 'Python-package Introduction': import lightgbm as lgb"),
)       # a bound name is ML vocabulary when the libraries bind it ten times as often as Python


def normal(name: str) -> str:
    """The form names are counted and looked up in: case folded, trailing digits and underscores dropped (``df2``,
    ``X`` and ``x``, ``model1``: Python programmers number and capitalise variants of one name)."""
    return name.lower().rstrip("0123456789_") or name.lower()


def source_files(top: str) -> list[Path]:
    if top == "python":
        base = [Path(sysconfig.get_paths()["stdlib"])]
    else:
        spec = importlib.util.find_spec(top)
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit(f"{top} is not installed here")
        base = [Path(p) for p in spec.submodule_search_locations]
    files = []
    for root in base:
        for path in sorted(root.rglob("*.py")):
            if not SKIPPED_DIRS.intersection(path.relative_to(root).parts):
                files.append(path)
    return files


def docstrings(path: Path) -> list[str]:
    """String constants of a source file: its docstrings and documentation texts."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except (SyntaxError, ValueError):
        return []
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]


_IMPORT = re.compile(r"^[ \t]*(?:(?:>>>|\.\.\.)[ \t]+)?"
                     r"(?:import ([\w.]+) as (\w+)|from ([\w.]+) import (\w+)(?: as (\w+))?)[ \t]*$", re.M)


def import_lines(text: str) -> set[tuple[str, str]]:
    """(alias, module) of the import lines a documentation text writes, in examples or code blocks:
    ``import M as A`` and ``from M import N [as A]`` (the caller keeps those where M.N is a module)."""
    found = set()
    for module, alias, source, member, as_name in _IMPORT.findall(text):
        if module:
            found.add((alias, module))
        elif not source.startswith("."):
            found.add((as_name or member, f"{source}.{member}"))
    return found


_PARSER = doctest.DocTestParser()


def examples(text: str) -> list[ast.Module]:
    try:
        found = _PARSER.get_examples(textwrap.dedent(text))
    except ValueError:  # inconsistent indentation: parse what each '>>>' block gives
        found = []
        for block in re.split(r"\n\s*\n", text):
            try:
                found += _PARSER.get_examples(textwrap.dedent(block))
            except ValueError:
                continue
    trees = []
    for ex in found:
        try:
            trees.append(ast.parse(ex.source))
        except (SyntaxError, ValueError):
            continue
    return trees


def _root(node: ast.AST) -> tuple[str | None, bool]:
    """The name a chain of calls, attributes and subscripts starts from, and whether the chain calls."""
    called = False
    while True:
        if isinstance(node, ast.Call):
            called, node = True, node.func
        elif isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        elif isinstance(node, ast.Await):
            node = node.value
        else:
            return (node.id if isinstance(node, ast.Name) else None), called


def _targets(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, (ast.Tuple, ast.List)):
        return [n for elt in node.elts for n in _targets(elt)]
    if isinstance(node, ast.Starred):
        return _targets(node.value)
    return []


class Doc:
    """What one docstring's examples import, use, bind and call."""

    def __init__(self, trees: list[ast.Module], libraries: set[str], implicit: dict[str, str]):
        self.aliases: dict[str, str] = {}      # alias -> module path (import M as A, from M import N [as A])
        self.plain: set[str] = set()           # import M (top names)
        self.unimported: set[str] = set()      # names read as `name.attr` with no binding of them before
        self.bound: dict[str, str] = {}        # names bound to values computed from the libraries -> callee
        self.called: set[str] = set()          # bound names then called
        self.python: set[str] = set()          # every name any statement binds (for Python's own examples)
        modules: dict[str, str] = {}           # name -> qualified module or member it was imported as
        assigned: set[str] = set()
        for tree in trees:
            for stmt in tree.body:
                for node in ast.walk(stmt):
                    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                            and isinstance(node.value.ctx, ast.Load) and node.value.id not in assigned:
                        self.unimported.add(node.value.id)
                    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.bound:
                        self.called.add(node.func.id)
                    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                        self.python.add(node.id)
                    elif isinstance(node, ast.arg):
                        self.python.add(node.arg)
                for node in ast.walk(stmt):
                    if isinstance(node, ast.Import):
                        for a in node.names:
                            top = a.name.split(".")[0]
                            if a.asname:
                                self.aliases[a.asname] = a.name
                            else:
                                self.plain.add(top)
                            modules[a.asname or top] = a.name if a.asname else top
                            assigned.add(a.asname or top)
                            self.python.add(a.asname or top)
                    elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                        for a in node.names:
                            self.aliases[a.asname or a.name] = f"{node.module}.{a.name}"
                            modules[a.asname or a.name] = f"{node.module}.{a.name}"
                            assigned.add(a.asname or a.name)
                            self.python.add(a.asname or a.name)
                if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                    targets = [n for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
                               for n in _targets(t)]
                    callee = self._callee(stmt.value, modules, implicit, assigned, libraries)
                    for name in targets:
                        if callee is not None:
                            self.bound[name] = callee
                        else:
                            self.bound.pop(name, None)
                    assigned.update(targets)

    def _callee(self, value: ast.AST, modules: dict[str, str], implicit: dict[str, str], assigned: set[str],
                libraries: set[str]) -> str | None:
        """'' for a value computed from a library value, the qualified name of the library callable for
        a direct call (``nn.Linear(2, 3)`` -> ``torch.nn.Linear``), None for a value not from a library."""
        root, _ = _root(value)
        if root is None:
            return None
        if root in self.bound:
            return ""
        module = modules.get(root) or (implicit.get(root) if root not in assigned else None)
        if module is None or module.split(".")[0] not in libraries:
            return None
        if isinstance(value, ast.Call):
            parts, func = [], value.func
            while isinstance(func, ast.Attribute):
                parts.append(func.attr)
                func = func.value
            if isinstance(func, ast.Name):
                return ".".join([module, *reversed(parts)])
        return ""


def parsed(top: str) -> tuple[list[list[ast.Module]], list[set[tuple[str, str]]], int]:
    """Each docstring's parsed examples, each documentation text's import lines, and the files read."""
    found, imports, files = [], [], source_files(top)
    for path in files:
        for text in docstrings(path):
            if "import " in text:
                lines = import_lines(text)
                if lines:
                    imports.append(lines)
            if ">>>" in text:
                trees = examples(text)
                if trees:
                    found.append(trees)
    return found, imports, len(files)


def metadata_imports(top: str) -> list[tuple[str, str]]:
    """``import M as A`` lines of the library's PyPI description (its README, in the installed METADATA)."""
    text = importlib.metadata.metadata(LIBRARIES[top]).get_payload() or ""
    return re.findall(r"^\s*(?:>>> )?import ([\w.]+) as (\w+)\s*$", text, re.M)


def is_module(path: str) -> bool:
    """Whether a dotted path names a module (``torch.nn``), not a class or function (``pathlib.Path``)."""
    try:
        return importlib.util.find_spec(path) is not None
    except (ImportError, ValueError, AttributeError):
        return False


def installed(path: str) -> bool:
    try:
        return importlib.util.find_spec(path.split(".")[0]) is not None
    except (ImportError, ValueError):
        return False


def instances_callable(path: str) -> bool:
    """Whether a dotted path names a class whose instances are callable: the class, not its metaclass,
    defines ``__call__`` (``torch.nn.Linear``, ``keras.layers.Dense``; not an sklearn estimator)."""
    try:
        obj = pydoc.locate(path)
    except Exception:  # noqa: BLE001 - importing a library's submodule can fail in many ways
        return False
    return isinstance(obj, type) and any("__call__" in vars(k) for k in obj.__mro__ if k is not object)


class Counts:
    """The counts of every library's documentation, and of Python's."""

    def __init__(self, trees: dict[str, list[list[ast.Module]]], imports: dict[str, list[set[tuple[str, str]]]]):
        libraries = set(LIBRARIES)
        self.docs = {top: len(d) for top, d in trees.items()}
        self.imports: collections.Counter[tuple[str, str]] = collections.Counter()   # (alias, module)
        self.import_libs: dict[tuple[str, str], collections.Counter[str]] = \
            collections.defaultdict(collections.Counter)
        self.plain: collections.Counter[str] = collections.Counter()
        for top, docs in trees.items():
            for doc in (Doc(t, libraries, {}) for t in docs):
                self.plain.update(doc.plain)
            for lines in imports[top]:
                for alias, module in lines:
                    self.imports[(alias, module)] += 1
                    self.import_libs[(alias, module)][top] += 1
            if top != "python":
                for module, alias in metadata_imports(top):
                    self.imports[(alias, module)] += 1
                    self.import_libs[(alias, module)][f"{top} PyPI description"] += 1
        self.aliases = self._aliases()
        self.unimported: collections.Counter[str] = collections.Counter()
        for docs in trees.values():
            for t in docs:
                self.unimported.update(Doc(t, libraries, {}).unimported & set(self.aliases))
        self.unimported = collections.Counter({a: n for a, n in self.unimported.items() if n})
        self.implicit = {a: self.aliases[a] for a, n in self.unimported.items() if n >= MIN_IMPLICIT_DOCS}
        self.bound: collections.Counter[str] = collections.Counter()
        self.callable_bound: collections.Counter[str] = collections.Counter()
        self.python: collections.Counter[str] = collections.Counter()
        callables: dict[str, bool] = {}
        for top, docs in trees.items():
            for t in docs:
                doc = Doc(t, libraries, self.implicit)
                if top == "python":
                    self.python.update({normal(n) for n in doc.python})
                    continue
                self.bound.update({normal(n) for n in doc.bound})
                made = set()
                for name, callee in doc.bound.items():
                    if callee and callee not in callables:
                        callables[callee] = instances_callable(callee)
                    if name in doc.called or (callee and callables[callee]):
                        made.add(normal(name))
                self.callable_bound.update(made)

    def _aliases(self) -> dict[str, str]:
        """alias -> module, for aliases of modules written in MIN_ALIAS_DOCS docstrings or more whose
        imports all name one library (its most written module); an alias that the documentation
        imports from two libraries (``pl``: polars, pytorch_lightning) is left in ``collisions``."""
        by_alias: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
        for (alias, module), n in self.imports.items():
            by_alias[alias][module] += n
        chosen, self.collisions = {}, {}
        for alias, modules in sorted(by_alias.items()):
            tops = {m.split(".")[0] for m in modules}
            module = max(modules, key=lambda m: (modules[m], -len(m)))
            if len(tops) > 1 or (alias in sys.stdlib_module_names and module != alias):  # `signal`: scipy's, Python's
                if sum(modules.values()) > 1 and any(is_module(m) or not installed(m) for m in modules):
                    self.collisions[alias] = tuple(sorted(modules.items()))  # an ambiguous module alias
            elif sum(modules.values()) >= MIN_ALIAS_DOCS and is_module(module):
                chosen[alias] = module
        for name, n in self.plain.items():  # import M: the module's own name
            if n >= MIN_ALIAS_DOCS and name not in chosen:
                chosen[name] = name
        for name in LIBRARIES:
            chosen.setdefault(name, name)
        for alias, module, _source in DOCUMENTED_ALIASES:
            if alias not in chosen and alias not in self.collisions and is_module(module):
                chosen[alias] = module
        return chosen

    def share(self, counter: collections.Counter[str], name: str, python: bool = False) -> float:
        n_docs = self.docs["python"] if python else sum(n for top, n in self.docs.items() if top != "python")
        return counter[name] / max(n_docs, 1)

    def vocabulary(self, counter: collections.Counter[str], least: int) -> dict[str, int]:
        """Names bound in at least ``least`` docstrings of the libraries, more than PYTHON_RATIO times as
        often (per docstring) as Python's own examples bind them; not Python's builtins nor the module aliases."""
        builtin = set(dir(builtins)) | set(keyword.kwlist) | {"_"}
        return {name: n for name, n in sorted(counter.items())
                if n >= least and name not in builtin and name not in self.aliases
                and self.share(counter, name) > PYTHON_RATIO * self.share(self.python, name, python=True)}


def versions() -> dict[str, str]:
    found = {top: importlib.metadata.version(dist) for top, dist in LIBRARIES.items()}
    found["python"] = sys.version.split()[0]
    return found


def _mapping(name: str, comment: str, items: dict, indent: str = "    ") -> list[str]:
    lines = [f"# {comment}", f"{name} = {{"]
    row = indent
    for key, value in items.items():
        cell = f"{key!r}: {value!r}, "
        if len(row) + len(cell) > 118:
            lines.append(row.rstrip())
            row = indent
        row += cell
    if row.strip():
        lines.append(row.rstrip())
    return [*lines, "}", ""]


def render(counts: Counts, found_versions: dict[str, str]) -> str:
    shown = ", ".join(f"{k} {v}" for k, v in found_versions.items())
    n_docs = sum(n for top, n in counts.docs.items() if top != "python")
    lines = [
        '"""Names the libraries\' own documentation examples use: import aliases, and names of data and models.',
        "",
        "Generated by ``python benchmarks/doc_names.py --write`` (do not edit) from the doctest examples in",
        f"{n_docs} docstrings of the libraries and {counts.docs['python']} of Python's standard library, against",
        *textwrap.wrap(shown + ".", 100),
        "Counts are docstrings. See benchmarks/doc_names.py for what each table counts and its threshold.",
        "Read by knowledge/modules.py and knowledge/object_names.py.",
        '"""',
        "from __future__ import annotations",
        "",
        f"MIN_ALIAS_DOCS = {MIN_ALIAS_DOCS}",
        f"MIN_IMPLICIT_DOCS = {MIN_IMPLICIT_DOCS}",
        f"MIN_BOUND_DOCS = {MIN_BOUND_DOCS}",
        f"MIN_CALLED_DOCS = {MIN_CALLED_DOCS}",
        f"PYTHON_RATIO = {PYTHON_RATIO}",
        "",
    ]
    lines += _mapping("IMPORT_ALIASES: dict[str, str]",
                      "alias -> module: `import M as A` / `from M import N [as A]` (N a module) written in at least "
                      "MIN_ALIAS_DOCS docstrings, all naming one library; and modules imported by their own name",
                      counts.aliases)
    lines += _mapping("ALIAS_EVIDENCE: dict[str, str]",
                      "whose documentation writes each alias of IMPORT_ALIASES: library docstrings, ...",
                      {a: ", ".join(f"{lib} {n}" for lib, n in counts.import_libs[(a, m)].most_common())
                       for a, m in counts.aliases.items() if counts.import_libs.get((a, m))})
    lines += _mapping("DOCUMENTED_ALIASES: dict[str, str]",
                      "aliases a library's web documentation states, not the examples it installs: alias -> source",
                      {a: src for a, m, src in DOCUMENTED_ALIASES if counts.aliases.get(a) == m})
    lines += _mapping("COLLISIONS: dict[str, tuple[tuple[str, int], ...]]",
                      "aliases the documentation imports from two libraries: (module, docstrings); left unresolved",
                      counts.collisions)
    lines += _mapping("IMPLICIT_USES: dict[str, int]",
                      "aliases and module names the examples use (`np.array`) without importing them, in at least "
                      "MIN_IMPLICIT_DOCS docstrings",
                      {a: n for a, n in sorted(counts.unimported.items(), key=lambda kv: (-kv[1], kv[0]))
                       if n >= MIN_IMPLICIT_DOCS})
    lines += _mapping("DATA_MODEL_NAMES: dict[str, int]",
                      "names (case folded, trailing digits dropped) the examples bind to values computed from the "
                      "libraries,\n# in at least MIN_BOUND_DOCS docstrings, more than PYTHON_RATIO times as often "
                      "as Python's examples bind them",
                      counts.vocabulary(counts.bound, MIN_BOUND_DOCS))
    lines += _mapping("CALLABLE_OBJECT_NAMES: dict[str, int]",
                      "of the bound names, those bound to an instance of a class that defines __call__ "
                      "(nn.Linear, keras layers),\n# or called after being bound, in at least MIN_CALLED_DOCS "
                      "docstrings, with the same comparison to Python",
                      counts.vocabulary(counts.callable_bound, MIN_CALLED_DOCS))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite {TABLE.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    os.environ.setdefault("KERAS_BACKEND", "torch")
    found = versions()
    trees, imports = {}, {}
    for top in (*LIBRARIES, "python"):
        trees[top], imports[top], n_files = parsed(top)
        print(f"{top} {found[top]}: {n_files} files, {len(trees[top])} docstrings with examples, "
              f"{len(imports[top])} texts with import lines")
    text = render(Counts(trees, imports), found)
    print(text)
    if args.write:
        TABLE.write_text(text)
        print(f"wrote {TABLE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
