"""Amend, never overwrite: a session's record or evaluation, or a visit's record, is
corrected with a reason, and what it replaced stays in the record."""

from __future__ import annotations

from typing import Any

import pytest

from service.application import Regimen
from service.domain.errors import InvalidValue, NotFound, PlanClosed, SessionStateError
from service.domain.plan import TreatmentPlan
from service.domain.values import Actor, Amendment, Recommendation, Role
from service.domain.visit import Visit, VisitBooking, VisitKind
from tests.plans import (
    LATER,
    THERAPIST,
    THERAPIST_ID,
    at,
    booked_plan,
    evaluation,
    performance,
    performed_plan,
    utc,
)

NOW = utc(2026, 3, 9, 13)
COLLEAGUE = Actor(user_id="t2", role=Role.THERAPIST)


def evaluated_plan(**overrides: Any) -> TreatmentPlan:
    """A plan whose first session is performed and evaluated."""
    plan = performed_plan(**overrides)
    plan.evaluate_session(1, evaluation=evaluation(), actor=THERAPIST)
    return plan


def amend_record(plan: TreatmentPlan, reason: str = "wrong area", **changes: Any) -> None:
    """Amend session 1's record to performance(**changes)."""
    plan.amend_session_record(1, performance(**changes), reason=reason, actor=COLLEAGUE, now=NOW)


# --- the session's record ---------------------------------------------------


def test_amending_a_record_replaces_it_and_keeps_the_original_with_who_when_and_why() -> None:
    plan = performed_plan()

    amend_record(plan, areas=("lower back",))

    session = plan.session(1)
    assert session.performance == performance(areas=("lower back",))
    assert session.amendments == (Amendment("record", "wrong area", COLLEAGUE, NOW, performance()),)


def test_each_amendment_keeps_what_it_replaced_in_order() -> None:
    plan = performed_plan()

    amend_record(plan, reason="first", pain_before=5)
    amend_record(plan, reason="second", pain_before=4)

    session = plan.session(1)
    assert session.performance == performance(pain_before=4)
    assert [(a.reason, a.replaced) for a in session.amendments] == [
        ("first", performance()),
        ("second", performance(pain_before=5)),
    ]


def test_the_amended_event_carries_the_new_record_the_reason_and_the_time() -> None:
    plan = performed_plan()
    plan.collect_events()

    amend_record(plan, notes="tight left trapezius")

    (amended,) = plan.collect_events()
    assert type(amended).__name__ == "SessionRecordAmended"
    assert (amended.number, amended.reason, amended.at, amended.actor) == (
        1,
        "wrong area",
        NOW,
        COLLEAGUE,
    )
    assert amended.performance == performance(notes="tight left trapezius")


def test_a_session_with_nothing_recorded_has_no_record_to_amend() -> None:
    plan = booked_plan()

    with pytest.raises(SessionStateError, match="no record to amend"):
        amend_record(plan, pain_before=5)
    assert plan.session(1).amendments == ()


def test_a_session_the_plan_does_not_have_is_not_found() -> None:
    with pytest.raises(NotFound):
        performed_plan().amend_session_record(
            2, performance(), reason="typo", actor=THERAPIST, now=NOW
        )


@pytest.mark.parametrize("reason", ["", "   ", "two\nlines"])
def test_an_amendment_needs_a_reason_on_one_line(reason: str) -> None:
    plan = performed_plan()

    with pytest.raises(InvalidValue, match="reason"):
        amend_record(plan, reason=reason, pain_before=5)
    assert plan.session(1).performance == performance()


def test_an_amendment_that_changes_nothing_is_refused() -> None:
    with pytest.raises(InvalidValue, match="nothing changed"):
        amend_record(performed_plan())


@pytest.mark.parametrize("bad", [{"techniques": ()}, {"duration_minutes": 0}, {"pain_before": 11}])
def test_an_amended_record_is_checked_like_a_new_one(bad: dict[str, Any]) -> None:
    with pytest.raises(InvalidValue):
        amend_record(performed_plan(), **bad)


def test_a_cancelled_plans_records_cannot_be_amended() -> None:
    plan = booked_plan(sessions=2)
    plan.perform_session(1, performance=performance(), actor=THERAPIST, now=LATER)
    plan.cancel(reason="moved away", actor=THERAPIST)

    with pytest.raises(PlanClosed, match="cancelled"):
        amend_record(plan, pain_before=5)


def test_a_completed_plans_records_can_still_be_corrected() -> None:
    plan = performed_plan()
    plan.complete(note="discharged", actor=THERAPIST)

    amend_record(plan, pain_before=5)

    assert plan.session(1).performance == performance(pain_before=5)


