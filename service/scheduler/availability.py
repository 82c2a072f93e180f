"""What keeps a session from a time: the clinic's hours and closures, the therapist, the room."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from service.domain.rolling_series import ConflictReason
from service.domain.values import Closure, SessionTime, TimeOff, WeeklyHours
from service.scheduler.recurrence import local_instants, session_at, to_local, zone_info

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Busy(NamedTuple):
    """An existing booking of the therapist or the room, from start to end (UTC instants).

    `what` names the holder when turned into text, which happens only for a conflict.
    A tuple, not a dataclass, and described lazily: a series is checked against every
    booking of every day it touches, so these are made by the hundred per command.
    """

    start: datetime
    end: datetime
    what: object


@dataclass(frozen=True)
class Availability:
    """Everything known about the clinic (hours in its zone), the therapist and the room."""

    zone: str
    opening_hours: WeeklyHours
    closures: tuple[Closure, ...] = ()
    therapist_hours: WeeklyHours | None = None
    time_off: tuple[TimeOff, ...] = ()
    busy: tuple[Busy, ...] = ()

    def __post_init__(self) -> None:
        zone_info(self.zone)


@dataclass(frozen=True)
class Conflict:
    """One reason one occurrence (1-based) of a series cannot take place at its time."""

    occurrence: int
    local_start: datetime
    reason: ConflictReason
    detail: str
    # For a busy time: what holds it and when, so a caller may name the holder when it
    # reports the conflict (naming costs reads, so the policy itself never does).
    holder: Any = field(default=None, compare=False)
    span: str = field(default="", compare=False)


def _clock(moment: datetime | time) -> str:
    return moment.strftime("%H:%M")


def _span(local_start: datetime, local_end: datetime, day: date) -> str:
    """A local span as 10:00–11:00, with dates when it leaves the given day."""
    if local_start.date() == day and local_end.date() == day:
        return f"{_clock(local_start)}–{_clock(local_end)}"
    return f"{local_start:%Y-%m-%d %H:%M}–{local_end:%Y-%m-%d %H:%M}"


def _hours_of(hours: WeeklyHours, weekday: int) -> str:
    # Not WeeklyHours.on: DayHours defines no order, so sorting two of one day fails.
    intervals = sorted(
        (h for h in hours.intervals if h.weekday == weekday), key=lambda h: (h.start, h.end)
    )
    if not intervals:
        return f"none on {WEEKDAYS[weekday]}s"
    return ", ".join(f"{_clock(h.start)}–{_clock(h.end)}" for h in intervals)


def _local_days(local_start: datetime, local_end: datetime) -> list[date]:
    """The local dates a session touches (ending at midnight does not touch the next day)."""
    last = (local_end - timedelta(microseconds=1)).date()
    days = [local_start.date()]
    while days[-1] < last:
        days.append(days[-1] + timedelta(days=1))
    return days


def slot_conflicts(
    time: SessionTime, availability: Availability, now: datetime, occurrence: int = 1
) -> list[Conflict]:
    """Every reason the session cannot take place at its time; empty when it is free."""
    zone = availability.zone
    start, end = time.start, time.end
    local_start, local_end = to_local(start, zone), to_local(end, zone)
    day = local_start.date()
    # The span is written out only for a conflict: most times checked have none.
    found: list[tuple[ConflictReason, str]] = []

    if start < now:
        span = _span(local_start, local_end, day)
        now_local = to_local(now, zone)
        found.append(
            (ConflictReason.PAST, f"in the past: {span}, now is {now_local:%Y-%m-%d %H:%M}")
        )
    for closure in availability.closures:
        if any(closure.includes(touched) for touched in _local_days(local_start, local_end)):
            found.append((ConflictReason.CLOSURE, f"clinic closed: {closure.reason}"))
    opening = availability.opening_hours
    if opening.intervals and not opening.covers(local_start, local_end):
        hours = _hours_of(opening, local_start.weekday())
        span = _span(local_start, local_end, day)
        found.append((ConflictReason.CLINIC_CLOSED, f"clinic closed {span} (open {hours})"))
    working = availability.therapist_hours
    if working is not None and not working.covers(local_start, local_end):
        hours = _hours_of(working, local_start.weekday())
        span = _span(local_start, local_end, day)
        found.append((ConflictReason.OFF_HOURS, f"therapist off {span} (works {hours})"))
    for away in availability.time_off:
        if away.overlaps(start, end):
            when = _span(to_local(away.start, zone), to_local(away.end, zone), day)
            found.append((ConflictReason.TIME_OFF, f"therapist away {when}: {away.reason}"))
    conflicts = [Conflict(occurrence, time.local_start, reason, detail) for reason, detail in found]
    for booking in availability.busy:
        if booking.start < end and start < booking.end:  # overlaps [start, end): the hot loop
            when = _span(to_local(booking.start, zone), to_local(booking.end, zone), day)
            detail = f"{booking.what} {when}"
            conflicts.append(
                Conflict(
                    occurrence, time.local_start, ConflictReason.BUSY, detail, booking.what, when
                )
            )
    return conflicts


def local_day_grid(day: date, step_minutes: int) -> list[datetime]:
    """The naive local times of one day on the step grid, from midnight on."""
    if step_minutes <= 0:
        raise ValueError(f"the step is at least one minute, got {step_minutes}")
    midnight = datetime.combine(day, time())
    steps = range(0, 24 * 60, step_minutes)
    return [midnight + timedelta(minutes=minutes) for minutes in steps]


def free_slots(
    availability: Availability,
    day_from: date,
    day_to: date,
    minutes: int,
    now: datetime,
    step_minutes: int = 15,
) -> list[SessionTime]:
    """Every conflict-free start on the step grid of the clinic-local days from..to inclusive."""
    zone = availability.zone
    found: list[SessionTime] = []
    day = day_from
    while day <= day_to:
        for local in local_day_grid(day, step_minutes):
            # A wall time in a DST gap never occurs; a repeated one occurs twice, both bookable.
            for instant in local_instants(local, zone):
                session = session_at(instant, zone, minutes)
                if not slot_conflicts(session, availability, now):
                    found.append(session)
        day += timedelta(days=1)
    return sorted(found, key=lambda session: session.start)
