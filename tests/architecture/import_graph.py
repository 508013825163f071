"""The import graph of the `skill` package, read from the source with `ast`.

Every `import` and `from ... import` counts, wherever it is written: at the top of a
module, inside a function (the old way of dodging a cycle) or under `TYPE_CHECKING`.
`from skill.a import b` names the module `skill.a.b` when there is one, else
`skill.a`. Only modules of the package are nodes; outside imports are left out."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "skill"

Graph = Mapping[str, frozenset[str]]


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path = ROOT, package: str = PACKAGE) -> dict[str, Path]:
    return {module_name(path, root): path for path in sorted((root / package).rglob("*.py"))}


def _imported(tree: ast.AST, here: str, is_package: bool) -> Iterator[tuple[str, str]]:
    """(module, fallback) for each name imported: `from a import b` may name the
    module a.b, else the module a (b is something defined in a)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".") if is_package else here.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield f"{base}.{alias.name}", base


def import_graph(root: Path = ROOT, package: str = PACKAGE) -> dict[str, frozenset[str]]:
    """Module -> the package's modules it imports."""
    found = modules(root, package)
    graph: dict[str, frozenset[str]] = {}
    for name, path in found.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets = set()
        for module, fallback in _imported(tree, name, path.name == "__init__.py"):
            if module in found:
                targets.add(module)
            elif fallback in found:
                targets.add(fallback)
        targets.discard(name)
        graph[name] = frozenset(targets)
    return graph


@cache
def skill_graph() -> Graph:
    return import_graph()


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan),
    each sorted, largest first: every one of them is an import cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found, key=lambda c: (-len(c), c))


def reaches(graph: Graph, start: str) -> set[str]:
    """Every module `start` imports, directly or through others."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen
