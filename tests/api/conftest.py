"""API fixtures: SQLite only, the staff tokens as Authorization headers, a booked plan, and
the scheduler's side offering the waitlist."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from service.application import Regimen
from service.bootstrap import Wiring, bootstrap
from service.config import Settings
from service.domain.reminders import Channel
from tests.api.helpers import Headers, Refuse, bearer, book, perform_and_evaluate, writes_nothing
from tests.api.waitlist import join
from tests.builders import DESK, Clinic, visit_booking
from tests.fakes import CapturingSender, FixedClock
from tests.reminder_scenario import EMAIL_48_AND_2


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


@pytest.fixture
def sender() -> CapturingSender:
    """Where the scheduler's side sends its messages."""
    return CapturingSender()


@pytest.fixture
def wiring(
    regimen: Regimen, settings: Settings, clock: FixedClock, sender: CapturingSender
) -> Wiring:
    """The scheduler's side, on the app's database and clock, sending to `sender`."""
    return bootstrap(settings, regimen=regimen, clock=clock, senders={Channel.EMAIL: sender})


@pytest.fixture
def offer_to_cora(
    client: FlaskClient,
    regimen: Regimen,
    auth: Headers,
    clinic: Clinic,
    wiring: Wiring,
    clock: FixedClock,
    sender: CapturingSender,
) -> Callable[[], str]:
    """Cora waits; Dan's Wednesday visit is cancelled through the API; the scheduler's pass
    offers it to her: the path of the claim link she is sent."""

    def offer() -> str:
        join(client, auth, clinic.client_id)
        regimen.set_reminder_preferences(clinic.client_id, EMAIL_48_AND_2, DESK)
        visit = regimen.book_visit(
            visit_booking(clinic, "2026-03-04T10:00", client_id=clinic.other_client_id),
            actor=DESK,
            now=clock.now,
        )
        cancelled = client.post(
            f"/api/v1/visits/{visit.id}/cancel", json={"reason": "ill"}, headers=auth["front_desk"]
        )
        assert cancelled.status_code == 200
        wiring.offer_waitlist(clock.now)
        [message] = sender.sent
        return re.search(r"http://localhost(/waitlist/claim/\S+)", message.text).group(1)  # type: ignore[union-attr]

    return offer
