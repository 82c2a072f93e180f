"""API fixtures: SQLite only, and the staff tokens as Authorization headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.helpers import Headers, bearer


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The API tests run on a fresh SQLite file only (the backends are tested below the API)."""
    return f"sqlite:///{tmp_path / 'regimen.db'}"


@pytest.fixture
def auth(tokens: dict[str, str]) -> Headers:
    """The Authorization header of each staff role, by role name."""
    return {role: bearer(token) for role, token in tokens.items()}
