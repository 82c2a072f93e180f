"""The application's use cases, told as a clinic's story, on every backend."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from service.application import Regimen
from service.application.commands import PlanRevision, Slot
from service.domain.calendar import CalendarDay, Resource
from service.domain.errors import ConcurrentChange, NotFound, SlotTaken
from service.domain.plan import TreatmentPlan
from service.domain.proposal import PlanProposal
from service.domain.values import (
    PlanStatus,
    Recommendation,
    SeriesSpec,
    SessionStatus,
)
from tests.builders import DESK, THERAPIST, ZONE, agreed_plan, proposal, small_clinic
from tests.plans import LATER, evaluation, performance

BOOKING_TIME = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def book(regimen: Regimen, plan_id, local: datetime, **kwargs):  # type: ignore[no-untyped-def]
    return regimen.book_session(
        plan_id, Slot(local_start=local, zone=ZONE), actor=DESK, now=BOOKING_TIME, **kwargs
    )


def test_a_plan_goes_from_proposal_to_discharge(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    # The therapist proposes and the client agrees.
    plan_id = agreed_plan(regimen, clinic)
    # The front desk books the first two sessions, either side of the DST change.
    first = book(regimen, plan_id, datetime(2026, 3, 23, 10, 0))
    second = book(regimen, plan_id, datetime(2026, 3, 30, 10, 0))
    assert first.time.start == datetime(2026, 3, 23, 10, 0, tzinfo=UTC)
    assert second.time.start == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    assert (first.time.local_start.hour, second.time.local_start.hour) == (10, 10)
    # The therapist performs and evaluates the first session.
    regimen.perform_session(
        plan_id,
        1,
        performance=performance(techniques=("effleurage",)),
        actor=THERAPIST,
        now=LATER,
    )
    regimen.evaluate_session(
        plan_id,
        1,
        evaluation=evaluation(recommendation=Recommendation.DISCHARGE),
        actor=THERAPIST,
    )
    # On discharge the second session is cancelled and its slot freed.
    regimen.complete_plan(plan_id, note="goals met", actor=THERAPIST)
    plan = regimen.plan(plan_id)
    assert plan.status is PlanStatus.COMPLETED
    assert [s.status for s in plan.sessions] == [SessionStatus.PERFORMED, SessionStatus.CANCELLED]
    day = regimen.load(
        CalendarDay,
        CalendarDay.create_id(Resource.THERAPIST, clinic.therapist_id, second.time.start.date()),
    )
    assert day.reservations == []
    # Every event names who caused it.
    history = regimen.history(plan_id)
    assert [type(e).__name__ for e in history] == [
        "PlanProposed",
        "PlanAgreed",
        "SessionBooked",
        "SessionBooked",
        "SessionPerformed",
        "OutcomeEvaluated",
        "SessionCancelled",
        "PlanCompleted",
    ]
    assert [e.actor.role.value for e in history] == [  # type: ignore[attr-defined]
        "therapist",
        "front_desk",
        "front_desk",
        "front_desk",
        "therapist",
        "therapist",
        "therapist",
        "therapist",
    ]


def test_a_therapist_cannot_be_double_booked(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    first_plan = agreed_plan(regimen, clinic)
    second_plan = agreed_plan(regimen, clinic, client_id=clinic.other_client_id, room_id=None)
    book(regimen, first_plan, datetime(2026, 3, 9, 10, 0))
    before = regimen.recorder.max_notification_id()
    with pytest.raises(SlotTaken, match="therapist"):
        book(regimen, second_plan, datetime(2026, 3, 9, 10, 30))
    assert regimen.recorder.max_notification_id() == before
    assert regimen.plan(second_plan).sessions == []


def test_a_room_cannot_be_double_booked(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    first_plan = agreed_plan(regimen, clinic)
    other = agreed_plan(regimen, clinic, therapist_id=clinic.other_therapist_id)
    book(regimen, first_plan, datetime(2026, 3, 9, 10, 0))
    with pytest.raises(SlotTaken, match="room"):
        book(regimen, other, datetime(2026, 3, 9, 10, 45))


def test_back_to_back_sessions_do_not_conflict(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    first_plan = agreed_plan(regimen, clinic)
    second_plan = agreed_plan(regimen, clinic, client_id=clinic.other_client_id)
    book(regimen, first_plan, datetime(2026, 3, 9, 10, 0))
    session = book(regimen, second_plan, datetime(2026, 3, 9, 11, 0))
    assert session.number == 1


def test_rescheduling_frees_the_old_slot_for_others(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    first_plan = agreed_plan(regimen, clinic)
    second_plan = agreed_plan(regimen, clinic, client_id=clinic.other_client_id)
    book(regimen, first_plan, datetime(2026, 3, 9, 10, 0))
    regimen.reschedule_session(
        first_plan,
        1,
        Slot(local_start=datetime(2026, 3, 9, 14, 0), zone=ZONE),
        actor=DESK,
        now=BOOKING_TIME,
    )
    assert book(regimen, second_plan, datetime(2026, 3, 9, 10, 0)).number == 1
    with pytest.raises(SlotTaken):
        book(regimen, second_plan, datetime(2026, 3, 9, 14, 30))


def test_rescheduling_into_its_own_time_is_allowed(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    plan_id = agreed_plan(regimen, clinic)
    book(regimen, plan_id, datetime(2026, 3, 9, 10, 0))
    moved = regimen.reschedule_session(
        plan_id,
        1,
        Slot(local_start=datetime(2026, 3, 9, 10, 30), zone=ZONE),
        actor=DESK,
        now=BOOKING_TIME,
    )
    assert moved.time.local_start == datetime(2026, 3, 9, 10, 30)


def test_cancelling_the_rest_of_a_series_frees_every_later_slot(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    plan_id = agreed_plan(regimen, clinic)
    for week in range(4):
        book(regimen, plan_id, datetime(2026, 3, 9, 10, 0) + timedelta(weeks=week))
    plan = regimen.cancel_sessions(
        plan_id, 2, reason="moving away", rest=True, actor=DESK, now=BOOKING_TIME
    )
    assert [s.status for s in plan.sessions] == [SessionStatus.BOOKED] + [
        SessionStatus.CANCELLED
    ] * 3
    other = agreed_plan(regimen, clinic, client_id=clinic.other_client_id)
    assert book(regimen, other, datetime(2026, 3, 30, 10, 0)).number == 1


def test_a_late_cancel_is_flagged_and_counted_as_the_clinic_says(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    plan_id = agreed_plan(regimen, clinic)
    session = book(regimen, plan_id, datetime(2026, 3, 9, 10, 0))
    plan = regimen.cancel_sessions(
        plan_id, 1, reason="ill", actor=DESK, now=session.time.start - timedelta(hours=3)
    )
    assert plan.sessions[0].late_cancel
    assert plan.sessions[0].counts_against_authorization


def test_unknown_things_are_not_found(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    with pytest.raises(NotFound):
        regimen.plan(clinic.client_id)
    with pytest.raises(NotFound):
        regimen.propose_plan(
            PlanProposal(**proposal(clinic, client_id=clinic.therapist_id)), actor=THERAPIST
        )


def test_a_plan_replays_to_any_version(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    plan_id = agreed_plan(regimen, clinic)
    book(regimen, plan_id, datetime(2026, 3, 9, 10, 0))
    regimen.revise_plan(
        plan_id,
        PlanRevision(SeriesSpec(sessions=8, interval_days=14, session_minutes=60), "slower pace"),
        actor=THERAPIST,
        now=BOOKING_TIME,
    )
    assert regimen.plan(plan_id, version=1).status is PlanStatus.PROPOSED
    assert regimen.plan(plan_id, version=3).sessions[0].number == 1
    assert regimen.plan(plan_id, version=3).series.sessions == 6
    assert regimen.plan(plan_id).series.sessions == 8


def test_concurrent_bookings_of_one_slot_have_exactly_one_winner(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    plans = [
        agreed_plan(regimen, clinic, client_id=clinic.other_client_id, room_id=None)
        for _ in range(6)
    ]

    def attempt(plan_id):  # type: ignore[no-untyped-def]
        try:
            return book(regimen, plan_id, datetime(2026, 3, 9, 10, 0)).number
        except (SlotTaken, ConcurrentChange) as error:
            return error

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(attempt, plans))
    winners = [o for o in outcomes if o == 1]
    assert len(winners) == 1, outcomes
    booked = [p for p in plans if regimen.plan(p).sessions]
    assert len(booked) == 1
    day = regimen.load(
        CalendarDay,
        CalendarDay.create_id(Resource.THERAPIST, clinic.therapist_id, datetime(2026, 3, 9).date()),
    )
    assert len(day.reservations) == 1
    assert isinstance(regimen.plan(booked[0]), TreatmentPlan)
