"""Imports point down only: every module sits in a layer, and no import reaches a higher one.

The layers are the ones ``docs/architecture.md`` draws under "Layers as built". Imports are
read with ``ast`` from the sources, imports inside functions included. An import under
``if TYPE_CHECKING:`` is for annotations only and never runs: it may close a cycle (the case
model and its scenarios name each other's types), but it may not point to a higher layer
either. A module's parent packages run on import too; those implicit edges are not counted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .common import ROOT

SRC = ROOT / "src"
PACKAGE = "foerdermittel"

CORE, MODEL, CALCULATORS, ORCHESTRATION, EXPORT, EDGE = range(6)

# Each module belongs to the layer of its longest entry here (an entry covers a subpackage's
# modules too; "foerdermittel" itself is the public API only). Every module must be covered.
LAYERS: dict[str, int] = {
    # core values: no dependency above themselves
    "foerdermittel._arguments": CORE,
    "foerdermittel._error_root": CORE,
    "foerdermittel._wording": CORE,
    "foerdermittel._collector": CORE,
    "foerdermittel._moved": CORE,
    "foerdermittel._files": CORE,
    "foerdermittel.calendar": CORE,
    "foerdermittel.data": CORE,
    "foerdermittel.deadline_arithmetic": CORE,
    "foerdermittel.errors": CORE,
    "foerdermittel.fmt": CORE,
    "foerdermittel.frozen": CORE,
    "foerdermittel.message_types": CORE,
    "foerdermittel.messages": CORE,
    "foerdermittel.money": CORE,
    "foerdermittel.parse": CORE,
    "foerdermittel.periods": CORE,
    "foerdermittel.plausible": CORE,
    "foerdermittel.views": CORE,
    # rulebooks, the case model, reading and writing files
    "foerdermittel.io": MODEL,
    "foerdermittel.model": MODEL,
    "foerdermittel.rules": MODEL,
    # calculators: functions of the case and the rulebook
    "foerdermittel.amendment_checks": CALCULATORS,
    "foerdermittel.deadline_checks": CALCULATORS,
    "foerdermittel.deadline_places": CALCULATORS,
    "foerdermittel.deadline_types": CALCULATORS,
    "foerdermittel.deadlines": CALCULATORS,
    "foerdermittel.drawdowns": CALCULATORS,
    "foerdermittel.extension": CALCULATORS,
    "foerdermittel.financing": CALCULATORS,
    "foerdermittel.financing_checks": CALCULATORS,
    "foerdermittel.flat_rates": CALCULATORS,
    "foerdermittel.forecast": CALCULATORS,  # moved to forecasting; the old path warns
    "foerdermittel.forecasting": CALCULATORS,
    "foerdermittel.interest": CALCULATORS,
    "foerdermittel.interest_periods": CALCULATORS,
    "foerdermittel.late_use": CALCULATORS,
    "foerdermittel.limit_checks": CALCULATORS,
    "foerdermittel.own_share": CALCULATORS,  # moved to own_share_plan
    "foerdermittel.own_share_plan": CALCULATORS,
    "foerdermittel.proof": CALCULATORS,
    "foerdermittel.proof_of_use": CALCULATORS,  # moved to proof
    "foerdermittel.reconciliation": CALCULATORS,
    "foerdermittel.voucher_sums": CALCULATORS,
    "foerdermittel.vouchers": CALCULATORS,
    # orchestration: case in, report out; many variants of a case
    "foerdermittel.drawdown_call": ORCHESTRATION,
    "foerdermittel.evaluate": ORCHESTRATION,  # moved to evaluation
    "foerdermittel.evaluation": ORCHESTRATION,
    "foerdermittel.report": ORCHESTRATION,
    "foerdermittel.scenarios": ORCHESTRATION,
    "foerdermittel.portfolio": ORCHESTRATION,
    # renderers
    "foerdermittel.export": EXPORT,
    # the edge: the command line, and the package's public API, which imports everything
    "foerdermittel": EDGE,
    "foerdermittel.__main__": EDGE,
    "foerdermittel.cli": EDGE,
}

LAYER_NAMES = {
    CORE: "core values",
    MODEL: "rules, model, io",
    CALCULATORS: "calculators",
    ORCHESTRATION: "orchestration",
    EXPORT: "export",
    EDGE: "cli and public API",
}


@dataclass(frozen=True)
class Import:
    """One import of a package module by another: where, and whether only for type checking."""

    source: str
    target: str
    line: int
    type_only: bool


def modules(src: Path, package: str) -> dict[str, Path]:
    """Every module of ``package`` under ``src`` by dotted name (a package by its own name)."""
    found = {}
    for path in sorted((src / package).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(node: ast.stmt, module: str, is_package: bool) -> Iterator[tuple[str, str]]:
    """(base, name) pairs: ``import a.b`` gives ("a.b", ""), ``from a import b`` ("a", "b")."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name, ""
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            parts = module.split(".")
            if not is_package:
                parts.pop()
            parts = parts[: len(parts) - (node.level - 1)]
            base = ".".join([*parts, base] if base else parts)
        for alias in node.names:
            yield base, alias.name


