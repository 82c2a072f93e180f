"""What the client reports (the S of a SOAP note) is written and read through the API."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from flask.testing import FlaskClient

from tests.api.helpers import PERFORMANCE, Headers
from tests.fakes import FixedClock


def test_the_clients_report_is_recorded_and_shown(
    client: FlaskClient, plan_id: UUID, auth: Headers, clock: FixedClock, first_session_booked: None
) -> None:
    clock.now = datetime.fromisoformat("2026-03-09T11:05+00:00")
    body = {**PERFORMANCE, "client_report": "the neck aches after long drives"}

    response = client.post(
        f"/api/v1/plans/{plan_id}/sessions/1/perform", json=body, headers=auth["therapist"]
    )

    assert response.status_code == 200, response.get_json()
    performance = response.get_json()["sessions"][0]["performance"]
    assert performance["client_report"] == "the neck aches after long drives"
    read = client.get(f"/api/v1/plans/{plan_id}", headers=auth["therapist"]).get_json()
    assert read["sessions"][0]["performance"]["client_report"] == "the neck aches after long drives"


def test_a_note_without_a_report_reads_as_empty(
    client: FlaskClient, plan_id: UUID, auth: Headers, clock: FixedClock, first_session_booked: None
) -> None:
    clock.now = datetime.fromisoformat("2026-03-09T11:05+00:00")
    response = client.post(
        f"/api/v1/plans/{plan_id}/sessions/1/perform", json=PERFORMANCE, headers=auth["therapist"]
    )
    assert response.get_json()["sessions"][0]["performance"]["client_report"] == ""
