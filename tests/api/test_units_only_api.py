"""Over HTTP, an authorization under a payer counting units only: proposed without visits,
read and reported with none, exported as FHIR claiming none; other payers still need them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from flask.testing import FlaskClient

from tests.api.helpers import Headers, assert_problem, proposal_body
from tests.api.test_client_export import export, resources
from tests.api.test_insurance_units import CMS_PAYER, book
from tests.builders import Clinic

API = "/api/v1"
UNITS_PAYER = {**CMS_PAYER, "name": "Acme Units", "counts": "units"}
TERMS = {"payer": "Acme Units", "number": "AUTH-U", "valid_until": "2026-12-31"}


def propose(client: FlaskClient, clinic: Clinic, auth: Headers, **authorization: Any) -> Any:
    """Propose the usual plan under this authorization."""
    body = proposal_body(clinic, authorization={**TERMS, **authorization})
    return client.post(f"{API}/plans", json=body, headers=auth["therapist"])


def payer(client: FlaskClient, auth: Headers, terms: dict[str, Any]) -> str:
    """Register the payer; its id."""
    made = client.post(f"{API}/payers", json=terms, headers=auth["admin"])
    assert made.status_code == 201, made.get_json()
    payer_id: str = made.get_json()["id"]
    return payer_id


def units_only_plan(client: FlaskClient, clinic: Clinic, auth: Headers) -> str:
    """An agreed plan authorized for 40 units and no visits, two hour-long sessions booked."""
    payer_id = payer(client, auth, UNITS_PAYER)
    created = propose(client, clinic, auth, payer_id=payer_id, units=40)
    assert created.status_code == 201, created.get_json()
    plan_id: str = created.get_json()["id"]
    client.post(f"{API}/plans/{plan_id}/agree", headers=auth["front_desk"])
    for start in ("2026-03-09T10:00", "2026-03-16T10:00"):
        assert book(client, plan_id, auth, start).status_code == 201
    return plan_id


def test_a_plan_under_a_units_only_payer_is_proposed_read_and_reported_without_visits(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    plan_id = units_only_plan(client, clinic, auth)

    plan = client.get(f"{API}/plans/{plan_id}", headers=auth["front_desk"]).get_json()
    report = client.get(f"{API}/authorizations", headers=auth["front_desk"])

    assert plan["authorization"]["visits"] is None
    assert (plan["authorization"]["units"], plan["authorized_units_left"]) == (40, 32)
    assert report.status_code == 200, report.get_json()
    (row,) = report.get_json()
    assert row["plan_id"] == plan_id and row["visits"] is None
    assert row["units"] == {"authorized": 40, "booked": 8, "used": 0, "remaining": 32}


@pytest.mark.parametrize(
    ("terms", "authorization", "detail"),
    [
        (CMS_PAYER, {"units": 40}, "Medicare authorizes visits: give the authorization's visits"),
        (UNITS_PAYER, {"units": 40, "visits": 6}, "authorizes units only: leave the visits out"),
        (None, {"visits": None}, "without a registered payer gives its visits"),
    ],
)
def test_visits_are_asked_for_exactly_when_the_payer_counts_them(
    client: FlaskClient,
    clinic: Clinic,
    auth: Headers,
    terms: dict[str, Any] | None,
    authorization: dict[str, Any],
    detail: str,
) -> None:
    named = {"payer_id": payer(client, auth, terms)} if terms else {}

    response = propose(client, clinic, auth, **named, **authorization)

    assert_problem(response, 422, detail)


@pytest.mark.parametrize("visits", [0, "six", 1001])
def test_a_visit_count_that_is_no_count_is_a_problem_not_a_failure(
    client: FlaskClient, clinic: Clinic, auth: Headers, visits: Any
) -> None:
    payer_id = payer(client, auth, UNITS_PAYER)

    response = propose(client, clinic, auth, payer_id=payer_id, units=40, visits=visits)

    errors = assert_problem(response, 422)["errors"]["json"]["authorization"]
    assert list(errors) == ["visits"]


def test_the_fhir_export_of_a_units_only_plan_claims_no_visit_count(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    units_only_plan(client, clinic, auth)

    bundle = export(client, clinic, auth, "therapist").get_json()

    Bundle.model_validate(bundle)  # raises on anything FHIR R4(B) does not allow
    (coverage,) = resources(bundle, "Coverage")
    assert coverage["payor"] == [{"display": "Acme Units"}]
    assert coverage["subscriberId"] == "AUTH-U"
    assert coverage["period"] == {"end": "2026-12-31"}
    written = json.dumps(bundle)
    assert "None" not in written and "null" not in written
    assert "visit" not in json.dumps(coverage).lower()


def test_the_progress_report_says_the_units_used_and_no_visits(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    plan_id = units_only_plan(client, clinic, auth)

    answer = client.get(
        f"{API}/plans/{plan_id}/progress-report",
        headers={**auth["therapist"], "Accept": "text/html"},
    )

    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Acme Units no. AUTH-U: 8 of 40 units used, valid until 31 Dec 2026" in page
    assert "visits used" not in page and "None" not in page


@pytest.mark.parametrize(
    ("counts", "authorization", "left"),
    [
        ("units", {"units": 40}, (None, 32)),
        ("visits", {"visits": 6}, (4, None)),
        ("both", {"visits": 6, "units": 40}, (4, 32)),
    ],
)
def test_a_plans_progress_says_the_visits_and_the_units_its_authorization_has_left(
    client: FlaskClient,
    clinic: Clinic,
    auth: Headers,
    counts: str,
    authorization: dict[str, Any],
    left: tuple[int | None, int | None],
) -> None:
    payer_id = payer(client, auth, {**UNITS_PAYER, "counts": counts})
    created = propose(client, clinic, auth, payer_id=payer_id, **authorization)
    plan_id = created.get_json()["id"]
    client.post(f"{API}/plans/{plan_id}/agree", headers=auth["front_desk"])
    for start in ("2026-03-09T10:00", "2026-03-16T10:00"):  # an hour each: 4 units
        assert book(client, plan_id, auth, start).status_code == 201

    progress = client.get(f"{API}/plans/{plan_id}/progress", headers=auth["front_desk"])

    assert progress.status_code == 200, progress.get_json()
    body = progress.get_json()
    assert (body["authorization_left"], body["authorization_units_left"]) == left