def imports(src: Path, package: str) -> list[Import]:
    """Every import of one module of ``package`` by another, at any depth of the source."""
    known = modules(src, package)
    found: list[Import] = []
    for module, path in known.items():
        is_package = path.name == "__init__.py"

        def visit(node: ast.AST, type_only: bool, module: str = module, pkg: bool = is_package):
            if isinstance(node, ast.If) and _is_type_checking(node.test):
                for child in node.body:
                    visit(child, True)
                for child in node.orelse:
                    visit(child, type_only)
                return
            if isinstance(node, ast.Import | ast.ImportFrom):
                for base, name in _imported(node, module, pkg):
                    target = f"{base}.{name}" if f"{base}.{name}" in known else base
                    if target in known and target != module:
                        found.append(Import(module, target, node.lineno, type_only))
                return
            for child in ast.iter_child_nodes(node):
                visit(child, type_only)

        visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def layer_of(module: str, layers: Mapping[str, int]) -> int | None:
    """The layer of the longest entry of ``layers`` that is ``module`` or a package above it.

    The top package's own entry covers the top package only, not every module in it.
    """
    parts = module.split(".")
    for end in range(len(parts), 1 if len(parts) > 1 else 0, -1):
        layer = layers.get(".".join(parts[:end]))
        if layer is not None:
            return layer
    return None


def cycles(edges: list[Import]) -> list[list[str]]:
    """The import cycles among ``edges``: each strongly connected group of two or more modules."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(groups)


def layer_violations(src: Path, package: str, layers: Mapping[str, int]) -> list[str]:
    """What breaks the layering, one line each: a module without a layer, an import of a
    higher layer (type-only ones included), and every cycle of imports that run."""
    problems = [
        f"{module}: in no layer"
        for module in modules(src, package)
        if layer_of(module, layers) is None
    ]
    edges = imports(src, package)
    for edge in edges:
        low, high = layer_of(edge.source, layers), layer_of(edge.target, layers)
        if low is not None and high is not None and high > low:
            problems.append(
                f"{edge.source} (line {edge.line}) imports {edge.target}: "
                f"layer {LAYER_NAMES.get(low, low)} imports {LAYER_NAMES.get(high, high)}"
            )
    for group in cycles([edge for edge in edges if not edge.type_only]):
        problems.append("cycle: " + " -> ".join(group))
    return problems


def test_imports_point_down_and_form_no_cycle() -> None:
    assert layer_violations(SRC, PACKAGE, LAYERS) == []


def test_the_layers_in_the_architecture_page_are_the_ones_checked() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = page.split("## Layers as built", 1)[1].split("\n## ", 1)[0]
    for module, layer in LAYERS.items():
        name = module.removeprefix(PACKAGE).removeprefix(".") or "__init__"
        row = next((line for line in section.splitlines() if f"`{name}`" in line), "")
        assert row.startswith(f"| {LAYER_NAMES[layer]} |"), (module, row)


def _tree(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


_SMALL_LAYERS = {"pkg": EDGE, "pkg.money": CORE, "pkg.a": CALCULATORS, "pkg.b": CALCULATORS}
_SMALL_LAYERS |= {"pkg.export": EXPORT}


def test_an_import_of_a_higher_layer_inside_a_function_fails(tmp_path: Path) -> None:
    src = _tree(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg import export\n",
            "pkg/money.py": "def show():\n    from pkg.export.html import view\n    return view\n",
            "pkg/export/__init__.py": "",
            "pkg/export/html.py": "from pkg import money\n\ndef view(): ...\n",
        },
    )
    assert layer_violations(src, "pkg", _SMALL_LAYERS) == [
        "pkg.money (line 2) imports pkg.export.html: layer core values imports export",
        "cycle: pkg.export.html -> pkg.money",
    ]


def test_a_cycle_within_a_layer_fails_unless_only_for_type_checking(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "import pkg.b\n",
        "pkg/b.py": "def f():\n    from . import a\n",
    }
    assert layer_violations(_tree(tmp_path / "run", files), "pkg", _SMALL_LAYERS) == [
        "cycle: pkg.a -> pkg.b"
    ]
    files["pkg/b.py"] = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n"
    )
    assert layer_violations(_tree(tmp_path / "types", files), "pkg", _SMALL_LAYERS) == []


def test_a_type_only_import_of_a_higher_layer_and_a_module_without_layer_fail(
    tmp_path: Path,
) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "import typing\nif typing.TYPE_CHECKING:\n    import pkg.export\n",
        "pkg/export/__init__.py": "",
        "pkg/stray.py": "",
    }
    assert layer_violations(_tree(tmp_path, files), "pkg", _SMALL_LAYERS) == [
        "pkg.stray: in no layer",
        "pkg.a (line 3) imports pkg.export: layer calculators imports export",
    ]
