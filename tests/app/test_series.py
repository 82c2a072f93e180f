"""Booking whole series: every occurrence checked, DST-safe, all or nothing, on every backend."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from service.application import Regimen
from service.application.commands import PlanRevision, SeriesBooking, Slot
from service.domain.errors import SlotTaken
from service.domain.values import (
    Authorization,
    Closure,
    Recommendation,
    SeriesSpec,
    SessionStatus,
)
from service.scheduler.booking_policy import ConflictPolicy, ConflictReason
from tests.builders import ACME_TERMS, ADMIN, DESK, THERAPIST, Clinic, agreed_plan, small_clinic
from tests.plans import LATER, evaluation, performance

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
EIGHT_WEEKLY = SeriesSpec(sessions=8, interval_days=7, session_minutes=60)


def series(regimen: Regimen, plan_id: UUID, first: datetime, policy: str = "fail", **kw):  # type: ignore[no-untyped-def]
    slot = {k: kw.pop(k) for k in ("therapist_id", "room_id", "authorization_override") if k in kw}
    booking = SeriesBooking(
        Slot(first, kw.pop("zone", "Europe/London"), **slot),
        ConflictPolicy(policy),
        **{k: kw.pop(k) for k in ("shift_window_days", "horizon_days") if k in kw},
    )
    return regimen.book_series(plan_id, booking, actor=DESK, now=kw.pop("now", NOW), **kw)


def test_a_weekly_london_series_stays_at_ten_across_the_march_change(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    plan_id = agreed_plan(regimen, clinic, series=EIGHT_WEEKLY)
    outcome = series(regimen, plan_id, datetime(2026, 3, 16, 10, 0))
    starts = [s.time for s in regimen.plan(plan_id).sessions]
    assert [t.local_start.strftime("%a %H:%M") for t in starts] == ["Mon 10:00"] * 8
    # 29 March 2026 London moves from GMT to BST: 10:00 local is 10:00Z, then 09:00Z.
    assert [t.start.hour for t in starts] == [10, 10, 9, 9, 9, 9, 9, 9]
    assert starts[2].start - starts[1].start == timedelta(days=7, hours=-1)
    assert len(outcome.sessions) == 8


def test_a_weekly_new_york_series_stays_at_ten_across_the_november_change(
    regimen: Regimen,
) -> None:
    clinic = small_clinic(regimen)
    plan_id = agreed_plan(regimen, clinic, series=EIGHT_WEEKLY)
    series(regimen, plan_id, datetime(2026, 10, 19, 10, 0), zone="America/New_York", now=NOW)
    starts = [s.time for s in regimen.plan(plan_id).sessions]
    assert {t.local_start.strftime("%H:%M") for t in starts} == {"10:00"}
    assert all(t.zone == "America/New_York" for t in starts)
    # EDT (UTC-4) until 1 November 2026, EST (UTC-5) after.
    assert [t.start.hour for t in starts] == [14, 14] + [15] * 6


@pytest.fixture
def closed_on_third(regimen: Regimen):  # type: ignore[no-untyped-def]
    clinic = small_clinic(regimen)
    regimen.add_closure(Closure(date(2026, 3, 30), date(2026, 3, 30), "Training"), actor=ADMIN)
    return clinic, agreed_plan(regimen, clinic, series=EIGHT_WEEKLY)


def test_a_closure_on_the_third_session_fails_the_series_and_books_nothing(
    regimen: Regimen, closed_on_third
) -> None:  # type: ignore[no-untyped-def]
    _, plan_id = closed_on_third
    before = regimen.recorder.max_notification_id()
    with pytest.raises(SlotTaken) as raised:
        series(regimen, plan_id, datetime(2026, 3, 16, 10, 0))
    conflicts = raised.value.details["conflicts"]
    assert [(c.occurrence, c.reason) for c in conflicts] == [(3, ConflictReason.CLOSURE)]
    assert "Training" in str(raised.value)
    assert regimen.recorder.max_notification_id() == before
    assert regimen.plan(plan_id).sessions == []


def test_skipping_the_closure_books_eight_sessions_ending_a_week_later(
    regimen: Regimen, closed_on_third
) -> None:  # type: ignore[no-untyped-def]
    _, plan_id = closed_on_third
    series(regimen, plan_id, datetime(2026, 3, 16, 10, 0), "skip")
    days = [s.time.local_start.date() for s in regimen.plan(plan_id).sessions]
    assert len(days) == 8
    assert date(2026, 3, 30) not in days
    assert days[-1] == date(2026, 3, 16) + timedelta(weeks=8)


def test_shifting_moves_only_the_closed_session(regimen: Regimen, closed_on_third) -> None:  # type: ignore[no-untyped-def]
    _, plan_id = closed_on_third
    series(regimen, plan_id, datetime(2026, 3, 16, 10, 0), "shift")
    starts = [s.time.local_start for s in regimen.plan(plan_id).sessions]
    weekly = [datetime(2026, 3, 16, 10, 0) + timedelta(weeks=n) for n in range(8)]
    moved = [
        (planned, booked)
        for planned, booked in zip(weekly, starts, strict=True)
        if planned != booked
    ]
    assert len(moved) == 1
    assert moved[0][0] == datetime(2026, 3, 30, 10, 0)
    assert moved[0][1].date() == date(2026, 3, 31)


def test_a_preview_returns_what_booking_would_do_and_writes_nothing(
    regimen: Regimen, closed_on_third
) -> None:  # type: ignore[no-untyped-def]
    _, plan_id = closed_on_third
    before = regimen.recorder.max_notification_id()
    preview = series(regimen, plan_id, datetime(2026, 3, 16, 10, 0), "shift", dry_run=True)
    assert regimen.recorder.max_notification_id() == before
    booked = series(regimen, plan_id, datetime(2026, 3, 16, 10, 0), "shift")
    assert [s.time for s in preview.sessions] == [s.time for s in booked.sessions]


def test_a_second_plan_at_the_same_weekly_time_lists_every_conflict(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    first = agreed_plan(regimen, clinic, series=EIGHT_WEEKLY, room_id=None)
    second = agreed_plan(
        regimen, clinic, series=EIGHT_WEEKLY, client_id=clinic.other_client_id, room_id=None
    )
    series(regimen, first, datetime(2026, 3, 16, 10, 0))
    with pytest.raises(SlotTaken) as raised:
        series(regimen, second, datetime(2026, 3, 16, 10, 0))
    conflicts = raised.value.details["conflicts"]
    assert [c.occurrence for c in conflicts] == list(range(1, 9))
    assert {c.reason for c in conflicts} == {ConflictReason.BUSY}


def test_a_series_beyond_the_authorization_needs_an_override(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    auth = Authorization(payer="Acme", number="A-1", visits=4, valid_until=date(2026, 12, 31))
    plan_id = agreed_plan(regimen, clinic, series=EIGHT_WEEKLY, authorization=auth)
    with pytest.raises(SlotTaken.__mro__[1]):  # RuleViolated: AuthorizationExceeded
        series(regimen, plan_id, datetime(2026, 3, 16, 10, 0))
    assert regimen.plan(plan_id).sessions == []
    series(regimen, plan_id, datetime(2026, 3, 16, 10, 0), authorization_override="payer extended")
    plan = regimen.plan(plan_id)
    assert len(plan.sessions) == 8
    assert {s.authorization_override for s in plan.sessions} == {"payer extended"}


@pytest.fixture
def weekly_from_2_march(regimen: Regimen) -> tuple[Clinic, UUID]:
    """A plan of six weekly sessions booked from Monday 2 March 2026, 10:00 London."""
    clinic = small_clinic(regimen)
    plan_id = agreed_plan(regimen, clinic)
    series(regimen, plan_id, datetime(2026, 3, 2, 10, 0))
    return clinic, plan_id


def test_revising_the_interval_rebooks_the_future_sessions_keeping_their_numbers(
    regimen: Regimen, weekly_from_2_march: tuple[Clinic, UUID]
) -> None:
    clinic, plan_id = weekly_from_2_march
    after_second = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    plan, _ = regimen.revise_plan(
        plan_id,
        PlanRevision(SeriesSpec(sessions=6, interval_days=14, session_minutes=60), "pain settling"),
        actor=THERAPIST,
        now=after_second,
    )
    booked = [s for s in plan.sessions if s.status is SessionStatus.BOOKED]
    assert [s.number for s in booked] == [1, 2, 3, 4, 5, 6]
    future = [s.time.local_start.date() for s in booked if s.time.start > after_second]
    assert future == [date(2026, 3, 16) + timedelta(weeks=2 * n) for n in range(4)]
    # The weeks in between are freed for someone else.
    other = agreed_plan(regimen, clinic, client_id=clinic.other_client_id)
    for freed in (datetime(2026, 3, 23, 10, 0), datetime(2026, 4, 6, 10, 0)):
        regimen.book_session(
            other, Slot(local_start=freed, zone="Europe/London"), actor=DESK, now=after_second
        )
    with pytest.raises(SlotTaken):
        regimen.book_session(
            other,
            Slot(local_start=datetime(2026, 3, 30, 10, 0), zone="Europe/London"),
            actor=DESK,
            now=after_second,
        )


def test_an_evaluation_can_carry_its_new_interval_straight_into_a_revision(
    regimen: Regimen, weekly_from_2_march: tuple[Clinic, UUID]
) -> None:
    _, plan_id = weekly_from_2_march
    regimen.perform_session(
        plan_id,
        1,
        performance=performance(techniques=("PNF",), areas=(), duration_minutes=60, pain_before=5),
        actor=THERAPIST,
        now=LATER,
    )
    plan = regimen.evaluate_session(
        plan_id,
        1,
        evaluation=evaluation(
            pain_after=2,
            recommendation=Recommendation.CHANGE_INTERVAL,
            recommended_interval_days=14,
        ),
        apply_recommendation=True,
        actor=THERAPIST,
        now=datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
    )
    assert plan.series.interval_days == 14
    upcoming = [s.time.local_start.date() for s in plan.sessions if s.number > 1]
    assert upcoming == [date(2026, 3, 9) + timedelta(weeks=2 * n) for n in range(5)]
    assert regimen.plan(plan_id).sessions[0].evaluation is not None


def test_the_scheduler_extends_a_series_booked_with_a_horizon(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    plan_id = agreed_plan(regimen, clinic, series=EIGHT_WEEKLY)
    series(regimen, plan_id, datetime(2026, 3, 2, 10, 0), horizon_days=21)
    assert len(regimen.plan(plan_id).sessions) == 3
    assert regimen.extend_rolling_series(NOW + timedelta(weeks=2), 21, [plan_id]) == 2
    assert regimen.extend_rolling_series(NOW + timedelta(weeks=2), 21, [plan_id]) == 0
    starts = [s.time.local_start for s in regimen.plan(plan_id).sessions]
    assert starts == [datetime(2026, 3, 2, 10, 0) + timedelta(weeks=n) for n in range(5)]


def test_the_scheduler_flags_a_session_that_ended_with_nothing_recorded_once(
    regimen: Regimen, weekly_from_2_march: tuple[Clinic, UUID]
) -> None:
    _, plan_id = weekly_from_2_march
    evening = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    assert regimen.flag_unrecorded_sessions(evening, [plan_id]) == 1
    assert regimen.flag_unrecorded_sessions(evening, [plan_id]) == 0
    assert [s.unrecorded for s in regimen.plan(plan_id).sessions[:2]] == [True, False]


def test_the_scheduler_warns_once_when_an_authorization_runs_out(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    auth = Authorization(payer="Acme", number="A-1", visits=6, valid_until=date(2026, 4, 30))
    plan_id = agreed_plan(regimen, clinic, authorization=auth)
    assert regimen.warn_expiring_authorizations(NOW, [plan_id]) == 0
    assert regimen.warn_expiring_authorizations(datetime(2026, 4, 20, tzinfo=UTC), [plan_id]) == 1
    assert regimen.warn_expiring_authorizations(datetime(2026, 4, 21, tzinfo=UTC), [plan_id]) == 0
    assert regimen.plan(plan_id).authorization_warned


def test_the_scheduler_warns_when_an_authorizations_units_run_low(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    payer_id = regimen.register_payer(ACME_TERMS, actor=ADMIN)
    auth = Authorization(
        payer="Acme", number="A-2", visits=20, valid_until=date(2026, 12, 31), payer_id=payer_id
    )
    plan_id = agreed_plan(
        regimen, clinic, series=EIGHT_WEEKLY, authorization=replace(auth, units=32)
    )
    series(regimen, plan_id, datetime(2026, 3, 16, 10, 0), horizon_days=0)
    assert regimen.warn_expiring_authorizations(NOW, [plan_id]) == 1  # 8 hours: 0 units left

    roomy = agreed_plan(regimen, clinic, series=EIGHT_WEEKLY, authorization=replace(auth, units=99))
    assert regimen.warn_expiring_authorizations(NOW, [roomy]) == 0
