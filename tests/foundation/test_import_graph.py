"""Dependencies point one way: every import in app/ follows the graph in docs/architecture.md.

Imports are read with ``ast`` (those inside functions too), so a dependency cannot hide in a
function body. app/ imports no Flask, werkzeug or api/; miniprogram_stub/ nothing of ours.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GRAPH_DOC = ROOT / "docs" / "architecture.md"
WEB = ("flask", "werkzeug", "flask_smorest", "webargs")


def read_graph(text: str) -> dict[str, set[str]]:
    """The ```graph block: ``node: what it may import`` per line."""
    block = re.search(r"```graph\n(.*?)```", text, re.S)
    assert block, f"{GRAPH_DOC} has no ```graph block"
    graph = {}
    for line in block.group(1).splitlines():
        node, _, targets = line.partition(":")
        graph[node.strip()] = set(targets.split())
    return graph


GRAPH = read_graph(GRAPH_DOC.read_text())
FOUNDATION = GRAPH.pop("foundation")
ROOTS = GRAPH.pop("roots")
# Imports that still close a cycle (listed in the doc, to be broken): allowed, but not followed.
BACK_EDGES = {tuple(edge.split(">")) for edge in GRAPH.pop("back-edges", set())}
NODES = set(GRAPH) | FOUNDATION | ROOTS


def node_of(module: str) -> str | None:
    """The graph node an ``app.`` module belongs to: its longest listed prefix (``push.outbox``)."""
    parts = module.split(".")[1:]
    for size in range(len(parts), 0, -1):
        if ".".join(parts[:size]) in NODES:
            return ".".join(parts[:size])
    return None


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of each absolute import; ``from app import x`` counts as ``app.x``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module in ("app", "api"):
                found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def forbidden_edges(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for path in sorted(ROOT.glob("app/**/*.py")):
        source = node_of(module_name(path)) if module_name(path) != "app" else None
        for line, target in imports(path):
            where = f"{path.relative_to(ROOT)}:{line} imports {target}"
            if target.split(".")[0] in WEB or target.split(".")[0] == "api":
                found.append(f"{where} (app/ is not HTTP)")
                continue
            if not target.startswith("app.") or source is None or source in ROOTS:
                continue
            to = node_of(target)
            if to is None:
                found.append(f"{where}, which no node of the graph holds")
            elif to != source and to not in FOUNDATION and to not in graph.get(source, set()) \
                    and not (source in FOUNDATION and to in FOUNDATION):
                found.append(f"{where}: {source} → {to} is not in docs/architecture.md")
    return found


def test_every_import_between_capabilities_is_an_edge_of_the_graph():
    assert forbidden_edges(GRAPH) == []


def test_every_module_of_app_belongs_to_a_node_of_the_graph():
    assert [str(p.relative_to(ROOT)) for p in ROOT.glob("app/**/*.py")
            if module_name(p) != "app" and node_of(module_name(p)) is None] == []


def test_the_graph_has_no_cycle():
    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, f"cycle: {' → '.join((*path, node))}"
        for target in GRAPH.get(node, ()):
            if (node, target) not in BACK_EDGES:
                visit(target, (*path, node))

    for node in GRAPH:
        visit(node, ())


def test_every_back_edge_is_an_edge_of_the_graph():
    assert {(a, b) for a, b in BACK_EDGES if b not in GRAPH.get(a, set())} == set()


def test_the_graph_names_only_known_nodes():
    assert {t for targets in GRAPH.values() for t in targets} - NODES == set()


def test_a_capability_importing_along_an_edge_the_graph_lacks_is_refused():
    # The same check with people's line lacking identity: the real imports of people fail it.
    narrowed = {**GRAPH, "people": GRAPH["people"] - {"identity"}}
    assert any("people → identity" in edge for edge in forbidden_edges(narrowed))


def test_the_stub_imports_nothing_of_ours():
    ours = [f"{p.relative_to(ROOT)}:{line} imports {target}"
            for p in sorted(ROOT.glob("miniprogram_stub/**/*.py")) for line, target in imports(p)
            if target.split(".")[0] in ("app", "api", "config", "wsgi")]
    assert ours == []
