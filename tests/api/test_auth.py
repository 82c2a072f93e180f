"""Who may do what over HTTP: tokens, roles, and what each role may read."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.application import Regimen
from tests.api.helpers import (
    Headers,
    Refuse,
    assert_problem,
    bearer,
    writes_nothing,
)
from tests.builders import ADMIN, Clinic

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
ADMIN_ONLY = [
    ("PUT", "/api/v1/clinic"),
    ("POST", "/api/v1/clinic/closures"),
    ("POST", "/api/v1/therapists"),
    ("PUT", "/api/v1/therapists/{id}/working-hours"),
    ("POST", "/api/v1/therapists/{id}/time-off"),
    ("POST", "/api/v1/rooms"),
]

CLINICAL_ONLY = [
    ("POST", "/api/v1/plans"),
    ("POST", "/api/v1/plans/{id}/sessions/1/perform"),
    ("POST", "/api/v1/plans/{id}/sessions/1/evaluate"),
    ("POST", "/api/v1/plans/{id}/refer"),
    ("POST", "/api/v1/plans/{id}/complete"),
    ("POST", "/api/v1/plans/{id}/revise"),
]


def write_routes(app: Flask) -> list[tuple[str, str]]:
    """Every (method, URL) of the API that changes something, path ids filled in."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        values = {name: uuid4() if name.endswith("_id") else 1 for name in rule.arguments}
        url = app.url_map.bind("localhost").build(rule.endpoint, values)
        routes += [(method, url) for method in sorted((rule.methods or set()) & WRITES)]
    return routes


@pytest.fixture
def treated(plan_id: UUID, first_session_treated: None) -> str:
    """The URL of a plan whose first session was performed and evaluated."""
    return f"/api/v1/plans/{plan_id}"


def test_a_request_without_a_token_is_unauthorized_with_a_bearer_challenge(
    client: FlaskClient, clinic: Clinic
) -> None:
    response = client.get("/api/v1/clients")

    assert_problem(response, 401, "Authorization: Bearer")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_request_with_an_unknown_token_is_unauthorized(
    client: FlaskClient, clinic: Clinic
) -> None:
    response = client.get("/api/v1/clients", headers=bearer("not-a-token-we-gave"))

    assert_problem(response, 401, "valid token")


def test_a_request_with_another_scheme_is_unauthorized(
    client: FlaskClient, tokens: dict[str, str]
) -> None:
    response = client.get("/api/v1/clients", headers={"Authorization": f"Basic {tokens['admin']}"})

    assert_problem(response, 401)


def test_a_revoked_token_is_unauthorized(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    regimen.revoke_user("test-front_desk", ADMIN)

    response = client.get("/api/v1/clients", headers=auth["front_desk"])

    assert_problem(response, 401)


@pytest.mark.parametrize(("method", "route"), CLINICAL_ONLY)
def test_the_front_desk_may_not_do_a_therapists_clinical_work(
    refused: Refuse, plan_id: UUID, auth: Headers, method: str, route: str
) -> None:
    response = refused(method, route.format(id=plan_id), json={}, headers=auth["front_desk"])

    assert_problem(response, 403, "front_desk role may not", "needs therapist")


def test_the_auditor_may_not_call_any_route_that_writes(
    app: Flask, client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    routes = write_routes(app)
    assert len(routes) >= 20

    with writes_nothing(regimen):
        answers = {
            (method, url): client.open(url, method=method, json={}, headers=auth["auditor"])
            for method, url in routes
        }

    refused = {route: response.status_code for route, response in answers.items()}
    assert refused == dict.fromkeys(routes, 403)
    for response in answers.values():
        assert_problem(response, 403, "auditor role may not")


@pytest.mark.parametrize(("method", "route"), ADMIN_ONLY)
def test_the_front_desk_may_not_change_the_clinics_setup(
    refused: Refuse,
    clinic: Clinic,
    auth: Headers,
    method: str,
    route: str,
) -> None:
    url = route.format(id=clinic.therapist_id)

    response = refused(method, url, json={}, headers=auth["front_desk"])

    assert_problem(response, 403, "needs admin")


def test_the_front_desk_reads_a_plan_without_its_clinical_details(
    client: FlaskClient, treated: str, auth: Headers
) -> None:
    plan = client.get(treated, headers=auth["front_desk"]).get_json()

    assert not {"assessment", "expected_progress"} & set(plan)
    assert plan["sessions"][0]["status"] == "performed"
    assert not {"performance", "evaluation"} & set(plan["sessions"][0])


def test_the_therapist_reads_a_plan_with_its_clinical_details(
    client: FlaskClient, treated: str, auth: Headers
) -> None:
    plan = client.get(treated, headers=auth["therapist"]).get_json()

    assert plan["assessment"]["complaint"] == "stiff neck"
    assert "expected_progress" in plan
    session = plan["sessions"][0]
    assert session["performance"]["techniques"] == ["effleurage"]
    assert session["evaluation"]["pain_after"] == 3


def test_the_front_desk_may_not_read_a_plans_history(
    client: FlaskClient, plan_id: UUID, auth: Headers
) -> None:
    response = client.get(f"/api/v1/plans/{plan_id}/history", headers=auth["front_desk"])

    assert_problem(response, 403)


def test_the_auditor_reads_a_plans_history(
    client: FlaskClient, plan_id: UUID, auth: Headers
) -> None:
    response = client.get(f"/api/v1/plans/{plan_id}/history", headers=auth["auditor"])

    assert response.status_code == 200
    assert [e["type"] for e in response.get_json()] == ["PlanProposed", "PlanAgreed"]
