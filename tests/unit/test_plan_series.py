"""TreatmentPlan as the scheduler sees it: bookability, the series rule, unrecorded sessions."""

from __future__ import annotations

import pytest

from service.domain.errors import PlanClosed, PlanNotAgreed, SeriesFull
from tests.plans import (
    DESK,
    LATER,
    ROOM_ID,
    SYSTEM,
    THERAPIST,
    THERAPIST_ID,
    WEEKLY_AT_TEN,
    agreed_plan,
    at,
    booked_plan,
    performance,
    proposed_plan,
    utc,
)

# --- bookable --------------------------------------------------------------


def test_an_agreed_plan_with_places_left_is_bookable() -> None:
    plan = booked_plan(sessions=1)

    plan.require_bookable()

    assert plan.sessions_to_book == 2


def test_a_proposed_plan_is_not_bookable() -> None:
    with pytest.raises(PlanNotAgreed):
        proposed_plan().require_bookable()


def test_a_full_plan_is_not_bookable() -> None:
    plan = booked_plan(sessions=3)

    with pytest.raises(SeriesFull):
        plan.require_bookable()
    assert plan.sessions_to_book == 0


def test_future_bookings_are_the_booked_sessions_after_now_earliest_first() -> None:
    plan = booked_plan(sessions=3)  # 9, 16 and 23 March at 10:00
    plan.reschedule_session(
        2, time=at(2026, 3, 30, 10), therapist_id=THERAPIST_ID, room_id=ROOM_ID, actor=DESK
    )
    plan.perform_session(1, performance=performance(), actor=THERAPIST, now=LATER)

    upcoming = plan.future_bookings(now=utc(2026, 3, 10))

    assert [s.number for s in upcoming] == [3, 2]
    assert plan.future_bookings(now=utc(2026, 3, 23, 10)) == [plan.session(2)]


# --- series rule -----------------------------------------------------------


def test_scheduling_a_series_records_its_rule() -> None:
    plan = agreed_plan()
    plan.collect_events()

    plan.schedule_series(WEEKLY_AT_TEN, DESK)

    assert plan.series_rule == WEEKLY_AT_TEN
    (scheduled,) = plan.collect_events()
    assert (type(scheduled).__name__, scheduled.actor) == ("SeriesScheduled", DESK)


def test_a_series_is_scheduled_only_on_an_agreed_plan() -> None:
    with pytest.raises(PlanNotAgreed):
        proposed_plan().schedule_series(WEEKLY_AT_TEN, DESK)


def test_a_series_is_not_scheduled_on_a_closed_plan() -> None:
    plan = agreed_plan()
    plan.complete(note="done", actor=THERAPIST)

    with pytest.raises(PlanClosed):
        plan.schedule_series(WEEKLY_AT_TEN, DESK)


# --- unrecorded sessions ---------------------------------------------------


def test_a_booked_session_left_unrecorded_is_flagged_once() -> None:
    plan = booked_plan()
    plan.collect_events()

    assert plan.flag_unrecorded(1, SYSTEM) is True
    assert plan.flag_unrecorded(1, SYSTEM) is False

    assert plan.session(1).unrecorded
    (flagged,) = plan.collect_events()
    assert (type(flagged).__name__, flagged.number, flagged.actor) == (
        "SessionLeftUnrecorded",
        1,
        SYSTEM,
    )


def test_a_performed_session_is_never_flagged_unrecorded() -> None:
    plan = booked_plan()
    plan.perform_session(1, performance=performance(), actor=THERAPIST, now=LATER)

    assert plan.flag_unrecorded(1, SYSTEM) is False
    assert not plan.session(1).unrecorded


def test_no_session_of_a_closed_plan_is_flagged_unrecorded() -> None:
    plan = booked_plan()
    plan.cancel(reason="moved away", actor=DESK)
    plan.collect_events()

    assert plan.flag_unrecorded(1, SYSTEM) is False
    assert plan.collect_events() == []


def test_a_session_flagged_unrecorded_can_still_be_performed() -> None:
    plan = booked_plan()
    plan.flag_unrecorded(1, SYSTEM)

    plan.perform_session(1, performance=performance(), actor=THERAPIST, now=LATER)

    assert plan.session(1).performance == performance()


def test_rescheduling_a_session_flagged_unrecorded_clears_the_flag() -> None:
    plan = booked_plan()
    plan.flag_unrecorded(1, SYSTEM)

    plan.reschedule_session(
        1,
        time=at(2026, 3, 16, 10),
        therapist_id=THERAPIST_ID,
        room_id=ROOM_ID,
        actor=DESK,
    )

    assert not plan.session(1).unrecorded
    assert plan.flag_unrecorded(1, SYSTEM) is True
