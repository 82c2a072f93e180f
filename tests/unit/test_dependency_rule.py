"""The domain imports the standard library and eventsourcing.domain only, and
email_validator and phonenumbers: the syntax of an email address and of a phone number
are rules of the domain's, and those libraries are pure functions over strings (and
their own metadata) when email_validator is not asked to look the domain up."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import service.domain

DOMAIN = Path(service.domain.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def allowed(module: str) -> bool:
    top = module.split(".")[0]
    return (
        top in sys.stdlib_module_names
        or module == "eventsourcing.domain"
        or module == "email_validator"
        or module == "phonenumbers"
        or module.startswith("service.domain")
    )


def test_the_domain_imports_only_the_standard_library_and_eventsourcing_domain() -> None:
    offending = {
        f"{path.name}: {module}"
        for path in DOMAIN.glob("*.py")
        for module in imported_modules(path)
        if not allowed(module)
    }
    assert offending == set()
