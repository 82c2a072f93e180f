"""The page's feed link is built on REGIMEN_PUBLIC_URL, never on the Host a request claims."""

from __future__ import annotations

from dataclasses import replace

import pytest

from service.config import Settings
from tests.builders import Clinic
from tests.web.conftest import Desk, text

PUBLIC = "https://clinic.example.org"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The test settings, on a public address other than the test client's."""
    return replace(settings, public_url=PUBLIC)


def test_the_feed_link_is_on_the_public_address_not_the_requests_host(
    desk: Desk, clinic: Clinic
) -> None:
    cookie = desk.client.get_cookie("regimen_session")
    assert cookie is not None  # the desk's own session, sent to whatever host it names
    desk.client.set_cookie("regimen_session", cookie.value, domain="evil.example")
    response = desk.post(f"/clients/{clinic.client_id}/feed", headers={"Host": "evil.example"})
    assert response.status_code == 201
    page = text(response)
    link = page.split('id="feed-url" type="text" readonly value="')[1].split('"')[0]
    assert link.startswith(f"{PUBLIC}/feeds/") and link.endswith(".ics")
