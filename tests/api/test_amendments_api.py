"""Amending a session's record or evaluation, or a visit's record, over HTTP: the therapist
gives a reason, the original stays in the history, and the desk sees none of it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.values import Performance
from service.domain.visit import VisitKind
from tests.api.helpers import FIRST_SESSION_OVER, Headers, Refuse, assert_problem
from tests.builders import DESK, THERAPIST, Clinic, visit_booking
from tests.fakes import FixedClock

API = "/api/v1"
# What tests.api.helpers.perform_and_evaluate records, as JSON.
RECORDED = {
    "techniques": ["effleurage"],
    "areas": ["neck"],
    "duration_minutes": 60,
    "pain_before": 6,
    "notes": "",
    "client_report": "",
    "procedures": [],
}
EVALUATED = {
    "pain_after": 3,
    "mobility": "better",
    "recommendation": "continue",
    "range_of_motion": [],
    "posture": "",
    "client_rating": None,
    "recommended_interval_days": None,
    "notes": "",
    "measures": [],
}
AMENDED_RECORD = {**RECORDED, "areas": ["neck", "upper back"], "pain_before": 7}


@pytest.fixture
def treated(clock: FixedClock, first_session_treated: None) -> None:
    """The first session performed and evaluated, and the clock after it."""
    clock.now = FIRST_SESSION_OVER


def amend_record(client: FlaskClient, plan_id: UUID, headers: dict[str, str], **body: Any) -> Any:
    return client.post(
        f"{API}/plans/{plan_id}/sessions/1/record-amendments",
        json={"performance": AMENDED_RECORD, "reason": "forgot the upper back", **body},
        headers=headers,
    )


@pytest.mark.usefixtures("treated")
def test_the_therapist_amends_a_record_and_the_original_stays_beside_it(
    client: FlaskClient, plan_id: UUID, auth: Headers
) -> None:
    response = amend_record(client, plan_id, auth["therapist"])

    assert response.status_code == 200, response.get_json()
    session = response.get_json()["sessions"][0]
    assert session["performance"] == AMENDED_RECORD
    [amendment] = session["amendments"]
    assert amendment == {
        "what": "record",
        "reason": "forgot the upper back",
        "by": {"user_id": amendment["by"]["user_id"], "role": "therapist"},
        "at": "2026-03-09T11:00:00+00:00",
        "replaced_record": RECORDED,
        "replaced_evaluation": None,
    }
    assert response.headers["ETag"] == f'"{response.get_json()["version"]}"'
    read = client.get(f"{API}/plans/{plan_id}/sessions/1", headers=auth["therapist"])
    assert read.get_json()["amendments"] == [amendment]


@pytest.mark.usefixtures("treated")
def test_the_therapist_amends_an_evaluation(
    client: FlaskClient, plan_id: UUID, auth: Headers
) -> None:
    corrected = {**EVALUATED, "pain_after": 2, "client_rating": 9}

    response = client.post(
        f"{API}/plans/{plan_id}/sessions/1/evaluation-amendments",
        json={"evaluation": corrected, "reason": "misheard the client"},
        headers=auth["therapist"],
    )

    assert response.status_code == 200, response.get_json()
    session = response.get_json()["sessions"][0]
    assert session["evaluation"] == corrected
    assert [
        (a["what"], a["replaced_evaluation"], a["replaced_record"]) for a in session["amendments"]
    ] == [("evaluation", EVALUATED, None)]


@pytest.mark.usefixtures("treated")
def test_the_original_is_in_the_plans_history(
    client: FlaskClient, plan_id: UUID, auth: Headers
) -> None:
    amend_record(client, plan_id, auth["therapist"])

    history = client.get(f"{API}/plans/{plan_id}/history", headers=auth["auditor"]).get_json()

    types = [event["type"] for event in history]
    assert types[-3:] == ["SessionPerformed", "OutcomeEvaluated", "SessionRecordAmended"]
    assert history[-3]["data"]["performance"] == RECORDED
    assert history[-1]["data"]["performance"] == AMENDED_RECORD
    assert history[-1]["data"]["reason"] == "forgot the upper back"


@pytest.mark.usefixtures("treated")
@pytest.mark.parametrize("role", ["front_desk", "admin", "auditor"])
def test_only_the_therapist_amends(
    refused: Refuse, plan_id: UUID, auth: Headers, role: str
) -> None:
    response = refused(
        "POST",
        f"{API}/plans/{plan_id}/sessions/1/record-amendments",
        json={"performance": AMENDED_RECORD, "reason": "typo"},
        headers=auth[role],
    )

    assert_problem(response, 403)


@pytest.mark.usefixtures("treated")
def test_the_desk_reads_the_session_without_its_amendments(
    client: FlaskClient, plan_id: UUID, auth: Headers
) -> None:
    amend_record(client, plan_id, auth["therapist"])

    session = client.get(f"{API}/plans/{plan_id}/sessions/1", headers=auth["front_desk"])

    assert session.status_code == 200
    assert "amendments" not in session.get_json()
    assert "upper back" not in session.get_data(as_text=True)


@pytest.mark.usefixtures("treated")
@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"performance": RECORDED, "reason": "typo"}, "nothing changed"),
        ({"performance": AMENDED_RECORD, "reason": "  "}, "reason"),
        ({"performance": AMENDED_RECORD}, "reason"),
        ({"performance": {**AMENDED_RECORD, "pain_before": 11}, "reason": "typo"}, "pain_before"),
    ],
    ids=["unchanged", "blank reason", "no reason", "pain out of range"],
)
def test_an_amendment_that_breaks_a_rule_is_a_problem_and_writes_nothing(
    refused: Refuse, plan_id: UUID, auth: Headers, body: dict[str, Any], said: str
) -> None:
    response = refused(
        "POST",
        f"{API}/plans/{plan_id}/sessions/1/record-amendments",
        json=body,
        headers=auth["therapist"],
    )

    problem = assert_problem(response, 422)
    assert said in f"{problem['detail']} {problem.get('errors')}"


@pytest.mark.usefixtures("first_session_booked")
def test_a_session_with_nothing_recorded_has_nothing_to_amend(
    refused: Refuse, plan_id: UUID, auth: Headers, clock: FixedClock
) -> None:
    clock.now = FIRST_SESSION_OVER
    response = refused(
        "POST",
        f"{API}/plans/{plan_id}/sessions/1/evaluation-amendments",
        json={"evaluation": EVALUATED, "reason": "typo"},
        headers=auth["therapist"],
    )

    assert_problem(response, 409, "no evaluation to amend")


@pytest.mark.usefixtures("treated")
def test_an_amendment_sent_with_a_stale_if_match_writes_nothing(
    client: FlaskClient, refused: Refuse, plan_id: UUID, auth: Headers
) -> None:
    version = client.get(f"{API}/plans/{plan_id}", headers=auth["therapist"]).get_json()["version"]

    stale = refused(
        "POST",
        f"{API}/plans/{plan_id}/sessions/1/record-amendments",
        json={"performance": AMENDED_RECORD, "reason": "typo"},
        headers={**auth["therapist"], "If-Match": f'"{version - 1}"'},
    )
    current = amend_record(client, plan_id, {**auth["therapist"], "If-Match": f'"{version}"'})

    assert_problem(stale, 412)
    assert current.status_code == 200


@pytest.mark.usefixtures("treated")
def test_an_amendment_retried_with_its_idempotency_key_is_made_once(
    client: FlaskClient, plan_id: UUID, auth: Headers
) -> None:
    headers = {**auth["therapist"], "Idempotency-Key": "amend-1"}

    first = amend_record(client, plan_id, headers)
    again = amend_record(client, plan_id, headers)

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(again.get_json()["sessions"][0]["amendments"]) == 1


def test_the_therapist_amends_a_visits_record(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, clock: FixedClock, auth: Headers
) -> None:
    booking = visit_booking(clinic, "2026-03-09T08:00", VisitKind.SINGLE)
    visit = regimen.book_visit(booking, actor=DESK, now=clock.now)
    regimen.perform_visit(
        visit.id,
        Performance(("effleurage",), ("neck",), duration_minutes=60, pain_before=6),
        actor=THERAPIST,
        now=FIRST_SESSION_OVER,
    )
    clock.now = FIRST_SESSION_OVER

    response = client.post(
        f"{API}/visits/{visit.id}/record-amendments",
        json={"performance": AMENDED_RECORD, "reason": "forgot the upper back"},
        headers=auth["therapist"],
    )
    desk = client.get(f"{API}/visits/{visit.id}", headers=auth["front_desk"]).get_json()

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["performance"] == AMENDED_RECORD
    assert [(a["what"], a["replaced_record"]) for a in body["amendments"]] == [("record", RECORDED)]
    assert "amendments" not in desk and "performance" not in desk
