"""Bad input over HTTP: each answered by a 4xx problem+json that says why, and nothing stored."""

from __future__ import annotations

import dataclasses
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.application import Regimen
from service.config import Settings
from service.http.app import create_app
from tests.api.helpers import (
    EVALUATION,
    FIRST_SESSION_OVER,
    PERFORMANCE,
    Headers,
    Refuse,
    assert_problem,
    at,
    desk_books,
    proposal_body,
    writes_nothing,
)
from tests.builders import Clinic
from tests.fakes import FixedClock

UNKNOWN = uuid4()
SMALL_BODY_LIMIT = 1024


def host_resolves(name: str) -> bool:
    """Whether this machine's zoneinfo loads a name."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@pytest.fixture
def booked(plan_id: UUID, first_session_booked: None) -> str:
    """The URL of session 1 of the plan, booked on Monday 9 March at 10:00."""
    return f"/api/v1/plans/{plan_id}/sessions/1"


@pytest.fixture
def small_client(settings: Settings, regimen: Regimen, clock: FixedClock) -> FlaskClient:
    """A client of an app that takes bodies of at most 1 KiB."""
    small = dataclasses.replace(settings, max_body_bytes=SMALL_BODY_LIMIT)
    flask_app: Flask = create_app(small, regimen=regimen, clock=clock)
    flask_app.testing = True
    return flask_app.test_client()


def test_evaluating_a_session_never_performed_is_a_conflict(
    booked: str, auth: Headers, refused: Refuse
) -> None:
    response = refused("POST", f"{booked}/evaluate", json=EVALUATION, headers=auth["therapist"])

    assert_problem(response, 409, "session 1 is booked", "only a performed session")


def test_a_pain_score_of_11_is_an_invalid_field(
    booked: str, auth: Headers, refused: Refuse
) -> None:
    response = refused(
        "POST",
        f"{booked}/perform",
        json={**PERFORMANCE, "pain_before": 11},
        headers=auth["therapist"],
    )

    body = assert_problem(response, 422)
    assert "pain_before" in body["errors"]["json"]


def test_an_unknown_field_is_refused_not_ignored(
    clinic: Clinic, auth: Headers, refused: Refuse
) -> None:
    response = refused(
        "POST",
        "/api/v1/plans",
        json=proposal_body(clinic, pain_levle=6),
        headers=auth["therapist"],
    )

    body = assert_problem(response, 422)
    assert body["errors"]["json"]["pain_levle"] == ["Unknown field."]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        pytest.param('{"start": "2026-03-09T10:00",', ("JSON",), id="malformed-json"),
        pytest.param(
            b'{"start": "2026-03-09T10:00", "timezone": "Europe/\xff\xfeLondon"}',
            (),
            id="not-utf8",
        ),
    ],
)
def test_a_body_that_cannot_be_read_as_json_is_a_bad_request(
    plan_id: UUID, auth: Headers, refused: Refuse, body: str | bytes, says: tuple[str, ...]
) -> None:
    response = refused(
        "POST",
        f"/api/v1/plans/{plan_id}/sessions",
        data=body,
        content_type="application/json",
        headers=auth["front_desk"],
    )

    assert_problem(response, 400, *says)


@pytest.mark.parametrize(
    ("booking", "field", "says"),
    [
        pytest.param(
            at("2026-03-09T10:00", zone="Europe/Atlantis"),
            "timezone",
            "Europe/Atlantis",
            id="an-unknown-time-zone",
        ),
        pytest.param(
            at("2026-03-09T10:00", zone="localtime"),
            "timezone",
            "localtime",
            id="the-hosts-localtime-as-a-time-zone",
            marks=pytest.mark.skipif(
                not host_resolves("localtime"), reason="no zoneinfo/localtime here"
            ),
        ),
        pytest.param(
            at("2026-03-09T10:00+01:00"),
            "start",
            "without an offset",
            id="a-start-with-an-offset-not-local-wall-time",
        ),
        pytest.param(at("9999-12-31T10:00"), "start", "year", id="a-start-in-the-year-9999"),
        pytest.param(
            at("2026-03-09"), "start", "2026-03-16T10:00", id="a-start-without-a-time-of-day"
        ),
    ],
)
def test_a_booking_with_an_invalid_start_or_time_zone_is_refused_naming_the_field(
    client: FlaskClient,
    regimen: Regimen,
    plan_id: UUID,
    auth: Headers,
    booking: dict[str, str],
    field: str,
    says: str,
) -> None:
    with writes_nothing(regimen):
        response = desk_books(client, plan_id, auth, booking)

    body = assert_problem(response, 422)
    assert says in body["errors"]["json"][field][0]


@pytest.mark.parametrize(
    ("plan", "says"),
    [("42", ()), (UNKNOWN, (f"no treatment plan with id {UNKNOWN}",))],
    ids=["not a uuid", "unknown"],
)
def test_a_plan_id_that_names_no_plan_is_not_found(
    refused: Refuse, clinic: Clinic, auth: Headers, plan: str, says: tuple[str, ...]
) -> None:
    response = refused("POST", f"/api/v1/plans/{plan}/agree", json={}, headers=auth["front_desk"])

    assert_problem(response, 404, *says)


def test_a_body_over_the_size_limit_is_too_large(
    small_client: FlaskClient, regimen: Regimen, plan_id: UUID, auth: Headers
) -> None:
    oversized = {**at("2026-03-09T10:00"), "authorization_override": "x" * SMALL_BODY_LIMIT}

    with writes_nothing(regimen):
        response = desk_books(small_client, plan_id, auth, oversized)

    assert_problem(response, 413, "exceeds")


@pytest.mark.usefixtures("first_session_treated")
def test_null_where_the_document_allows_it_is_read_as_none_not_refused(
    client: FlaskClient, plan_id: UUID, auth: Headers, clock: FixedClock
) -> None:
    clock.now = FIRST_SESSION_OVER
    plan = f"/api/v1/plans/{plan_id}/sessions/1"
    corrected = {**EVALUATION, "client_rating": None, "recommended_interval_days": None}

    response = client.post(
        f"{plan}/evaluation-amendments",
        json={"evaluation": corrected, "reason": "the client gave no rating"},
        headers=auth["therapist"],
    )

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["sessions"][0]["evaluation"]["client_rating"] is None
