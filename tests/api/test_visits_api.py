"""Visits over the API: booked by the desk, assessed by the therapist, a plan proposed from one."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from tests.api.helpers import (
    FIRST_SESSION_OVER,
    PERFORMANCE,
    Headers,
    Refuse,
    assert_problem,
    proposal_body,
)
from tests.builders import ZONE, Clinic, people_of
from tests.fakes import FixedClock

API = "/api/v1"


def visit_body(clinic: Clinic, **overrides: Any) -> dict[str, Any]:
    return {
        **people_of(clinic),
        "kind": "assessment",
        "start": "2026-03-09T10:00",
        "timezone": ZONE,
        "minutes": 60,
        "complaint": "stiff neck for three weeks",
        **overrides,
    }


@pytest.fixture
def visit(client: FlaskClient, clinic: Clinic, auth: Headers) -> dict[str, Any]:
    """A first assessment visit the desk booked for Monday 9 March, 10:00 London."""
    response = client.post(f"{API}/visits", json=visit_body(clinic), headers=auth["front_desk"])
    assert response.status_code == 201, response.get_json()
    assert response.headers["Location"] == f"/api/v1/visits/{response.get_json()['id']}"
    return dict(response.get_json())


def test_the_desk_books_a_first_visit_and_sees_it_without_clinical_details(
    client: FlaskClient, visit: dict[str, Any], auth: Headers
) -> None:
    read = client.get(f"{API}/visits/{visit['id']}", headers=auth["front_desk"]).get_json()
    assert (read["kind"], read["status"], read["local_start"]) == (
        "assessment",
        "booked",
        "2026-03-09T10:00",
    )
    assert read["complaint"] == "stiff neck for three weeks"
    assert "assessment" not in read and "performance" not in read
    calendar = client.get(
        f"{API}/calendar",
        query_string={"from": "2026-03-09", "to": "2026-03-09"},
        headers=auth["front_desk"],
    ).get_json()
    assert [(s["plan_id"], s["number"], s["kind"]) for s in calendar] == [
        (visit["id"], 0, "assessment")
    ]


def test_a_plan_session_cannot_take_a_visits_slot(
    visit: dict[str, Any], plan_id: UUID, refused: Refuse, auth: Headers
) -> None:
    response = refused(
        "post",
        f"{API}/plans/{plan_id}/sessions",
        json={"start": "2026-03-09T10:30", "timezone": ZONE},
        headers=auth["front_desk"],
    )
    problem = assert_problem(response, 409, "therapist booked for Cora Client's assessment visit")
    assert visit["id"] not in problem["detail"]  # the desk is told whose, never an id


def test_nothing_is_recorded_before_the_visit_or_session_starts(
    client: FlaskClient,
    clinic: Clinic,
    first_session_booked: None,
    plan_id: UUID,
    refused: Refuse,
    auth: Headers,
) -> None:
    early = visit_body(clinic, start="2026-03-09T08:00")
    visit = client.post(f"{API}/visits", json=early, headers=auth["front_desk"]).get_json()
    therapist = auth["therapist"]
    for url in (f"{API}/visits/{visit['id']}/perform", f"{API}/plans/{plan_id}/sessions/1/perform"):
        response = refused("post", url, json=PERFORMANCE, headers=therapist)
        assert_problem(response, 409, "has not started yet", "before it has started")


def test_the_therapist_assesses_and_proposes_a_plan_from_the_visit(
    client: FlaskClient, clinic: Clinic, visit: dict[str, Any], auth: Headers, clock: FixedClock
) -> None:
    therapist = auth["therapist"]
    clock.now = FIRST_SESSION_OVER  # the visit has taken place
    body = proposal_body(clinic)
    assessed = client.post(
        f"{API}/visits/{visit['id']}/assessment", json=body["assessment"], headers=therapist
    )
    assert assessed.status_code == 200, assessed.get_json()
    assert assessed.get_json()["assessment"]["complaint"] == body["assessment"]["complaint"]
    created = client.post(
        f"{API}/plans", json={**body, "from_visit_id": visit["id"]}, headers=therapist
    )
    assert created.status_code == 201, created.get_json()
    plan_id = created.get_json()["id"]

    plan = client.get(f"{API}/plans/{plan_id}", headers=therapist).get_json()
    led = client.get(f"{API}/visits/{visit['id']}", headers=auth["front_desk"]).get_json()
    history = client.get(f"{API}/plans/{plan_id}/history", headers=auth["auditor"]).get_json()
    assert plan["from_visit_id"] == visit["id"] and led["plan_id"] == plan_id
    assert history[0]["data"]["from_visit_id"] == visit["id"]


def test_a_visit_cancelled_inside_the_window_is_a_late_cancel_and_frees_the_slot(
    client: FlaskClient, clinic: Clinic, visit: dict[str, Any], auth: Headers, clock: FixedClock
) -> None:
    desk = auth["front_desk"]
    clock.now = FIRST_SESSION_OVER.replace(hour=6)  # the same morning
    cancelled = client.post(
        f"{API}/visits/{visit['id']}/cancel", json={"reason": "ill"}, headers=desk
    ).get_json()
    again = client.post(f"{API}/visits", json=visit_body(clinic, kind="single"), headers=desk)
    assert (cancelled["status"], cancelled["late_cancel"]) == ("cancelled", True)
    assert again.status_code == 201, again.get_json()


def test_a_visit_is_in_the_clients_calendar_feed(
    client: FlaskClient, clinic: Clinic, visit: dict[str, Any], auth: Headers
) -> None:
    issued = client.post(
        f"{API}/clients/{clinic.client_id}/feed-token", headers=auth["front_desk"]
    ).get_json()
    feed = client.get(f"/feeds/{issued['token']}.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    body = feed.get_data(as_text=True)
    assert f"UID:{visit['id']}-0@regimen" in body
    assert "DTSTART;TZID=Europe/London:20260309T100000" in body
    assert "SUMMARY:Visit at Test Clinic" in body and "Session 0" not in body


def test_each_read_of_a_visit_is_in_the_access_log(
    client: FlaskClient,
    regimen: Regimen,
    visit: dict[str, Any],
    auth: Headers,
    clock: FixedClock,
) -> None:
    client.get(f"{API}/visits/{visit['id']}", headers=auth["therapist"])
    client.get(f"{API}/visits/{visit['id']}", headers=auth["front_desk"])
    day = clock().date()
    views = regimen.access_log(UUID(visit["id"]), day, day)
    assert [(v.actor.role.value, v.record) for v in views] == [
        ("therapist", "visit"),
        ("front_desk", "visit"),
    ]


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("reschedule", {"start": "2026-03-10T10:00", "timezone": ZONE}, "authorization_override"),
        ("cancel", {"reason": "ill"}, "scope"),
    ],
)
def test_a_visit_has_no_authorization_to_override_nor_a_rest_to_cancel(
    client: FlaskClient,
    visit: dict[str, Any],
    auth: Headers,
    action: str,
    body: dict[str, str],
    field: str,
) -> None:
    response = client.post(
        f"{API}/visits/{visit['id']}/{action}",
        json={**body, field: "this"},
        headers=auth["front_desk"],
    )
    problem = assert_problem(response, 422)
    assert problem["errors"]["json"] == {field: ["Unknown field."]}
    read = client.get(f"{API}/visits/{visit['id']}", headers=auth["front_desk"]).get_json()
    assert (read["status"], read["local_start"]) == ("booked", "2026-03-09T10:00")


def test_a_performed_visits_codes_bill_units_under_the_cms_rule(
    client: FlaskClient, visit: dict[str, Any], auth: Headers, clock: FixedClock
) -> None:
    clock.now = FIRST_SESSION_OVER
    coded = [{"code": "97110", "minutes": 33}, {"code": "97140", "minutes": 7}]

    response = client.post(
        f"/api/v1/visits/{visit['id']}/perform",
        json={**PERFORMANCE, "procedures": coded},
        headers=auth["therapist"],
    )

    assert response.status_code == 200, response.get_json()
    assert [b["units"] for b in response.get_json()["billed"]] == [2, 1]
