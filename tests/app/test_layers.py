"""The layers hold: the import graph of `src/ehoks`, read with `ast`, keeps the rules that
CONVENTIONS.md and docs/architecture.md give.

* a routes module (one that makes a `router`) imports no repository and no models module;
* `access` stands below every domain: it imports only `kit`;
* `hoksmodel` imports only `kit`;
* `kit` imports no domain (the migrations' model registry, `kit.db.models`, excepted);
* only repositories write queries: SQLAlchemy's statement builders are imported by repository
  modules and the database plumbing only;
* no two packages depend on each other, directly or round a longer cycle.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "ehoks"
MODEL_REGISTRY = "ehoks.kit.db.models"
KIT_LEVEL = {"kit", "config"}
STATEMENT_BUILDERS = {"select", "insert", "update", "delete", "text", "exists"}


@cache
def modules() -> dict[str, ast.Module]:
    found = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return found


def imports(name: str) -> set[str]:
    """The ehoks modules `name` imports, anywhere in it (functions included)."""
    known = modules()
    found: set[str] = set()
    for node in ast.walk(known[name]):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [f"{node.module}.{alias.name}" for alias in node.names]
            targets = [t if t in known else node.module for t in targets]
        else:
            continue
        found |= {t for t in targets if t.split(".")[0] == "ehoks"}
    return found


def package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def routes_modules() -> list[str]:
    """Modules that make a router: every surface's HTTP layer."""
    return [
        name
        for name, tree in modules().items()
        if any(
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "router" for t in node.targets)
            for node in tree.body
        )
    ]


def test_the_graph_is_read():
    assert len(modules()) > 100
    assert "ehoks.registry.repository" in imports("ehoks.hoks.writes")
    assert {"ehoks.hoks.routes", "ehoks.people.staff_routes", "ehoks.kit.health"} <= set(
        routes_modules()
    )


def test_routes_import_no_repository_or_models():
    wrong = {
        route: sorted(t for t in imports(route) if t.rsplit(".", 1)[-1] in {"repository", "models"})
        for route in routes_modules()
    }
    assert {route: found for route, found in wrong.items() if found} == {}


def test_access_stands_below_every_domain():
    wrong = {
        name: sorted(t for t in imports(name) if package(t) not in {"access", "kit"})
        for name in modules()
        if package(name) == "access"
    }
    assert {name: found for name, found in wrong.items() if found} == {}


def test_hoksmodel_imports_only_kit():
    wrong = {
        name: sorted(t for t in imports(name) if package(t) not in {"hoksmodel", "kit"})
        for name in modules()
        if package(name) == "hoksmodel"
    }
    assert {name: found for name, found in wrong.items() if found} == {}


def test_kit_imports_no_domain():
    wrong = {
        name: sorted(t for t in imports(name) if package(t) not in KIT_LEVEL)
        for name in modules()
        if package(name) in KIT_LEVEL and name != MODEL_REGISTRY
    }
    assert {name: found for name, found in wrong.items() if found} == {}


def test_only_repositories_write_queries():
    allowed = ("repository", "scoping")  # registry.scoping: access scopes as SQL conditions
    wrong = []
    for name, tree in modules().items():
        if name.rsplit(".", 1)[-1] in allowed or package(name) in {"kit", "migrations"}:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "sqlalchemy":
                used = {alias.name for alias in node.names} & STATEMENT_BUILDERS
                wrong += [f"{name}: {builder}" for builder in sorted(used)]
    assert wrong == []


def _package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for name in modules():
        if name == MODEL_REGISTRY:
            continue
        for target in imports(name):
            if package(target) != package(name):
                graph[package(name)].add(package(target))
    return graph


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return seen


def _in_cycles(graph: dict[str, set[str]]) -> list[str]:
    """The packages that depend on themselves, directly or round a cycle of others."""
    return sorted(node for node in graph if node in _reachable(graph, node))


def test_no_package_cycles():
    assert _in_cycles(_package_graph()) == []


def test_a_cycle_would_be_seen():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert _in_cycles(graph) == ["a", "b", "c", "e"]
