"""API fixtures: SQLite only, and the staff tokens as Authorization headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from service.application import Regimen
from tests.api.helpers import Headers, Refuse, bearer, book, perform_and_evaluate, writes_nothing
from tests.fakes import FixedClock


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The API tests run on a fresh SQLite file only (the backends are tested below the API)."""
    return f"sqlite:///{tmp_path / 'regimen.db'}"


@pytest.fixture
def auth(tokens: dict[str, str]) -> Headers:
    """The Authorization header of each staff role, by role name."""
    return {role: bearer(token) for role, token in tokens.items()}


@pytest.fixture
def first_session_booked(regimen: Regimen, plan_id: UUID, clock: FixedClock) -> None:
    """The agreed plan's first session, booked for Monday 9 March 2026 at 10:00 London time."""
    book(regimen, plan_id, "2026-03-09T10:00", clock.now)


@pytest.fixture
def first_session_treated(regimen: Regimen, plan_id: UUID, first_session_booked: None) -> None:
    """The agreed plan's first session, booked, then performed and evaluated by the therapist."""
    perform_and_evaluate(regimen, plan_id, 1)


@pytest.fixture
def refused(client: FlaskClient, regimen: Regimen) -> Refuse:
    """Send a request the API must refuse, checking that it stored nothing."""

    def send(method: str, url: str, **request: Any) -> TestResponse:
        with writes_nothing(regimen):
            return client.open(url, method=method, **request)

    return send
