"""API fixtures: SQLite only, a small clinic set up through the application, tokens as headers."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import pytest

from service.application import Regimen
from tests.api.helpers import Headers, bearer
from tests.builders import ADMIN, Clinic, agreed_plan, small_clinic


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The API tests run on a fresh SQLite file only (the backends are tested below the API)."""
    return f"sqlite:///{tmp_path / 'regimen.db'}"


@pytest.fixture
def clinic(regimen: Regimen, tokens: dict[str, str]) -> Clinic:
    """A London clinic with two therapists, two rooms and two clients; the therapist
    token's user is the first therapist."""
    built = small_clinic(regimen)
    regimen.link_user("test-therapist", built.therapist_id, ADMIN)
    return built


@pytest.fixture
def auth(tokens: dict[str, str]) -> Headers:
    """The Authorization header of each staff role, by role name."""
    return {role: bearer(token) for role, token in tokens.items()}


@pytest.fixture
def plan_id(regimen: Regimen, clinic: Clinic) -> UUID:
    """An agreed plan of the first client with the first therapist in Room A."""
    return agreed_plan(regimen, clinic)
