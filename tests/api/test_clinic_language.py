"""The clinic's language: what its clients read, set and read back through the API."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.api.helpers import Headers, assert_problem
from tests.api.test_setup import CLINIC


def test_the_language_defaults_to_english_and_is_set_to_french(
    client: FlaskClient, auth: Headers
) -> None:
    english = client.put("/api/v1/clinic", json=CLINIC, headers=auth["admin"])
    assert english.get_json()["language"] == "en"
    french = client.put("/api/v1/clinic", json={**CLINIC, "language": "fr"}, headers=auth["admin"])
    assert french.status_code == 200, french.get_json()
    assert client.get("/api/v1/clinic", headers=auth["front_desk"]).get_json()["language"] == "fr"


def test_a_language_without_a_catalog_is_a_problem(client: FlaskClient, auth: Headers) -> None:
    response = client.put(
        "/api/v1/clinic", json={**CLINIC, "language": "de"}, headers=auth["admin"]
    )
    assert_problem(response, 422)
