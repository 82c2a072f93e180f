"""`/metrics`: off without its token, refused with a wrong one; requests by route template,
bookings and conflicts, each view's lag, and the reminders with the oldest due one's age."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from service.adapters.leader_board import LeaderBoard
from service.application import Regimen
from service.cli.commands import main
from service.config import ConfigError, Settings
from service.http.app import create_app
from tests.api.helpers import Headers, bearer
from tests.builders import ZONE, Clinic, people_of
from tests.fakes import FixedClock

TOKEN = "metrics-token-for-the-tests"
API = "/api/v1"
SCRAPE = bearer(TOKEN)


@pytest.fixture
def app(settings: Settings, regimen: Regimen, clock: FixedClock) -> Flask:
    """The app with a metrics token set."""
    flask_app = create_app(replace(settings, metrics_token=TOKEN), regimen=regimen, clock=clock)
    flask_app.testing = True
    return flask_app


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition (labels in any order)."""
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}(?:\{{(.*)\}})? (\S+)", line)
        if not match:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1) or ""))
        if found == labels:
            return float(match.group(2))
    raise AssertionError(f"no sample {name} {labels} in:\n{text}")


def scrape(client: FlaskClient) -> str:
    answer = client.get("/metrics", headers=SCRAPE)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.content_type.startswith("text/plain; version=0.0.4")
    return answer.get_data(as_text=True)


def visit(clinic: Clinic, start: str) -> dict[str, object]:
    return {
        **people_of(clinic),
        "kind": "single",
        "start": start,
        "timezone": ZONE,
        "minutes": 60,
    }


def test_metrics_are_off_without_a_token_set(
    settings: Settings, regimen: Regimen, clock: FixedClock
) -> None:
    client = create_app(settings, regimen=regimen, clock=clock).test_client()
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers=SCRAPE).status_code == 404


@pytest.mark.parametrize(
    "header", [{}, {"Authorization": "Bearer wrong-token-entirely"}, {"Authorization": TOKEN}]
)
def test_metrics_refuse_a_missing_or_wrong_token(
    client: FlaskClient, header: dict[str, str]
) -> None:
    answer = client.get("/metrics", headers=header)
    assert answer.status_code == 401
    assert "regimen_" not in answer.get_data(as_text=True)


def test_a_staff_token_does_not_open_the_metrics(client: FlaskClient, auth: Headers) -> None:
    assert client.get("/metrics", headers=auth["admin"]).status_code == 401


def test_a_short_token_is_refused_at_start() -> None:
    with pytest.raises(ConfigError, match="REGIMEN_METRICS_TOKEN"):
        Settings.from_env({"REGIMEN_METRICS_TOKEN": "short"})


