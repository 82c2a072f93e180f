"""Use cases on whole series: book or preview one, find free time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from itertools import islice
from uuid import UUID

from service.adapters.store import BaseApplication, retried
from service.application.calendar_work import CalendarWork, availability, book_slots, named
from service.application.commands import SeriesBooking
from service.domain.calendar import days_touched
from service.domain.errors import AuthorizationExceeded, InvalidValue, SlotTaken
from service.domain.plan import TreatmentPlan
from service.domain.rules import require_range
from service.domain.values import Actor, Role, SeriesRule, SeriesSpec, Session, SessionTime
from service.scheduler.booking_policy import (
    ConflictPolicy,
    SeriesPlan,
    SeriesRequest,
    free_slots,
    plan_series,
)
from service.scheduler.recurrence import series_local_starts, session_time, to_instant

MAX_AVAILABILITY_DAYS = 31
READER = Actor(user_id="availability", role=Role.SYSTEM)  # reads only; records nothing


@dataclass(frozen=True)
class BeyondAuthorization:
    """A session of a series the plan's authorization would not cover, and why."""

    number: int
    local_start: datetime
    detail: str


@dataclass(frozen=True)
class SeriesOutcome:
    """What booking a series did, or (on a dry run) would do."""

    proposal: SeriesPlan
    sessions: tuple[Session, ...]
    dry_run: bool
    bookable: bool  # the proposal's, except that conflicts beyond the horizon wait
    beyond_authorization: tuple[BeyondAuthorization, ...] = ()  # on a dry run


def candidate_days(request: SeriesRequest, occurrences: int) -> set[date]:
    """The UTC days the first `occurrences` of the series touch where they were asked for.

    Days a shift or a skip moves a session to are loaded when the proposal lands
    there (see propose_slots), so no day is ever judged without its bookings.
    """
    starts = series_local_starts(request.first_local, request.interval_days)
    days: set[date] = set()
    for local in islice(starts, occurrences):
        time = session_time(local, request.zone, request.minutes)
        days.update(days_touched(time.start, time.end))
    return days


def slot_days(proposal: SeriesPlan) -> set[date]:
    """The UTC days the proposal's slots touch."""
    return {day for slot in proposal.slots for day in days_touched(slot.time.start, slot.time.end)}


def conflict_summary(proposal: SeriesPlan) -> str:
    occurrences = sorted({c.occurrence for c in proposal.conflicts})
    listed = "; ".join(
        f"#{c.occurrence} {c.local_start:%a %d %b %H:%M}: {c.detail}" for c in proposal.conflicts
    )
    if proposal.missing:
        return f"{proposal.missing} sessions found no free time: {listed}"
    return f"{len(occurrences)} of the sessions conflict: {listed}"


def within_horizon(proposal: SeriesPlan, now: datetime, horizon_days: int) -> list[SessionTime]:
    """The proposal's session times that start within the booking horizon (0: no horizon)."""
    times = [slot.time for slot in proposal.slots]
    if not horizon_days:
        return times
    return [t for t in times if t.start <= now + timedelta(days=horizon_days)]


def bookable_now(proposal: SeriesPlan, zone: str, now: datetime, horizon_days: int) -> bool:
    """Whether the series may be booked now. With a horizon, conflicts of occurrences
    beyond it block nothing yet: the scheduler meets them when the horizon reaches them."""
    if proposal.bookable or not horizon_days or proposal.missing:
        return proposal.bookable
    reach = now + timedelta(days=horizon_days)
    return all(to_instant(c.local_start, zone) > reach for c in proposal.conflicts)


def propose_slots(
    work: CalendarWork,
    request: SeriesRequest,
    therapist_id: UUID,
    room_id: UUID | None,
    now: datetime,
) -> SeriesPlan:
    """Plan the series against every booking of the days it lands on.

    Bookings are loaded (in one query) for the days the requested occurrences
    touch. If shifting or skipping puts a session on a day not loaded yet, that
    day is loaded and the series planned again, so no slot is ever judged
    without the bookings of its day.
    """
    loaded = candidate_days(request, request.count)
    while True:
        proposal = plan_series(request, availability(work, therapist_id, room_id, loaded), now)
        landed = slot_days(proposal)
        if landed <= loaded:
            return proposal
        loaded |= landed


