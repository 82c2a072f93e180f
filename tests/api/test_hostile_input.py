"""Hostile input over HTTP: deep nesting, huge numbers, odd headers, forged cursors: never 500."""

from __future__ import annotations

import base64
import json
from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from tests.api.helpers import Headers, Refuse, assert_problem, availability, writes_nothing
from tests.builders import Clinic

pytestmark = pytest.mark.usefixtures("clinic")


def forged(values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def test_a_deeply_nested_body_is_a_bad_request(
    client: FlaskClient, regimen: Regimen, auth: Headers
) -> None:
    with writes_nothing(regimen):
        response = client.post(
            "/api/v1/clients",
            data="[" * 100_000,
            content_type="application/json",
            headers=auth["front_desk"],
        )

    assert_problem(response, 400, "JSON")


def test_an_integer_of_5000_digits_is_refused(
    clinic: Clinic, auth: Headers, refused: Refuse
) -> None:
    body = '{"sessions": ' + "9" * 5000 + "}"

    response = refused(
        "POST",
        "/api/v1/rooms",
        data=body,
        content_type="application/json",
        headers=auth["admin"],
    )

    assert response.status_code in (400, 422), response.get_data(as_text=True)
    assert_problem(response, response.status_code)


@pytest.mark.parametrize("if_match", [",", " , ", "W/", '"', "garbage", '"1" "2"'])
def test_a_malformed_if_match_is_a_bad_request(
    clinic: Clinic,
    auth: Headers,
    if_match: str,
    refused: Refuse,
) -> None:
    response = refused(
        "PATCH",
        f"/api/v1/clients/{clinic.client_id}",
        json={"phone": "020 7946 0001"},
        headers={**auth["front_desk"], "If-Match": if_match},
    )

    assert_problem(response, 400, "If-Match")


def test_an_empty_etag_on_a_plan_never_matches(
    plan_id: UUID, auth: Headers, refused: Refuse
) -> None:
    response = refused(
        "POST",
        f"/api/v1/plans/{plan_id}/cancel",
        json={"reason": "moved away"},
        headers={**auth["front_desk"], "If-Match": '""'},
    )

    assert_problem(response, 412)


@pytest.mark.parametrize(
    "path", ["/api/v1/clients", "/api/v1/therapists", "/api/v1/rooms", "/api/v1/plans"]
)
@pytest.mark.parametrize("values", [[{"a": 1}, "x"], [2**70, "x"], [None, None]])
def test_a_forged_cursor_is_a_bad_request(
    client: FlaskClient, auth: Headers, path: str, values: Any
) -> None:
    response = client.get(path, query_string={"cursor": forged(values)}, headers=auth["admin"])

    assert_problem(response, 400, "cursor")


@pytest.mark.parametrize("weekday", [2.6e-42, 0.5, "1", True])
def test_a_weekday_that_is_not_a_whole_number_is_refused(
    clinic: Clinic,
    auth: Headers,
    weekday: Any,
    refused: Refuse,
) -> None:
    hours = [{"weekday": weekday, "start": "09:00", "end": "17:00"}]

    response = refused(
        "PUT",
        f"/api/v1/therapists/{clinic.therapist_id}/working-hours",
        json={"hours": hours},
        headers=auth["admin"],
    )

    assert "weekday" in assert_problem(response, 422)["errors"]["json"]["hours"]["0"]


def test_half_a_minute_is_refused_not_truncated(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    response = availability(client, clinic, auth["front_desk"], duration_minutes="30.5")

    assert "duration_minutes" in assert_problem(response, 422)["errors"]["query"]


def test_a_search_for_a_percent_sign_matches_it_literally(
    client: FlaskClient, auth: Headers
) -> None:
    client.post("/api/v1/clients", json={"name": "100% Fit"}, headers=auth["front_desk"])

    response = client.get("/api/v1/clients?q=%25", headers=auth["front_desk"])

    assert [row["name"] for row in response.get_json()] == ["100% Fit"]


@pytest.mark.parametrize(
    ("method", "path", "role"),
    [
        ("GET", "/api/v1/clients", "front_desk"),
        ("GET", "/api/v1/clinic", "admin"),
        ("GET", "/api/v1/nowhere", "admin"),
        ("POST", "/api/v1/clients", "front_desk"),
        ("GET", "/api/v1/clients", None),
        ("GET", "/health", None),
    ],
)
def test_every_api_answer_forbids_sniffing_and_storing(
    client: FlaskClient, auth: Headers, method: str, path: str, role: str | None
) -> None:
    headers = auth[role] if role else {}

    response = client.open(
        path, method=method, json={} if method == "POST" else None, headers=headers
    )

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_feed_token_answer_forbids_sniffing_and_storing(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    response = client.post(
        f"/api/v1/clients/{clinic.client_id}/feed-token", headers=auth["front_desk"]
    )

    assert response.status_code in (200, 201), response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
