"""Outcome measures and adherence over HTTP: the baseline with the proposal, the answers
again with each evaluation, and the plan's progress against both."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import EVALUATION, PERFORMANCE, Headers, proposal_body
from tests.builders import ZONE, Clinic
from tests.fakes import FixedClock

API = "/api/v1"
NDI_24 = [3, 3, 2, 3, 2, 3, 2, 2, 2, 2]
NDI_20 = [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]
NDI_16 = [2, 2, 2, 2, 1, 2, 1, 2, 1, 1]
NDI_21 = [3, 2, 2, 3, 2, 2, 2, 2, 2, 1]
FIRST = datetime(2026, 3, 9, 10)  # Monday, London (GMT in March)


def ndi(items: list[int]) -> list[dict[str, Any]]:
    return [{"instrument": "ndi", "items": items}]


def neck_plan(client: FlaskClient, clinic: Clinic, auth: Headers) -> str:
    body = proposal_body(clinic)
    body["assessment"]["measures"] = ndi(NDI_24)
    proposed = client.post(f"{API}/plans", json=body, headers=auth["therapist"])
    assert proposed.status_code == 201, proposed.get_json()
    plan_id = proposed.get_json()["id"]
    assert (
        client.post(f"{API}/plans/{plan_id}/agree", json={}, headers=auth["front_desk"]).status_code
        == 200
    )
    return str(plan_id)


def treat(
    client: FlaskClient,
    plan_id: str,
    auth: Headers,
    clock: FixedClock,
    days: list[int],
    scores: list[list[int]],
) -> None:
    """Book, perform and evaluate a session on each day after the first Monday."""
    for number, (day, items) in enumerate(zip(days, scores, strict=True), start=1):
        start = FIRST + timedelta(days=day)
        booked = client.post(
            f"{API}/plans/{plan_id}/sessions",
            json={"start": start.isoformat(timespec="minutes"), "timezone": ZONE},
            headers=auth["front_desk"],
        )
        assert booked.status_code == 201, booked.get_json()
        clock.now = start.replace(tzinfo=UTC) + timedelta(hours=1)
        session = f"{API}/plans/{plan_id}/sessions/{number}"
        assert (
            client.post(
                f"{session}/perform", json=PERFORMANCE, headers=auth["therapist"]
            ).status_code
            == 200
        )
        evaluated = client.post(
            f"{session}/evaluate",
            json={**EVALUATION, "measures": ndi(items)},
            headers=auth["therapist"],
        )
        assert evaluated.status_code == 200, evaluated.get_json()


def progress(client: FlaskClient, plan_id: str, auth: Headers, role: str = "therapist") -> Any:
    answer = client.get(f"{API}/plans/{plan_id}/progress", headers=auth[role])
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def measure(body: Any, key: str) -> dict[str, Any]:
    return next(m for m in body["measures"] if m["key"] == key)


def test_an_ndi_from_24_to_20_and_16_is_eight_points_better_and_meaningful(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    plan_id = neck_plan(client, clinic, auth)
    plan = client.get(f"{API}/plans/{plan_id}", headers=auth["therapist"]).get_json()
    assert plan["measures"] == ["nprs", "ndi"]  # suggested for a neck
    treat(client, plan_id, auth, clock, [0, 7], [NDI_20, NDI_16])
    found = measure(progress(client, plan_id, auth), "ndi")
    assert [p["score"] for p in found["points"]] == [24.0, 20.0, 16.0]
    assert (found["change"], found["meaningful"], found["improved"]) == (-8.0, True, True)


def test_an_ndi_from_24_to_21_is_not_meaningful(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    plan_id = neck_plan(client, clinic, auth)
    treat(client, plan_id, auth, clock, [0], [NDI_21])
    found = measure(progress(client, plan_id, auth), "ndi")
    assert (found["change"], found["meaningful"]) == (-3.0, False)


def test_a_weekly_plan_kept_7_14_and_21_days_apart_is_drifting(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    plan_id = neck_plan(client, clinic, auth)
    treat(client, plan_id, auth, clock, [0, 7, 21, 42], [NDI_20] * 4)
    adherence = progress(client, plan_id, auth)["adherence"]
    assert adherence["gaps_days"] == [7, 14, 21] and adherence["mean_gap_days"] == 14.0
    assert adherence["drifting"] is True
    assert adherence["tally"]["kept"] == 4
    assert adherence["tally"]["minutes_delivered"] == 4 * PERFORMANCE["duration_minutes"]


def test_the_desk_sees_adherence_but_no_measures(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    plan_id = neck_plan(client, clinic, auth)
    treat(client, plan_id, auth, clock, [0], [NDI_20])
    body = progress(client, plan_id, auth, "front_desk")
    assert "measures" not in body and "latest_recommendation" not in body
    assert body["adherence"]["tally"]["kept"] == 1


def test_answers_that_do_not_fit_the_instrument_are_a_422_and_nothing_is_stored(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    body = proposal_body(clinic)
    body["assessment"]["measures"] = ndi([3, 3, 2])
    answer = client.post(f"{API}/plans", json=body, headers=auth["therapist"])
    assert answer.status_code == 422
    assert "NDI" in answer.get_json()["detail"]
    assert client.get(f"{API}/plans", headers=auth["therapist"]).get_json() == []
