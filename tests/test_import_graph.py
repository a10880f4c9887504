"""The project's modules depend one way: no import circle, no import hidden in a function to dodge one,
and the lower floors never reach up to the screens and the API.

Read from the source with ``ast`` (nothing is imported), so a circle that Python happens to resolve
at run time still fails here. An import inside a function counts like any other, with two
exceptions that Django and Celery ask for: an ``AppConfig`` (``apps.py``) imports models once the
registry is ready, and a Celery task (``orders/tasks/``) imports its service when it runs, so that
services can queue tasks by importing the task objects.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("orders", "flags", "config")
# Where a function-level import of the project's own code is the framework's way.
DEFERRED_ALLOWED = ("orders.tasks", "orders.apps", "flags.apps")
# The floors: a module whose name starts with a key never imports a module starting with a value.
UPPER_FLOORS = ("orders.api", "orders.admin", "orders.management", "orders.demo", "config")
FORBIDDEN = {
    "orders.models": (*UPPER_FLOORS, "orders.services", "orders.checks", "orders.messaging", "flags", "orders.tasks"),
    "orders.checks": (*UPPER_FLOORS, "orders.services", "orders.messaging", "orders.selectors", "orders.tasks"),
    "orders.notes": (*UPPER_FLOORS, "orders.services", "orders.messaging", "orders.selectors", "orders.tasks"),
    "orders.pricing": (*UPPER_FLOORS, "orders.services", "orders.messaging", "orders.tasks"),
    "orders.services": UPPER_FLOORS,
    "orders.messaging": UPPER_FLOORS,
    "orders.selectors": UPPER_FLOORS,
    "flags": (*UPPER_FLOORS, "orders.services", "orders.selectors", "orders.messaging", "orders.tasks"),
}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    deferred: bool


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _edges(modules: dict[str, Path]) -> list[Edge]:
    edges = []
    for source, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        deferred_lines = {
            node.lineno
            for function in ast.walk(tree)
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
            for node in ast.walk(function)
            if isinstance(node, ast.Import | ast.ImportFrom)
        }
        package = source if path.name == "__init__.py" else source.rpartition(".")[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                # ``from package import submodule`` depends on the submodule, not on the package's __init__.
                names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            else:
                continue
            for name in dict.fromkeys(names):
                target = _resolve(name, modules)
                if target and target != source:
                    edges.append(Edge(source, target, node.lineno, node.lineno in deferred_lines))
    return edges


def _allowed_deferred(edge: Edge) -> bool:
    return any(edge.source == m or edge.source.startswith(m + ".") for m in DEFERRED_ALLOWED)


def _cycles(edges: list[Edge]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


@pytest.fixture(scope="module")
def edges() -> list[Edge]:
    return _edges(_modules())


def test_no_import_circle(edges):
    counted = [edge for edge in edges if not (edge.deferred and _allowed_deferred(edge))]
    circles = _cycles(counted)
    described = [
        " ; ".join(f"{e.source} -> {e.target} (line {e.line})" for e in counted if e.source in c and e.target in c)
        for c in circles
    ]
    assert not circles, "import circles:\n" + "\n".join(described)


def test_no_import_hidden_in_a_function(edges):
    hidden = [f"{e.source} line {e.line}: {e.target}" for e in edges if e.deferred and not _allowed_deferred(e)]
    assert not hidden, "move these imports to the module's top (or move the code down a floor):\n" + "\n".join(hidden)


def test_lower_floors_never_import_upper_ones(edges):
    def starts(name: str, prefix: str) -> bool:
        return name == prefix or name.startswith(prefix + ".")

    wrong = [
        f"{e.source} line {e.line} imports {e.target}"
        for e in edges
        for floor, above in FORBIDDEN.items()
        if starts(e.source, floor)
        and any(starts(e.target, upper) for upper in above)
        and not e.target.endswith(".models")  # a models module is the ground floor wherever it lives
    ]
    assert not wrong, "\n".join(wrong)


def test_the_checker_sees_a_circle_and_a_hidden_import():
    """The test above would be worthless if the parser missed the kinds of import it must count."""
    edges = [Edge("a", "b", 1, False), Edge("b", "c", 2, True), Edge("c", "a", 3, False), Edge("c", "d", 4, False)]
    assert _cycles(edges) == [["a", "b", "c"]]
    assert _cycles([e for e in edges if not e.deferred]) == []
    modules = _modules()
    found = {(e.source, e.target) for e in _edges(modules)}
    assert ("orders.services.workflow", "orders.services.locking") in found
    assert ("orders.tasks.checks", "orders.services.workflow") in found  # a function-level import
