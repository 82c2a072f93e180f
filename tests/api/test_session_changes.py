"""Changing a booked session over HTTP: reschedule, cancel, late cancel, no-show."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from tests.api.helpers import Headers, Refuse, assert_problem, at, book, desk_books
from tests.builders import Clinic, agreed_plan
from tests.fakes import FixedClock

CANCEL = {"reason": "client is unwell"}


def statuses(client: FlaskClient, plan_id: UUID, headers: dict[str, str]) -> list[str]:
    """The status of each session of the plan, in order."""
    plan = client.get(f"/api/v1/plans/{plan_id}", headers=headers).get_json()
    return [s["status"] for s in plan["sessions"]]


@pytest.fixture
def other(regimen: Regimen, clinic: Clinic) -> UUID:
    """An agreed plan of the second client, with the same therapist in the same room."""
    return agreed_plan(regimen, clinic, client_id=clinic.other_client_id)


@pytest.mark.usefixtures("first_session_booked")
def test_rescheduling_a_session_frees_its_old_slot_for_another_plan(
    client: FlaskClient, plan_id: UUID, other: UUID, auth: Headers
) -> None:
    moved = client.post(
        f"/api/v1/plans/{plan_id}/sessions/1/reschedule",
        json=at("2026-03-09T14:00"),
        headers=auth["front_desk"],
    )
    taken = desk_books(client, other, auth, at("2026-03-09T10:00"))

    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["local_start"] == "2026-03-09T14:00"
    assert taken.status_code == 201, taken.get_json()


@pytest.mark.parametrize(
    ("scope", "after"),
    [("this", ["booked", "cancelled", "booked"]), ("rest", ["booked", "cancelled", "cancelled"])],
)
def test_cancelling_cancels_that_session_and_with_scope_rest_every_later_one(
    client: FlaskClient,
    regimen: Regimen,
    plan_id: UUID,
    auth: Headers,
    clock: FixedClock,
    scope: str,
    after: list[str],
) -> None:
    for day in ("09", "16", "23"):
        book(regimen, plan_id, f"2026-03-{day}T10:00", clock.now)

    response = client.post(
        f"/api/v1/plans/{plan_id}/sessions/2/cancel",
        json={**CANCEL, "scope": scope},
        headers=auth["front_desk"],
    )

    assert response.status_code == 200, response.get_json()
    assert [s["status"] for s in response.get_json()["sessions"]] == after
    assert statuses(client, plan_id, auth["front_desk"]) == after


@pytest.mark.usefixtures("first_session_booked")
def test_a_cancelled_session_frees_its_slot(
    client: FlaskClient, plan_id: UUID, other: UUID, auth: Headers
) -> None:
    client.post(
        f"/api/v1/plans/{plan_id}/sessions/1/cancel", json=CANCEL, headers=auth["front_desk"]
    )

    taken = desk_books(client, other, auth, at("2026-03-09T10:00"))

    assert taken.status_code == 201, taken.get_json()


@pytest.mark.parametrize(
    ("cancelled_at", "late"),
    [
        pytest.param("2026-03-08T12:00+00:00", True, id="within-24-hours-of-the-start"),
        pytest.param("2026-03-08T09:59+00:00", False, id="more-than-24-hours-ahead"),
    ],
)
@pytest.mark.usefixtures("first_session_booked")
def test_cancelling_is_flagged_late_only_within_24_hours_of_the_start(
    client: FlaskClient,
    plan_id: UUID,
    auth: Headers,
    clock: FixedClock,
    cancelled_at: str,
    late: bool,
) -> None:
    clock.now = datetime.fromisoformat(cancelled_at)

    response = client.post(
        f"/api/v1/plans/{plan_id}/sessions/1/cancel", json=CANCEL, headers=auth["front_desk"]
    )

    assert response.status_code == 200, response.get_json()
    session = response.get_json()["sessions"][0]
    assert (session["status"], session["late_cancel"]) == ("cancelled", late)
    # a late cancel counts against the authorization; one in good time does not
    assert session["counts_against_authorization"] is late


@pytest.mark.usefixtures("first_session_booked")
def test_a_no_show_before_the_session_starts_is_refused(
    plan_id: UUID,
    auth: Headers,
    clock: FixedClock,
    refused: Refuse,
) -> None:
    clock.now = datetime.fromisoformat("2026-03-09T09:59+00:00")

    response = refused(
        "POST",
        f"/api/v1/plans/{plan_id}/sessions/1/no-show",
        json={},
        headers=auth["front_desk"],
    )

    assert_problem(response, 409, "session 1 has not started yet")


@pytest.mark.usefixtures("first_session_booked")
def test_a_no_show_after_the_session_starts_is_recorded(
    client: FlaskClient, plan_id: UUID, auth: Headers, clock: FixedClock
) -> None:
    clock.now = datetime.fromisoformat("2026-03-09T10:15+00:00")

    response = client.post(
        f"/api/v1/plans/{plan_id}/sessions/1/no-show", json={}, headers=auth["front_desk"]
    )

    assert response.status_code == 200, response.get_json()
    session = response.get_json()
    assert (session["status"], session["counts_against_authorization"]) == ("missed", True)
