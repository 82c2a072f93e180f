"""The demo clinic: realistic, complete, and every stored event names its actor."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from service.application import Regimen
from service.cli.demo import seed_demo
from service.cli.users import demo_therapist
from service.domain.values import Actor, PlanStatus, Role, SessionStatus
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.builders import all_plans

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
CLI = Actor(user_id="cli", role=Role.ADMIN)


def test_the_demo_holds_plans_at_every_stage(regimen: Regimen) -> None:
    assert seed_demo(regimen, CLI, now=NOW)
    plans = all_plans(regimen)
    assert Counter(p.status for p in plans) == {
        PlanStatus.PROPOSED: 2,
        PlanStatus.AGREED: 8,
        PlanStatus.COMPLETED: 2,
    }
    mid_series = [p for p in plans if p.sessions_in(SessionStatus.PERFORMED) and p.is_open]
    assert mid_series and all(p.sessions_in(SessionStatus.BOOKED) for p in mid_series)


def test_the_demo_is_added_only_to_an_empty_database(regimen: Regimen) -> None:
    assert seed_demo(regimen, CLI, now=NOW)
    before = regimen.recorder.max_notification_id()
    assert not seed_demo(regimen, CLI, now=NOW)
    assert regimen.recorder.max_notification_id() == before


def test_every_stored_event_names_its_actor(regimen: Regimen) -> None:
    seed_demo(regimen, CLI, now=NOW)
    notifications = regimen.recorder.select_notifications(start=1, limit=10_000)
    events = [regimen.mapper.to_domain_event(n) for n in notifications]
    assert len(events) > 200
    missing = {
        type(e).__qualname__ for e in events if not isinstance(getattr(e, "actor", None), Actor)
    }
    assert missing == set()


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 12, 6, 20, 0, tzinfo=UTC),  # a Sunday evening: the day is over
        datetime(2026, 11, 23, 11, 30, tzinfo=UTC),  # a Monday, mid-morning
        datetime(2026, 11, 24, 7, 0, tzinfo=UTC),  # a Tuesday before opening
    ],
)
def test_the_demo_therapist_token_has_sessions_today_whenever_the_demo_starts(
    regimen: Regimen, now: datetime
) -> None:
    seed_demo(regimen, CLI, now=now)
    amira = demo_therapist(regimen)
    assert amira is not None
    reads = ReadModel(Projector(regimen)).fresh()
    day = reads.therapist_day(str(amira), now.date(), "Europe/London")
    assert [row["start_utc"][11:16] for row in day] == ["10:00", "11:00", "12:00", "13:00"]
    started = [row for row in day if row["start_utc"] <= now.strftime("%Y-%m-%dT%H:%M:%SZ")]
    assert all(row["status"] == "booked" for row in day if row not in started)
    if len(started) == len(day):  # the evening: session 3 of Noah's recorded, not evaluated
        assert [row["status"] for row in day] == ["performed", "booked", "booked", "booked"]
        assert not day[0]["evaluated"]
    ended = reads.ended_unrecorded(str(amira), now - timedelta(days=30), now)
    assert any(row["start_utc"][:10] == str(now.date() - timedelta(days=7)) for row in ended)
    assert reads.plans_running_out(str(amira), now.date() + timedelta(days=14), 1, 4)
