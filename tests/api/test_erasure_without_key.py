"""Without a cipher key there is no client key to destroy: erasure is refused clearly."""

from __future__ import annotations

from flask.testing import FlaskClient

from service.application import Regimen
from tests.api.helpers import Headers, assert_problem, position
from tests.builders import Clinic


def test_without_a_cipher_key_erasure_is_refused_and_nothing_changes(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    before = position(regimen)

    response = client.post(
        f"/api/v1/clients/{clinic.client_id}/erasure", json={}, headers=auth["admin"]
    )

    body = assert_problem(response, 409, "REGIMEN_CIPHER_KEY")
    assert body["type"].endswith("/no-cipher-key")
    assert position(regimen) == before
