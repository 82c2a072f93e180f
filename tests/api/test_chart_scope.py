"""Therapists read and change the charts of the clients they treat; others only for a reason."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from service.application.commands import Slot
from service.domain.values import Role
from tests.api.helpers import (
    FIRST_SESSION_OVER,
    PERFORMANCE,
    Headers,
    assert_problem,
    bearer,
    proposal_body,
)
from tests.builders import ADMIN, DESK, ZONE, Clinic, configure_clinic
from tests.fakes import FixedClock

API = "/api/v1"
READS = ["", "/progress", "/sessions/1", "/history"]


@pytest.fixture
def ben(regimen: Regimen, clinic: Clinic) -> dict[str, str]:
    """The Authorization header of the second therapist, who does not treat the first client."""
    _, token = regimen.add_user(
        "Ben", Role.THERAPIST, ADMIN, therapist_id=clinic.other_therapist_id
    )
    return bearer(token)


@pytest.fixture
def booked(regimen: Regimen, plan_id: UUID, clock: FixedClock) -> UUID:
    """The first therapist's plan with its first session booked with them."""
    regimen.book_session(
        plan_id, Slot(local_start=datetime(2026, 3, 9, 10), zone=ZONE), actor=DESK, now=clock.now
    )
    return plan_id


def open_charts(regimen: Regimen) -> None:
    """The clinic opens every chart to every therapist."""
    configure_clinic(regimen, charts_open_to_all_therapists=True)


@pytest.mark.parametrize("read", READS)
def test_a_therapist_reads_the_charts_of_their_own_clients(
    client: FlaskClient, booked: UUID, auth: Headers, read: str
) -> None:
    response = client.get(f"{API}/plans/{booked}{read}", headers=auth["therapist"])

    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize("read", READS)
def test_reading_another_therapists_client_without_a_reason_is_refused(
    client: FlaskClient, booked: UUID, ben: dict[str, str], read: str
) -> None:
    response = client.get(f"{API}/plans/{booked}{read}", headers=ben)

    assert_problem(response, 403, "X-Access-Reason")


def test_a_break_the_glass_read_is_logged_with_its_reason(
    client: FlaskClient, booked: UUID, ben: dict[str, str], auth: Headers
) -> None:
    reason = "covering for Ada: client phoned with new symptoms"
    read = client.get(f"{API}/plans/{booked}", headers={**ben, "X-Access-Reason": reason})
    assert read.status_code == 200
    assert "assessment" in read.get_json()

    log = client.get(f"{API}/plans/{booked}/access-log", headers=auth["auditor"]).get_json()
    assert [(v["reason"], v["break_glass"]) for v in log] == [(reason, True)]


def test_a_therapists_read_of_their_own_client_is_no_break_glass(
    client: FlaskClient, booked: UUID, auth: Headers
) -> None:
    headers = {**auth["therapist"], "X-Access-Reason": "not needed"}
    assert client.get(f"{API}/plans/{booked}", headers=headers).status_code == 200

    log = client.get(f"{API}/plans/{booked}/access-log", headers=auth["auditor"]).get_json()
    assert [(v["reason"], v["break_glass"]) for v in log] == [("", False)]


def test_changing_another_therapists_chart_is_refused_even_with_a_reason(
    client: FlaskClient, booked: UUID, ben: dict[str, str]
) -> None:
    response = client.post(
        f"{API}/plans/{booked}/sessions/1/perform",
        json=PERFORMANCE,
        headers={**ben, "X-Access-Reason": "covering"},
    )

    assert_problem(response, 403, "another therapist")


def test_a_session_booked_with_a_therapist_opens_the_clients_chart_to_them(
    client: FlaskClient,
    plan_id: UUID,
    clinic: Clinic,
    ben: dict[str, str],
    auth: Headers,
    clock: FixedClock,
) -> None:
    booking = {"start": "2026-03-09T10:00", "timezone": ZONE}
    booking["therapist_id"] = str(clinic.other_therapist_id)
    booked = client.post(
        f"{API}/plans/{plan_id}/sessions", json=booking, headers=auth["front_desk"]
    )
    assert booked.status_code == 201, booked.get_json()

    clock.now = FIRST_SESSION_OVER

    assert read_and_perform(client, plan_id, ben) == (200, 200)


def test_a_clinic_with_open_charts_lets_any_therapist_read_and_change_them(
    client: FlaskClient, regimen: Regimen, booked: UUID, ben: dict[str, str], clock: FixedClock
) -> None:
    open_charts(regimen)
    clock.now = FIRST_SESSION_OVER

    assert read_and_perform(client, booked, ben) == (200, 200)


def read_and_perform(
    client: FlaskClient, plan_id: UUID, headers: dict[str, str]
) -> tuple[int, int]:
    """The statuses of reading the plan, then recording its first session, as this user."""
    read = client.get(f"{API}/plans/{plan_id}", headers=headers)
    performed = client.post(
        f"{API}/plans/{plan_id}/sessions/1/perform", json=PERFORMANCE, headers=headers
    )
    return read.status_code, performed.status_code


def test_the_admin_opens_the_charts_through_the_clinics_settings(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    settings = client.get(f"{API}/clinic", headers=auth["admin"]).get_json()
    body = {k: v for k, v in settings.items() if k not in ("version", "closures")}
    assert body["charts_open_to_all_therapists"] is False

    body["charts_open_to_all_therapists"] = True
    saved = client.put(f"{API}/clinic", json=body, headers=auth["admin"])

    assert saved.get_json()["charts_open_to_all_therapists"] is True


def test_a_therapist_user_linked_to_no_therapist_is_told_how_to_fix_it(
    client: FlaskClient, regimen: Regimen, booked: UUID, clinic: Clinic
) -> None:
    _, token = regimen.add_user("Unlinked", Role.THERAPIST, ADMIN)

    read = client.get(f"{API}/plans/{booked}", headers=bearer(token))
    proposed = client.post(f"{API}/plans", json=proposal_body(clinic), headers=bearer(token))

    assert_problem(read, 403, "regimen users link")
    assert_problem(proposed, 403, "regimen users link")


def test_a_therapist_proposes_for_themselves_by_default(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, ben: dict[str, str]
) -> None:
    body = proposal_body(clinic)
    del body["therapist_id"]

    created = client.post(f"{API}/plans", json=body, headers=ben)

    assert created.status_code == 201, created.get_json()
    assert regimen.plan(UUID(created.get_json()["id"])).therapist_id == clinic.other_therapist_id


def test_a_therapist_may_not_propose_a_plan_for_a_colleague(
    client: FlaskClient, clinic: Clinic, ben: dict[str, str]
) -> None:
    response = client.post(f"{API}/plans", json=proposal_body(clinic), headers=ben)

    assert_problem(response, 403, "for themselves")


def test_a_reason_too_long_to_log_is_refused_clearly(
    client: FlaskClient, booked: UUID, ben: dict[str, str]
) -> None:
    response = client.get(f"{API}/plans/{booked}", headers={**ben, "X-Access-Reason": "x" * 501})

    assert_problem(response, 422, "X-Access-Reason")
