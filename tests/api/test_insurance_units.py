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


CMS_PAYER = {**ACME, "name": "Medicare", "unit_rule": "cms-8-minute", "fees": []}


def test_three_hours_of_massage_use_up_twelve_units_and_a_fourth_needs_an_override(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    # an authorization of 12 units; three 60-minute sessions of 97124 bill 4 each
    plan_id = insured_plan(client, clinic, auth, CMS_PAYER, units=12)
    for day in ("09", "16", "23"):
        assert book(client, plan_id, auth, f"2026-03-{day}T10:00").status_code == 201
    clock.now = datetime.fromisoformat("2026-03-23T11:00+00:00")
    for number in (1, 2, 3):
        assert perform(client, plan_id, number, auth, cpt97124=60).status_code == 200
    plan = client.get(f"{API}/plans/{plan_id}", headers=auth["front_desk"]).get_json()
    assert (plan["authorized_units_used"], plan["authorized_units_left"]) == (12, 0)

    # a fourth is refused without an override ...
    refused = book(client, plan_id, auth, "2026-03-30T10:00")
    assert_problem(refused, 409, "covers 12 units and 0 are left", "needs 4", "override")

    # ... and the preview of the rest of the series says which sessions and why
    preview = client.post(
        f"{API}/plans/{plan_id}/series",
        json={"first_start": "2026-03-30T10:00", "timezone": "Europe/London", "dry_run": True},
        headers=auth["front_desk"],
    )
    outcome = preview.get_json()
    assert preview.status_code == 200, outcome
    assert outcome["bookable"] is False
    assert [b["number"] for b in outcome["beyond_authorization"]] == [4, 5, 6]
    assert "covers 12 units and 0 are left" in outcome["beyond_authorization"][0]["detail"]
    assert outcome["beyond_authorization"][0]["local_start"] == "2026-03-30T10:00"

    # with a reason it is booked, and the reason is recorded
    overridden = book(
        client, plan_id, auth, "2026-03-30T10:00", authorization_override="payer agreed by phone"
    )
    assert overridden.status_code == 201, overridden.get_json()
    assert overridden.get_json()["authorization_override"] == "payer agreed by phone"


def test_codes_billing_more_than_booked_need_an_override_when_no_units_are_left(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    plan_id = insured_plan(client, clinic, auth, CMS_PAYER, units=2)
    half_hours = {"sessions": 6, "interval_days": 7, "session_minutes": 30}
    client.post(
        f"{API}/plans/{plan_id}/revise",
        json={"series": half_hours, "reason": "shorter"},
        headers=auth["therapist"],
    )
    book(client, plan_id, auth, "2026-03-09T10:00")  # half an hour: 2 units planned
    clock.now = datetime.fromisoformat("2026-03-09T11:00+00:00")

    refused = perform(client, plan_id, 1, auth, cpt97124=45)  # 3 units
    performed = client.post(
        f"{API}/plans/{plan_id}/sessions/1/perform",
        json={
            **PERFORMANCE,
            "procedures": [{"code": "97124", "minutes": 45}],
            "authorization_override": "ran long at the client's request",
        },
        headers=auth["therapist"],
    )

    assert_problem(refused, 409, "its codes bill 1 more than session 1 was booked for")
    assert performed.status_code == 200, performed.get_json()
    session = performed.get_json()["sessions"][0]
    assert session["billed"] == [{"code": "97124", "minutes": 45, "units": 3}]
    assert session["authorization_override"] == "ran long at the client's request"


def test_a_late_cancel_uses_units_when_the_payer_counts_it(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    plan_id = insured_plan(client, clinic, auth, CMS_PAYER, units=12)  # late cancels count
    book(client, plan_id, auth, "2026-03-09T10:00")
    clock.now = datetime.fromisoformat("2026-03-09T08:00+00:00")

    client.post(
        f"{API}/plans/{plan_id}/sessions/1/cancel",
        json={"reason": "ill"},
        headers=auth["front_desk"],
    )
    plan = client.get(f"{API}/plans/{plan_id}", headers=auth["front_desk"]).get_json()

    assert plan["sessions"][0]["late_cancel"] is True
    assert plan["authorized_units_used"] == 4


def test_the_authorization_report_counts_visits_and_units_and_flags_the_expiring(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    plan_id = insured_plan(client, clinic, auth, CMS_PAYER, units=12, valid_until="2026-03-20")
    for day in ("09", "16"):
        book(client, plan_id, auth, f"2026-03-{day}T10:00")
    clock.now = datetime.fromisoformat("2026-03-09T11:00+00:00")
    perform(client, plan_id, 1, auth, cpt97124=40)  # 3 units

    report = client.get(f"{API}/authorizations?expiring_within_days=14", headers=auth["front_desk"])
    refused = client.get(f"{API}/authorizations", headers=auth["therapist"])

    assert report.status_code == 200, report.get_json()
    (row,) = report.get_json()
    assert (row["plan_id"], row["payer"], row["number"]) == (plan_id, "Medicare", "AUTH-7")
    assert row["visits"] == {"authorized": 10, "booked": 1, "used": 1, "remaining": 8}
    assert row["units"] == {"authorized": 12, "booked": 4, "used": 3, "remaining": 5}
    assert row["expiring"] is True  # 20 March is within 14 days of 9 March
    assert row["uncoded"] == 0  # session 1 was performed with its codes
    assert_problem(refused, 403)
