"""Wall-clock times of day are HH:MM, never with an offset or seconds, and documented so."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.helpers import Headers, Refuse, assert_problem, availability
from tests.builders import Clinic

NOT_WALL_TIMES = ["09:00+00:00", "09:00Z", "09:00:00", "9:00", "24:00", "09:60", "0900", 900]
WEEKDAY_HOURS = [{"weekday": 0, "start": "09:00", "end": "17:00"}]


def test_working_hours_with_an_offset_are_refused_and_the_schedule_still_works(
    client: FlaskClient, clinic: Clinic, auth: Headers, refused: Refuse
) -> None:
    poisoned = [{"weekday": 0, "start": "09:00+00:00", "end": "17:00"}]
    url = f"/api/v1/therapists/{clinic.therapist_id}/working-hours"

    response = refused("PUT", url, json={"hours": poisoned}, headers=auth["admin"])

    errors = assert_problem(response, 422)["errors"]["json"]
    assert "start" in errors["hours"]["0"]
    assert availability(client, clinic, auth["front_desk"]).status_code == 200


@pytest.mark.parametrize("start", NOT_WALL_TIMES)
def test_opening_hours_take_only_a_plain_hh_mm(
    clinic: Clinic,
    auth: Headers,
    start: Any,
    refused: Refuse,
) -> None:
    body = {
        "name": "Test Clinic",
        "timezone": "Europe/London",
        "opening_hours": [{"weekday": 0, "start": start, "end": "20:00"}],
    }

    response = refused("PUT", "/api/v1/clinic", json=body, headers=auth["admin"])

    assert "start" in assert_problem(response, 422)["errors"]["json"]["opening_hours"]["0"]


def test_quiet_hours_with_an_offset_are_refused(
    clinic: Clinic, auth: Headers, refused: Refuse
) -> None:
    body = {
        "consent": {"email": False, "sms": False},
        "quiet_hours": {"start": "21:00", "end": "08:00-05:00"},
    }

    response = refused(
        "PUT",
        f"/api/v1/clients/{clinic.client_id}/reminder-preferences",
        json=body,
        headers=auth["front_desk"],
    )

    assert "end" in assert_problem(response, 422)["errors"]["json"]["quiet_hours"]


def test_plain_working_hours_are_kept_and_read_back_as_given(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    url = f"/api/v1/therapists/{clinic.therapist_id}/working-hours"

    response = client.put(url, json={"hours": WEEKDAY_HOURS}, headers=auth["admin"])

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["working_hours"] == WEEKDAY_HOURS
    assert availability(client, clinic, auth["front_desk"]).status_code == 200


def test_the_openapi_document_gives_wall_times_a_pattern(client: FlaskClient) -> None:
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]

    for name in ("DayHours", "QuietHours"):
        for field in ("start", "end"):
            assert (
                schemas[name]["properties"][field]["pattern"] == "^([01][0-9]|2[0-3]):[0-5][0-9]$"
            )
