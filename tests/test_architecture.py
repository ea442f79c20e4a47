"""The module graph as the README draws it: the data's way, each layer importing only the ones
before it (io → store → validate / sparql → track → network → html → build / add → cli), and
no cycle between modules. Imports inside functions count too: a lazy import is still a
dependency."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

# Lower numbers come first on the data's way; a module may import its own layer and lower ones.
LAYERS = {
    "tckg.errors": 0, "tckg.settings": 0, "tckg.namespaces": 0, "tckg.vocab": 0, "tckg.numbers": 0,
    "tckg.child": 0, "tckg.suggest": 0, "tckg.termtable": 0,
    "tckg.io": 1,
    "tckg.store": 2,
    "tckg.sparql": 3, "tckg.validate": 3,
    "tckg.compile": 4, "tckg.track": 4, "tckg.accountability": 4,
    "tckg.extract": 5, "tckg.network": 5,
    "tckg.html": 6,
    "tckg.build": 7, "tckg.add": 7, "tckg.spreadsheet": 7, "tckg.serve": 7, "tckg.push": 7,
    "tckg.cli": 8, "tckg.__main__": 9,
}


def _modules() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted((SRC / "tckg").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                deps.add(node.module)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
        graph[name] = {d for d in deps if d.startswith("tckg.") or d == "tckg"}
    return graph


def _layer(module: str) -> int | None:
    for prefix in sorted(LAYERS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return LAYERS[prefix]
    return None


def test_every_module_has_a_layer() -> None:
    missing = sorted(m for m in _modules() if m != "tckg" and _layer(m) is None)
    assert not missing, f"add these to LAYERS (and to the README's module graph): {missing}"


def test_no_module_imports_a_later_layer() -> None:
    wrong = []
    for module, deps in _modules().items():
        if module == "tckg":  # the package's lazy re-exports for notebook users
            continue
        for dep in deps:
            if dep == "tckg":
                continue
            here, there = _layer(module), _layer(dep)
            if here is not None and there is not None and there > here:
                wrong.append(f"{module} (layer {here}) imports {dep} (layer {there})")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_cycle_between_modules() -> None:
    graph = _modules()
    # a package and its own modules are one unit (a package re-exports its modules)
    def unit(m: str) -> str:
        return ".".join(m.split(".")[:2])

    edges: dict[str, set[str]] = {}
    for module, deps in graph.items():
        for dep in deps:
            if dep != "tckg" and unit(dep) != unit(module):
                edges.setdefault(unit(module), set()).add(unit(dep))
    seen: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state = seen.get(node)
        if state == 1:
            pytest.fail("import cycle: " + " → ".join([*path[path.index(node):], node]))
        if state == 2:
            return
        seen[node] = 1
        for nxt in sorted(edges.get(node, ())):
            visit(nxt, [*path, node])
        seen[node] = 2

    for start in sorted(edges):
        visit(start, [])


def test_the_documented_module_graph_names_every_package() -> None:
    doc = (SRC.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = sorted(name for name in LAYERS if f"`{name}`" not in doc)
    assert not missing, f"docs/architecture.md does not describe {missing}"


def test_the_readme_shows_the_module_graph_of_the_docs() -> None:
    """The README's layer diagram is the one in docs/architecture.md (which the test above keeps
    complete), so the README cannot drift from the code."""
    import re

    def diagram(path: Path) -> str:
        found = re.search(r"```\nlayer 0.*?```\n", path.read_text(encoding="utf-8"), re.S)
        assert found, f"{path.name} has no layer diagram"
        return found.group(0)

    root = SRC.parent
    assert diagram(root / "README.md") == diagram(root / "docs" / "architecture.md")
