"""Insurance over HTTP: procedure codes on the record bill units under the payer's rule,
and an authorization in units is counted when booking."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import PERFORMANCE, Headers, assert_problem, at, proposal_body
from tests.api.test_payers import ACME
from tests.builders import Clinic
from tests.fakes import FixedClock

API = "/api/v1"


def insured_plan(
    client: FlaskClient, clinic: Clinic, auth: Headers, payer: dict[str, Any], **authorization: Any
) -> str:
    """An agreed plan of 6 weekly hour-long sessions, authorized by a registered payer."""
    payer_id = client.post(f"{API}/payers", json=payer, headers=auth["admin"]).get_json()["id"]
    terms = {"payer": payer["name"], "number": "AUTH-7", "visits": 10, "valid_until": "2026-12-31"}
    body = proposal_body(clinic, authorization={**terms, "payer_id": payer_id, **authorization})
    created = client.post(f"{API}/plans", json=body, headers=auth["therapist"])
    assert created.status_code == 201, created.get_json()
    plan_id: str = created.get_json()["id"]
    client.post(f"{API}/plans/{plan_id}/agree", headers=auth["front_desk"])
    return plan_id


def book(client: FlaskClient, plan_id: str, auth: Headers, start: str, **more: Any) -> Any:
    """Book the plan's next session at a London wall time."""
    return client.post(
        f"{API}/plans/{plan_id}/sessions", json={**at(start), **more}, headers=auth["front_desk"]
    )


def perform(client: FlaskClient, plan_id: str, number: int, auth: Headers, **codes: int) -> Any:
    """Record session `number` as performed with minutes per procedure code."""
    procedures = [{"code": code.removeprefix("cpt"), "minutes": m} for code, m in codes.items()]
    return client.post(
        f"{API}/plans/{plan_id}/sessions/{number}/perform",
        json={**PERFORMANCE, "procedures": procedures},
        headers=auth["therapist"],
    )


def test_a_performed_session_shows_the_units_its_codes_bill_under_the_payers_rule(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    plan_id = insured_plan(client, clinic, auth, ACME, units=12)  # per-code 8-minute rule
    book(client, plan_id, auth, "2026-03-09T10:00")
    clock.now = datetime.fromisoformat("2026-03-09T11:00+00:00")

    performed = perform(client, plan_id, 1, auth, cpt97110=33, cpt97140=7)
    session = client.get(f"{API}/plans/{plan_id}", headers=auth["front_desk"]).get_json()

    assert performed.status_code == 200, performed.get_json()
    assert session["sessions"][0]["billed"] == [
        {"code": "97110", "minutes": 33, "units": 2},
        {"code": "97140", "minutes": 7, "units": 0},
    ]


def test_a_payer_counting_units_needs_the_authorizations_units(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    payer_id = client.post(f"{API}/payers", json=ACME, headers=auth["admin"]).get_json()["id"]
    terms = {"payer": "Acme", "number": "A-1", "visits": 6, "valid_until": "2026-12-31"}
    body = proposal_body(clinic, authorization={**terms, "payer_id": payer_id})

    response = client.post(f"{API}/plans", json=body, headers=auth["therapist"])

    assert_problem(response, 422, "give the authorization's units")
