"""Links handed out are built on REGIMEN_PUBLIC_URL, never on the Host a request claims."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask.testing import FlaskClient

from service.config import Settings
from tests.api.helpers import Headers
from tests.builders import Clinic

PUBLIC = "https://clinic.example.org/regimen"  # behind a proxy that serves it under /regimen


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The test settings, on a public address other than the test client's."""
    return replace(settings, public_url=PUBLIC)


def test_a_feed_url_is_on_the_public_address_whatever_host_the_request_names(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    response = client.post(
        f"/api/v1/clients/{clinic.client_id}/feed-token",
        headers={**auth["front_desk"], "Host": "evil.example"},
    )
    assert response.status_code == 201, response.get_json()
    url = response.get_json()["url"]
    assert url.startswith(f"{PUBLIC}/feeds/") and url.endswith(".ics")
    assert "evil.example" not in url
    assert client.get(url.removeprefix(PUBLIC)).status_code == 200  # and it serves the feed