class SeriesBookings(BaseApplication):
    """Whole series: planned by the pure booking policy, saved in one atomic save."""

    @retried
    def book_series(
        self,
        plan_id: UUID,
        booking: SeriesBooking,
        *,
        actor: Actor,
        now: datetime,
        dry_run: bool = False,
    ) -> SeriesOutcome:
        """Book every remaining session of the plan at its interval, or preview it.

        The preview runs exactly the same code and only skips the save. With a
        booking horizon, only sessions starting within it are booked now; the
        scheduler books the rest as the horizon moves (see extend_rolling_series).
        """
        first = booking.first
        plan = self.load(TreatmentPlan, plan_id)
        plan.require_bookable()
        therapist = first.therapist_id or plan.therapist_id
        room = first.room_id or plan.room_id
        rule = SeriesRule(
            first_local_start=first.local_start,
            zone=first.zone,
            interval_days=plan.series.interval_days,
            conflict_policy=booking.policy.value,
            shift_window_days=booking.shift_window_days,
            therapist_id=therapist,
            room_id=room,
        )
        work = CalendarWork(self, actor)
        proposal = propose_slots(
            work, series_request(rule, plan.sessions_to_book, plan.series), therapist, room, now
        )
        proposal = replace(proposal, conflicts=tuple(named(self, proposal.conflicts)))
        if not bookable_now(proposal, first.zone, now, booking.horizon_days):
            if dry_run:
                return SeriesOutcome(proposal, (), dry_run, bookable=False)
            raise SlotTaken(conflict_summary(proposal), conflicts=list(proposal.conflicts))
        plan.schedule_series(rule, actor)
        times = within_horizon(proposal, now, booking.horizon_days)
        override = first.authorization_override
        if dry_run:
            sessions, beyond = preview_bookings(work, plan, times, therapist, room, override)
            bookable = not beyond or bool(override.strip())
            return SeriesOutcome(proposal, tuple(sessions), dry_run, bookable, tuple(beyond))
        sessions = book_slots(work, plan, times, therapist, room, override)
        self.save(plan, *work.changed())
        return SeriesOutcome(proposal, tuple(sessions), dry_run, bookable=True)

    def free_time(
        self,
        therapist_id: UUID,
        *,
        first_day: date,
        last_day: date,
        minutes: int,
        now: datetime,
        room_id: UUID | None = None,
        step_minutes: int = 15,
    ) -> list[SessionTime]:
        """Every start on the step grid where a session of this length fits (clinic-local days)."""
        require_range("duration_minutes", minutes, 15, 240)
        if last_day < first_day:
            raise InvalidValue("'to' must not be before 'from'")
        if (last_day - first_day).days >= MAX_AVAILABILITY_DAYS:
            raise InvalidValue(f"ask for at most {MAX_AVAILABILITY_DAYS} days at a time")
        days = {first_day + timedelta(days=n) for n in range(-1, (last_day - first_day).days + 2)}
        work = CalendarWork(self, READER)
        available = availability(work, therapist_id, room_id, days)
        return free_slots(available, first_day, last_day, minutes, now, step_minutes)


def preview_bookings(
    work: CalendarWork,
    plan: TreatmentPlan,
    times: list[SessionTime],
    therapist_id: UUID,
    room_id: UUID | None,
    override: str,
) -> tuple[list[Session], list[BeyondAuthorization]]:
    """Book each time on the loaded plan (never saved), noting every session the
    authorization would refuse without an override and why; each is then counted as booked
    (with the override, or as if given one), so the sessions after it are judged fairly."""
    sessions: list[Session] = []
    beyond: list[BeyondAuthorization] = []
    for time in times:
        try:
            sessions += book_slots(work, plan, [time], therapist_id, room_id)
        except AuthorizationExceeded as refused:
            number = len(plan.sessions) + 1
            beyond.append(BeyondAuthorization(number, time.local_start, str(refused)))
            reason = override.strip() or "preview: beyond the authorization"
            sessions += book_slots(work, plan, [time], therapist_id, room_id, reason)
    return sessions, beyond


def series_request(rule: SeriesRule, count: int, series: SeriesSpec) -> SeriesRequest:
    """The booking policy's request for `count` sessions of a rule and series."""
    return SeriesRequest(
        first_local=rule.first_local_start,
        zone=rule.zone,
        interval_days=series.interval_days,
        count=count,
        minutes=series.session_minutes,
        policy=ConflictPolicy(rule.conflict_policy),
        shift_window_days=rule.shift_window_days,
    )
