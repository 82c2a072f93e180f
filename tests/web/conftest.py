"""Web fixtures: SQLite only, and a browser session signed in at the front desk."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from service.application import Regimen
from service.domain.measures import Instrument, MeasureAnswers
from service.domain.values import Role
from tests.builders import ADMIN, Clinic, agreed_plan, visit_booking
from tests.fakes import FixedClock
from tests.plans import assessment
from tests.web.client_links import CorasLink, CorasPage, booked
from tests.web.visits import book_tuesdays, book_visit


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The web tests run on a fresh SQLite file only."""
    return f"sqlite:///{tmp_path / 'regimen.db'}"


class Desk:
    """A browser at the front desk: signs in, and sends forms with the session's CSRF token."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token = ""

    def sign_in(self, token: str) -> TestResponse:
        """Open the sign-in page and send the token."""
        self.token = token
        self.client.get("/")
        return self.client.post("/sign-in", data={"token": token, "csrf_token": self.csrf()})

    def sign_in_again(self) -> TestResponse:
        """Sign in with the same token (after the session ended while the desk was away)."""
        return self.sign_in(self.token)

    def csrf(self) -> str:
        """This browser session's CSRF token."""
        with self.client.session_transaction() as session:
            return str(session.get("csrf", ""))

    def get(self, url: str, **kwargs: Any) -> TestResponse:
        """A page."""
        return self.client.get(url, **kwargs)

    def post(
        self, url: str, data: Mapping[str, str | list[str]] | None = None, **kwargs: Any
    ) -> TestResponse:
        """A form (a list for a field sent more than once), with this session's CSRF token."""
        return self.client.post(url, data={**(data or {}), "csrf_token": self.csrf()}, **kwargs)

    def htmx(self, url: str, data: dict[str, str] | None = None) -> TestResponse:
        """What htmx sends: a GET, or a POST with the token in its header."""
        headers = {"HX-Request": "true", "X-CSRF-Token": self.csrf()}
        if data is None:
            return self.client.get(url, headers=headers)
        return self.client.post(url, data=data, headers=headers)


def signed_in(client: FlaskClient, token: str, landing: str | None = None) -> Desk:
    """A browser signed in with the token (and sent on to `landing`, if given)."""
    browser = Desk(client)
    response = browser.sign_in(token)
    assert response.status_code == 302
    assert landing is None or response.location == landing
    return browser


def signed_in_as_ben(client: FlaskClient, regimen: Regimen, clinic: Clinic) -> Desk:
    """A browser signed in as Ben, the clinic's other therapist (Dan's, not Cora's)."""
    _, token = regimen.add_user(
        "ben", Role.THERAPIST, ADMIN, therapist_id=clinic.other_therapist_id
    )
    return signed_in(client, token)


@pytest.fixture
def desk(client: FlaskClient, tokens: dict[str, str], clinic: Clinic) -> Desk:
    """A browser signed in with a front-desk token."""
    return signed_in(client, tokens["front_desk"])


@pytest.fixture
def therapist(client: FlaskClient, tokens: dict[str, str], clinic: Clinic) -> Desk:
    """A browser signed in with the therapist token: Ada, the clinic's first therapist."""
    return signed_in(client, tokens["therapist"])


@pytest.fixture
def visit_id(regimen: Regimen, clinic: Clinic, clock: FixedClock) -> UUID:
    """Cora's assessment visit with Ada at 09:00 on 2 March, under way: the clock reads 09:15."""
    booked = book_visit(
        regimen,
        clock,
        visit_booking(clinic, "2026-03-02T09:00", complaint="Low back pain since May"),
    )
    clock.advance(hours=1, minutes=15)
    return booked


def text(response: TestResponse) -> str:
    """The page's HTML."""
    return response.get_data(as_text=True)


def refused(
    desk: Desk,
    regimen: Regimen,
    url: str,
    form: Mapping[str, str | list[str]],
    status: int = 422,
) -> str:
    """The page a refused form answers with: `status`, and nothing recorded."""
    before = regimen.recorder.max_notification_id()
    response = desk.post(url, form)
    assert response.status_code == status, text(response)
    assert regimen.recorder.max_notification_id() == before
    return text(response)


def missing(page: str, *fragments: str) -> list[str]:
    """The fragments the page does not contain: `assert missing(...) == []` names each one."""
    return [fragment for fragment in fragments if fragment not in page]


@pytest.fixture
def coras_link(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> CorasLink:
    """Cora's link to her own page."""
    return CorasLink(client, regimen, clinic, clock)


@pytest.fixture
def cora(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, plan_id: UUID, clock: FixedClock
) -> CorasPage:
    """Cora's page, her plan booked on Tuesdays and the clinic's late-cancel rule set."""
    booked(regimen, plan_id, clock)
    return CorasPage(client, regimen, clinic, clock, plan_id)


NDI_BASELINE = MeasureAnswers(Instrument.NDI, (3, 3, 3, 3, 2, 2, 2, 2, 2, 2))  # 24 of 50
PSFS_BASELINE = MeasureAnswers(
    Instrument.PSFS, (3, 4, 2), ("reversing the car", "reading in bed", "lifting a child")
)


@pytest.fixture
def tracked_plan(regimen: Regimen, clinic: Clinic, clock: FixedClock) -> UUID:
    """Cora's weekly neck plan tracking the NDI (24 of 50 at the baseline) and the PSFS,
    booked Tuesdays from 3 March at 10:00; the clock at noon on 3 March."""
    plan_id = agreed_plan(
        regimen,
        clinic,
        assessment=assessment(measures=(NDI_BASELINE, PSFS_BASELINE)),
        measures=(Instrument.NDI, Instrument.PSFS),
    )
    book_tuesdays(regimen, plan_id, clock)
    clock.now = datetime(2026, 3, 3, 12, tzinfo=clock.now.tzinfo)
    return plan_id


@pytest.fixture
def plan_therapist(client: FlaskClient, tokens: dict[str, str], tracked_plan: UUID) -> Desk:
    """A browser signed in as Ada, once the tracked plan is booked."""
    return signed_in(client, tokens["therapist"])
