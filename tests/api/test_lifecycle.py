"""A treatment plan's life over HTTP, told as the clinic lives it, and its audit trail."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from tests.api.helpers import (
    EVALUATION,
    PERFORMANCE,
    Headers,
    Refuse,
    assert_problem,
    at,
    desk_books,
    perform_and_evaluate,
    position,
    proposal_body,
    writes_nothing,
)
from tests.builders import Clinic
from tests.fakes import FixedClock

LIFECYCLE = [
    ("PlanProposed", "therapist"),
    ("PlanAgreed", "front_desk"),
    ("SessionBooked", "front_desk"),
    ("SessionPerformed", "therapist"),
    ("OutcomeEvaluated", "therapist"),
    ("PlanCompleted", "therapist"),
]


def test_a_plan_lives_from_proposal_to_discharge_and_its_history_tells_who_did_what(
    client: FlaskClient,
    regimen: Regimen,
    clinic: Clinic,
    auth: Headers,
    tokens: dict[str, str],
    clock: FixedClock,
) -> None:
    therapist, desk = auth["therapist"], auth["front_desk"]

    # After the assessment the therapist proposes six weekly sessions.
    proposed = client.post("/api/v1/plans", json=proposal_body(clinic), headers=therapist)
    assert proposed.status_code == 201, proposed.get_json()
    plan_id = proposed.get_json()["id"]
    assert proposed.headers["Location"] == f"/api/v1/plans/{plan_id}"
    plan = f"/api/v1/plans/{plan_id}"

    # The client agrees at the front desk, which books the first session.
    agreed = client.post(f"{plan}/agree", json={}, headers=desk)
    assert agreed.status_code == 200, agreed.get_json()
    assert agreed.get_json()["status"] == "agreed"
    booked = client.post(f"{plan}/sessions", json=at("2026-03-09T10:00"), headers=desk)
    assert booked.status_code == 201, booked.get_json()
    session = booked.get_json()
    assert (session["number"], session["status"]) == (1, "booked")
    assert session["therapist_id"] == str(clinic.therapist_id)
    assert session["room_id"] == str(clinic.room_id)

    # On the day, after the session, the therapist records it, evaluates, and discharges.
    clock.now = datetime.fromisoformat("2026-03-09T11:05+00:00")
    performed = client.post(f"{plan}/sessions/1/perform", json=PERFORMANCE, headers=therapist)
    assert performed.status_code == 200, performed.get_json()
    assert performed.get_json()["sessions"][0]["status"] == "performed"
    evaluated = client.post(f"{plan}/sessions/1/evaluate", json=EVALUATION, headers=therapist)
    assert evaluated.status_code == 200, evaluated.get_json()
    assert evaluated.get_json()["sessions"][0]["evaluation"]["pain_after"] == 3
    completed = client.post(f"{plan}/complete", json={"note": "discharged"}, headers=therapist)
    assert completed.status_code == 200, completed.get_json()
    assert completed.get_json()["status"] == "completed"

    # The history lists every step in order, each with who took it.
    history = client.get(f"{plan}/history", headers=auth["auditor"])
    assert history.status_code == 200, history.get_json()
    events = history.get_json()
    assert [(e["type"], e["actor"]["role"]) for e in events] == LIFECYCLE
    assert [e["version"] for e in events] == list(range(1, len(LIFECYCLE) + 1))
    accounts = {role: regimen.authenticate(tokens[role]) for _, role in LIFECYCLE}
    user_ids = {role: str(account.user_id) for role, account in accounts.items() if account}
    assert [e["actor"]["user_id"] for e in events] == [user_ids[role] for _, role in LIFECYCLE]


def test_a_plan_read_carries_its_version_as_etag(
    client: FlaskClient, plan_id: UUID, auth: Headers
) -> None:
    response = client.get(f"/api/v1/plans/{plan_id}", headers=auth["therapist"])

    assert response.status_code == 200
    assert response.get_json()["version"] == 2
    assert response.headers["ETag"] == '"2"'


def test_booking_a_plan_the_client_has_not_agreed_to_is_a_conflict(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    proposed = client.post("/api/v1/plans", json=proposal_body(clinic), headers=auth["therapist"])
    plan_id = proposed.get_json()["id"]

    with writes_nothing(regimen):
        response = desk_books(client, plan_id, auth, at("2026-03-09T10:00"))

    assert_problem(response, 409, "not agreed")


@pytest.mark.usefixtures("first_session_booked")
def test_evaluating_a_session_twice_is_a_conflict(
    regimen: Regimen, plan_id: UUID, auth: Headers, refused: Refuse
) -> None:
    perform_and_evaluate(regimen, plan_id, 1)

    response = refused(
        "POST",
        f"/api/v1/plans/{plan_id}/sessions/1/evaluate",
        json=EVALUATION,
        headers=auth["therapist"],
    )

    assert_problem(response, 409, "already evaluated")


def test_nothing_books_a_session_of_a_completed_plan(
    client: FlaskClient, regimen: Regimen, plan_id: UUID, auth: Headers
) -> None:
    client.post(f"/api/v1/plans/{plan_id}/complete", json={}, headers=auth["therapist"])

    with writes_nothing(regimen):
        response = desk_books(client, plan_id, auth, at("2026-03-09T10:00"))

    assert_problem(response, 409, "the plan is completed")


def test_a_retried_proposal_with_the_same_idempotency_key_replays_the_first_answer(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    headers = {**auth["therapist"], "Idempotency-Key": "proposal-cora-1"}
    first = client.post("/api/v1/plans", json=proposal_body(clinic), headers=headers)
    written = position(regimen)

    retry = client.post("/api/v1/plans", json=proposal_body(clinic), headers=headers)

    assert (retry.status_code, retry.get_json()) == (first.status_code, first.get_json())
    assert position(regimen) == written
