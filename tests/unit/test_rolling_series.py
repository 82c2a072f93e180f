"""A rolling series: where it resumes (pure), and what the plan records of it, once."""

from __future__ import annotations

from datetime import datetime, timedelta

from service.domain.rolling_series import ConflictReason, OccurrenceConflict
from service.scheduler.rolling import resume
from tests.plans import DESK, SYSTEM, WEEKLY_AT_TEN, agreed_plan, proposed_plan, utc

MONDAY_10 = WEEKLY_AT_TEN.first_local_start  # Monday 9 March 2026, 10:00 London (10:00 UTC)


def week(n: int) -> datetime:
    """The local start of occurrence n (1-based)."""
    return MONDAY_10 + timedelta(weeks=n - 1)


def resumed(now: datetime, last_held: datetime | None = None, **kw):  # type: ignore[no-untyped-def]
    args = {"minutes": 60, "session_days": (), "horizon_days": 14, "wanted": 6}
    return resume(WEEKLY_AT_TEN, last_held=last_held, now=now, **{**args, **kw})


def blocked_on(n: int, detail: str = "clinic closed: flooded") -> OccurrenceConflict:
    return OccurrenceConflict(week(n), ConflictReason.CLOSURE, detail)


# --- where the series resumes ----------------------------------------------------


def test_nothing_passed_when_the_scheduler_keeps_up() -> None:
    at = resumed(utc(2026, 3, 16, 12), last_held=week(2))

    assert (at.passed, at.first, at.due) == ((), week(3), 2)


def test_occurrences_that_passed_unbooked_are_named_and_the_series_resumes_after_now() -> None:
    at = resumed(utc(2026, 3, 31, 8), last_held=week(2))

    assert at.passed == (week(3), week(4))
    assert at.first == week(5)


def test_an_occurrence_already_started_counts_as_passed() -> None:
    at = resumed(utc(2026, 3, 23, 10, 30), last_held=week(2))

    assert at.passed == (week(3),) and at.first == week(4)


def test_a_week_whose_session_was_cancelled_is_not_named_as_passed_unbooked() -> None:
    at = resumed(utc(2026, 3, 31, 8), last_held=week(2), session_days={week(3).date()})

    assert at.passed == (week(4),)


def test_only_occurrences_within_the_horizon_are_due() -> None:
    assert resumed(utc(2026, 3, 9, 11), last_held=week(1)).due == 2
    assert resumed(utc(2026, 3, 9, 11), last_held=week(1), horizon_days=3).due == 0


def test_no_more_are_due_than_the_series_still_needs() -> None:
    assert resumed(utc(2026, 3, 9, 11), last_held=week(1), horizon_days=60, wanted=3).due == 3


# --- what the plan records, once -------------------------------------------------


def test_occurrences_passed_unbooked_are_recorded_once() -> None:
    plan = agreed_plan()

    assert plan.record_passed_unbooked([week(2), week(1)], SYSTEM) == (week(1), week(2))
    assert plan.record_passed_unbooked([week(2), week(3)], SYSTEM) == (week(3),)
    assert plan.record_passed_unbooked([week(3)], SYSTEM) == ()
    assert plan.passed_unbooked == (week(1), week(2), week(3))


def test_a_blocked_extension_is_recorded_again_only_when_what_blocks_it_changes() -> None:
    plan = agreed_plan()

    assert plan.record_extension_blocked([blocked_on(2)], SYSTEM)
    assert not plan.record_extension_blocked([blocked_on(2)], SYSTEM)
    assert plan.record_extension_blocked([blocked_on(2, "therapist away")], SYSTEM)
    assert plan.extension_blocked == (blocked_on(2, "therapist away"),)


def test_clearing_a_block_is_recorded_only_when_there_is_one() -> None:
    plan = agreed_plan()
    assert not plan.clear_extension_block(DESK)

    plan.record_extension_blocked([blocked_on(2)], SYSTEM)

    assert plan.clear_extension_block(DESK)
    assert plan.extension_blocked == ()
    assert not plan.clear_extension_block(DESK)


def test_a_closed_plan_records_nothing() -> None:
    plan = proposed_plan()
    plan.cancel(reason="moved away", actor=DESK)

    assert plan.record_passed_unbooked([week(1)], SYSTEM) == ()
    assert not plan.record_extension_blocked([blocked_on(1)], SYSTEM)
