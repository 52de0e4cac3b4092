"""The cell visitor: one pass over a cell's AST, in evaluation order, following Python's scopes.

Names bound, read and deleted, imports, functions and classes here; columns, attributes and calls
in :mod:`.expressions`. The visit dispatches on the node's class through one table (the hot path).
"""
from __future__ import annotations

import ast
from typing import Iterable, Mapping

from .expressions import ExpressionVisitor
from .model import Call, CellFacts
from .scopes import (BUILTIN_NAMES, CLASS, COMPREHENSION, FUNCTION, HISTORY_NAME, MODULE, Scope, dotted,
                     parameters, string_keys)


class CellVisitor(ExpressionVisitor):
    """One pass over a module AST, collecting the facts in evaluation order."""

    def __init__(self) -> None:
        self.module = Scope(MODULE, None)
        self.def_lines: dict[str, int] = {}
        self.use_lines: dict[str, int] = {}
        self.deferred: dict[str, int] = {}
        self.module_bound: set[str] = set()  # bound by cell-scope code, not via `global` only
        self.deleted: set[str] = set()
        self.imports: dict[str, str] = {}
        self.star_imports: list[str] = []
        self.written: dict[str, set[str]] = {}
        self.read: dict[str, set[str]] = {}
        self.dropped: dict[str, set[str]] = {}
        self.mutated: set[str] = set()
        self.calls: list[Call] = []
        self.functions: set[str] = set()
        self.classes: set[str] = set()
        self.magics: list[str] = []
        self.instance_of: dict[str, str] = {}
        self.line_offset = 0
        self._assigned_call: tuple[ast.AST, str] | None = None
        self._last_call: tuple[ast.Call, str | None] | None = None

    # -- names ------------------------------------------------------------------------------

    def bind(self, name: str, line: int, scope: Scope) -> None:
        kind = scope.kind
        if kind == MODULE or (kind == FUNCTION and name in scope.globals):
            if kind == MODULE:
                self.module_bound.add(name)
            if name not in self.def_lines:
                self.def_lines[name] = line + self.line_offset
            self.deleted.discard(name)
            self.instance_of.pop(name, None)
        else:
            scope.locals.add(name)

    def load(self, name: str, line: int, scope: Scope, deferred: bool = False,
             origin: Scope | None = None) -> None:
        """Resolve a read of ``name``; a read that reaches the cell's namespace is a free use."""
        origin = origin or scope
        while scope.kind != MODULE:
            kind = scope.kind
            if kind == FUNCTION:
                if name in scope.globals:
                    deferred = True
                    break
                scope.pending.append((name, line))
                return
            if name in scope.locals and (kind == COMPREHENSION or scope is origin):
                return
            scope = scope.parent
        if name in BUILTIN_NAMES or HISTORY_NAME.fullmatch(name):
            return
        line += self.line_offset
        if deferred:
            self.deferred.setdefault(name, line)
        elif name not in self.def_lines and name not in self.use_lines:
            self.use_lines[name] = line

    def close_function(self, scope: Scope) -> None:
        """The function's body is complete: its non-local reads go to the enclosing scopes."""
        for name, line in scope.pending:
            if name not in scope.locals:
                self.load(name, line, scope.parent, deferred=True, origin=_NO_SCOPE)

    def bind_target(self, target: ast.AST, scope: Scope) -> None:
        if isinstance(target, ast.Name):
            self.bind(target.id, target.lineno, scope)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.bind_target(element, scope)
        elif isinstance(target, ast.Starred):
            self.bind_target(target.value, scope)
        else:  # attribute or subscript: mutates an existing object
            root = dotted(target)[1]
            if root is not None:
                self.mutated.add(root)
            self.visit(target, scope)

    def comprehension_owner(self, scope: Scope) -> Scope:
        while scope.kind == COMPREHENSION:
            scope = scope.parent
        return scope

    # -- dispatch ---------------------------------------------------------------------------

    def visit(self, node: ast.AST, scope: Scope) -> None:
        cls = node.__class__
        if cls is _CONSTANT:  # the commonest leaf: nothing to record
            return
        method = _DISPATCH.get(cls)
        if method is not None:
            method(self, node, scope)
            return
        for name in node._fields:  # inlined ast.iter_child_nodes: this loop is the hot path
            value = getattr(node, name, None)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item, scope)
            elif isinstance(value, ast.AST) and not isinstance(value, _LEAVES):
                self.visit(value, scope)

    def visit_leaf(self, node: ast.AST, scope: Scope) -> None:
        return None

    # Common nodes visited directly rather than through the generic field loop (speed).

    def visit_value(self, node: ast.AST, scope: Scope) -> None:
        self.visit(node.value, scope)

    def visit_BinOp(self, node: ast.BinOp, scope: Scope) -> None:
        self.visit(node.left, scope)
        self.visit(node.right, scope)

    def visit_Compare(self, node: ast.Compare, scope: Scope) -> None:
        self.visit(node.left, scope)
        self.visit_all(node.comparators, scope)

    def visit_elements(self, node: ast.AST, scope: Scope) -> None:
        for element in node.elts:
            self.visit(element, scope)

    def visit_Dict(self, node: ast.Dict, scope: Scope) -> None:
        for key in node.keys:
            if key is not None:
                self.visit(key, scope)
        self.visit_all(node.values, scope)

    def visit_all(self, nodes: Iterable[ast.AST], scope: Scope) -> None:
        visit = self.visit
        for node in nodes:
            visit(node, scope)

    def visit_Name(self, node: ast.Name, scope: Scope) -> None:
        ctx = node.ctx.__class__
        if ctx is _LOAD:
            name = node.id
            if scope.kind == MODULE:  # the common case, inlined from load()
                if name in self.def_lines or name in self.use_lines or name in BUILTIN_NAMES:
                    return
            self.load(name, node.lineno, scope)
        elif ctx is _STORE:
            self.bind(node.id, node.lineno, scope)
        else:
            self.load(node.id, node.lineno, scope)
            if scope.kind == MODULE:
                self.deleted.add(node.id)
            elif scope.kind == FUNCTION and node.id not in scope.globals:
                scope.locals.add(node.id)

    # -- statements -------------------------------------------------------------------------

    def visit_Assign(self, node: ast.Assign, scope: Scope) -> None:
        value, targets = node.value, node.targets
        single = targets[0].id if len(targets) == 1 and isinstance(targets[0], ast.Name) else None
        if single is not None and isinstance(value, ast.Call):
            self._assigned_call = (value, single)
        self.visit(value, scope)
        self._assigned_call = None
        for target in targets:
            self.bind_target(target, scope)
            if (isinstance(target, ast.Attribute) and target.attr == "columns"
                    and isinstance(target.value, ast.Name)):
                keys = string_keys(value)  # df.columns = ['a', 'b'] names the columns
                if keys:
                    self.written.setdefault(target.value.id, set()).update(keys)
        if single is not None and scope.kind == MODULE and isinstance(value, ast.Call):
            last = self._last_call  # visit_Call just resolved this call
            qualname = last[1] if last is not None and last[0] is value else None
            if qualname and qualname.rpartition(".")[2][:1].isupper():
                self.instance_of[single] = qualname

    def visit_AugAssign(self, node: ast.AugAssign, scope: Scope) -> None:
        self.visit(node.value, scope)
        target = node.target
        if isinstance(target, ast.Name):
            self.load(target.id, target.lineno, scope)
            self.bind(target.id, target.lineno, scope)
        else:
            if isinstance(target, ast.Subscript):
                self.subscript_columns(target, self.read)
            self.bind_target(target, scope)

    def visit_AnnAssign(self, node: ast.AnnAssign, scope: Scope) -> None:
        if node.value is not None:
            self.visit(node.value, scope)
        if scope.kind != FUNCTION:
            self.visit(node.annotation, scope)
        if node.value is not None or not isinstance(node.target, ast.Name):
            self.bind_target(node.target, scope)

    def visit_NamedExpr(self, node: ast.NamedExpr, scope: Scope) -> None:
        self.visit(node.value, scope)
        self.bind(node.target.id, node.target.lineno, self.comprehension_owner(scope))

    def visit_For(self, node: ast.For, scope: Scope) -> None:
        self.visit(node.iter, scope)
        self.bind_target(node.target, scope)
        self.visit_all(node.body, scope)
        self.visit_all(node.orelse, scope)

    visit_AsyncFor = visit_For

    def visit_With(self, node: ast.With, scope: Scope) -> None:
        for item in node.items:
            self.visit(item.context_expr, scope)
            if item.optional_vars is not None:
                self.bind_target(item.optional_vars, scope)
        self.visit_all(node.body, scope)

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node: ast.ExceptHandler, scope: Scope) -> None:
        if node.type is not None:
            self.visit(node.type, scope)
        if node.name:
            self.bind(node.name, node.lineno, scope)
        self.visit_all(node.body, scope)

    def visit_Delete(self, node: ast.Delete, scope: Scope) -> None:
        for target in node.targets:
            if isinstance(target, (ast.Attribute, ast.Subscript)):
                root = dotted(target)[1]
                if root is not None:
                    self.mutated.add(root)
            self.visit(target, scope)

    def visit_Import(self, node: ast.Import, scope: Scope) -> None:
        for alias in node.names:
            bound = alias.asname or alias.name.partition(".")[0]
            target = alias.name if alias.asname else bound
            self.bind(bound, node.lineno, scope)
            if scope.kind == MODULE:
                self.imports[bound] = target

    def visit_ImportFrom(self, node: ast.ImportFrom, scope: Scope) -> None:
        module = "." * (node.level or 0) + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                self.star_imports.append(module)
                continue
            bound = alias.asname or alias.name
            self.bind(bound, node.lineno, scope)
            if scope.kind == MODULE:
                separator = "." if module and not module.endswith(".") else ""
                self.imports[bound] = module + separator + alias.name

    def visit_FunctionDef(self, node: ast.FunctionDef, scope: Scope) -> None:
        self.visit_all(node.decorator_list, scope)
        self.visit_arguments(node.args, scope)
        if node.returns is not None:
            self.visit(node.returns, scope)
        inner = Scope(FUNCTION, scope, parameters(node.args))
        self.visit_all(node.body, inner)
        self.close_function(inner)
        self.bind(node.name, node.lineno, scope)
        if scope.kind == MODULE:
            self.functions.add(node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda, scope: Scope) -> None:
        self.visit_arguments(node.args, scope)
        inner = Scope(FUNCTION, scope, parameters(node.args))
        self.visit(node.body, inner)
        self.close_function(inner)

    def visit_arguments(self, args: ast.arguments, scope: Scope) -> None:
        self.visit_all(args.defaults, scope)
        self.visit_all([d for d in args.kw_defaults if d is not None], scope)
        for arg in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
            if arg is not None and arg.annotation is not None:
                self.visit(arg.annotation, scope)

    def visit_ClassDef(self, node: ast.ClassDef, scope: Scope) -> None:
        self.visit_all(node.decorator_list, scope)
        self.visit_all(node.bases, scope)
        self.visit_all(node.keywords, scope)
        self.visit_all(node.body, Scope(CLASS, scope))
        self.bind(node.name, node.lineno, scope)
        if scope.kind == MODULE:
            self.classes.add(node.name)

    def visit_Global(self, node: ast.Global, scope: Scope) -> None:
        if scope.kind == FUNCTION:
            scope.globals.update(node.names)
            scope.locals.difference_update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal, scope: Scope) -> None:
        scope.locals.update(node.names)

    def visit_MatchAs(self, node: ast.AST, scope: Scope) -> None:
        if getattr(node, "pattern", None) is not None:
            self.visit(node.pattern, scope)
        if node.name:
            self.bind(node.name, node.lineno, scope)

    def visit_MatchStar(self, node: ast.AST, scope: Scope) -> None:
        if node.name:
            self.bind(node.name, node.lineno, scope)

    def visit_MatchMapping(self, node: ast.AST, scope: Scope) -> None:
        self.visit_all(node.keys, scope)
        self.visit_all(node.patterns, scope)
        if node.rest:
            self.bind(node.rest, node.lineno, scope)

    # -- comprehensions ---------------------------------------------------------------------

    def visit_comprehension_node(self, node: ast.AST, scope: Scope, results: list[ast.AST]) -> None:
        generators = node.generators
        self.visit(generators[0].iter, scope)
        inner = Scope(COMPREHENSION, scope)
        for index, generator in enumerate(generators):
            if index:
                self.visit(generator.iter, inner)
            self.bind_target(generator.target, inner)
            self.visit_all(generator.ifs, inner)
        self.visit_all(results, inner)

    def visit_ListComp(self, node: ast.ListComp, scope: Scope) -> None:
        self.visit_comprehension_node(node, scope, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node: ast.DictComp, scope: Scope) -> None:
        self.visit_comprehension_node(node, scope, [node.key, node.value])

    def visit_Module(self, node: ast.Module, scope: Scope) -> None:
        self.visit_all(node.body, scope)

    def run(self, tree: ast.Module) -> None:
        self.visit_all(tree.body, self.module)

    def facts(self, source: str, python_source: str) -> CellFacts:
        defined = frozenset(self.def_lines)
        # A function's global read is satisfied by a cell-scope binding (functions run later),
        # but not by the function's own `global x; x += 1`.
        deferred_only = {n: line for n, line in self.deferred.items()
                         if n not in self.module_bound and n not in self.use_lines}
        use_lines = {**self.use_lines, **deferred_only}
        return CellFacts(
            source=source,
            defined=defined,
            used=frozenset(use_lines),
            deleted=frozenset(self.deleted),
            imports=dict(self.imports),
            star_imports=tuple(self.star_imports),
            columns_written=_frozen_table(self.written),
            columns_read=_frozen_table(self.read),
            columns_dropped=_frozen_table(self.dropped),
            mutated=frozenset(self.mutated),
            calls=tuple(self.calls),
            functions=frozenset(self.functions),
            classes=frozenset(self.classes),
            magics=tuple(self.magics),
            def_lines=dict(self.def_lines),
            use_lines=use_lines,
            deferred_used=frozenset(deferred_only),
            python_source=python_source,
        )


_NO_SCOPE = Scope(MODULE, None)
_LOAD, _STORE, _CONSTANT = ast.Load, ast.Store, ast.Constant
_LEAVES = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
_DISPATCH = {
    getattr(ast, name[len("visit_"):]): function
    for klass in reversed(CellVisitor.__mro__)  # the expression mixin's visits, then the visitor's
    for name, function in vars(klass).items()
    if name.startswith("visit_") and hasattr(ast, name[len("visit_"):])
}
_DISPATCH[ast.Constant] = CellVisitor.visit_leaf
_DISPATCH.update({node: CellVisitor.visit_value for node in (ast.Expr, ast.keyword, ast.Starred, ast.Await)})
_DISPATCH.update({node: CellVisitor.visit_elements for node in (ast.Tuple, ast.List, ast.Set)})


def _frozen_table(table: Mapping[str, set[str]]) -> dict[str, frozenset[str]]:
    return {name: frozenset(values) for name, values in table.items() if values}

