"""The clinic's contact details over HTTP: what every message to a client says about it."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.api.helpers import Headers, admin_sets_and_desk_reads_back, assert_problem
from tests.builders import RIVERSIDE_CONTACT, Clinic


def test_the_admin_sets_the_contact_and_the_desk_reads_it_back(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    admin_sets_and_desk_reads_back(client, auth, "/api/v1/clinic/contact", RIVERSIDE_CONTACT)


def test_only_the_admin_changes_the_contact(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    refused = client.put(
        "/api/v1/clinic/contact", json=RIVERSIDE_CONTACT, headers=auth["front_desk"]
    )
    assert refused.status_code == 403


def test_a_website_that_is_no_web_address_is_invalid(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    bad = {**RIVERSIDE_CONTACT, "website": "javascript:alert(1)"}
    response = client.put("/api/v1/clinic/contact", json=bad, headers=auth["admin"])
    assert_problem(response, 422, "website must start with https://")