# --- the session's evaluation ---------------------------------------------------


def test_amending_an_evaluation_replaces_it_and_keeps_the_original() -> None:
    plan = evaluated_plan()

    plan.amend_evaluation(
        1, evaluation(pain_after=2), reason="misread the scale", actor=COLLEAGUE, now=NOW
    )

    session = plan.session(1)
    assert session.evaluation == evaluation(pain_after=2)
    assert session.performance == performance()
    assert session.amendments == (
        Amendment("evaluation", "misread the scale", COLLEAGUE, NOW, evaluation()),
    )


def test_a_session_not_evaluated_has_no_evaluation_to_amend() -> None:
    with pytest.raises(SessionStateError, match="no evaluation to amend"):
        performed_plan().amend_evaluation(1, evaluation(), reason="typo", actor=THERAPIST, now=NOW)


def test_an_evaluation_amendment_that_changes_nothing_is_refused() -> None:
    with pytest.raises(InvalidValue, match="nothing changed"):
        evaluated_plan().amend_evaluation(1, evaluation(), reason="typo", actor=THERAPIST, now=NOW)


@pytest.mark.parametrize(
    "bad",
    [
        {"pain_after": -1},
        {"client_rating": 11},
        {"recommendation": Recommendation.CHANGE_INTERVAL},  # without the new interval
        {"recommended_interval_days": 0},
    ],
)
def test_an_amended_evaluation_is_checked_like_a_new_one(bad: dict[str, Any]) -> None:
    plan = evaluated_plan()

    with pytest.raises(InvalidValue):
        plan.amend_evaluation(1, evaluation(**bad), reason="typo", actor=THERAPIST, now=NOW)
    assert plan.session(1).evaluation == evaluation()


def test_record_and_evaluation_amendments_share_the_sessions_history() -> None:
    plan = evaluated_plan()

    amend_record(plan, pain_before=7)
    plan.amend_evaluation(1, evaluation(pain_after=4), reason="typo", actor=THERAPIST, now=NOW)

    assert [a.what for a in plan.session(1).amendments] == ["record", "evaluation"]


# --- a visit's record -------------------------------------------------------------


def performed_visit() -> Visit:
    """A single visit, performed."""
    booking = VisitBooking(
        client_id=THERAPIST_ID,
        therapist_id=THERAPIST_ID,
        room_id=None,
        kind=VisitKind.SINGLE,
        time=at(2026, 3, 9, 10),
    )
    visit = Visit.book(booking, THERAPIST)
    visit.perform(performance(), now=LATER, actor=THERAPIST)
    return visit


def test_amending_a_visits_record_keeps_the_original() -> None:
    visit = performed_visit()

    visit.amend_record(performance(areas=("hip",)), reason="wrong area", now=NOW, actor=COLLEAGUE)

    assert visit.session.performance == performance(areas=("hip",))
    assert visit.amendments == (Amendment("record", "wrong area", COLLEAGUE, NOW, performance()),)


def test_a_visit_not_performed_has_no_record_to_amend() -> None:
    visit = performed_visit()
    booked = Visit.book(
        VisitBooking(THERAPIST_ID, THERAPIST_ID, None, VisitKind.SINGLE, at(2026, 3, 9, 10)),
        THERAPIST,
    )

    with pytest.raises(SessionStateError, match="no record to amend"):
        booked.amend_record(performance(), reason="typo", now=NOW, actor=THERAPIST)
    with pytest.raises(InvalidValue, match="nothing changed"):
        visit.amend_record(performance(), reason="typo", now=NOW, actor=THERAPIST)
    with pytest.raises(InvalidValue, match="reason"):
        visit.amend_record(performance(pain_before=1), reason=" ", now=NOW, actor=THERAPIST)


# --- replay -------------------------------------------------------------------------


def test_amendments_replay_from_the_store_and_from_a_snapshot(store: Regimen) -> None:
    plan = evaluated_plan()
    amend_record(plan, areas=("lower back",))
    plan.amend_evaluation(1, evaluation(pain_after=2), reason="typo", actor=THERAPIST, now=NOW)
    visit = performed_visit()
    visit.amend_record(performance(areas=("hip",)), reason="wrong area", now=NOW, actor=COLLEAGUE)
    store.save(plan, visit)

    replayed = store.repository.get(plan.id)
    store.take_snapshot(plan.id)
    from_snapshot = store.repository.get(plan.id)

    assert replayed == plan
    assert from_snapshot == plan
    assert [type(a.replaced).__name__ for a in replayed.session(1).amendments] == [
        "Performance",
        "Evaluation",
    ]
    assert store.repository.get(visit.id).amendments == visit.amendments
