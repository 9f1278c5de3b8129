"""The package's layering: each layer imports only from the layers below it (and from itself)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "protokit"
# Top down. A module's layer is its first dotted component below ``protokit``.
LAYERS: list[set[str]] = [
    {"cli", "__main__", "__init__"},
    {"gen"},
    {"docs"},
    {"breaking", "lint"},
    {"compile", "checks"},
    {"validate"},
    {"report"},
    {"workspace", "includes"},
    {"config"},
    {"index"},
    {"diagnostics", "catalog", "collection", "forking"},
]


def layer_of(module: str) -> int:
    """The index in LAYERS of ``protokit.<part>...`` (0 is the top)."""
    part = module.split(".")[1] if "." in module else "__init__"
    return next(i for i, names in enumerate(LAYERS) if part in names)


def imports(path: Path) -> list[tuple[int, str]]:
    """The protokit modules ``path`` imports, with line numbers (function-level imports included)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("protokit"):
            # ``from protokit import __version__`` reads the package's version constant: no layer.
            subpackages = [a.name for a in node.names if any(PACKAGE.glob(f"{a.name}*"))]
            names = [node.module] if node.module != "protokit" else [f"protokit.{name}" for name in subpackages]
            found += [(node.lineno, name) for name in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("protokit.")]
    return found


def test_every_package_has_a_layer() -> None:
    parts = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in PACKAGE.rglob("*.py")}
    assert parts - set().union(*LAYERS) == set()


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = "protokit." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        own = layer_of(module)
        for line, imported in imports(path):
            if imported != "protokit" and layer_of(imported) < own:
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {module} imports {imported}")
    assert upward == []
