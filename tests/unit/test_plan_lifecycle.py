"""TreatmentPlan over its life: revise, refer, close; actors on events; replay."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from service.application import Regimen
from service.domain.errors import InvalidValue, PlanClosed, PlanNotAgreed, RuleViolated
from service.domain.plan import TreatmentPlan
from service.domain.values import (
    Actor,
    PlanStatus,
    Recommendation,
    Referral,
    Role,
    SeriesSpec,
    SessionStatus,
)
from tests.plans import (
    DESK,
    LATER,
    ROOM_ID,
    THERAPIST,
    THERAPIST_ID,
    at,
    booked_plan,
    cancel,
    evaluation,
    performance,
    proposed_plan,
    utc,
)

WEEKLY_4 = SeriesSpec(sessions=4, interval_days=7, session_minutes=60)


# --- revise ----------------------------------------------------------------


def test_revising_changes_the_series_and_records_the_reason() -> None:
    plan = booked_plan(sessions=1)
    plan.collect_events()

    plan.revise(series=WEEKLY_4, reason="slower progress than expected", actor=THERAPIST)

    assert plan.series == WEEKLY_4
    (revised,) = plan.collect_events()
    assert type(revised).__name__ == "PlanRevised"
    assert revised.reason == "slower progress than expected"


def test_a_series_cannot_be_revised_below_its_active_sessions() -> None:
    plan = booked_plan(sessions=3)

    with pytest.raises(RuleViolated):
        plan.revise(series=replace(WEEKLY_4, sessions=2), reason="shorter", actor=THERAPIST)
    assert plan.series.sessions == 3


def test_a_series_can_be_revised_down_to_its_active_sessions() -> None:
    plan = booked_plan(sessions=3)
    cancel(plan, utc(2026, 3, 1), number=3)

    plan.revise(series=replace(WEEKLY_4, sessions=2), reason="doing well", actor=THERAPIST)

    assert plan.series.sessions == 2


def test_a_revision_needs_a_reason() -> None:
    with pytest.raises(InvalidValue):
        booked_plan().revise(series=WEEKLY_4, reason=" ", actor=THERAPIST)


def test_a_revision_to_an_invalid_series_is_refused() -> None:
    with pytest.raises(InvalidValue):
        booked_plan().revise(series=replace(WEEKLY_4, interval_days=0), reason="x", actor=THERAPIST)


# --- refer -----------------------------------------------------------------


def test_referring_adds_a_referral_to_the_plan() -> None:
    plan = booked_plan(referral=Referral(profession="osteopath"))

    plan.refer(referral=Referral(profession="GP", reason="numbness"), actor=THERAPIST)

    assert plan.referrals == [
        Referral(profession="osteopath"),
        Referral(profession="GP", reason="numbness"),
    ]


def test_a_referral_names_a_profession() -> None:
    with pytest.raises(InvalidValue):
        booked_plan().refer(referral=Referral(profession=""), actor=THERAPIST)


# --- complete and cancel ---------------------------------------------------


def test_only_an_agreed_plan_can_be_completed() -> None:
    with pytest.raises(PlanNotAgreed):
        proposed_plan().complete(note="discharged", actor=THERAPIST)


def test_completing_cancels_the_outstanding_bookings_and_returns_them() -> None:
    plan = booked_plan(sessions=3)
    plan.perform_session(1, performance=performance(), actor=THERAPIST, now=LATER)

    released = plan.complete(note="pain free", actor=THERAPIST)

    assert [s.number for s in released] == [2, 3]
    assert plan.status is PlanStatus.COMPLETED
    assert plan.closing_note == "pain free"
    assert [s.status for s in plan.sessions] == [
        SessionStatus.PERFORMED,
        SessionStatus.CANCELLED,
        SessionStatus.CANCELLED,
    ]
    assert not any(s.late_cancel or s.counts_against_authorization for s in plan.sessions)


def test_cancelling_the_plan_cancels_its_outstanding_bookings_and_returns_them() -> None:
    plan = booked_plan(sessions=2)

    released = plan.cancel(reason="client moved away", actor=DESK)

    assert [s.number for s in released] == [1, 2]
    assert plan.status is PlanStatus.CANCELLED
    assert plan.closing_note == "client moved away"
    assert plan.sessions_in(SessionStatus.BOOKED) == []


def test_a_proposed_plan_can_be_cancelled() -> None:
    plan = proposed_plan()

    assert plan.cancel(reason="client declined", actor=DESK) == []
    assert plan.status is PlanStatus.CANCELLED


def test_cancelling_a_plan_needs_a_reason() -> None:
    with pytest.raises(InvalidValue):
        proposed_plan().cancel(reason="", actor=DESK)


# --- nothing changes a closed plan -----------------------------------------

COMMANDS: dict[str, Callable[[TreatmentPlan], object]] = {
    "agree": lambda p: p.agree(DESK),
    "book": lambda p: p.book_session(
        time=at(2026, 4, 6, 10), therapist_id=THERAPIST_ID, room_id=ROOM_ID, actor=DESK
    ),
    "reschedule": lambda p: p.reschedule_session(
        1, time=at(2026, 4, 6, 10), therapist_id=THERAPIST_ID, room_id=ROOM_ID, actor=DESK
    ),
    "cancel session": lambda p: cancel(p, utc(2026, 3, 1)),
    "no-show": lambda p: p.record_no_show(
        1, now=utc(2026, 3, 9, 11), no_show_counts=True, actor=DESK
    ),
    "perform": lambda p: p.perform_session(
        1, performance=performance(), actor=THERAPIST, now=LATER
    ),
    "evaluate": lambda p: p.evaluate_session(1, evaluation=evaluation(), actor=THERAPIST),
    "revise": lambda p: p.revise(series=WEEKLY_4, reason="faster", actor=THERAPIST),
    "refer": lambda p: p.refer(referral=Referral(profession="GP"), actor=THERAPIST),
    "complete": lambda p: p.complete(note="again", actor=THERAPIST),
    "cancel plan": lambda p: p.cancel(reason="again", actor=DESK),
}
CLOSERS: dict[str, Callable[[TreatmentPlan], object]] = {
    "completed": lambda p: p.complete(note="done", actor=THERAPIST),
    "cancelled": lambda p: p.cancel(reason="moved away", actor=DESK),
}


@pytest.mark.parametrize("closer", CLOSERS.values(), ids=CLOSERS.keys())
@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_nothing_changes_a_closed_plan(
    command: Callable[[TreatmentPlan], object], closer: Callable[[TreatmentPlan], object]
) -> None:
    plan = booked_plan(sessions=1)
    closer(plan)
    plan.collect_events()

    with pytest.raises(PlanClosed):
        command(plan)
    assert plan.collect_events() == []


# --- actors and replay -----------------------------------------------------


def plan_story() -> TreatmentPlan:
    """A plan through every kind of event, each command by a known actor."""
    plan = booked_plan(sessions=3)  # proposed by THERAPIST, agreed and booked by DESK
    plan.reschedule_session(
        2, time=at(2026, 3, 17, 10), therapist_id=THERAPIST_ID, room_id=None, actor=DESK
    )
    cancel(plan, utc(2026, 3, 1), number=3)
    plan.record_no_show(2, now=utc(2026, 3, 17, 11), no_show_counts=True, actor=DESK)
    plan.perform_session(1, performance=performance(), actor=THERAPIST, now=LATER)
    plan.evaluate_session(
        1,
        evaluation=evaluation(
            recommendation=Recommendation.CHANGE_INTERVAL, recommended_interval_days=14
        ),
        actor=THERAPIST,
    )
    plan.revise(series=WEEKLY_4, reason="fortnightly", actor=THERAPIST)
    plan.refer(referral=Referral(profession="GP"), actor=THERAPIST)
    plan.complete(note="discharged", actor=THERAPIST)
    return plan


def test_every_event_records_who_caused_it() -> None:
    events = plan_story().collect_events()

    assert [(type(e).__name__, e.actor) for e in events] == [
        ("PlanProposed", THERAPIST),
        ("PlanAgreed", DESK),
        ("SessionBooked", DESK),
        ("SessionBooked", DESK),
        ("SessionBooked", DESK),
        ("SessionRescheduled", DESK),
        ("SessionCancelled", DESK),
        ("SessionMissed", DESK),
        ("SessionPerformed", THERAPIST),
        ("OutcomeEvaluated", THERAPIST),
        ("PlanRevised", THERAPIST),
        ("ClientReferred", THERAPIST),
        ("PlanCompleted", THERAPIST),
    ]


def test_the_system_actor_is_recorded_as_given() -> None:
    system = Actor(user_id="scheduler", role=Role.SYSTEM)
    plan = booked_plan()
    plan.collect_events()

    plan.record_no_show(1, now=utc(2026, 3, 9, 12), no_show_counts=False, actor=system)

    assert [e.actor for e in plan.collect_events()] == [system]


def test_replaying_the_stored_events_gives_the_same_plan(store: Regimen) -> None:
    plan = plan_story()
    store.save(plan)

    replayed = store.repository.get(plan.id)

    assert replayed == plan
    assert replayed.sessions == plan.sessions
    assert replayed.status is PlanStatus.COMPLETED


def test_replaying_to_a_version_gives_the_plan_as_it_stood(store: Regimen) -> None:
    plan = booked_plan(sessions=2)
    store.save(plan)
    plan.perform_session(1, performance=performance(), actor=THERAPIST, now=LATER)
    store.save(plan)

    as_booked = store.repository.get(plan.id, version=4)

    assert [s.status for s in as_booked.sessions] == [SessionStatus.BOOKED] * 2
    assert store.repository.get(plan.id).session(1).status is SessionStatus.PERFORMED


def test_replay_never_rechecks_the_rules(store: Regimen) -> None:
    # An assessment stored under looser rules (a pain of 11) must still load:
    # events are facts, and only commands check rules.
    plan = booked_plan()
    proposed, *rest = plan.collect_events()
    looser = replace(proposed, assessment=replace(proposed.assessment, pain_level=11))
    store.events.put([looser, *rest])

    replayed = store.repository.get(plan.id)

    assert replayed.assessment.pain_level == 11
    assert replayed.session(1).status is SessionStatus.BOOKED
