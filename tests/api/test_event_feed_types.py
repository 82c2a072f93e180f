"""Every kind of value an event holds reads back as JSON in the feed and in plan histories."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask.testing import FlaskClient

from service.application import Regimen
from service.cli.demo import seed_demo
from service.domain.plan import TreatmentPlan
from service.domain.values import Actor, Role
from tests.api.helpers import Headers
from tests.builders import DESK, small_clinic
from tests.reminder_scenario import EMAIL_48_AND_2

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ADMIN = Actor(user_id="demo-admin", role=Role.ADMIN)


def whole_feed(client: FlaskClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    """Every event of the log, page by page through /events."""
    events: list[dict[str, Any]] = []
    after = 0
    while True:
        answer = client.get(f"/api/v1/events?after={after}&limit=200", headers=headers)
        assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
        events += body["events"]
        after = body["next_after"]
        if not body["more"]:
            return events


def test_the_feed_serves_every_event_of_the_demo_with_reminder_preferences(
    client: FlaskClient, regimen: Regimen, auth: Headers
) -> None:
    seed_demo(regimen, ADMIN, now=NOW)
    # The demo leaves reminders off; a client who chose them has durations in an event.
    clinic = small_clinic(regimen)
    regimen.set_reminder_preferences(clinic.client_id, EMAIL_48_AND_2, DESK)
    stored = {
        type(regimen.mapper.to_domain_event(n)).__qualname__.rsplit(".", 1)[-1]
        for n in regimen.recorder.select_notifications(start=0, limit=100_000)
    }

    fed = whole_feed(client, auth["auditor"])

    assert stored <= {event["type"] for event in fed}  # reading it also logs the access
    preferences = next(e for e in fed if e["type"] == "ReminderPreferencesSet")
    assert preferences["data"]["preferences"]["leads"] == ["P2D", "PT2H"]


def test_every_plan_history_of_the_demo_reads_as_json(
    client: FlaskClient, regimen: Regimen, auth: Headers
) -> None:
    seed_demo(regimen, ADMIN, now=NOW)
    plan_ids = {
        e.originator_id
        for e in map(
            regimen.mapper.to_domain_event,
            regimen.recorder.select_notifications(start=0, limit=100_000),
        )
        if isinstance(e, TreatmentPlan.Event)
    }
    for plan_id in plan_ids:
        answer = client.get(f"/api/v1/plans/{plan_id}/history", headers=auth["auditor"])
        assert answer.status_code == 200, answer.get_json()
        assert answer.get_json()
