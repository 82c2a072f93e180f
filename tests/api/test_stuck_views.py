"""A view stuck at an event: its reads answer 503 view-stuck, the others 200, and readiness
names it; the desk's pages that need it show an error page."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.application import Regimen
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.api.helpers import Headers
from tests.builders import Clinic
from tests.stuck_views import POISON, RefusingDirectory, register


@pytest.fixture
def stuck_app(app: Flask, regimen: Regimen, clinic: Clinic) -> Flask:
    """The app of a release whose directory cannot apply the poison client's registration."""
    register(regimen, POISON)
    projector = Projector(regimen, views=RefusingDirectory().views())
    app.extensions["regimen.reads"] = ReadModel(projector)
    return app


def test_readiness_reports_every_view_keeping_up(client: FlaskClient, clinic: Clinic) -> None:
    answer = client.get("/health/ready")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["status"] == "ready"
    assert {v["name"]: v["position"] for v in body["views"]} == {
        "sessions": body["head"],
        "directory": body["head"],
        "audit": body["head"],
        "reminders": body["head"],
        "progress": body["head"],
        "notices": body["head"],
        "waitlist": body["head"],
    }


def test_reads_of_a_stuck_view_answer_503_view_stuck(
    stuck_app: Flask, client: FlaskClient, auth: Headers
) -> None:
    answer = client.get("/api/v1/clients", headers=auth["front_desk"])
    assert answer.status_code == 503
    assert answer.mimetype == "application/problem+json"
    body = answer.get_json()
    assert body["type"].endswith("/view-stuck")
    assert body["view"] == "directory"
    assert body["position"] > 0


def test_reads_of_the_other_views_still_answer(
    stuck_app: Flask, client: FlaskClient, auth: Headers
) -> None:
    answer = client.get("/api/v1/audit/index", headers=auth["auditor"])
    assert answer.status_code == 200
    assert answer.get_json()


def test_readiness_names_the_stuck_view_its_position_and_error(
    stuck_app: Flask, client: FlaskClient
) -> None:
    assert client.get("/health").status_code == 200  # alive: the database answers
    answer = client.get("/health/ready")
    assert answer.status_code == 503
    body = answer.get_json()
    assert body["type"].endswith("/view-stuck")
    faults = {v["name"]: v["fault"] for v in body["views"] if v["fault"]}
    assert list(faults) == ["directory"]
    # The error's type, never its text: that quotes the event (a client's name).
    assert faults["directory"]["error"] == "ValueError"
    assert "Poison" not in answer.get_data(as_text=True)
    assert faults["directory"]["position"] > 0
