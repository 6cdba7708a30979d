"""The shape of the package, kept by tests: no import cycle anywhere in `privet_tui` (type-only
imports included), no module passing on another's names, no file past 400 lines, and a
sentence saying what lives in every package."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

PACKAGE = Path(__file__).resolve().parents[2] / "privet_tui"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, ast.Module]:
    return {_module_name(p): ast.parse(p.read_text()) for p in PACKAGE.rglob("*.py")}


def _defined(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def test_there_is_no_import_cycle() -> None:
    graph = grimp.build_graph("privet_tui")  # TYPE_CHECKING imports count too
    cycles = [
        (module, other)
        for module in graph.modules
        for other in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=other, imported=module)
    ]
    assert cycles == []


def test_every_import_goes_to_where_the_name_lives() -> None:
    """`from privet_tui.x import name` names a submodule or something x itself defines."""
    modules = _modules()
    passed_on = []
    for importer, tree in modules.items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and node.module in modules):
                continue
            for alias in node.names:
                source = node.module
                if f"{source}.{alias.name}" in modules or alias.name in _defined(modules[source]):
                    continue
                passed_on.append(f"{importer}: {alias.name} from {source}")
    assert passed_on == []


def test_all_lists_only_names_the_module_defines() -> None:
    foreign = []
    for name, tree in _modules().items():
        defined = _defined(tree)
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                listed = ast.literal_eval(node.value)
                foreign += [f"{name}.{n}" for n in listed if n not in defined]
    assert foreign == []


def test_no_file_is_over_400_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > 400
    }
    assert long == {}


def test_every_package_says_what_lives_there() -> None:
    silent = [
        _module_name(init)
        for init in PACKAGE.rglob("__init__.py")
        if not ast.get_docstring(ast.parse(init.read_text()))
    ]
    assert silent == []
