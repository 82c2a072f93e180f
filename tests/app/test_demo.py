"""The demo clinic: realistic, complete, and every stored event names its actor."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from service.application import Regimen
from service.cli.demo import seed_demo
from service.domain.values import Actor, PlanStatus, Role, SessionStatus
from tests.builders import all_plans

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
CLI = Actor(user_id="cli", role=Role.ADMIN)


def test_the_demo_holds_plans_at_every_stage(regimen: Regimen) -> None:
    assert seed_demo(regimen, CLI, now=NOW)
    plans = all_plans(regimen)
    assert Counter(p.status for p in plans) == {
        PlanStatus.PROPOSED: 2,
        PlanStatus.AGREED: 6,
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
