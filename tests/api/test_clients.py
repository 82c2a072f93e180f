"""Clients over HTTP: registration, search, reading and changing their details."""

from __future__ import annotations

import base64
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from tests.api.helpers import Headers, Refuse, assert_problem, writes_nothing
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


@pytest.mark.parametrize(
    ("query", "names"),
    [("?q=dan@example", ["Dan Client"]), ("", ["Cora Client", "Dan Client"])],
    ids=["by-email", "without-a-query-all"],
)
def test_searching_clients_finds_them_by_email_and_without_a_query_lists_them_all(
    client: FlaskClient, clinic: Clinic, auth: Headers, query: str, names: list[str]
) -> None:
    response = client.get(f"/api/v1/clients{query}", headers=auth["front_desk"])

    assert [c["name"] for c in response.get_json()] == names


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
    clinic: Clinic, auth: Headers, refused: Refuse
) -> None:
    response = refused(
        "PATCH",
        f"/api/v1/clients/{clinic.therapist_id}",
        json={"phone": "07700 900123"},
        headers=auth["front_desk"],
    )

    assert_problem(response, 404, "no client with id")


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


@pytest.mark.parametrize("phone", ["+44 7700 900102", "07700 900102"])
def test_a_uk_number_given_either_way_is_kept_in_e164(
    client: FlaskClient, clinic: Clinic, auth: Headers, phone: str
) -> None:
    response = client.post(
        "/api/v1/clients", json={**EVE, "phone": phone}, headers=auth["front_desk"]
    )

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["phone"] == "+447700900102"


def test_what_is_no_phone_number_is_refused_with_a_problem_naming_the_field(
    client: FlaskClient, clinic: Clinic, auth: Headers, regimen: Regimen
) -> None:
    with writes_nothing(regimen):
        response = client.post(
            "/api/v1/clients", json={**EVE, "phone": "abc"}, headers=auth["front_desk"]
        )
        patched = client.patch(
            f"/api/v1/clients/{clinic.client_id}",
            json={"phone": "abc"},
            headers=auth["front_desk"],
        )

    for refused in (response, patched):
        body = assert_problem(refused, 422, "phone is not a phone number")
        assert body["errors"]["json"]["phone"] == ["phone is not a phone number"]


def test_registering_a_client_with_a_registered_email_is_a_conflict_naming_them(
    client: FlaskClient, clinic: Clinic, auth: Headers, regimen: Regimen
) -> None:
    again = {**EVE, "name": "Cora C.", "email": "Cora@Example.org"}

    with writes_nothing(regimen):
        response = client.post("/api/v1/clients", json=again, headers=auth["front_desk"])

    body = assert_problem(response, 409, "Cora Client", "allow_duplicate")
    assert body["type"].endswith("/likely-duplicate")
    assert [(d["id"], d["href"]) for d in body["duplicates"]] == [
        (str(clinic.client_id), f"/api/v1/clients/{clinic.client_id}")
    ]


def test_the_same_name_and_phone_number_written_another_way_is_a_likely_duplicate(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    first = {"name": "Eve Example", "phone": "07700 900102"}
    created = client.post("/api/v1/clients", json=first, headers=auth["front_desk"])
    again = {"name": "eve  example", "phone": "+44 7700 900102"}

    response = client.post("/api/v1/clients", json=again, headers=auth["front_desk"])

    body = assert_problem(response, 409, "Eve Example")
    assert [d["id"] for d in body["duplicates"]] == [created.get_json()["id"]]


def test_the_same_name_with_another_phone_number_is_no_duplicate(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    body = {"name": "Cora Client", "phone": "07700 900102"}

    response = client.post("/api/v1/clients", json=body, headers=auth["front_desk"])

    assert response.status_code == 201, response.get_json()


def test_a_likely_duplicate_is_registered_when_the_desk_says_so(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    again = {"name": "Cora Client", "email": "cora@example.org", "allow_duplicate": True}

    response = client.post("/api/v1/clients", json=again, headers=auth["front_desk"])

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["id"] != str(clinic.client_id)
    assert "allow_duplicate" not in response.get_json()


def test_searching_by_a_national_phone_number_finds_the_number_kept_in_e164(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    client.post("/api/v1/clients", json=EVE, headers=auth["front_desk"])

    response = client.get("/api/v1/clients?q=020 7946 0000", headers=auth["front_desk"])

    assert [c["name"] for c in response.get_json()] == ["Eve Example"]


def test_a_page_cursor_names_no_client_and_an_altered_one_is_a_bad_request(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    first = client.get("/api/v1/clients?limit=1", headers=auth["front_desk"])
    cursor = first.headers["X-Next-Cursor"]
    second = client.get(f"/api/v1/clients?limit=1&cursor={cursor}", headers=auth["front_desk"])
    altered = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")

    refused = client.get(f"/api/v1/clients?limit=1&cursor={altered}", headers=auth["front_desk"])

    assert [c["name"] for c in first.get_json() + second.get_json()] == [
        "Cora Client",
        "Dan Client",
    ]
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    assert b"Cora" not in raw and quote("Cora Client").lower() not in cursor.lower()
    body = assert_problem(refused, 400, "cursor")
    assert body["type"].endswith("/invalid-cursor")
