"""What the API tests share: headers, request bodies, problem checks, arranging bookings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from service.application import Regimen
from service.application.commands import Slot
from service.domain.values import Session
from tests.builders import DESK, THERAPIST, ZONE, Clinic, people_of
from tests.plans import LATER, evaluation, performance

Headers = dict[str, dict[str, str]]
Refuse = Callable[..., TestResponse]  # (method, url, **request): a request stored nothing
PROBLEM_KEYS = {"type", "title", "status", "detail"}
# The first session the API tests book (Monday 9 March 2026, 10:00 London) has ended.
FIRST_SESSION_OVER = datetime(2026, 3, 9, 11, 0, tzinfo=UTC)
PERFORMANCE = {
    "techniques": ["effleurage", "trigger point release"],
    "areas": ["neck"],
    "duration_minutes": 60,
    "pain_before": 6,
    "notes": "tight upper trapezius",
}
EVALUATION = {
    "pain_after": 3,
    "mobility": "better",
    "recommendation": "continue",
    "client_rating": 8,
    "notes": "turns her head freely",
}


def bearer(token: str) -> dict[str, str]:
    """The Authorization header sending this token."""
    return {"Authorization": f"Bearer {token}"}


def at(local_start: str, zone: str = ZONE) -> dict[str, str]:
    """A booking body: a local wall time in a zone, therapist and room from the plan."""
    return {"start": local_start, "timezone": zone}


def proposal_body(clinic: Clinic, **overrides: Any) -> dict[str, Any]:
    """A PlanProposalSchema body: 6 weekly sessions of 60 minutes for a stiff neck."""
    body: dict[str, Any] = {
        **people_of(clinic),
        "assessment": {
            "complaint": "stiff neck",
            "duration": "3 months",
            "onset": "gradual",
            "pain_description": "dull ache",
            "pain_level": 6,
        },
        "intention": "clinical",
        "focus_areas": ["neck", "shoulders"],
        "modalities": ["swedish"],
        "series": {"sessions": 6, "interval_days": 7, "session_minutes": 60},
        "expected_progress": "pain below 3 within four weeks",
    }
    body.update(overrides)
    return body


def availability(
    client: FlaskClient, clinic: Clinic, headers: dict[str, str], **query: Any
) -> TestResponse:
    """The first therapist's free starts: unless `query` says otherwise, hourly starts of an
    hour on Monday 16 March 2026."""
    return client.get(
        "/api/v1/availability",
        query_string={
            "therapist_id": str(clinic.therapist_id),
            "from": "2026-03-16",
            "to": "2026-03-16",
            "duration_minutes": 60,
            "step_minutes": 60,
            **query,
        },
        headers=headers,
    )


def assert_problem(response: TestResponse, status: int, *detail_has: str) -> dict[str, Any]:
    """Check an RFC 9457 problem of this status whose detail says each of `detail_has`."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert set(body) >= PROBLEM_KEYS, body
    assert body["status"] == status
    assert body["detail"].strip()
    for words in detail_has:
        assert words.lower() in body["detail"].lower(), body["detail"]
    return body


def admin_sets_and_desk_reads_back(
    client: FlaskClient, auth: Headers, path: str, body: dict[str, Any]
) -> TestResponse:
    """The admin PUTs `body` at `path` and the front desk GETs it back holding every field of it:
    the desk's answer."""
    put = client.put(path, json=body, headers=auth["admin"])
    got = client.get(path, headers=auth["front_desk"])

    assert put.status_code == 200, put.get_json()
    assert got.status_code == 200
    assert {k: got.get_json()[k] for k in body} == body
    return got


def position(regimen: Regimen) -> int:
    """The id of the last stored event, 0 for none."""
    return regimen.recorder.max_notification_id() or 0


@contextmanager
def writes_nothing(regimen: Regimen) -> Iterator[None]:
    """Check that the block stores no event."""
    before = position(regimen)
    yield
    assert position(regimen) == before, "the request wrote events"


def book(regimen: Regimen, plan_id: UUID, local_start: str, now: datetime) -> Session:
    """Arrange: the front desk books the plan's next session through the application."""
    return regimen.book_session(
        plan_id,
        Slot(local_start=datetime.fromisoformat(local_start), zone=ZONE),
        actor=DESK,
        now=now,
    )


def perform(
    regimen: Regimen, plan_id: UUID, number: int, pain_before: int = 6, notes: str = ""
) -> None:
    """Arrange: the therapist performs a booked session through the application."""
    regimen.perform_session(
        plan_id,
        number,
        performance=performance(
            techniques=("effleurage",), duration_minutes=60, pain_before=pain_before, notes=notes
        ),
        actor=THERAPIST,
        now=LATER,
    )


def evaluate(regimen: Regimen, plan_id: UUID, number: int, pain_after: int = 3) -> None:
    """Arrange: the therapist evaluates a performed session through the application."""
    regimen.evaluate_session(
        plan_id,
        number,
        evaluation=evaluation(pain_after=pain_after),
        actor=THERAPIST,
    )


def perform_and_evaluate(regimen: Regimen, plan_id: UUID, number: int) -> None:
    """Arrange: the therapist performs and evaluates a booked session through the application."""
    perform(regimen, plan_id, number)
    evaluate(regimen, plan_id, number)


def desk_books(client: FlaskClient, plan_id: UUID, auth: Headers, body: Any) -> TestResponse:
    """The front desk asks the API to book the plan's next session."""
    return client.post(f"/api/v1/plans/{plan_id}/sessions", json=body, headers=auth["front_desk"])
