"""Answers the fuzzer once found wrong (a 500, or a body that broke its schema), pinned down."""

from __future__ import annotations

from uuid import UUID

import pytest
from flask.testing import FlaskClient

from tests.api.helpers import Headers, assert_problem
from tests.builders import Clinic

FAR_DATES = ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"]


@pytest.mark.parametrize("day", FAR_DATES)
def test_a_day_sheet_of_a_date_outside_the_bookable_years_is_an_invalid_field(
    client: FlaskClient, clinic: Clinic, auth: Headers, day: str
) -> None:
    url = f"/api/v1/therapists/{clinic.therapist_id}/day-sheet?date={day}"

    response = client.get(url, headers=auth["front_desk"])

    body = assert_problem(response, 422)
    assert "between 2000 and 2100" in body["errors"]["query"]["date"][0]


@pytest.mark.parametrize("day", FAR_DATES)
def test_a_calendar_or_availability_outside_the_bookable_years_is_an_invalid_field(
    client: FlaskClient, clinic: Clinic, auth: Headers, day: str
) -> None:
    span = f"from={day}&to={day}"
    for url in (
        f"/api/v1/calendar?{span}",
        f"/api/v1/availability?therapist_id={clinic.therapist_id}&{span}",
    ):
        response = client.get(url, headers=auth["front_desk"])

        body = assert_problem(response, 422)
        assert set(body["errors"]["query"]) == {"from", "to"}, url


def test_a_closure_outside_the_bookable_years_is_an_invalid_field(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    closure = {"first_day": "9999-12-31", "last_day": "9999-12-31", "reason": "the end"}

    response = client.post("/api/v1/clinic/closures", json=closure, headers=auth["admin"])

    assert_problem(response, 422)


def test_a_therapist_without_an_email_is_read_with_an_empty_one(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    response = client.get(f"/api/v1/therapists/{clinic.therapist_id}", headers=auth["admin"])

    assert response.get_json()["email"] == ""


@pytest.mark.usefixtures("first_session_booked")
def test_session_rows_say_true_or_false_not_one_or_zero(
    client: FlaskClient,
    clinic: Clinic,
    plan_id: UUID,
    auth: Headers,
) -> None:
    response = client.get(
        f"/api/v1/clients/{clinic.client_id}/sessions", headers=auth["front_desk"]
    )

    [row] = response.get_json()
    assert (row["late_cancel"], row["unrecorded"]) == (False, False)


@pytest.mark.parametrize(
    "headers", [{"If-Match": "0"}, {"Idempotency-Key": "\t"}, {"If-Match": "0", "X": "y"}]
)
def test_a_write_without_a_token_is_a_401_before_its_headers_are_read(
    client: FlaskClient, clinic: Clinic, headers: dict[str, str]
) -> None:
    response = client.post(f"/api/v1/clients/{clinic.client_id}/feed-token", headers=headers)

    assert_problem(response, 401)


def test_a_write_by_a_role_not_allowed_is_a_403_before_its_headers_are_read(
    client: FlaskClient, auth: Headers
) -> None:
    response = client.put("/api/v1/clinic", headers={**auth["front_desk"], "If-Match": "0"})

    assert_problem(response, 403)


@pytest.mark.parametrize("role", ["admin", "front_desk", "therapist"])
def test_a_malformed_access_reason_is_refused_whoever_sends_it(
    client: FlaskClient, plan_id: UUID, auth: Headers, role: str
) -> None:
    headers = {**auth[role], "X-Access-Reason": "x" * 501}

    response = client.get(f"/api/v1/plans/{plan_id}", headers=headers)

    assert_problem(response, 422, "X-Access-Reason")
