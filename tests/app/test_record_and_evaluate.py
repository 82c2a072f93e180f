"""Recording and evaluating a session in one save: both land, or neither does."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from service.application import Regimen
from service.application.commands import SeriesBooking, Slot
from service.domain.errors import InvalidValue, SessionStateError
from service.domain.plan import TreatmentPlan
from service.domain.values import Recommendation, Referral, SessionStatus
from service.scheduler.booking_policy import ConflictPolicy
from tests.builders import DESK, THERAPIST, agreed_plan, small_clinic
from tests.plans import evaluation, performance

AFTER_FIRST = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # session 1 was 10:00-11:00 London


@pytest.fixture
def plan_id(regimen: Regimen) -> UUID:
    """Six weekly sessions booked from Monday 2 March 2026, 10:00 London."""
    clinic = small_clinic(regimen)
    plan_id = agreed_plan(regimen, clinic)
    booking = SeriesBooking(Slot(datetime(2026, 3, 2, 10), "Europe/London"), ConflictPolicy.FAIL)
    regimen.book_series(plan_id, booking, actor=DESK, now=datetime(2026, 3, 1, 12, tzinfo=UTC))
    return plan_id


def test_the_note_and_its_evaluation_land_in_one_save(regimen: Regimen, plan_id: UUID) -> None:
    before = regimen.plan(plan_id).version

    plan = regimen.record_and_evaluate(
        plan_id,
        1,
        performance=performance(client_report="sleeping better since Friday"),
        evaluation=evaluation(pain_after=2),
        actor=THERAPIST,
        now=AFTER_FIRST,
    )

    session = regimen.plan(plan_id).session(1)
    assert session.status is SessionStatus.PERFORMED
    assert session.performance is not None
    assert session.performance.client_report == "sleeping better since Friday"
    assert session.evaluation is not None and session.evaluation.pain_after == 2
    assert plan.version == before + 2
    events = [type(e).__name__ for e in regimen.history(plan_id)][-2:]
    assert events == ["SessionPerformed", "OutcomeEvaluated"]


def test_an_invalid_evaluation_leaves_no_note_recorded(regimen: Regimen, plan_id: UUID) -> None:
    before = regimen.plan(plan_id).version

    with pytest.raises(InvalidValue, match="pain_after"):
        regimen.record_and_evaluate(
            plan_id,
            1,
            performance=performance(),
            evaluation=evaluation(pain_after=11),
            actor=THERAPIST,
            now=AFTER_FIRST,
        )

    plan = regimen.plan(plan_id)
    assert plan.version == before
    assert plan.session(1).status is SessionStatus.BOOKED and plan.session(1).performance is None


def test_nothing_is_recorded_before_the_session_starts(regimen: Regimen, plan_id: UUID) -> None:
    with pytest.raises(SessionStateError, match="has not started yet"):
        regimen.record_and_evaluate(
            plan_id,
            2,
            performance=performance(),
            evaluation=evaluation(),
            actor=THERAPIST,
            now=AFTER_FIRST,
        )
    assert regimen.plan(plan_id).session(2).performance is None


def test_the_note_now_and_the_evaluation_later(regimen: Regimen, plan_id: UUID) -> None:
    regimen.record_and_evaluate(
        plan_id, 1, performance=performance(), evaluation=None, actor=THERAPIST, now=AFTER_FIRST
    )
    assert regimen.plan(plan_id).session(1).evaluation is None

    regimen.record_and_evaluate(
        plan_id, 1, performance=None, evaluation=evaluation(), actor=THERAPIST, now=AFTER_FIRST
    )
    assert regimen.plan(plan_id).session(1).evaluation == evaluation()


def test_a_recommended_referral_joins_the_plans_referrals(regimen: Regimen, plan_id: UUID) -> None:
    referral = Referral(profession="physiotherapist", name="J. Osei", reason="knee laxity")
    plan = regimen.record_and_evaluate(
        plan_id,
        1,
        performance=performance(),
        evaluation=evaluation(recommendation=Recommendation.REFER),
        referral=referral,
        actor=THERAPIST,
        now=AFTER_FIRST,
    )
    assert plan.referrals[-1] == referral
    assert regimen.plan(plan_id).referrals[-1] == referral


def test_applying_a_new_interval_re_paces_the_rest_in_the_same_save(
    regimen: Regimen, plan_id: UUID
) -> None:
    plan = regimen.record_and_evaluate(
        plan_id,
        1,
        performance=performance(),
        evaluation=evaluation(
            recommendation=Recommendation.CHANGE_INTERVAL, recommended_interval_days=14
        ),
        apply_recommendation=True,
        actor=THERAPIST,
        now=AFTER_FIRST,
    )
    assert plan.series.interval_days == 14
    upcoming = [s.time.local_start.date() for s in regimen.plan(plan_id).sessions[1:]]
    assert upcoming == [date(2026, 3, 9) + timedelta(weeks=2 * n) for n in range(5)]


def test_neither_part_is_refused(regimen: Regimen, plan_id: UUID) -> None:
    with pytest.raises(InvalidValue):
        regimen.record_and_evaluate(
            plan_id, 1, performance=None, evaluation=None, actor=THERAPIST, now=AFTER_FIRST
        )


def test_a_note_stored_before_the_clients_report_existed_still_replays(
    regimen: Regimen, plan_id: UUID
) -> None:
    regimen.record_and_evaluate(
        plan_id, 1, performance=performance(), evaluation=None, actor=THERAPIST, now=AFTER_FIRST
    )
    stored = []
    for record in regimen.recorder.select_events(plan_id):
        state = json.loads(record.state)
        if record.topic.endswith("SessionPerformed"):
            state["performance"]["_data_"].pop("client_report")  # as an older release stored it
        stored.append(replace(record, state=json.dumps(state).encode()))

    plan = None
    for record in stored:
        plan = regimen.mapper.to_domain_event(record).mutate(plan)

    assert isinstance(plan, TreatmentPlan)
    assert plan.session(1).performance == performance()
    assert plan.session(1).performance.client_report == ""
