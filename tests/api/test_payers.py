"""Payers over HTTP: the admin sets their terms up, anyone on staff reads them."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.api.helpers import Headers, assert_problem
from tests.builders import Clinic

ACME = {
    "name": "Acme Health",
    "unit_rule": "per-code-8-minute",
    "counts": "both",
    "late_cancel_counts": True,
    "no_show_counts": False,
    "currency": "USD",
    "fees": [{"code": "97124", "amount": 3500}, {"code": "97140", "amount": 4000}],
}


def test_the_admin_registers_a_payer_that_staff_list_and_read(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    made = client.post("/api/v1/payers", json=ACME, headers=auth["admin"])
    listed = client.get("/api/v1/payers", headers=auth["front_desk"])
    read = client.get(made.headers["Location"], headers=auth["therapist"])

    assert made.status_code == 201, made.get_json()
    assert {k: read.get_json()[k] for k in ACME} == ACME
    assert [row["name"] for row in listed.get_json()] == ["Acme Health"]
    assert read.headers["ETag"] == '"1"'


def test_the_admin_changes_a_payers_terms_and_the_list_shows_its_new_name(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    location = client.post("/api/v1/payers", json=ACME, headers=auth["admin"]).headers["Location"]
    changed = {**ACME, "name": "Acme Health Plus", "unit_rule": "cms-8-minute", "fees": []}

    put = client.put(location, json=changed, headers={**auth["admin"], "If-Match": '"1"'})
    listed = client.get("/api/v1/payers?q=plus", headers=auth["front_desk"])

    assert put.status_code == 200, put.get_json()
    assert {k: put.get_json()[k] for k in ACME} == changed
    assert put.headers["ETag"] == '"2"'
    assert [row["name"] for row in listed.get_json()] == ["Acme Health Plus"]


def test_the_front_desk_cannot_register_a_payer(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    response = client.post("/api/v1/payers", json=ACME, headers=auth["front_desk"])

    assert_problem(response, 403)


def test_a_code_with_two_fees_is_refused_with_a_problem(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    twice = {**ACME, "fees": [{"code": "97124", "amount": 1}, {"code": "97124", "amount": 2}]}

    response = client.post("/api/v1/payers", json=twice, headers=auth["admin"])

    assert_problem(response, 422, "97124 has two fees")


def test_an_unknown_unit_rule_is_refused_with_a_problem(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    response = client.post(
        "/api/v1/payers", json={**ACME, "unit_rule": "by-the-hour"}, headers=auth["admin"]
    )

    problem = assert_problem(response, 422)
    assert "unit_rule" in str(problem["errors"])
