"""Booking a session over HTTP: time zones, double bookings and the clinic's hours."""

from __future__ import annotations

from datetime import date, datetime, time
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.values import Closure, DayHours, TimeOff, WeeklyHours
from tests.api.helpers import Headers, assert_problem, at, desk_books, writes_nothing
from tests.builders import ADMIN, Clinic, agreed_plan
from tests.fakes import FixedClock


@pytest.mark.parametrize(
    ("local_start", "utc_start", "utc_end"),
    [
        ("2026-03-09T10:00", "2026-03-09T10:00:00+00:00", "2026-03-09T11:00:00+00:00"),
        ("2026-03-30T10:00", "2026-03-30T09:00:00+00:00", "2026-03-30T10:00:00+00:00"),
    ],
    ids=["before-dst", "after-dst"],
)
def test_a_booked_session_keeps_its_utc_instant_zone_and_local_wall_time(
    client: FlaskClient,
    plan_id: UUID,
    auth: Headers,
    local_start: str,
    utc_start: str,
    utc_end: str,
) -> None:
    response = desk_books(client, plan_id, auth, at(local_start))

    assert response.status_code == 201, response.get_json()
    session = response.get_json()
    assert (session["start"], session["end"]) == (utc_start, utc_end)
    assert (session["timezone"], session["local_start"]) == ("Europe/London", local_start)
    assert session["minutes"] == 60


def test_a_booked_session_is_read_back_with_its_zone_and_local_time(
    client: FlaskClient, plan_id: UUID, auth: Headers
) -> None:
    plan = f"/api/v1/plans/{plan_id}"
    client.post(f"{plan}/sessions", json=at("2026-03-30T10:00"), headers=auth["front_desk"])

    session = client.get(plan, headers=auth["front_desk"]).get_json()["sessions"][0]

    assert session["start"] == "2026-03-30T09:00:00+00:00"
    assert (session["timezone"], session["local_start"]) == ("Europe/London", "2026-03-30T10:00")


@pytest.mark.parametrize(
    ("shared", "start"),
    [("therapist", "2026-03-09T10:30"), ("room", "2026-03-09T09:30")],
)
def test_booking_a_therapist_or_room_already_booked_at_an_overlapping_time_is_a_conflict(
    client: FlaskClient,
    regimen: Regimen,
    clinic: Clinic,
    plan_id: UUID,
    auth: Headers,
    shared: str,
    start: str,
) -> None:
    # Another client's plan sharing only the therapist, or only the room.
    other_resource = (
        {"room_id": clinic.other_room_id}
        if shared == "therapist"
        else {"therapist_id": clinic.other_therapist_id}
    )
    other = agreed_plan(regimen, clinic, client_id=clinic.other_client_id, **other_resource)
    first = desk_books(client, plan_id, auth, at("2026-03-09T10:00"))
    assert first.status_code == 201

    with writes_nothing(regimen):
        second = client.post(
            f"/api/v1/plans/{other}/sessions", json=at(start), headers=auth["front_desk"]
        )

    body = assert_problem(second, 409, f"{shared} booked for Cora Client's session 1", "10:00")
    assert body["type"].endswith("/slot-taken")
    assert str(plan_id) not in body["detail"]  # the desk is told whose booking, never an id


def test_booking_on_a_clinic_closure_day_is_refused_with_the_reason(
    client: FlaskClient, regimen: Regimen, plan_id: UUID, auth: Headers
) -> None:
    regimen.add_closure(Closure(date(2026, 4, 3), date(2026, 4, 6), "Easter"), actor=ADMIN)

    with writes_nothing(regimen):
        response = desk_books(client, plan_id, auth, at("2026-04-06T10:00"))

    assert_problem(response, 409, "clinic closed: Easter")


@pytest.mark.parametrize(
    ("local_start", "detail_has"),
    [
        pytest.param(
            "2026-03-09T07:00",
            ("clinic closed 07:00–08:00", "open 08:00–20:00"),
            id="before-it-opens",
        ),
        pytest.param("2026-03-08T10:00", ("clinic closed", "none on Sundays"), id="on-a-sunday"),
    ],
)
def test_booking_while_the_clinic_is_closed_is_refused_with_its_opening_hours(
    client: FlaskClient,
    regimen: Regimen,
    plan_id: UUID,
    auth: Headers,
    local_start: str,
    detail_has: tuple[str, ...],
) -> None:
    with writes_nothing(regimen):
        response = desk_books(client, plan_id, auth, at(local_start))

    assert_problem(response, 409, *detail_has)


def test_booking_outside_the_therapists_working_hours_is_refused_with_them(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, plan_id: UUID, auth: Headers
) -> None:
    mornings = WeeklyHours(tuple(DayHours(d, time(8), time(12)) for d in range(5)))
    regimen.set_working_hours(clinic.therapist_id, mornings, ADMIN)

    with writes_nothing(regimen):
        response = desk_books(client, plan_id, auth, at("2026-03-09T14:00"))

    assert_problem(response, 409, "therapist off 14:00–15:00", "works 08:00–12:00")


def test_booking_during_the_therapists_time_off_is_refused_with_the_reason(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, plan_id: UUID, auth: Headers
) -> None:
    away = TimeOff(
        start=datetime.fromisoformat("2026-03-09T09:00+00:00"),
        end=datetime.fromisoformat("2026-03-09T13:00+00:00"),
        reason="dentist",
    )
    regimen.take_time_off(clinic.therapist_id, away, ADMIN)

    with writes_nothing(regimen):
        response = desk_books(client, plan_id, auth, at("2026-03-09T10:00"))

    assert_problem(response, 409, "therapist away", "dentist")


def test_booking_in_the_past_is_refused(
    client: FlaskClient,
    regimen: Regimen,
    plan_id: UUID,
    auth: Headers,
    clock: FixedClock,
) -> None:
    clock.now = datetime.fromisoformat("2026-03-09T12:00+00:00")

    with writes_nothing(regimen):
        response = desk_books(client, plan_id, auth, at("2026-03-09T10:00"))

    assert_problem(response, 409, "in the past")


def test_a_booked_sessions_location_answers(
    client: FlaskClient, plan_id: UUID, auth: Headers
) -> None:
    booked = desk_books(client, plan_id, auth, at("2026-03-09T10:00"))

    assert client.get(booked.headers["Location"], headers=auth["front_desk"]).status_code == 200
