"""TreatmentPlan: proposing, agreeing, and booking within the planned series."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.domain.errors import (
    InvalidValue,
    PlanClosed,
    PlanNotAgreed,
    RuleViolated,
    SeriesFull,
)
from service.domain.values import (
    Authorization,
    PlanStatus,
    RangeOfMotion,
    Referral,
    SeriesSpec,
    SessionStatus,
)
from tests.plans import (
    DESK,
    LATER,
    ROOM_ID,
    THERAPIST,
    THERAPIST_ID,
    agreed_plan,
    assessment,
    at,
    book,
    booked_plan,
    cancel,
    performance,
    proposed_plan,
    utc,
)

OUTSIDE_PAIN_SCALE = st.integers().filter(lambda n: n < 0 or n > 10)

# --- propose ---------------------------------------------------------------


def test_a_proposed_plan_is_open_and_has_no_sessions() -> None:
    plan = proposed_plan(referral=Referral(profession="physiotherapist"))

    assert plan.status is PlanStatus.PROPOSED
    assert plan.is_open
    assert plan.sessions == []
    assert plan.referrals == [Referral(profession="physiotherapist")]
    assert [type(e).__name__ for e in plan.collect_events()] == ["PlanProposed"]


@given(pain=st.integers(min_value=0, max_value=10))
def test_any_pain_level_from_0_to_10_is_accepted(pain: int) -> None:
    assert proposed_plan(assessment=assessment(pain_level=pain)).assessment.pain_level == pain


@given(pain=OUTSIDE_PAIN_SCALE)
def test_any_pain_level_outside_0_to_10_is_refused(pain: int) -> None:
    with pytest.raises(InvalidValue):
        proposed_plan(assessment=assessment(pain_level=pain))


def test_an_assessment_without_a_complaint_is_refused() -> None:
    with pytest.raises(InvalidValue):
        proposed_plan(assessment=assessment(complaint="  "))


@pytest.mark.parametrize(
    "finding",
    [
        RangeOfMotion(joint="", movement="flexion", degrees=40),
        RangeOfMotion(joint="neck", movement=" ", degrees=40),
        RangeOfMotion(joint="neck", movement="flexion", degrees=-1),
        RangeOfMotion(joint="neck", movement="flexion", degrees=361),
        RangeOfMotion(joint="hip", movement="flexion", degrees=90, side="both"),
    ],
)
def test_a_range_of_motion_finding_needs_joint_movement_and_0_to_360_degrees(
    finding: RangeOfMotion,
) -> None:
    with pytest.raises(InvalidValue):
        proposed_plan(assessment=assessment(range_of_motion=(finding,)))


@pytest.mark.parametrize(
    "series",
    [
        SeriesSpec(sessions=0, interval_days=7, session_minutes=60),
        SeriesSpec(sessions=101, interval_days=7, session_minutes=60),
        SeriesSpec(sessions=6, interval_days=0, session_minutes=60),
        SeriesSpec(sessions=6, interval_days=366, session_minutes=60),
        SeriesSpec(sessions=6, interval_days=7, session_minutes=14),
        SeriesSpec(sessions=6, interval_days=7, session_minutes=241),
    ],
)
def test_a_series_outside_its_ranges_is_refused(series: SeriesSpec) -> None:
    with pytest.raises(InvalidValue):
        proposed_plan(series=series)


@pytest.mark.parametrize(
    "series",
    [
        SeriesSpec(sessions=1, interval_days=1, session_minutes=15),
        SeriesSpec(sessions=100, interval_days=365, session_minutes=240),
    ],
)
def test_a_series_at_the_edges_of_its_ranges_is_accepted(series: SeriesSpec) -> None:
    assert proposed_plan(series=series).series == series


@pytest.mark.parametrize("field", ["focus_areas", "modalities"])
def test_a_plan_needs_at_least_one_focus_area_and_one_modality(field: str) -> None:
    with pytest.raises(InvalidValue):
        proposed_plan(**{field: ()})


@pytest.mark.parametrize("field", ["focus_areas", "modalities"])
def test_a_blank_focus_area_or_modality_is_refused(field: str) -> None:
    with pytest.raises(InvalidValue):
        proposed_plan(**{field: ("  ",)})


@pytest.mark.parametrize(
    "bad",
    [
        Authorization(payer="Acme", number="A-1", visits=0, valid_until=date(2026, 6, 30)),
        Authorization(payer=" ", number="A-1", visits=5, valid_until=date(2026, 6, 30)),
    ],
)
def test_an_authorization_needs_a_payer_and_at_least_one_visit(bad: Authorization) -> None:
    with pytest.raises(InvalidValue):
        proposed_plan(authorization=bad)


# --- agree -----------------------------------------------------------------


def test_agreeing_makes_the_plan_agreed() -> None:
    plan = proposed_plan()
    plan.collect_events()

    plan.agree(DESK)

    assert plan.status is PlanStatus.AGREED
    assert [type(e).__name__ for e in plan.collect_events()] == ["PlanAgreed"]


def test_a_plan_is_agreed_only_once() -> None:
    plan = agreed_plan()

    with pytest.raises(RuleViolated) as raised:
        plan.agree(DESK)
    assert not isinstance(raised.value, PlanClosed)


# --- book ------------------------------------------------------------------


def test_a_session_is_booked_only_on_an_agreed_plan() -> None:
    plan = proposed_plan()

    with pytest.raises(PlanNotAgreed):
        book(plan, at(2026, 3, 9, 10))
    assert plan.sessions == []


def test_booking_numbers_the_sessions_in_order_and_holds_the_time() -> None:
    plan = agreed_plan()

    numbers = [book(plan, at(2026, 3, day, 10)) for day in (9, 16, 23)]

    assert numbers == [1, 2, 3]
    first = plan.session(1)
    assert first.status is SessionStatus.BOOKED
    assert (first.therapist_id, first.room_id) == (THERAPIST_ID, ROOM_ID)
    assert first.time.start == utc(2026, 3, 9, 10)
    assert first.time.zone == "Europe/London"


def test_a_plan_never_has_more_booked_sessions_than_planned() -> None:
    plan = booked_plan(sessions=3)

    with pytest.raises(SeriesFull):
        book(plan, at(2026, 3, 30, 10))
    assert len(plan.sessions) == 3


def test_a_performed_session_still_uses_a_place_in_the_series() -> None:
    plan = booked_plan(sessions=3)
    plan.perform_session(1, performance=performance(), actor=THERAPIST, now=LATER)

    with pytest.raises(SeriesFull):
        book(plan, at(2026, 3, 30, 10))


def test_a_cancelled_session_frees_its_place_in_the_series() -> None:
    plan = booked_plan(sessions=3)
    cancel(plan, utc(2026, 3, 1), number=2)

    assert book(plan, at(2026, 3, 30, 10)) == 4
    assert plan.active_sessions == 3


def test_a_missed_session_frees_its_place_in_the_series() -> None:
    plan = booked_plan(sessions=3)
    plan.record_no_show(1, now=utc(2026, 3, 9, 11), no_show_counts=False, actor=DESK)

    assert book(plan, at(2026, 3, 30, 10)) == 4
