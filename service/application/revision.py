"""Re-pacing a plan: revise the series and re-book its future sessions to match."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID

from service.adapters.store import BaseApplication, retried
from service.application.billing import perform
from service.application.calendar_work import CalendarWork, book_slots, named
from service.application.commands import PlanRevision
from service.application.series import conflict_summary, propose_slots, series_request
from service.domain.errors import InvalidValue, RuleViolated, SlotTaken
from service.domain.plan import TreatmentPlan
from service.domain.values import (
    Actor,
    Evaluation,
    Performance,
    Recommendation,
    Referral,
    SeriesRule,
    SeriesSpec,
    Session,
    SessionTime,
)
from service.scheduler.booking_policy import ConflictPolicy, SeriesPlan


class Revisions(BaseApplication):
    """Revisions, including the one an evaluation recommends."""

    @retried
    def revise_plan(
        self,
        plan_id: UUID,
        revision: PlanRevision,
        *,
        actor: Actor,
        now: datetime,
        dry_run: bool = False,
    ) -> tuple[TreatmentPlan, SeriesPlan | None]:
        """Change the series' pace or length and re-book its future sessions to match.

        Future sessions keep their numbers (they are rescheduled, not re-created);
        sessions the shorter series no longer needs are cancelled by the clinic;
        sessions a longer one needs are booked. All in one save, or none.
        """
        plan = self.load(TreatmentPlan, plan_id)
        work = CalendarWork(self, actor)
        proposal = revise_and_rebook(plan, work, revision, actor=actor, now=now, preview=dry_run)
        if not dry_run:
            self.save(plan, *work.changed())
        return plan, proposal

    @retried
    def evaluate_session(
        self,
        plan_id: UUID,
        number: int,
        *,
        evaluation: Evaluation,
        actor: Actor,
        now: datetime | None = None,
        apply_recommendation: bool = False,
        policy: ConflictPolicy = ConflictPolicy.SHIFT,
    ) -> TreatmentPlan:
        """Record a session's outcome; a recommended new interval can be applied at once.

        Applying it revises the series to the new interval and re-books the future
        sessions (those after `now`) in the same save, so the evaluation and the new
        pace land together.
        """
        if apply_recommendation and now is None:
            raise ValueError("applying a recommendation needs the current time")

        plan = self.load(TreatmentPlan, plan_id)
        plan.evaluate_session(number, evaluation=evaluation, actor=actor)
        work = CalendarWork(self, actor)
        if apply_recommendation and now is not None:
            _apply_interval(plan, work, number, evaluation, actor=actor, now=now, policy=policy)
        self.save(plan, *work.changed())
        return plan

    @retried
    def record_and_evaluate(
        self,
        plan_id: UUID,
        number: int,
        *,
        performance: Performance | None,
        evaluation: Evaluation | None,
        actor: Actor,
        now: datetime,
        apply_recommendation: bool = False,
        referral: Referral | None = None,
        policy: ConflictPolicy = ConflictPolicy.SHIFT,
        authorization_override: str = "",
    ) -> TreatmentPlan:
        """Record what was done in a session and how it went, in one save, or neither.

        Either part may be left out: the note alone (evaluated later), or the evaluation
        of a session already recorded. A referral is added to the plan with the
        evaluation that recommends it; applying a new interval re-books the future
        sessions in the same save, as `evaluate_session` does.
        """
        if performance is None and evaluation is None:
            raise InvalidValue("record what was done, or evaluate the session, or both")
        plan = self.load(TreatmentPlan, plan_id)
        if performance is not None:
            perform(self, plan, number, performance, actor, now, authorization_override)
        work = CalendarWork(self, actor)
        if evaluation is not None:
            plan.evaluate_session(number, evaluation=evaluation, actor=actor)
            if referral is not None:
                plan.refer(referral=referral, actor=actor)
            if apply_recommendation:
                _apply_interval(plan, work, number, evaluation, actor=actor, now=now, policy=policy)
        elif referral is not None:
            raise InvalidValue("a referral is made with the evaluation that recommends it")
        self.save(plan, *work.changed())
        return plan


def _apply_interval(
    plan: TreatmentPlan,
    work: CalendarWork,
    number: int,
    evaluation: Evaluation,
    *,
    actor: Actor,
    now: datetime,
    policy: ConflictPolicy,
) -> None:
    """Re-pace the future sessions to the interval an evaluation recommends, if it does."""
    interval = evaluation.recommended_interval_days
    if evaluation.recommendation is not Recommendation.CHANGE_INTERVAL or interval is None:
        return
    series = SeriesSpec(
        sessions=plan.series.sessions,
        interval_days=interval,
        session_minutes=plan.series.session_minutes,
    )
    reason = f"interval changed to {interval} days after session {number}"
    revise_and_rebook(plan, work, PlanRevision(series, reason, policy), actor=actor, now=now)


def _rule_from(
    plan: TreatmentPlan, first: Session, series: SeriesSpec, policy: ConflictPolicy
) -> SeriesRule:
    """The series rule of a revision: the new pace from the first future session on."""
    return SeriesRule(
        first_local_start=first.time.local_start,
        zone=first.time.zone,
        interval_days=series.interval_days,
        conflict_policy=policy.value,
        shift_window_days=plan.series_rule.shift_window_days if plan.series_rule else 3,
        therapist_id=first.therapist_id,
        room_id=first.room_id,
    )


def revise_and_rebook(
    plan: TreatmentPlan,
    work: CalendarWork,
    revision: PlanRevision,
    *,
    actor: Actor,
    now: datetime,
    preview: bool = False,
) -> SeriesPlan | None:
    """Revise a loaded plan and re-book its future sessions in `work`; nothing is saved.

    Returns the booking proposal (None without future sessions). When the new pace
    cannot be booked under the policy it raises SlotTaken listing every conflict,
    or, for a preview, returns the proposal with the plan left unchanged.
    """
    series, reason, policy = revision.series, revision.reason, revision.policy
    future = plan.future_bookings(now)
    keep = plan.active_sessions - len(future)
    wanted = series.sessions - keep
    if wanted < 0:
        raise RuleViolated(
            f"{keep} sessions are done or already under way; the series cannot "
            f"be revised to {series.sessions}"
        )
    if not future:
        plan.revise(series=series, reason=reason, actor=actor)
        return None
    for session in future:
        work.release(plan.id, session)
    first = future[0]
    rule = _rule_from(plan, first, series, policy)
    proposal = None
    if wanted:
        proposal = propose_slots(
            work, series_request(rule, wanted, series), first.therapist_id, first.room_id, now
        )
        proposal = replace(proposal, conflicts=tuple(named(work.app, proposal.conflicts)))
        if not proposal.bookable:
            if preview:
                return proposal
            raise SlotTaken(conflict_summary(proposal), conflicts=list(proposal.conflicts))
    times = [slot.time for slot in proposal.slots] if proposal else []
    _rebook(plan, work, future, times, series, reason, rule, actor, now)
    return proposal


def _rebook(
    plan: TreatmentPlan,
    work: CalendarWork,
    future: list[Session],
    times: list[SessionTime],
    series: SeriesSpec,
    reason: str,
    rule: SeriesRule,
    actor: Actor,
    now: datetime,
) -> None:
    for extra in future[len(times) :]:
        plan.cancel_session(
            extra.number,
            reason=f"series revised: {reason}",
            now=now,
            cancellation_window=timedelta(0),  # the clinic's own change is never late
            late_cancel_counts=False,
            actor=actor,
        )
    plan.revise(series=series, reason=reason, actor=actor)
    plan.schedule_series(rule, actor)
    for session, time in zip(future, times, strict=False):
        moved = plan.reschedule_session(
            session.number,
            time=time,
            therapist_id=session.therapist_id,
            room_id=session.room_id,
            actor=actor,
        )
        work.reserve(plan.id, moved)
    book_slots(work, plan, times[len(future) :], rule.therapist_id, rule.room_id)
