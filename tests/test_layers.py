"""The package's folders are layers in data-flow order, and each imports only those below it.

scenario file → roster → scenario → model → engine → trials → results → studies → output →
api → cli (docs/design.md). Base modules (errors, paths, signals) sit below everything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "natosim"
LAYERS = [
    {"natosim", "__version__", "errors", "paths", "signals"},
    {"roster"},
    {"scenario"},
    {"model"},
    {"engine"},
    {"trials"},
    {"results"},
    {"studies"},
    {"output"},
    {"api"},
    {"cli"},
    {"__main__"},
]
LONGEST_FUNCTION = 60


def layer_of(module: str) -> int:
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else "natosim"
    for index, names in enumerate(LAYERS):
        if name in names:
            return index
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS and docs/design.md")


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            if node.module == "natosim":
                found.update(f"natosim.{alias.name}" for alias in node.names)
    return {name for name in found if name == "natosim" or name.startswith("natosim.")}


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_imports_only_layers_below_or_its_own(path: Path) -> None:
    module = module_name(path)
    if module == "natosim":
        return  # the package's lazy public names are the API, re-exported from the top
    own = layer_of(module)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    upward = sorted(name for name in imports(tree) if name != "natosim" and layer_of(name) > own)
    assert not upward, f"{module} (layer {own}) imports from layers above it: {upward}"


def test_every_folder_is_a_layer() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    for name in folders | modules - {"__init__"}:
        layer_of(f"natosim.{name}")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_function_is_longer_than_60_lines(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > LONGEST_FUNCTION
    ]
    assert not long, f"{path.name}: {long}"
