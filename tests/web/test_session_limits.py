"""Sessions kept on the server: signing out ends every copy of the cookie; idle and
absolute limits; the calendar's poll is not the user being active."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from service.adapters.browser_sessions import TABLE
from service.adapters.view_recorders import view_recorder_for
from service.application import Regimen
from service.config import Settings
from service.http.app import create_app
from service.web.security import BACKGROUND_HEADER
from tests.builders import Clinic
from tests.fakes import FixedClock
from tests.web.conftest import Desk, text

COOKIE = "regimen_session"
POLL = {"HX-Request": "true", BACKGROUND_HEADER: "poll"}


def copy_of_cookie(app: Flask, desk: Desk) -> FlaskClient:
    """Another browser holding a copy of the desk's session cookie."""
    cookie = desk.client.get_cookie(COOKIE)
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie.value)
    return thief


def signed_in(client: FlaskClient) -> bool:
    """Whether the calendar opens (rather than sending the browser to sign in)."""
    return client.get("/calendar").status_code == 200


def test_signing_out_stops_a_copy_of_the_cookie_working(app: Flask, desk: Desk) -> None:
    copy = copy_of_cookie(app, desk)
    assert signed_in(copy)  # a copy works while the session lasts...
    desk.post("/sign-out")
    response = copy.get("/calendar")
    assert response.status_code == 302 and response.location == "/"  # ...and not after it


def test_the_cookie_holds_a_random_id_and_the_table_only_its_hash(
    desk: Desk, regimen: Regimen
) -> None:
    cookie = desk.client.get_cookie(COOKIE)
    assert cookie is not None
    stored = view_recorder_for(regimen).query(f"SELECT id_hash, user_id FROM {TABLE}")
    assert len(stored) == 1
    assert stored[0]["user_id"] not in cookie.value
    session_id = URLSafeTimedSerializer("unused").loads_unsafe(cookie.value)[1]["sid"]
    assert session_id not in str(stored)


def test_a_cookie_naming_a_user_as_old_cookies_did_signs_nobody_in(
    app: Flask, client: FlaskClient, tokens: dict[str, str], clinic: Clinic, regimen: Regimen
) -> None:
    user = next(u for u in regimen.list_users() if u.name == "test-front_desk")
    signing = SecureCookieSessionInterface().get_signing_serializer(app)
    assert signing is not None  # the app's own key: a cookie this app made before the change
    client.set_cookie(COOKIE, signing.dumps({"user_id": str(user.user_id), "csrf": "x"}))
    assert not signed_in(client)


def test_thirty_idle_minutes_end_the_session(desk: Desk, clock: FixedClock) -> None:
    clock.advance(minutes=29)
    assert signed_in(desk.client)
    clock.advance(minutes=29)  # 29 minutes after the last page: still signed in
    assert signed_in(desk.client)
    clock.advance(minutes=30)
    assert not signed_in(desk.client)


def test_the_calendars_poll_does_not_keep_the_session_alive(desk: Desk, clock: FixedClock) -> None:
    for _ in range(5):  # a calendar left open on the desk, polling
        clock.advance(minutes=5)
        assert desk.get("/calendar/grid", headers=POLL).status_code in (200, 204)
    clock.advance(minutes=5)  # 30 minutes since the user last did anything
    response = desk.get("/calendar/grid", headers=POLL)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/"


def test_the_calendars_grid_marks_its_poll_as_background(desk: Desk) -> None:
    assert f'hx-headers=\'{{"{BACKGROUND_HEADER}": "poll"}}\'' in text(desk.get("/calendar"))


def test_twelve_hours_after_signing_in_the_session_ends_however_busy(
    desk: Desk, clock: FixedClock
) -> None:
    for _ in range(12 * 4 - 1):  # a page every quarter of an hour, all day
        clock.advance(minutes=15)
        assert signed_in(desk.client)
    clock.advance(minutes=15)
    assert not signed_in(desk.client)


def test_an_ended_session_is_deleted_and_its_cookie_cleared(
    desk: Desk, clock: FixedClock, regimen: Regimen
) -> None:
    clock.advance(minutes=31)
    response = desk.get("/calendar")
    assert response.status_code == 302
    assert f"{COOKIE}=;" in response.headers["Set-Cookie"]
    assert view_recorder_for(regimen).query(f"SELECT id_hash FROM {TABLE}") == []


def test_signing_out_on_one_worker_ends_the_session_on_another(
    desk: Desk, settings: Settings, clock: FixedClock, tmp_path: Path
) -> None:
    other_worker = create_app(settings, clock=clock)  # its own application, same database
    try:
        copy = copy_of_cookie(other_worker, desk)
        assert signed_in(copy)
        desk.post("/sign-out")
        assert not signed_in(copy)
    finally:
        other_worker.extensions["regimen"].close()


def test_signing_out_deletes_the_cookie_and_the_session(desk: Desk, regimen: Regimen) -> None:
    response = desk.post("/sign-out")
    assert f"{COOKIE}=;" in response.headers["Set-Cookie"]
    assert view_recorder_for(regimen).query(f"SELECT id_hash FROM {TABLE}") == []
