"""The package's shape: no import cycles between its modules, no module over 500 lines, and nothing
loose at the package root but the CLI entry.

Imports are read with ``ast``, wherever they stand (module level or inside a function: a lazy
import still ties two modules together), except under ``if TYPE_CHECKING:``, which never runs.
``from package import name`` depends on ``package.name`` when that is a module, else on the
package's ``__init__``; a module's own parent packages are not edges (Python initialises them first).
"""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "nbcrash_kernel"
MAX_LINES = 500
ROOT_MODULES = {"__init__.py", "__main__.py", "_version.py", "cli.py"}
# The core's layers, lowest first: a package imports only from its own layer or below. The faces
# (live, audit, classify, study, server) sit on top of them all.
CORE_LAYERS = {"knowledge": 0, "record": 1, "facts": 2, "classifier": 3, "advice": 3, "card": 4}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def is_type_checking_block(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def import_nodes(tree: ast.AST):
    """Every Import and ImportFrom, skipping ``if TYPE_CHECKING:`` bodies."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child
        if is_type_checking_block(child):
            yield from import_nodes(ast.Module(body=child.orelse, type_ignores=[]))
            continue
        yield from import_nodes(child)


def absolute_base(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


def imported_modules(module: str, path: Path) -> set[str]:
    targets: set[str] = set()
    for node in import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
            continue
        base = absolute_base(node, module, path.name == "__init__.py")
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            targets.add(submodule if submodule in MODULES else base)
    parents = {".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)}
    return {t for t in targets if t in MODULES and t != module and t not in parents}


def import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for module, path in MODULES.items():
        graph.add_node(module)
        graph.add_edges_from((module, target) for target in imported_modules(module, path))
    return graph


def test_the_graph_sees_the_imports():
    graph = import_graph()
    assert ("nbcrash_kernel.cli", "nbcrash_kernel._version") in graph.edges
    assert ("nbcrash_kernel.facts.cells.analyze", "nbcrash_kernel.facts.cells.visitor") in graph.edges
    assert graph.number_of_edges() > len(MODULES)


def test_no_import_cycles():
    cycles = [sorted(c) for c in nx.strongly_connected_components(import_graph()) if len(c) > 1]
    assert cycles == []


def test_no_module_over_500_lines():
    lengths = {module: path.read_text(encoding="utf-8").count("\n") for module, path in MODULES.items()}
    assert {module: n for module, n in lengths.items() if n > MAX_LINES} == {}


def sub_package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) else None


def test_the_core_imports_only_its_own_layer_or_below():
    upward = []
    for importer, imported in import_graph().edges:
        low, high = sub_package(importer), sub_package(imported)
        if low in CORE_LAYERS and (high not in CORE_LAYERS or CORE_LAYERS[high] > CORE_LAYERS[low]):
            upward.append((importer, imported))
    assert upward == []


def test_the_root_holds_only_the_cli_entry():
    loose = {p.name for p in PACKAGE.glob("*.py")} - ROOT_MODULES
    assert loose == set()
