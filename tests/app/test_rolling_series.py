"""A series booked with a horizon, extended by the scheduler: outages, clashes and closures.

Every test moves an injected `now` instead of sleeping; the horizon is 14 days and the
series is 6 weekly sessions on Mondays at 10:00, London, booked on Monday 2 March 2026.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from service.application import Regimen
from service.application.commands import SeriesBooking, Slot
from service.domain.plan import TreatmentPlan
from service.domain.rolling_series import ConflictReason
from service.domain.values import Closure, SessionStatus
from service.domain.visit import VisitBooking, VisitKind
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from service.scheduler.booking_policy import ConflictPolicy
from service.scheduler.recurrence import session_time
from tests.builders import ADMIN, DESK, ZONE, Clinic, agreed_plan, small_clinic

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday
FIRST = datetime(2026, 3, 2, 10, 0)
HORIZON = 14


def weekly(n: int) -> datetime:
    """The local start of the series' occurrence n (1-based)."""
    return FIRST + timedelta(weeks=n - 1)


def rolling_series(regimen: Regimen, policy: str = "fail") -> tuple[Clinic, UUID]:
    clinic = small_clinic(regimen)
    plan_id = agreed_plan(regimen, clinic)
    booking = SeriesBooking(Slot(FIRST, ZONE), ConflictPolicy(policy), horizon_days=HORIZON)
    regimen.book_series(plan_id, booking, actor=DESK, now=NOW)
    return clinic, plan_id


def starts(regimen: Regimen, plan_id: UUID) -> list[datetime]:
    plan = regimen.plan(plan_id)
    return [s.time.local_start for s in plan.sessions_in(SessionStatus.BOOKED)]


def extend(regimen: Regimen, plan_id: UUID, now: datetime) -> int:
    return regimen.extend_rolling_series(now, HORIZON, [plan_id])


def events_of(regimen: Regimen, plan_id: UUID, cls: type) -> list:  # type: ignore[type-arg]
    return [e for e in regimen.history_page(plan_id, 0, 500)[0] if isinstance(e, cls)]


def attention(regimen: Regimen, now: datetime) -> list[dict]:  # type: ignore[type-arg]
    return ReadModel(Projector(regimen)).fresh().needs_attention(now)


def visit_on(regimen: Regimen, clinic: Clinic, local: datetime) -> UUID:
    booking = VisitBooking(
        client_id=clinic.other_client_id,
        therapist_id=clinic.therapist_id,
        room_id=clinic.other_room_id,
        kind=VisitKind.ASSESSMENT,
        time=session_time(local, ZONE, 60),
    )
    return regimen.book_visit(booking, actor=DESK, now=NOW).id


def test_after_a_three_week_outage_the_series_resumes_and_names_the_week_it_missed(
    regimen: Regimen,
) -> None:
    _, plan_id = rolling_series(regimen)
    assert starts(regimen, plan_id) == [weekly(1), weekly(2)]

    # The scheduler next runs three weeks later: 16 March passed with nothing booked.
    later = NOW + timedelta(days=21)
    assert extend(regimen, plan_id, later) == 2

    # The series goes on at its interval from the next occurrence after now.
    assert starts(regimen, plan_id) == [weekly(1), weekly(2), weekly(4), weekly(5)]
    assert all(s.time.start > later for s in regimen.plan(plan_id).sessions[2:])
    [passed] = events_of(regimen, plan_id, TreatmentPlan.OccurrencesPassedUnbooked)
    assert list(passed.occurrences) == [weekly(3)]
    assert regimen.plan(plan_id).passed_unbooked == (weekly(3),)
    [row] = attention(regimen, later)
    assert row["passed_unbooked"] == "Mon 16 Mar 10:00" and row["blocked"] is None

    # Running again records nothing new; the last session comes as the horizon reaches it.
    assert extend(regimen, plan_id, later) == 0
    assert extend(regimen, plan_id, later + timedelta(days=14)) == 2
    assert len(events_of(regimen, plan_id, TreatmentPlan.OccurrencesPassedUnbooked)) == 1
    assert len(starts(regimen, plan_id)) == 6


def test_a_visit_in_the_next_slot_blocks_the_series_once_and_clears_when_it_moves(
    regimen: Regimen,
) -> None:
    clinic, plan_id = rolling_series(regimen)
    visit_id = visit_on(regimen, clinic, weekly(3))

    # A week on, 16 March is inside the horizon and its therapist is taken.
    monday = NOW + timedelta(days=7)
    assert extend(regimen, plan_id, monday) == 0
    assert extend(regimen, plan_id, monday + timedelta(minutes=10)) == 0
    [blocked] = events_of(regimen, plan_id, TreatmentPlan.SeriesExtensionBlocked)
    assert [(c.local_start, c.reason) for c in blocked.conflicts] == [
        (weekly(3), ConflictReason.BUSY)
    ]
    assert starts(regimen, plan_id) == [weekly(1), weekly(2)]
    [row] = attention(regimen, monday)
    assert row["blocked"].startswith("Mon 16 Mar 10:00: therapist booked")
    assert row["client_name"] == "Cora Client"

    # The visit moves away: the next run books the week and clears the block.
    regimen.cancel_visit(visit_id, reason="client rang", actor=DESK, now=monday)
    assert extend(regimen, plan_id, monday + timedelta(minutes=20)) == 1
    assert starts(regimen, plan_id) == [weekly(1), weekly(2), weekly(3)]
    assert len(events_of(regimen, plan_id, TreatmentPlan.SeriesExtensionUnblocked)) == 1
    assert attention(regimen, monday) == []


