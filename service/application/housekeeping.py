"""The scheduler's jobs: each takes `now`, is idempotent, and returns how much it did."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from service.adapters.store import BaseApplication
from service.application.calendar_work import CalendarWork, book_slots
from service.application.series import propose_slots, within_horizon
from service.domain.errors import DomainError
from service.domain.plan import TreatmentPlan
from service.domain.values import Actor, Role, SessionStatus
from service.scheduler.booking_policy import ConflictPolicy, SeriesRequest
from service.scheduler.recurrence import series_local_starts

SCHEDULER = Actor(user_id="scheduler", role=Role.SYSTEM)
UNRECORDED_GRACE = timedelta(hours=2)
AUTHORIZATION_WARNING_DAYS = 14
AUTHORIZATION_WARNING_VISITS = 1


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
                if s.time.end + UNRECORDED_GRACE <= now and not s.unrecorded
            ]
            if due:
                flagged += sum(plan.flag_unrecorded(n, SCHEDULER) for n in due)
                self._save_quietly(plan)
        return flagged

    def warn_expiring_authorizations(self, now: datetime, plan_ids: Iterable[UUID]) -> int:
        """Warn once per plan when its authorization nears its last visit or its end date."""
        warned = 0
        for plan in self.open_plans(plan_ids):
            auth = plan.authorization
            if auth is None or plan.authorization_warned:
                continue
            left = plan.authorized_visits_left or 0
            expiring = auth.valid_until - now.date() <= timedelta(days=AUTHORIZATION_WARNING_DAYS)
            if (left <= AUTHORIZATION_WARNING_VISITS or expiring) and plan.warn_authorization(
                SCHEDULER
            ):
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
        rule = plan.series_rule
        assert rule is not None
        held = plan.sessions_in(SessionStatus.BOOKED, SessionStatus.PERFORMED)
        last = max((s.time.local_start for s in held), default=None)
        starts = series_local_starts(rule.first_local_start, rule.interval_days)
        first = next(s for s in starts if last is None or s.date() > last.date())
        request = SeriesRequest(
            first_local=first,
            zone=rule.zone,
            interval_days=rule.interval_days,
            count=plan.sessions_to_book,
            minutes=plan.series.session_minutes,
            policy=ConflictPolicy(rule.conflict_policy),
            shift_window_days=rule.shift_window_days,
        )
        work = CalendarWork(self, SCHEDULER)
        proposal = propose_slots(work, request, rule.therapist_id, rule.room_id, now)
        if not proposal.bookable:
            return 0
        times = within_horizon(proposal, now, horizon_days)
        if not times:
            return 0
        book_slots(work, plan, times, rule.therapist_id, rule.room_id)
        self.save(plan, *work.changed())
        return len(times)

    def _save_quietly(self, plan: TreatmentPlan) -> None:
        """Save a flag; if someone else changed the plan meanwhile, the next run flags it."""
        with contextlib.suppress(IntegrityError):
            self.save(plan)
