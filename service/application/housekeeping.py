"""The scheduler's jobs: each takes `now`, is idempotent, and returns how much it did."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from service.adapters.store import BaseApplication
from service.application.calendar_work import CalendarWork, book_slots
from service.application.series import propose_slots, series_request, within_horizon
from service.domain.errors import DomainError
from service.domain.plan import TreatmentPlan
from service.domain.rolling_series import OccurrenceConflict
from service.domain.values import RECORDING_GRACE, Actor, Role, SessionStatus, SessionTime
from service.scheduler.booking_policy import Conflict
from service.scheduler.rolling import resume

SCHEDULER = Actor(user_id="scheduler", role=Role.SYSTEM)
AUTHORIZATION_WARNING_DAYS = 14
AUTHORIZATION_WARNING_VISITS = 1
AUTHORIZATION_WARNING_UNITS = 4  # an hour's session


def few_visits_left(left: int | None) -> bool:
    """Whether an authorization counting visits (`left` None: it does not) nears its last."""
    return left is not None and left <= AUTHORIZATION_WARNING_VISITS


def few_units_left(left: int | None) -> bool:
    """Whether an authorization counting units (`left` None: it does not) nears its last
    (those of an hour's session)."""
    return left is not None and left <= AUTHORIZATION_WARNING_UNITS


class Housekeeping(BaseApplication):
    """What the scheduler does every few minutes."""

    def open_plans(self, plan_ids: Iterable[UUID]) -> Iterator[TreatmentPlan]:
        """The plans of these ids that can still change (a read model says which to look at)."""
        for plan_id in plan_ids:
            plan = self.find(TreatmentPlan, plan_id)
            if plan is not None and plan.is_open:
                yield plan

    def flag_unrecorded_sessions(self, now: datetime, plan_ids: Iterable[UUID]) -> int:
        """Flag booked sessions that ended over two hours ago with nothing recorded."""
        flagged = 0
        for plan in self.open_plans(plan_ids):
            due = [
                s.number
                for s in plan.sessions_in(SessionStatus.BOOKED)
                if s.time.end + RECORDING_GRACE <= now and not s.unrecorded
            ]
            if due:
                flagged += sum(plan.flag_unrecorded(n, SCHEDULER) for n in due)
                self._save_quietly(plan)
        return flagged

    def warn_expiring_authorizations(self, now: datetime, plan_ids: Iterable[UUID]) -> int:
        """Warn once per plan when its authorization nears its last visit, its last units
        (those of an hour's session) or its end date."""
        warned = 0
        for plan in self.open_plans(plan_ids):
            auth = plan.authorization
            if auth is None or plan.authorization_warned:
                continue
            expiring = auth.valid_until - now.date() <= timedelta(days=AUTHORIZATION_WARNING_DAYS)
            running_out = (
                few_visits_left(plan.authorized_visits_left)
                or few_units_left(plan.authorized_units_left)
                or expiring
            )
            if running_out and plan.warn_authorization(SCHEDULER):
                self._save_quietly(plan)
                warned += 1
        return warned

    def extend_rolling_series(
        self, now: datetime, horizon_days: int, plan_ids: Iterable[UUID]
    ) -> int:
        """Book the next sessions of series booked with a horizon, as the horizon moves."""
        if not horizon_days:
            return 0
        booked = 0
        for plan in self.open_plans(plan_ids):
            if plan.series_rule is None or plan.sessions_to_book == 0:
                continue
            try:
                booked += self._extend(plan, now, horizon_days)
            except DomainError:
                continue  # a conflict inside the horizon waits for the front desk
        return booked

    def _extend(self, plan: TreatmentPlan, now: datetime, horizon_days: int) -> int:
        """Book the occurrences due within the horizon; record those that passed unbooked,
        and (once) what blocks the due ones under the series' policy."""
        rule = plan.series_rule
        assert rule is not None
        held = plan.sessions_in(SessionStatus.BOOKED, SessionStatus.PERFORMED)
        at = resume(
            rule,
            minutes=plan.series.session_minutes,
            last_held=max((s.time.local_start for s in held), default=None),
            session_days={s.time.local_start.date() for s in plan.sessions},
            now=now,
            horizon_days=horizon_days,
            wanted=plan.sessions_to_book,
        )
        plan.record_passed_unbooked(at.passed, SCHEDULER)
        times: list[SessionTime] = []
        work = CalendarWork(self, SCHEDULER)
        if at.due:
            request = series_request(replace(rule, first_local_start=at.first), at.due, plan.series)
            proposal = propose_slots(work, request, rule.therapist_id, rule.room_id, now)
            if not proposal.bookable:
                plan.record_extension_blocked(
                    map(occurrence_conflict, proposal.conflicts), SCHEDULER
                )
                self._save_quietly(plan)
                return 0
            times = within_horizon(proposal, now, horizon_days)
        plan.clear_extension_block(SCHEDULER)  # whatever blocked it is gone or past
        book_slots(work, plan, times, rule.therapist_id, rule.room_id)
        if plan.pending_events:
            self.save(plan, *work.changed())
        return len(times)

    def _save_quietly(self, plan: TreatmentPlan) -> None:
        """Save a flag; if someone else changed the plan meanwhile, the next run flags it."""
        if plan.pending_events:
            with contextlib.suppress(IntegrityError):
                self.save(plan)


def occurrence_conflict(conflict: Conflict) -> OccurrenceConflict:
    """What the plan records of a conflict the booking policy found."""
    return OccurrenceConflict(conflict.local_start, conflict.reason, conflict.detail)