def test_the_desk_booking_the_blocked_plan_clears_it(regimen: Regimen) -> None:
    clinic, plan_id = rolling_series(regimen)
    visit_on(regimen, clinic, weekly(3))
    monday = NOW + timedelta(days=7)
    extend(regimen, plan_id, monday)
    assert regimen.plan(plan_id).extension_blocked

    # The desk books the rest an hour later on that Monday, shifting around the visit.
    booking = SeriesBooking(Slot(weekly(3), ZONE), ConflictPolicy.SHIFT, horizon_days=HORIZON)
    regimen.book_series(plan_id, booking, actor=DESK, now=monday)

    assert not regimen.plan(plan_id).extension_blocked
    assert attention(regimen, monday) == []
    unblocked = events_of(regimen, plan_id, TreatmentPlan.SeriesExtensionUnblocked)
    assert [e.actor for e in unblocked] == [DESK]


def test_a_closure_blocks_a_failing_series_until_it_passes_then_the_series_goes_on(
    regimen: Regimen,
) -> None:
    _, plan_id = rolling_series(regimen)
    closure = Closure(date(2026, 3, 16), date(2026, 3, 16), "flooded")
    regimen.add_closure(closure, actor=ADMIN)

    monday = NOW + timedelta(days=7)
    assert extend(regimen, plan_id, monday) == 0
    [blocked] = events_of(regimen, plan_id, TreatmentPlan.SeriesExtensionBlocked)
    assert [(c.local_start, c.reason) for c in blocked.conflicts] == [
        (weekly(3), ConflictReason.CLOSURE)
    ]
    assert "flooded" in attention(regimen, monday)[0]["blocked"]

    # Nobody acted; the closed Monday passes. It is named as never booked, and the
    # series goes on from 23 March.
    tuesday = datetime(2026, 3, 17, 8, 0, tzinfo=UTC)
    assert extend(regimen, plan_id, tuesday) == 2
    assert starts(regimen, plan_id) == [weekly(1), weekly(2), weekly(4), weekly(5)]
    assert regimen.plan(plan_id).passed_unbooked == (weekly(3),)
    assert not regimen.plan(plan_id).extension_blocked
    [row] = attention(regimen, tuesday)
    assert row["blocked"] is None and row["passed_unbooked"] == "Mon 16 Mar 10:00"


def test_a_closure_with_shift_moves_the_session_and_records_nothing(regimen: Regimen) -> None:
    _, plan_id = rolling_series(regimen, policy="shift")
    regimen.add_closure(Closure(date(2026, 3, 16), date(2026, 3, 16), "flooded"), actor=ADMIN)

    assert extend(regimen, plan_id, NOW + timedelta(days=7)) == 1
    assert starts(regimen, plan_id)[-1] == datetime(2026, 3, 17, 10, 0)
    assert not events_of(regimen, plan_id, TreatmentPlan.SeriesExtensionBlocked)
    assert attention(regimen, NOW + timedelta(days=7)) == []


def test_a_clash_beyond_the_horizon_blocks_nothing_until_the_horizon_reaches_it(
    regimen: Regimen,
) -> None:
    clinic, plan_id = rolling_series(regimen)
    visit_on(regimen, clinic, weekly(6))  # 6 April, five weeks ahead

    assert extend(regimen, plan_id, NOW + timedelta(days=7)) == 1
    assert extend(regimen, plan_id, NOW + timedelta(days=14)) == 1
    assert not regimen.plan(plan_id).extension_blocked

    # Two weeks before 6 April the horizon reaches it: now it blocks, and says so.
    assert extend(regimen, plan_id, NOW + timedelta(days=21)) == 1
    assert extend(regimen, plan_id, NOW + timedelta(days=28)) == 0
    assert starts(regimen, plan_id) == [weekly(n) for n in range(1, 6)]
    [blocked] = events_of(regimen, plan_id, TreatmentPlan.SeriesExtensionBlocked)
    assert [c.local_start for c in blocked.conflicts] == [weekly(6)]


@pytest.mark.parametrize("policy", ["fail", "shift", "skip"])
def test_an_extension_with_nothing_due_records_nothing(regimen: Regimen, policy: str) -> None:
    _, plan_id = rolling_series(regimen, policy=policy)
    version = regimen.plan(plan_id).version

    assert extend(regimen, plan_id, NOW + timedelta(hours=1)) == 0
    assert regimen.plan(plan_id).version == version


def test_booking_with_a_clash_beyond_the_horizon_books_the_near_weeks(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    plan_id = agreed_plan(regimen, clinic)
    visit_on(regimen, clinic, weekly(6))
    booking = SeriesBooking(Slot(FIRST, ZONE), ConflictPolicy.FAIL, horizon_days=HORIZON)

    preview = regimen.book_series(plan_id, booking, actor=DESK, now=NOW, dry_run=True)
    assert preview.bookable and [c.occurrence for c in preview.proposal.conflicts] == [6]
    regimen.book_series(plan_id, booking, actor=DESK, now=NOW)

    assert starts(regimen, plan_id) == [weekly(1), weekly(2)]
