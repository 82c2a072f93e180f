"""Before an administrator sets the clinic up, the desk is told whom to ask, not an API call."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.api.helpers import bearer
from tests.web.conftest import Desk, text


def test_the_desk_is_asked_to_fetch_an_administrator_before_the_clinic_is_set_up(
    client: FlaskClient, tokens: dict[str, str]
) -> None:
    desk = Desk(client)
    assert desk.sign_in(tokens["front_desk"]).status_code == 302

    response = desk.get("/calendar")

    page = text(response)
    assert response.status_code == 404
    assert "Ask an administrator to set up the clinic." in page
    assert "/api/v1/clinic" not in page


def test_the_api_still_names_the_call_that_sets_the_clinic_up(
    client: FlaskClient, tokens: dict[str, str]
) -> None:
    response = client.get("/api/v1/clinic", headers=bearer(tokens["admin"]))
    assert response.status_code == 404
    assert "PUT /api/v1/clinic" in response.get_json()["detail"]
