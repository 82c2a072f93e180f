"""Reminders over HTTP: preferences and consent, schedules, and the client's calendar feed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from icalendar import Calendar

from service.application import Regimen
from tests.api.helpers import Headers, assert_problem
from tests.fakes import CapturingSender, FixedClock
from tests.reminder_scenario import (
    EXPECTED,
    Series,
    book_series_of_four,
    dispatcher_with,
    rename_clinic_below_the_guard,
)

PREFERENCES = {
    "consent": {"email": True, "sms": False},
    "lead_minutes": [2880, 120],
    "quiet_hours": {"start": "21:00", "end": "08:00"},
}


def feed_url(client: FlaskClient, series: Series, auth: Headers) -> str:
    response = client.post(
        f"/api/v1/clients/{series.clinic.client_id}/feed-token", headers=auth["front_desk"]
    )
    assert response.status_code == 201, response.get_json()
    url = response.get_json()["url"]
    assert url.startswith("http://localhost/feeds/") and url.endswith(".ics")
    return str(url.removeprefix("http://localhost"))


def events(client: FlaskClient, url: str) -> dict[int, Any]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    return {int(str(e["UID"]).split("@")[0].rsplit("-", 1)[1]): e for e in calendar.walk("VEVENT")}


def test_the_desk_records_consent_lead_times_and_quiet_hours(
    client: FlaskClient, regimen: Regimen, auth: Headers
) -> None:
    series = book_series_of_four(regimen)
    url = f"/api/v1/clients/{series.clinic.client_id}/reminder-preferences"
    changed = {**PREFERENCES, "lead_minutes": [1440]}
    response = client.put(url, json=changed, headers=auth["front_desk"])
    assert response.status_code == 200, response.get_json()
    body = client.get(url, headers=auth["auditor"]).get_json()
    assert body["consent"] == {"email": True, "sms": False}
    assert body["lead_minutes"] == [1440]
    assert body["quiet_hours"] == {"start": "21:00", "end": "08:00"}
    assert body["timezone"] == "Europe/London"
    assert response.headers["ETag"] == f'"{body["version"]}"'


def test_consent_must_be_explicit_for_each_channel(
    client: FlaskClient, regimen: Regimen, auth: Headers
) -> None:
    series = book_series_of_four(regimen)
    url = f"/api/v1/clients/{series.clinic.client_id}/reminder-preferences"
    missing = client.put(url, json={"consent": {"email": True}}, headers=auth["front_desk"])
    assert_problem(missing, 422)
    no_phone = client.put(
        url, json={"consent": {"email": True, "sms": True}}, headers=auth["front_desk"]
    )
    assert_problem(no_phone, 422, "phone")


def test_a_clients_schedule_lists_eight_reminders_then_two_cancelled(
    client: FlaskClient, regimen: Regimen, auth: Headers, clock: FixedClock
) -> None:
    series = book_series_of_four(regimen, now=clock())
    url = f"/api/v1/clients/{series.clinic.client_id}/reminders"
    rows = client.get(url, headers=auth["front_desk"]).get_json()
    assert [(r["session_number"], r["lead_minutes"], r["due_local"]) for r in rows] == [
        (n, m, local) for n, m, local, _ in EXPECTED
    ]
    cancel = client.post(
        f"/api/v1/plans/{series.plan_id}/sessions/2/cancel",
        json={"reason": "away", "scope": "this"},
        headers=auth["front_desk"],
    )
    assert cancel.status_code == 200, cancel.get_json()
    cancelled = client.get(url, query_string={"status": "cancelled"}, headers=auth["front_desk"])
    assert [r["session_number"] for r in cancelled.get_json()] == [2, 2]


def test_failed_reminders_are_listed_for_the_clinic(
    client: FlaskClient, regimen: Regimen, auth: Headers, clock: FixedClock
) -> None:
    book_series_of_four(regimen, now=clock())
    client.get("/api/v1/reminders", headers=auth["front_desk"])  # planned as booked
    dispatcher = dispatcher_with(regimen, CapturingSender(down=lambda: True))
    for minute in range(0, 24 * 60, 10):
        dispatcher.dispatch(clock.advance(days=5) if minute == 0 else clock.advance(minutes=10))
    failed = client.get(
        "/api/v1/reminders", query_string={"status": "failed"}, headers=auth["auditor"]
    )
    assert failed.status_code == 200
    rows = failed.get_json()
    assert rows and {r["status"] for r in rows} == {"failed"}
    assert all(r["attempts"] >= 1 and r["last_error"] for r in rows)
    assert_problem(
        client.get("/api/v1/reminders", query_string={"status": "lost"}, headers=auth["admin"]), 422
    )


def test_the_feed_follows_reschedules_and_cancellations_by_uid_and_sequence(
    client: FlaskClient, regimen: Regimen, auth: Headers
) -> None:
    series = book_series_of_four(regimen)
    url = feed_url(client, series, auth)
    before = events(client, url)
    assert sorted(before) == [1, 2, 3, 4]
    assert {str(e["STATUS"]) for e in before.values()} == {"CONFIRMED"}
    assert [a["TRIGGER"].dt for a in before[1].walk("VALARM")] == [
        -timedelta(hours=48),
        -timedelta(hours=2),
    ]
    moved = client.post(
        f"/api/v1/plans/{series.plan_id}/sessions/1/reschedule",
        json={"start": "2026-03-10T14:00", "timezone": "Europe/London"},
        headers=auth["front_desk"],
    )
    assert moved.status_code == 200, moved.get_json()
    client.post(
        f"/api/v1/plans/{series.plan_id}/sessions/2/cancel",
        json={"reason": "away", "scope": "this"},
        headers=auth["front_desk"],
    )
    after = events(client, url)
    assert {n: str(e["UID"]) for n, e in after.items()} == {
        n: str(e["UID"]) for n, e in before.items()
    }
    assert after[1]["SEQUENCE"] > before[1]["SEQUENCE"]
    assert after[1].start.hour == 14
    assert str(after[2]["STATUS"]) == "CANCELLED" and after[2]["SEQUENCE"] > before[2]["SEQUENCE"]
    assert after[3]["SEQUENCE"] == before[3]["SEQUENCE"]


def test_an_unchanged_feed_answers_304_and_a_wrong_token_404(
    client: FlaskClient, regimen: Regimen, auth: Headers
) -> None:
    series = book_series_of_four(regimen)
    url = feed_url(client, series, auth)
    first = client.get(url)
    tag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/feeds/not-a-token.ics").status_code == 404
    assert client.get(url[:-8] + "xxxx.ics").status_code == 404


def test_rotating_or_revoking_the_feed_token_retires_the_old_url(
    client: FlaskClient, regimen: Regimen, auth: Headers
) -> None:
    series = book_series_of_four(regimen)
    old = feed_url(client, series, auth)
    new = feed_url(client, series, auth)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    token_url = f"/api/v1/clients/{series.clinic.client_id}/feed-token"
    assert client.delete(token_url, headers=auth["front_desk"]).status_code == 204
    assert client.get(new).status_code == 404


def test_reminder_endpoints_need_a_token_but_the_feed_does_not(
    client: FlaskClient, regimen: Regimen, auth: Headers
) -> None:
    series = book_series_of_four(regimen)
    base = f"/api/v1/clients/{series.clinic.client_id}"
    assert_problem(client.get(f"{base}/reminders"), 401)
    assert_problem(client.get("/api/v1/reminders"), 401)
    assert_problem(client.post(f"{base}/feed-token", headers=auth["auditor"]), 403)
    assert client.get(feed_url(client, series, auth)).status_code == 200


def test_the_feed_shows_a_clinic_name_stored_with_a_line_break_on_one_line(
    client: FlaskClient, regimen: Regimen, auth: Headers
) -> None:
    series = book_series_of_four(regimen)
    rename_clinic_below_the_guard(regimen, "Riverside\r\nClinic\x1b")
    sessions = events(client, feed_url(client, series, auth))
    assert str(sessions[1]["SUMMARY"]) == "Session 1 at Riverside Clinic "
    assert "contact Riverside Clinic  at least" in str(sessions[1]["DESCRIPTION"])


def test_the_feed_token_comes_with_a_webcal_link_to_subscribe(
    client: FlaskClient, regimen: Regimen, auth: Headers
) -> None:
    series = book_series_of_four(regimen)
    response = client.post(
        f"/api/v1/clients/{series.clinic.client_id}/feed-token", headers=auth["front_desk"]
    )
    body = response.get_json()
    assert body["subscribe_url"] == "webcal://" + body["url"].removeprefix("http://")


def test_one_session_is_served_alone_behind_the_feeds_secret(
    client: FlaskClient, regimen: Regimen, auth: Headers
) -> None:
    series = book_series_of_four(regimen)
    url = feed_url(client, series, auth)
    in_feed = events(client, url)[2]
    one = client.get(url.removesuffix(".ics") + f"/{series.plan_id}/2.ics")
    assert one.status_code == 200 and one.mimetype == "text/calendar"
    (alone,) = Calendar.from_ical(one.data).walk("VEVENT")
    assert alone.to_ical() == in_feed.to_ical()
    again = client.get(one.request.path, headers={"If-None-Match": one.headers["ETag"]})
    assert again.status_code == 304
    assert client.get(url.removesuffix(".ics") + f"/{series.plan_id}/9.ics").status_code == 404
    assert client.get(f"/feeds/not-a-token/{series.plan_id}/2.ics").status_code == 404
