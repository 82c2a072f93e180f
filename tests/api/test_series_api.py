"""Series over HTTP: preview, book, every conflict listed, revise, availability."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.proposal import PlanProposal
from service.domain.values import Closure, SeriesSpec
from tests.api.helpers import (
    Headers,
    Refuse,
    assert_problem,
    availability,
    desk_books,
)
from tests.builders import ADMIN, Clinic, agreed_plan

EIGHT = SeriesSpec(sessions=8, interval_days=7, session_minutes=60)


def series_body(first: str = "2026-03-16T10:00", **extra: object) -> dict[str, object]:
    return {"first_start": first, "timezone": "Europe/London", **extra}


def test_a_preview_lists_the_closure_and_writes_nothing(
    regimen: Regimen, clinic: Clinic, auth: Headers, refused: Refuse
) -> None:
    regimen.add_closure(Closure(date(2026, 3, 30), date(2026, 3, 30), "Training"), actor=ADMIN)
    plan_id = agreed_plan(regimen, clinic, series=EIGHT)
    response = refused(
        "POST",
        f"/api/v1/plans/{plan_id}/series",
        json=series_body(dry_run=True, conflict_policy="shift"),
        headers=auth["front_desk"],
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["dry_run"] and body["bookable"]
    assert [c["occurrence"] for c in body["conflicts"]] == [3]
    assert body["conflicts"][0]["reason"] == "closure"
    shifted = [s for s in body["slots"] if s["shifted"]]
    assert [(s["requested_local_start"], s["local_start"][:10]) for s in shifted] == [
        ("2026-03-30T10:00", "2026-03-31")
    ]
    assert len(body["sessions"]) == 8


def test_booking_a_series_answers_every_session_in_wall_time(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    plan_id = agreed_plan(regimen, clinic, series=EIGHT)
    response = client.post(
        f"/api/v1/plans/{plan_id}/series", json=series_body(), headers=auth["front_desk"]
    )
    assert response.status_code == 201, response.get_json()
    sessions = response.get_json()["sessions"]
    assert [s["local_start"][11:] for s in sessions] == ["10:00"] * 8
    assert [s["start"][11:16] for s in sessions] == ["10:00", "10:00"] + ["09:00"] * 6
    assert [s["number"] for s in sessions] == list(range(1, 9))


def test_the_second_plan_at_the_same_weekly_time_gets_409_listing_every_occurrence(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers, refused: Refuse
) -> None:
    first = agreed_plan(regimen, clinic, series=EIGHT, room_id=None)
    second = agreed_plan(
        regimen, clinic, series=EIGHT, client_id=clinic.other_client_id, room_id=None
    )
    ok = client.post(
        f"/api/v1/plans/{first}/series", json=series_body(), headers=auth["front_desk"]
    )
    assert ok.status_code == 201
    response = refused(
        "POST",
        f"/api/v1/plans/{second}/series",
        json=series_body(),
        headers=auth["front_desk"],
    )
    assert_problem(response, 409, "8 of the sessions conflict")
    conflicts = response.get_json()["conflicts"]
    assert [c["occurrence"] for c in conflicts] == list(range(1, 9))
    assert {c["reason"] for c in conflicts} == {"busy"}


def test_a_series_needs_an_agreed_plan(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    from tests.builders import THERAPIST, proposal

    plan_id = regimen.propose_plan(PlanProposal(**proposal(clinic)), actor=THERAPIST)
    response = client.post(
        f"/api/v1/plans/{plan_id}/series",
        json=series_body(dry_run=True),
        headers=auth["front_desk"],
    )
    assert_problem(response, 409, "not agreed")


def test_an_absurd_shift_window_or_policy_is_an_invalid_field(
    client: FlaskClient, plan_id: UUID, auth: Headers
) -> None:
    for extra in ({"shift_window_days": 400}, {"conflict_policy": "maybe"}):
        response = client.post(
            f"/api/v1/plans/{plan_id}/series", json=series_body(**extra), headers=auth["front_desk"]
        )
        assert_problem(response, 422)


def test_revising_rebooks_the_future_sessions_at_the_new_interval(
    client: FlaskClient, plan_id: UUID, auth: Headers
) -> None:
    client.post(f"/api/v1/plans/{plan_id}/series", json=series_body(), headers=auth["front_desk"])
    response = client.post(
        f"/api/v1/plans/{plan_id}/revise",
        json={
            "series": {"sessions": 6, "interval_days": 14, "session_minutes": 60},
            "reason": "settling well",
        },
        headers=auth["therapist"],
    )
    assert response.status_code == 200, response.get_json()
    sessions = response.get_json()["plan"]["sessions"]
    assert [s["local_start"][:10] for s in sessions] == [
        "2026-03-16",
        "2026-03-30",
        "2026-04-13",
        "2026-04-27",
        "2026-05-11",
        "2026-05-25",
    ]
    assert response.headers["ETag"]


def test_availability_lists_the_free_starts_of_a_day(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, plan_id: UUID, auth: Headers
) -> None:
    desk_books(client, plan_id, auth, {"start": "2026-03-16T10:00", "timezone": "Europe/London"})
    response = availability(client, clinic, auth["front_desk"])
    assert response.status_code == 200
    starts = [s["local_start"][11:] for s in response.get_json()]
    assert starts == [f"{h:02d}:00" for h in range(8, 20) if h != 10]


def test_availability_over_more_than_a_month_is_refused(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    response = availability(
        client, clinic, auth["front_desk"], **{"from": "2026-03-01", "to": "2026-06-01"}
    )
    assert_problem(response, 422, "31 days")
