"""Which names a statement had read when it reached a given name: Python's evaluation order.

A ``NameError`` is raised where the undefined name is loaded, so only what Python evaluated before
it took part in the crash. In ``titanic = preprocess(titanic)`` the callee is loaded before its
arguments (and the right-hand side before the targets are stored), so a missing ``preprocess``
touches no DataFrame; in ``model.fit(X_train)`` a missing ``X_train`` comes after ``model.fit`` was
looked up. The order follows the language reference ("Evaluation order"): left to right, the
right-hand side of an assignment before its targets, a call's function before its arguments, a
comprehension's first iterable before its element, and a lambda's body not at all.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator


def names_evaluated_before(line: str, name: str) -> list[str] | None:
    """The names ``line`` loads before it first loads ``name``, in order; None when the line does not
    parse as a statement (a line cut from a longer one) or never loads ``name``."""
    tree = _parse(line)
    if tree is None:
        return None
    before: list[str] = []
    try:
        for node in _statement_loads(tree):
            if node.id == name:
                return before
            if node.id not in before:
                before.append(node.id)
    except RecursionError:  # ``a + a + ... + a`` thousands deep
        return None
    return None


def names_loaded(line: str) -> list[str] | None:
    """Every name ``line`` loads, in evaluation order (a plain assignment target is stored, not
    loaded: its old value takes no part); None when the line does not parse as a statement."""
    tree = _parse(line)
    if tree is None:
        return None
    try:
        return list(dict.fromkeys(node.id for node in _statement_loads(tree)))
    except RecursionError:
        return None


MAX_LINE = 2000  # characters: a longer line (a pasted data literal) is not parsed, the caller falls back


def _parse(line: str) -> ast.Module | None:
    text = line.strip()
    if not text or len(text) > MAX_LINE:
        return None
    for candidate in (text, text + "\n    pass"):  # a compound statement's header (``for x in data:``)
        try:
            return ast.parse(candidate)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
    return None


def _statement_loads(tree: ast.Module) -> Iterator[ast.Name]:
    for statement in tree.body:
        yield from _loads(statement)


def _loads(node: ast.AST) -> Iterator[ast.Name]:
    """Names loaded by ``node``, in the order Python evaluates them."""
    if isinstance(node, ast.Name):
        if isinstance(node.ctx, ast.Load):
            yield node
    elif isinstance(node, ast.Assign):
        yield from _loads(node.value)
        for target in node.targets:
            yield from _target_loads(target)
    elif isinstance(node, ast.AugAssign):
        yield from _target_loads(node.target, loaded=True)
        yield from _loads(node.value)
    elif isinstance(node, ast.AnnAssign):
        if node.value is not None:
            yield from _loads(node.value)
        yield from _target_loads(node.target)
    elif isinstance(node, (ast.For, ast.AsyncFor)):
        yield from _loads(node.iter)
    elif isinstance(node, (ast.While, ast.If)):
        yield from _loads(node.test)
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            yield from _loads(item.context_expr)
    elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
        yield from _loads(node.generators[0].iter)  # the rest runs in the comprehension's own scope, later
    elif isinstance(node, ast.Lambda):
        yield from _children(node.args)  # defaults only: the body runs when called
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        for decorator in node.decorator_list:
            yield from _loads(decorator)
    else:
        yield from _children(node)


def _children(node: ast.AST) -> Iterator[ast.Name]:
    for child in ast.iter_child_nodes(node):
        yield from _loads(child)


def _target_loads(target: ast.AST, loaded: bool = False) -> Iterator[ast.Name]:
    """What storing into ``target`` loads: ``d`` and ``k`` of ``d[k] = v``, ``obj`` of ``obj.a = v``;
    ``loaded``: an augmented assignment reads the target itself first."""
    if isinstance(target, ast.Name):
        if loaded:
            yield ast.Name(id=target.id, ctx=ast.Load())
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _target_loads(element, loaded)
    elif isinstance(target, ast.Starred):
        yield from _target_loads(target.value, loaded)
    elif isinstance(target, ast.Attribute):
        yield from _loads(target.value)
    elif isinstance(target, ast.Subscript):
        yield from _loads(target.value)
        yield from _loads(target.slice)