def test_requests_bookings_and_conflicts_are_counted_by_route_template(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    desk = auth["front_desk"]
    for hour in ("09", "10", "11"):
        booked = client.post(
            f"{API}/visits", json=visit(clinic, f"2026-03-09T{hour}:00"), headers=desk
        )
        assert booked.status_code == 201, booked.get_json()
    clash = client.post(f"{API}/visits", json=visit(clinic, "2026-03-09T10:00"), headers=desk)
    assert clash.status_code == 409
    client.get(f"{API}/clients/{clinic.client_id}", headers=desk)
    client.get(f"{API}/clients/{clinic.other_client_id}", headers=desk)

    text = scrape(client)
    route = f"{API}/visits"
    assert (
        sample(text, "regimen_http_requests_total", method="POST", route=route, status="201") == 3
    )
    assert (
        sample(text, "regimen_http_requests_total", method="POST", route=route, status="409") == 1
    )
    one_client = f"{API}/clients/<uuid:client_id>"
    assert (
        sample(text, "regimen_http_requests_total", method="GET", route=one_client, status="200")
        == 2
    )
    assert (
        sample(text, "regimen_http_request_duration_seconds_count", method="POST", route=route) == 4
    )
    assert sample(text, "regimen_bookings_total", outcome="booked") == 3
    assert sample(text, "regimen_bookings_total", outcome="conflict") == 1
    assert str(clinic.client_id) not in text


def test_the_event_store_position_and_each_views_lag(
    client: FlaskClient, regimen: Regimen, clinic: Clinic
) -> None:
    text = scrape(client)
    head = regimen.recorder.max_notification_id()
    assert sample(text, "regimen_event_store_position") == head
    for view in ("sessions", "directory", "audit", "reminders", "progress"):
        assert sample(text, "regimen_view_position", view=view) == head  # read fresh
        assert sample(text, "regimen_view_lag_events", view=view) == 0
        assert sample(text, "regimen_view_stuck", view=view) == 0


def test_the_reminders_by_status_and_the_oldest_due_ones_age(
    client: FlaskClient, clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    desk = auth["front_desk"]
    preferences = {
        "consent": {"email": True, "sms": False},
        "lead_minutes": [2880, 120],
        "quiet_hours": {"start": "21:00", "end": "08:00"},
    }
    url = f"{API}/clients/{clinic.client_id}/reminder-preferences"
    assert client.put(url, json=preferences, headers=desk).status_code == 200
    booked = client.post(f"{API}/visits", json=visit(clinic, "2026-03-09T10:00"), headers=desk)
    assert booked.status_code == 201

    before = scrape(client)
    assert sample(before, "regimen_reminders", status="scheduled") == 2
    assert sample(before, "regimen_reminders", status="sent") == 0
    assert sample(before, "regimen_reminders_due") == 0
    assert sample(before, "regimen_reminders_oldest_due_age_seconds") == 0

    clock.now = datetime(2026, 3, 8, 12, 0, tzinfo=UTC)  # the 48-hour one was due Saturday 10:00
    after = scrape(client)
    assert sample(after, "regimen_reminders_due") == 1
    assert sample(after, "regimen_reminders_oldest_due_age_seconds") == 26 * 3600


def test_the_scheduler_leader_as_it_last_recorded_itself(
    app: Flask, client: FlaskClient, regimen: Regimen, clock: FixedClock
) -> None:
    assert "regimen_scheduler_leader{" not in scrape(client)  # no scheduler has led yet

    board = LeaderBoard.of(regimen)
    began = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
    assert board.beat("node-a:101", began)
    assert not board.beat("node-a:101", began + timedelta(seconds=5))  # at most every 15 s
    assert board.beat("node-a:101", began + timedelta(seconds=20))
    text = scrape(client)
    assert sample(text, "regimen_scheduler_leader", node="node-a:101") == 1
    assert sample(text, "regimen_scheduler_leader_since_seconds") == began.timestamp()
    assert sample(text, "regimen_scheduler_leader_seen_age_seconds") == 3600 - 20

    taken_over = began + timedelta(minutes=2)
    assert LeaderBoard.of(regimen).beat("node-b:202", taken_over)
    text = scrape(client)
    assert sample(text, "regimen_scheduler_leader", node="node-b:202") == 1
    assert "node-a" not in text
    assert sample(text, "regimen_scheduler_leader_since_seconds") == taken_over.timestamp()


def test_the_last_seal_verification_from_the_api_or_the_command_line(
    client: FlaskClient,
    regimen: Regimen,
    clinic: Clinic,
    auth: Headers,
    clock: FixedClock,
    settings: Settings,
) -> None:
    assert "regimen_seal_verification_ok" not in scrape(client)  # none has run yet

    verified = client.get(f"{API}/audit/verify", headers=auth["auditor"])
    assert verified.status_code == 200 and verified.get_json()["ok"]
    text = scrape(client)
    head = regimen.recorder.max_notification_id()
    assert sample(text, "regimen_seal_verification_ok") == 1
    assert sample(text, "regimen_seal_verification_problems") == 0
    assert sample(text, "regimen_seal_verification_head_position") == head
    assert sample(text, "regimen_seal_verification_timestamp_seconds") == clock().timestamp()

    register_later = client.post(
        f"{API}/clients",
        json={"name": "Eve Later", "email": "eve@example.org", "phone": "", "timezone": ZONE},
        headers=auth["front_desk"],
    )
    assert register_later.status_code == 201, register_later.get_json()
    ran = CliRunner().invoke(
        main, ["audit", "verify"], env={"REGIMEN_DATABASE_URL": settings.database_url}
    )
    assert ran.exit_code == 0, ran.output
    text = scrape(client)
    assert sample(text, "regimen_seal_verification_head_position") > head
    assert sample(text, "regimen_seal_verification_timestamp_seconds") != clock().timestamp()
