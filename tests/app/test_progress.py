"""A plan's progress from the views: measures against the baseline, adherence, the latest
recommendation."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

from service.application import Regimen
from service.application.commands import Slot
from service.domain.measures import Instrument, MeasureAnswers
from service.domain.proposal import PlanProposal
from service.domain.values import RangeOfMotion, Recommendation
from service.projections.progress import PlanProgress, plan_progress
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from service.scheduler.recurrence import session_time
from tests.builders import DESK, THERAPIST, ZONE, Clinic, proposal
from tests.fakes import FixedClock
from tests.plans import assessment, evaluation, performance

BASELINE_NDI = (3, 3, 2, 3, 2, 3, 2, 2, 2, 2)  # 24 of 50
NDI_20 = (2, 2, 2, 2, 2, 2, 2, 2, 2, 2)
NDI_16 = (2, 2, 2, 2, 1, 2, 1, 2, 1, 1)
NDI_21 = (3, 2, 2, 3, 2, 2, 2, 2, 2, 1)


def ndi(items: tuple[int, ...]) -> MeasureAnswers:
    return MeasureAnswers(Instrument.NDI, items)


def neck_plan(regimen: Regimen, clinic: Clinic) -> UUID:
    baseline = assessment(
        measures=(ndi(BASELINE_NDI),), range_of_motion=(RangeOfMotion("neck", "rotation", 50),)
    )
    values = proposal(clinic, assessment=baseline, focus_areas=("neck",))
    plan_id = regimen.propose_plan(PlanProposal(**values), actor=THERAPIST)
    regimen.agree_plan(plan_id, actor=DESK)
    return plan_id


def treat(
    regimen: Regimen,
    plan_id: UUID,
    clock: FixedClock,
    days: list[int],
    scores: list[tuple[int, ...]],
) -> None:
    """Book, perform and evaluate a session on each day (from Tuesday 3 March) with its NDI."""
    for number, (day, items) in enumerate(zip(days, scores, strict=True), start=1):
        local = datetime(2026, 3, 3, 10) + timedelta(days=day)
        regimen.book_session(plan_id, Slot(local, ZONE), actor=DESK, now=clock())
        moment = session_time(local, ZONE, 60).end
        regimen.perform_session(
            plan_id, number, performance=performance(), actor=THERAPIST, now=moment
        )
        found = evaluation(
            measures=(ndi(items),),
            range_of_motion=(RangeOfMotion("neck", "rotation", 50 + 5 * number),),
        )
        regimen.evaluate_session(plan_id, number, evaluation=found, actor=THERAPIST)


def progress_of(regimen: Regimen, plan_id: UUID, today: date) -> PlanProgress:
    found = plan_progress(ReadModel(Projector(regimen)).fresh(), str(plan_id), today=today)
    assert found is not None
    return found


def test_ndi_from_24_to_16_is_a_meaningful_eight_points(
    regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    plan_id = neck_plan(regimen, clinic)
    treat(regimen, plan_id, clock, [0, 7, 14], [NDI_20, NDI_16, NDI_16])
    progress = progress_of(regimen, plan_id, date(2026, 3, 18))
    by_key = {m.key: m for m in progress.measures}
    assert [p.score for p in by_key["ndi"].points] == [24.0, 20.0, 16.0, 16.0]
    assert (by_key["ndi"].change, by_key["ndi"].meaningful, by_key["ndi"].improved) == (
        -8.0,
        True,
        True,
    )
    assert [p.number for p in by_key["ndi"].points] == [0, 1, 2, 3]
    assert [p.score for p in by_key["rom"].points] == [50.0, 55.0, 60.0, 65.0]
    assert by_key["rom"].change == 15.0 and by_key["rom"].meaningful is None
    assert progress.adherence.gaps_days == (7, 7) and not progress.adherence.drifting
    assert progress.adherence.tally.kept == 3 and progress.adherence.tally.minutes_delivered == 165
    assert progress.latest_recommendation == Recommendation.CONTINUE.value


def test_ndi_from_24_to_21_is_not_meaningful(
    regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    plan_id = neck_plan(regimen, clinic)
    treat(regimen, plan_id, clock, [0], [NDI_21])
    ndi_series = next(
        m for m in progress_of(regimen, plan_id, date(2026, 3, 4)).measures if m.key == "ndi"
    )
    assert (ndi_series.change, ndi_series.meaningful) == (-3.0, False)


def test_sessions_7_14_and_21_days_apart_drift_from_a_weekly_plan(
    regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    plan_id = neck_plan(regimen, clinic)
    treat(regimen, plan_id, clock, [0, 7, 21, 42], [NDI_20] * 4)
    progress = progress_of(regimen, plan_id, date(2026, 4, 15))
    assert progress.adherence.gaps_days == (7, 14, 21)
    assert progress.adherence.drifting
    assert progress.adherence.tally.minutes_planned == 240
