"""TreatmentPlan sessions: reschedule, cancel (late or not), no-show, perform, evaluate."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.domain.errors import InvalidValue, NotFound, SessionStateError
from service.domain.plan import TreatmentPlan
from service.domain.values import Recommendation, SessionStatus
from tests.plans import (
    DESK,
    LATER,
    THERAPIST,
    WINDOW,
    at,
    booked_plan,
    cancel,
    evaluation,
    performance,
    performed_plan,
    reschedule,
    utc,
    weekly,
)

START = utc(2026, 3, 9, 10)  # session 1 of booked_plan()


# --- reschedule ------------------------------------------------------------


def test_rescheduling_moves_the_session_and_keeps_its_number() -> None:
    plan = booked_plan(sessions=2)
    other_therapist, other_room = uuid4(), uuid4()

    moved = plan.reschedule_session(
        2, time=at(2026, 3, 18, 14), therapist_id=other_therapist, room_id=other_room, actor=DESK
    )

    assert moved.number == 2
    assert plan.session(2).time.start == utc(2026, 3, 18, 14)
    assert (plan.session(2).therapist_id, plan.session(2).room_id) == (other_therapist, other_room)
    assert plan.session(2).status is SessionStatus.BOOKED
    assert len(plan.sessions) == 2


def test_the_rescheduled_event_records_the_previous_time() -> None:
    plan = booked_plan()
    plan.collect_events()

    reschedule(plan, 1, at(2026, 3, 10, 15))

    (moved,) = plan.collect_events()
    assert type(moved).__name__ == "SessionRescheduled"
    assert moved.previous == at(2026, 3, 9, 10)
    assert moved.time == at(2026, 3, 10, 15)


@pytest.mark.parametrize("number", [0, 2])
def test_rescheduling_a_session_the_plan_does_not_have_is_not_found(number: int) -> None:
    with pytest.raises(NotFound):
        reschedule(booked_plan(), number, at(2026, 3, 10, 15))


def test_only_a_booked_session_can_be_rescheduled() -> None:
    plan = performed_plan()

    with pytest.raises(SessionStateError):
        reschedule(plan, 1, at(2026, 3, 10, 15))


# --- cancel ----------------------------------------------------------------


def test_cancelling_well_before_the_window_is_not_late() -> None:
    cancelled = cancel(booked_plan(), START - timedelta(days=3))

    assert cancelled.status is SessionStatus.CANCELLED
    assert not cancelled.late_cancel
    assert not cancelled.counts_against_authorization


def test_cancelling_exactly_at_the_window_is_not_late() -> None:
    assert not cancel(booked_plan(), START - WINDOW).late_cancel


def test_cancelling_a_microsecond_inside_the_window_is_late() -> None:
    assert cancel(booked_plan(), START - WINDOW + timedelta(microseconds=1)).late_cancel


@given(notice=st.timedeltas(min_value=timedelta(days=-2), max_value=timedelta(days=4)))
def test_a_cancel_is_late_exactly_when_the_notice_is_shorter_than_the_window(
    notice: timedelta,
) -> None:
    assert cancel(booked_plan(), START - notice).late_cancel is (notice < WINDOW)


@pytest.mark.parametrize(
    ("notice", "clinic_counts", "counted"),
    [
        (timedelta(hours=2), True, True),
        (timedelta(hours=2), False, False),
        (timedelta(days=3), True, False),
        (timedelta(days=3), False, False),
    ],
)
def test_a_cancel_counts_against_the_authorization_only_when_late_and_the_clinic_says_so(
    notice: timedelta, clinic_counts: bool, counted: bool
) -> None:
    cancelled = cancel(booked_plan(), START - notice, counts=clinic_counts)

    assert cancelled.counts_against_authorization is counted


def test_the_cancelled_event_carries_the_reason_and_the_late_flags() -> None:
    plan = booked_plan()
    plan.collect_events()

    cancel(plan, START - timedelta(hours=1))

    (event,) = plan.collect_events()
    assert type(event).__name__ == "SessionCancelled"
    assert (event.number, event.reason) == (1, "ill")
    assert event.late_cancel and event.counts_against_authorization


def test_a_cancelled_session_cannot_be_cancelled_again() -> None:
    plan = booked_plan()
    cancel(plan, START - timedelta(days=3))

    with pytest.raises(SessionStateError):
        cancel(plan, START - timedelta(days=2))


# --- no-show ---------------------------------------------------------------


def test_a_no_show_before_the_session_starts_is_refused() -> None:
    plan = booked_plan()

    with pytest.raises(SessionStateError):
        plan.record_no_show(1, now=START - timedelta(seconds=1), no_show_counts=True, actor=DESK)
    assert plan.session(1).status is SessionStatus.BOOKED


@pytest.mark.parametrize("counts", [True, False])
def test_a_no_show_after_the_start_marks_the_session_missed(counts: bool) -> None:
    plan = booked_plan()

    missed = plan.record_no_show(
        1, now=START + timedelta(minutes=15), no_show_counts=counts, actor=DESK
    )

    assert missed.status is SessionStatus.MISSED
    assert missed.counts_against_authorization is counts


def test_a_no_show_can_be_recorded_from_the_start_time() -> None:
    plan = booked_plan()

    assert plan.record_no_show(1, now=START, no_show_counts=False, actor=DESK).number == 1


def test_a_no_show_is_recorded_only_for_a_booked_session() -> None:
    plan = performed_plan()

    with pytest.raises(SessionStateError):
        plan.record_no_show(1, now=START + timedelta(hours=2), no_show_counts=True, actor=DESK)


# --- perform ---------------------------------------------------------------


def test_performing_a_booked_session_records_what_was_done() -> None:
    plan = booked_plan()

    plan.perform_session(
        1, performance=performance(notes="tight traps"), actor=THERAPIST, now=LATER
    )

    assert plan.session(1).status is SessionStatus.PERFORMED
    assert plan.session(1).performance == performance(notes="tight traps")


def test_a_session_cannot_be_performed_before_it_starts() -> None:
    plan = booked_plan()
    start = plan.session(1).time.start
    recorded = len(plan.pending_events)

    with pytest.raises(SessionStateError, match="before it has started"):
        plan.perform_session(
            1, performance=performance(), actor=THERAPIST, now=start - timedelta(minutes=1)
        )
    assert plan.session(1).status is SessionStatus.BOOKED
    assert len(plan.pending_events) == recorded  # nothing more was recorded


@pytest.mark.parametrize(
    ("after_the_end", "late"),
    [(timedelta(0), False), (timedelta(hours=2), False), (timedelta(hours=2, minutes=1), True)],
)
def test_a_record_made_over_two_hours_after_the_session_is_marked_late(
    after_the_end: timedelta, late: bool
) -> None:
    plan = booked_plan()
    ended = plan.session(1).time.end

    plan.perform_session(1, performance=performance(), actor=THERAPIST, now=ended + after_the_end)

    assert plan.pending_events[-1].recorded_late is late  # type: ignore[attr-defined]


def cancelled_plan() -> TreatmentPlan:
    """A plan whose first session was cancelled days ahead."""
    plan = booked_plan()
    cancel(plan, START - timedelta(days=3))
    return plan


@pytest.mark.parametrize(
    "plan_in_state", [performed_plan, cancelled_plan], ids=["already performed", "cancelled"]
)
def test_a_performed_or_cancelled_session_cannot_be_performed(
    plan_in_state: Callable[[], TreatmentPlan],
) -> None:
    plan = plan_in_state()

    with pytest.raises(SessionStateError):
        plan.perform_session(1, performance=performance(), actor=THERAPIST, now=LATER)


@pytest.mark.parametrize("bad", [{"techniques": ()}, {"duration_minutes": 0}])
def test_a_performance_needs_a_technique_and_a_duration(bad: dict[str, object]) -> None:
    plan = booked_plan()

    with pytest.raises(InvalidValue):
        plan.perform_session(1, performance=performance(**bad), actor=THERAPIST, now=LATER)
    assert plan.session(1).status is SessionStatus.BOOKED


@given(pain=st.integers().filter(lambda n: n < 0 or n > 10))
def test_any_pain_before_outside_0_to_10_is_refused(pain: int) -> None:
    with pytest.raises(InvalidValue):
        booked_plan().perform_session(
            1, performance=performance(pain_before=pain), actor=THERAPIST, now=LATER
        )


# --- evaluate --------------------------------------------------------------


def test_evaluating_a_performed_session_records_the_outcome() -> None:
    plan = performed_plan()

    plan.evaluate_session(1, evaluation=evaluation(client_rating=8), actor=THERAPIST)

    assert plan.session(1).evaluation == evaluation(client_rating=8)


def test_a_session_that_was_not_performed_cannot_be_evaluated() -> None:
    plan = booked_plan()

    with pytest.raises(SessionStateError):
        plan.evaluate_session(1, evaluation=evaluation(), actor=THERAPIST)


def test_a_session_is_evaluated_only_once() -> None:
    plan = performed_plan()
    plan.evaluate_session(1, evaluation=evaluation(), actor=THERAPIST)

    with pytest.raises(SessionStateError):
        plan.evaluate_session(1, evaluation=evaluation(pain_after=1), actor=THERAPIST)
    assert plan.session(1).evaluation == evaluation()


@given(pain=st.integers(min_value=0, max_value=10), rating=st.integers(min_value=0, max_value=10))
def test_any_pain_after_and_client_rating_from_0_to_10_is_accepted(pain: int, rating: int) -> None:
    plan = performed_plan()

    plan.evaluate_session(
        1, evaluation=evaluation(pain_after=pain, client_rating=rating), actor=THERAPIST
    )

    assert plan.session(1).evaluation == evaluation(pain_after=pain, client_rating=rating)


@given(
    score=st.integers().filter(lambda n: n < 0 or n > 10),
    field=st.sampled_from(["pain_after", "client_rating"]),
)
def test_any_pain_after_or_client_rating_outside_0_to_10_is_refused(score: int, field: str) -> None:
    with pytest.raises(InvalidValue):
        performed_plan().evaluate_session(
            1, evaluation=evaluation(**{field: score}), actor=THERAPIST
        )


def test_a_change_interval_recommendation_needs_the_new_interval() -> None:
    plan = performed_plan()

    with pytest.raises(InvalidValue):
        plan.evaluate_session(
            1, evaluation=evaluation(recommendation=Recommendation.CHANGE_INTERVAL), actor=THERAPIST
        )


def test_a_change_interval_recommendation_with_the_new_interval_is_accepted() -> None:
    plan = performed_plan()
    changed = evaluation(
        recommendation=Recommendation.CHANGE_INTERVAL, recommended_interval_days=14
    )

    plan.evaluate_session(1, evaluation=changed, actor=THERAPIST)

    assert plan.session(1).evaluation == changed


@pytest.mark.parametrize("days", [0, 366])
def test_a_recommended_interval_outside_1_to_365_days_is_refused(days: int) -> None:
    plan = performed_plan()

    with pytest.raises(InvalidValue):
        plan.evaluate_session(
            1, evaluation=evaluation(recommended_interval_days=days), actor=THERAPIST
        )


# --- this and the rest -------------------------------------------------------


def test_the_rest_of_the_series_counts_a_session_at_the_same_time_and_skips_cancelled_ones() -> (
    None
):
    plan = booked_plan(sessions=4, series=weekly(4))
    reschedule(plan, 1, at(2026, 3, 23, 10))  # beside session 3, at the same start
    cancel(plan, utc(2026, 3, 1, 9), number=4)

    rest = plan.rest_from(3)

    assert [s.number for s in rest] == [3, 1]  # session 2 is earlier; 4 is cancelled
