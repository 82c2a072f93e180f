"""The front desk's views over HTTP: calendar, day sheet, client schedule, plan list, progress."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from flask.testing import FlaskClient

from service.application import Regimen
from tests.api.helpers import (
    EVALUATION,
    FIRST_SESSION_OVER,
    PERFORMANCE,
    Headers,
    assert_problem,
)
from tests.builders import Clinic, agreed_plan
from tests.fakes import FixedClock


def book_series(client: FlaskClient, plan_id: UUID, auth: Headers, first: str) -> None:
    response = client.post(
        f"/api/v1/plans/{plan_id}/series",
        json={"first_start": first, "timezone": "Europe/London"},
        headers=auth["front_desk"],
    )
    assert response.status_code == 201, response.get_json()


def test_the_day_sheet_shows_a_booking_at_once_with_names(
    client: FlaskClient, clinic: Clinic, plan_id: UUID, auth: Headers
) -> None:
    book_series(client, plan_id, auth, "2026-03-09T10:00")
    response = client.get(
        f"/api/v1/therapists/{clinic.therapist_id}/day-sheet",
        query_string={"date": "2026-03-16"},
        headers=auth["front_desk"],
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["timezone"] == "Europe/London"
    assert [
        (s["local_start"], s["client_name"], s["room_name"], s["number"]) for s in body["sessions"]
    ] == [("2026-03-16T10:00", "Cora Client", "Room A", 2)]


def test_the_calendar_pages_through_a_range_by_room(
    client: FlaskClient, clinic: Clinic, plan_id: UUID, auth: Headers
) -> None:
    book_series(client, plan_id, auth, "2026-03-09T10:00")
    query = {"from": "2026-03-01", "to": "2026-04-30", "room_id": str(clinic.room_id), "limit": 4}
    first = client.get("/api/v1/calendar", query_string=query, headers=auth["front_desk"])
    assert first.status_code == 200
    assert len(first.get_json()) == 4
    assert 'rel="next"' in first.headers["Link"]
    second = client.get(
        "/api/v1/calendar",
        query_string={**query, "cursor": first.headers["X-Next-Cursor"]},
        headers=auth["front_desk"],
    )
    assert "Link" not in second.headers
    numbers = [s["number"] for s in first.get_json() + second.get_json()]
    assert numbers == [1, 2, 3, 4, 5, 6]
    other_room = client.get(
        "/api/v1/calendar",
        query_string={**query, "room_id": str(clinic.other_room_id)},
        headers=auth["front_desk"],
    )
    assert other_room.get_json() == []


def test_a_forged_cursor_is_refused_clearly(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    response = client.get(
        "/api/v1/calendar",
        query_string={"from": "2026-03-01", "to": "2026-03-02", "cursor": "bm90IGEgY3Vyc29y"},
        headers=auth["front_desk"],
    )
    assert_problem(response, 400, "cursor")


def test_a_clients_schedule_lists_their_sessions(
    client: FlaskClient, clinic: Clinic, plan_id: UUID, auth: Headers
) -> None:
    book_series(client, plan_id, auth, "2026-03-09T10:00")
    mine = client.get(f"/api/v1/clients/{clinic.client_id}/sessions", headers=auth["front_desk"])
    theirs = client.get(
        f"/api/v1/clients/{clinic.other_client_id}/sessions", headers=auth["front_desk"]
    )
    assert [s["local_start"][:10] for s in mine.get_json()] == [
        "2026-03-09",
        "2026-03-16",
        "2026-03-23",
        "2026-03-30",
        "2026-04-06",
        "2026-04-13",
    ]
    assert theirs.get_json() == []


def test_plans_are_listed_by_status_with_their_progress(
    client: FlaskClient,
    regimen: Regimen,
    clinic: Clinic,
    plan_id: UUID,
    auth: Headers,
    clock: FixedClock,
) -> None:
    agreed_plan(regimen, clinic, client_id=clinic.other_client_id)
    book_series(client, plan_id, auth, "2026-03-09T10:00")
    clock.now = FIRST_SESSION_OVER
    client.post(
        f"/api/v1/plans/{plan_id}/sessions/1/perform", json=PERFORMANCE, headers=auth["therapist"]
    )
    listed = client.get(
        "/api/v1/plans",
        query_string={"client_id": str(clinic.client_id), "status": "agreed"},
        headers=auth["front_desk"],
    ).get_json()
    assert [
        (p["id"], p["sessions_done"], p["sessions_booked"], p["sessions_left"]) for p in listed
    ] == [(str(plan_id), 1, 5, 0)]
    assert (
        client.get(
            "/api/v1/plans", query_string={"status": "completed"}, headers=auth["front_desk"]
        ).get_json()
        == []
    )


def test_progress_shows_pain_before_and_after_and_the_trend(
    client: FlaskClient, plan_id: UUID, auth: Headers, clock: FixedClock
) -> None:
    book_series(client, plan_id, auth, "2026-03-09T10:00")
    clock.now = FIRST_SESSION_OVER + timedelta(weeks=1)  # the second session has ended too
    for number, (before, after) in enumerate(((7, 5), (5, 3)), start=1):
        client.post(
            f"/api/v1/plans/{plan_id}/sessions/{number}/perform",
            json={**PERFORMANCE, "pain_before": before},
            headers=auth["therapist"],
        )
        client.post(
            f"/api/v1/plans/{plan_id}/sessions/{number}/evaluate",
            json={**EVALUATION, "pain_after": after},
            headers=auth["therapist"],
        )
    body = client.get(f"/api/v1/plans/{plan_id}/progress", headers=auth["therapist"]).get_json()
    assert [(o["pain_before"], o["pain_after"]) for o in body["outcomes"]] == [(7, 5), (5, 3)]
    assert (body["pain_change"], body["pain_trend"]) == (-4, "improving")
    assert body["plan"]["sessions_done"] == 2


def test_client_search_pages_by_name(client: FlaskClient, clinic: Clinic, auth: Headers) -> None:
    page = client.get("/api/v1/clients", query_string={"limit": 1}, headers=auth["front_desk"])
    rest = client.get(
        "/api/v1/clients",
        query_string={"limit": 1, "cursor": page.headers["X-Next-Cursor"]},
        headers=auth["front_desk"],
    )
    assert [c["name"] for c in page.get_json() + rest.get_json()] == ["Cora Client", "Dan Client"]
    found = client.get("/api/v1/clients", query_string={"q": "DAN"}, headers=auth["front_desk"])
    assert [c["name"] for c in found.get_json()] == ["Dan Client"]
