"""The demo's history reads as a clinic's would: real people did each thing, when it happened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from service.application import Regimen
from service.cli.demo import ZONE, seed_demo
from service.domain.events import recorded_at
from service.domain.plan import TreatmentPlan
from service.domain.values import Actor, PlanStatus, Role, SessionStatus
from tests.builders import all_plans

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
OPERATOR = Actor(user_id="cli", role=Role.ADMIN)


def _events(regimen: Regimen) -> list[object]:
    notifications = regimen.recorder.select_notifications(start=1, limit=10_000)
    return [regimen.mapper.to_domain_event(n) for n in notifications]


def test_every_demo_event_is_done_by_a_named_account_in_its_role(regimen: Regimen) -> None:
    seed_demo(regimen, OPERATOR, now=NOW)
    accounts = {str(a.user_id): a for a in regimen.list_users()}
    by_operator, unknown = set(), set()
    for event in _events(regimen):
        actor = event.actor  # type: ignore[attr-defined]
        account = accounts.get(actor.user_id)
        if actor == OPERATOR:
            by_operator.add(type(event).__qualname__)
        elif account is None or account.role is not actor.role:
            unknown.add((type(event).__qualname__, actor.user_id))
    assert unknown == set()
    # Whoever runs the demo only adds its admin, who does the rest.
    assert by_operator == {
        "User.UserAdded",
        "StaffRoster.RosterStarted",
        "StaffRoster.UserEnlisted",
    }
    names = {a.name: a.role for a in accounts.values()}
    assert names["Maria Lopez"] is Role.FRONT_DESK and names["Ruth Adler"] is Role.ADMIN
    assert names["Amira Haddad"] is names["Lena Sørensen"] is Role.THERAPIST


def test_a_performed_session_is_stamped_on_its_day_after_it_started(regimen: Regimen) -> None:
    seed_demo(regimen, OPERATOR, now=NOW)
    performed = [e for e in _events(regimen) if isinstance(e, TreatmentPlan.SessionPerformed)]
    assert len(performed) > 10
    for event in performed:
        session = regimen.plan(event.originator_id).session(event.number)
        assert session.time.start < event.timestamp <= NOW
        local_day = event.timestamp.astimezone(ZoneInfo(ZONE)).date()
        assert local_day == session.time.local_start.date()


def test_each_plan_reads_in_time_order_and_nothing_is_stamped_after_the_demo_began(
    regimen: Regimen,
) -> None:
    seed_demo(regimen, OPERATOR, now=NOW)
    stamps = {}
    for plan in all_plans(regimen):
        times = [e.timestamp for e in regimen.events.get(plan.id)]
        assert times == sorted(times)
        stamps[plan.id] = times
    assert max(max(t) for t in stamps.values()) <= NOW
    assert min(min(t) for t in stamps.values()) < NOW - timedelta(weeks=6)
    assert regimen.verify_log().ok


def test_a_completed_demo_plan_as_of_a_past_day_is_as_it_then_was(regimen: Regimen) -> None:
    seed_demo(regimen, OPERATOR, now=NOW)
    plan = next(p for p in all_plans(regimen) if p.status is PlanStatus.COMPLETED)
    third = plan.session(3)
    then = regimen.plan_at(plan.id, as_of=third.time.start - timedelta(hours=1))
    assert then.version < plan.version
    assert then.status is PlanStatus.AGREED
    assert [s.number for s in then.sessions_in(SessionStatus.PERFORMED)] == [1, 2]
    assert len(then.sessions_in(SessionStatus.BOOKED)) == 4
    with_nothing_booked = regimen.plan_at(plan.id, as_of=plan.created_on + timedelta(minutes=1))
    assert with_nothing_booked.version == 1


def test_an_event_is_stamped_by_the_wall_clock_unless_an_instant_is_recorded_for_it(
    regimen: Regimen,
) -> None:
    seed_demo(regimen, OPERATOR, now=NOW)
    first, second = (p for p in all_plans(regimen) if p.status is PlanStatus.PROPOSED)
    with recorded_at(NOW + timedelta(minutes=5)):
        regimen.agree_plan(first.id, actor=OPERATOR)
    before = datetime.now(UTC)
    regimen.agree_plan(second.id, actor=OPERATOR)
    (in_the_story,) = regimen.events.get(first.id, gt=first.version)
    (now,) = regimen.events.get(second.id, gt=second.version)
    assert in_the_story.timestamp == NOW + timedelta(minutes=5)
    assert now.timestamp >= before
