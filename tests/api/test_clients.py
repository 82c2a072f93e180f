"""Clients over HTTP: registration, search, reading and changing their details."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from tests.api.helpers import Headers, assert_problem, writes_nothing
from tests.builders import Clinic

EVE = {"name": "Eve Example", "email": "eve@example.org", "phone": "+44 20 7946 0000"}


def test_a_registered_client_defaults_to_the_clinics_time_zone(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    response = client.post("/api/v1/clients", json=EVE, headers=auth["front_desk"])

    assert response.status_code == 201, response.get_json()
    registered = response.get_json()
    assert {k: registered[k] for k in EVE} == {**EVE, "phone": "+442079460000"}
    assert (registered["timezone"], registered["version"]) == ("Europe/London", 1)
    assert response.headers["Location"] == f"/api/v1/clients/{registered['id']}"
    assert response.headers["ETag"] == '"1"'


def test_searching_clients_finds_them_by_part_of_a_name_in_any_case(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    response = client.get("/api/v1/clients?q=CORA", headers=auth["front_desk"])

    assert response.status_code == 200
    assert [c["id"] for c in response.get_json()] == [str(clinic.client_id)]


def test_searching_clients_finds_them_by_email(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    response = client.get("/api/v1/clients?q=dan@example", headers=auth["front_desk"])

    assert [c["name"] for c in response.get_json()] == ["Dan Client"]


def test_listing_clients_without_a_query_lists_them_all(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    response = client.get("/api/v1/clients", headers=auth["front_desk"])

    assert [c["name"] for c in response.get_json()] == ["Cora Client", "Dan Client"]


def test_a_client_is_read_with_its_version_as_etag(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    response = client.get(f"/api/v1/clients/{clinic.client_id}", headers=auth["therapist"])

    assert response.status_code == 200
    assert response.get_json()["email"] == "cora@example.org"
    assert response.headers["ETag"] == '"1"'


def test_patching_a_client_changes_only_the_fields_given(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    response = client.patch(
        f"/api/v1/clients/{clinic.client_id}",
        json={"phone": "07700 900123", "timezone": "Europe/Paris"},
        headers=auth["front_desk"],
    )

    assert response.status_code == 200, response.get_json()
    patched = response.get_json()
    assert (patched["phone"], patched["timezone"]) == ("+447700900123", "Europe/Paris")
    assert (patched["name"], patched["email"]) == ("Cora Client", "cora@example.org")
    assert patched["version"] == 2
    assert response.headers["ETag"] == '"2"'


def test_patching_an_unknown_client_is_not_found(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    with writes_nothing(regimen):
        response = client.patch(
            f"/api/v1/clients/{clinic.therapist_id}",
            json={"phone": "07700 900123"},
            headers=auth["front_desk"],
        )

    assert_problem(response, 404, "no client with id")


def test_patching_a_client_with_a_stale_if_match_is_refused(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    stale = {**auth["front_desk"], "If-Match": '"0"'}

    with writes_nothing(regimen):
        response = client.patch(
            f"/api/v1/clients/{clinic.client_id}", json={"phone": "07700 900123"}, headers=stale
        )

    assert_problem(response, 412)


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ('"\x0b"@example.org', "U+000B"),
        ("zoë@example.org", "beyond ASCII before the @"),
        ("cora@localhost", "not a usable email address"),
    ],
)
def test_an_email_address_a_reminder_cannot_go_to_is_refused_saying_why(
    client: FlaskClient, clinic: Clinic, auth: Headers, regimen: Regimen, address: str, says: str
) -> None:
    with writes_nothing(regimen):
        response = client.post(
            "/api/v1/clients", json={**EVE, "email": address}, headers=auth["front_desk"]
        )
        assert says in assert_problem(response, 422)["errors"]["json"]["email"][0]
        patched = client.patch(
            f"/api/v1/clients/{clinic.client_id}",
            json={"email": address},
            headers={**auth["front_desk"], "If-Match": '"1"'},
        )
        assert says in assert_problem(patched, 422)["errors"]["json"]["email"][0]


def test_an_international_domain_is_accepted_and_no_email_reads_as_empty(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    international = {**EVE, "email": "eve@Exämple.org"}
    response = client.post("/api/v1/clients", json=international, headers=auth["front_desk"])
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["email"] == "eve@exämple.org"
    without = {k: v for k, v in EVE.items() if k != "email"} | {"name": "Fay"}
    response = client.post("/api/v1/clients", json=without, headers=auth["front_desk"])
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["email"] == ""


def test_the_documented_email_fields_have_no_default_that_is_no_email(
    client: FlaskClient,
) -> None:
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    for name in ("Client", "ClientPatch", "Therapist"):
        email = schemas[name]["properties"]["email"]
        assert "default" not in email, (name, email)
    assert schemas["ClientPatch"]["properties"]["email"]["format"] == "email"
