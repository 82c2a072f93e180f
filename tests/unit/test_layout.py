"""The tree keeps the shape docs/architecture.md describes: modules small enough to read
whole, functions short enough to see at once, and few modules outside a named package."""

from __future__ import annotations

import ast
from pathlib import Path

import service

SERVICE = Path(service.__file__).parent
MODULES = sorted(SERVICE.rglob("*.py"))
LONGEST_MODULE = 300  # lines
LONGEST_FUNCTION = 50  # lines, outside the CLI's demo data
LOOSE = {"__init__.py", "__main__.py", "bootstrap.py", "config.py", "logs.py"}


def test_the_tree_is_found() -> None:
    assert len(MODULES) > 200
    assert SERVICE / "adapters" / "store.py" in MODULES


def test_no_module_is_longer_than_300_lines() -> None:
    long = {
        str(path.relative_to(SERVICE)): lines
        for path in MODULES
        if (lines := len(path.read_text().splitlines())) > LONGEST_MODULE
    }
    assert long == {}


def test_no_function_is_longer_than_50_lines_outside_the_cli() -> None:
    long = {
        f"{path.relative_to(SERVICE)}:{node.lineno} {node.name}": lines
        for path in MODULES
        if path.parent.name != "cli"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        if (lines := (node.end_lineno or node.lineno) - node.lineno + 1) > LONGEST_FUNCTION
    }
    assert long == {}


def test_only_the_entry_points_and_settings_sit_outside_a_package() -> None:
    assert {path.name for path in SERVICE.glob("*.py")} <= LOOSE
