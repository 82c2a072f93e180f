"""Signing in with a token, the session cookie, CSRF and signing out."""

from __future__ import annotations

from flask.testing import FlaskClient

from service.application import Regimen
from tests.api.helpers import bearer
from tests.builders import ADMIN, Clinic
from tests.web.conftest import Desk, signed_in, text


def test_the_sign_in_page_asks_for_a_token_with_a_labelled_field(client: FlaskClient) -> None:
    page = text(client.get("/"))
    assert '<label for="f-token">Staff token</label>' in page
    assert 'id="f-token" name="token" type="password"' in page


def test_the_session_cookie_is_httponly_and_samesite_lax(client: FlaskClient) -> None:
    cookie = client.get("/").headers["Set-Cookie"]
    assert cookie.startswith("regimen_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in the test: a Secure cookie would never return


def test_the_session_cookie_is_secure_when_served_over_https(client: FlaskClient) -> None:
    cookie = client.get("/", base_url="https://desk.example").headers["Set-Cookie"]
    assert "Secure" in cookie


def test_a_front_desk_token_opens_the_calendar(
    client: FlaskClient, tokens: dict[str, str], clinic: Clinic
) -> None:
    desk = signed_in(client, tokens["front_desk"], landing="/calendar")
    page = text(desk.get("/calendar"))
    assert "Signed in as <strong>test-front_desk</strong> (front desk)" in page


def test_an_unknown_token_is_refused_beside_the_field(client: FlaskClient) -> None:
    response = Desk(client).sign_in("not-a-token")
    assert response.status_code == 401
    page = text(response)
    assert 'aria-invalid="true"' in page and "not known, or it was revoked" in page


def test_an_auditor_token_opens_the_audit_workspace_not_the_desk_pages(
    client: FlaskClient, tokens: dict[str, str]
) -> None:
    response = Desk(client).sign_in(tokens["auditor"])
    assert response.status_code == 302 and response.location == "/audit"
    refused = client.get("/calendar")
    assert refused.status_code == 403 and "audit workspace" in text(refused)


def test_pages_send_a_visitor_who_is_not_signed_in_to_the_sign_in_page(
    client: FlaskClient,
) -> None:
    response = client.get("/clients")
    assert response.status_code == 302 and response.location == "/"


def test_an_htmx_poll_after_the_session_ended_redirects_the_whole_page(
    client: FlaskClient,
) -> None:
    response = client.get("/calendar/grid", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/"


def test_a_form_without_the_csrf_token_changes_nothing(
    desk: Desk, regimen: Regimen, clinic: Clinic
) -> None:
    before = regimen.recorder.max_notification_id()
    response = desk.client.post("/clients", data={"name": "Eve Forger"})
    assert response.status_code == 400
    assert "The form has expired" in text(response)
    assert regimen.recorder.max_notification_id() == before


def test_a_form_with_another_sessions_token_is_refused(desk: Desk) -> None:
    response = desk.client.post("/clients", data={"name": "Eve", "csrf_token": "guessed"})
    assert response.status_code == 400


def test_signing_in_starts_a_new_session_with_a_new_csrf_token(
    client: FlaskClient, tokens: dict[str, str], clinic: Clinic
) -> None:
    desk = Desk(client)
    client.get("/")
    before = desk.csrf()
    desk.client.post("/sign-in", data={"token": tokens["front_desk"], "csrf_token": before})
    assert desk.csrf() and desk.csrf() != before


def test_signing_out_ends_the_session(desk: Desk) -> None:
    response = desk.post("/sign-out")
    assert response.status_code == 302 and response.location == "/"
    assert desk.get("/calendar").status_code == 302


def test_revoking_the_token_ends_the_session(desk: Desk, regimen: Regimen) -> None:
    regimen.revoke_user("test-front_desk", ADMIN)
    assert desk.get("/calendar").status_code == 302


def test_pages_forbid_framing_and_caching(desk: Desk) -> None:
    response = desk.get("/calendar")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_the_api_sets_no_session_cookie(client: FlaskClient, tokens: dict[str, str]) -> None:
    response = client.get("/api/v1/clients", headers=bearer(tokens["front_desk"]))
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
