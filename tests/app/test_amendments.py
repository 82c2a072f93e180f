"""Amending a session's record or evaluation, or a visit's record, through the application:
saved with the original kept, in the history and in the views the progress graph reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from service.application import Regimen
from service.domain.errors import InvalidValue
from service.domain.values import Evaluation, Mobility, Performance, Recommendation
from service.domain.visit import VisitKind
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.api.helpers import book, perform_and_evaluate
from tests.builders import DESK, THERAPIST, agreed_plan, small_clinic, visit_booking
from tests.plans import LATER

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PERFORMED = Performance(
    techniques=("effleurage",), areas=("neck",), duration_minutes=60, pain_before=6
)  # what tests.api.helpers.perform records
EVALUATED = Evaluation(
    pain_after=3, mobility=Mobility.BETTER, recommendation=Recommendation.CONTINUE
)


def test_an_amended_record_and_evaluation_are_saved_with_the_originals(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    plan_id = agreed_plan(regimen, clinic)
    book(regimen, plan_id, "2026-03-09T10:00", NOW)
    perform_and_evaluate(regimen, plan_id, 1)

    regimen.amend_session_record(
        plan_id,
        1,
        performance=replace(PERFORMED, pain_before=7),
        reason="pain was 7 before, not 6",
        actor=THERAPIST,
        now=LATER,
    )
    plan = regimen.amend_evaluation(
        plan_id,
        1,
        evaluation=replace(EVALUATED, pain_after=2),
        reason="misheard the client",
        actor=THERAPIST,
        now=LATER,
    )

    stored = regimen.plan(plan_id)
    assert stored.version == plan.version
    session = stored.session(1)
    assert (session.performance.pain_before, session.evaluation.pain_after) == (7, 2)
    assert [(a.what, a.replaced, a.actor, a.at) for a in session.amendments] == [
        ("record", PERFORMED, THERAPIST, LATER),
        ("evaluation", EVALUATED, THERAPIST, LATER),
    ]
    types = [type(e).__name__ for e in regimen.history(plan_id)]
    assert types[-4:] == [
        "SessionPerformed",
        "OutcomeEvaluated",
        "SessionRecordAmended",
        "EvaluationAmended",
    ]
    assert regimen.plan(plan_id, version=plan.version - 2).session(1).amendments == ()
    [outcome] = ReadModel(Projector(regimen)).fresh().outcomes(str(plan_id))
    assert (outcome["pain_before"], outcome["pain_after"]) == (7, 2)


def test_a_refused_amendment_saves_nothing(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    plan_id = agreed_plan(regimen, clinic)
    book(regimen, plan_id, "2026-03-09T10:00", NOW)
    perform_and_evaluate(regimen, plan_id, 1)
    version = regimen.plan(plan_id).version

    with pytest.raises(InvalidValue, match="nothing changed"):
        regimen.amend_session_record(
            plan_id, 1, performance=PERFORMED, reason="typo", actor=THERAPIST, now=LATER
        )
    assert regimen.plan(plan_id).version == version


def test_an_amended_visit_record_is_saved_and_read_by_the_views(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    booking = visit_booking(clinic, "2026-03-09T10:00", VisitKind.SINGLE)
    visit = regimen.book_visit(booking, actor=DESK, now=NOW)
    regimen.perform_visit(visit.id, PERFORMED, actor=THERAPIST, now=LATER)

    amended = regimen.amend_visit_record(
        visit.id,
        performance=replace(PERFORMED, pain_before=4, areas=("neck", "upper back")),
        reason="forgot the upper back",
        actor=THERAPIST,
        now=LATER,
    )

    stored = regimen.visit(visit.id)
    assert stored.version == amended.version
    assert stored.session.performance.areas == ("neck", "upper back")
    assert [(a.reason, a.replaced) for a in stored.amendments] == [
        ("forgot the upper back", PERFORMED)
    ]
    reads = ReadModel(Projector(regimen)).fresh()
    [row] = reads.outcomes(str(visit.id))
    assert (row["number"], row["pain_before"]) == (0, 4)
