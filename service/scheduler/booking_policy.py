"""The booking policy: plan a series of sessions and decide what to do with its conflicts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from itertools import islice

from service.domain.errors import InvalidValue
from service.domain.rules import MAX_YEAR
from service.domain.values import SessionTime
from service.scheduler.availability import (
    Availability,
    Busy,
    Conflict,
    ConflictReason,
    free_slots,
    slot_conflicts,
)
from service.scheduler.recurrence import (
    local_instants,
    series_local_starts,
    session_at,
    session_time,
    to_instant,
    zone_info,
)

__all__ = [
    "Availability",
    "Busy",
    "Conflict",
    "ConflictPolicy",
    "ConflictReason",
    "SeriesPlan",
    "SeriesRequest",
    "Slot",
    "free_slots",
    "plan_series",
    "slot_conflicts",
]

# With skip, give up after this many occurrences per requested session.
SKIP_GIVE_UP_FACTOR = 10


class ConflictPolicy(StrEnum):
    """What to do with an occurrence that conflicts: fail the series, shift it or skip it."""

    FAIL = "fail"
    SHIFT = "shift"
    SKIP = "skip"


@dataclass(frozen=True)
class Slot:
    """A planned session: its place in the series, its time, and the time asked for."""

    occurrence: int
    time: SessionTime
    requested_local_start: datetime

    @property
    def shifted(self) -> bool:
        """Whether the policy moved the session away from the time asked for."""
        return self.time.start != to_instant(self.requested_local_start, self.time.zone)


@dataclass(frozen=True)
class SeriesRequest:
    """A series asked for: first local start, zone, interval, count, length and policy."""

    first_local: datetime
    zone: str
    interval_days: int
    count: int
    minutes: int
    policy: ConflictPolicy
    shift_window_days: int = 3
    step_minutes: int = 15

    def __post_init__(self) -> None:
        zone_info(self.zone)
        if self.first_local.tzinfo is not None:
            raise ValueError("first_local is a naive local wall time")
        for name in ("interval_days", "count", "minutes", "step_minutes"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.shift_window_days < 0:
            raise ValueError(f"shift_window_days must be >= 0, got {self.shift_window_days}")


@dataclass(frozen=True)
class SeriesPlan:
    """The slots to book and every conflict met; missing counts sessions left without a slot."""

    slots: tuple[Slot, ...]
    conflicts: tuple[Conflict, ...]
    policy: ConflictPolicy
    missing: int = 0

    @property
    def bookable(self) -> bool:
        """Whether the series may be booked as planned."""
        if self.missing:
            return False
        return self.policy is not ConflictPolicy.FAIL or not self.conflicts

    @property
    def shifted(self) -> tuple[Slot, ...]:
        """The slots the policy moved away from the time asked for."""
        return tuple(slot for slot in self.slots if slot.shifted)

    @property
    def skipped(self) -> tuple[int, ...]:
        """The occurrences that conflicted and got no slot."""
        placed = {slot.occurrence for slot in self.slots}
        return tuple(sorted({c.occurrence for c in self.conflicts} - placed))


def _taking(taken: Availability, slot: Slot) -> Availability:
    """The availability with one more of the series' own slots counted as busy (each
    occurrence adds its own, rather than every slot so far being counted again)."""
    own = Busy(slot.time.start, slot.time.end, f"this series, session {slot.occurrence}")
    return replace(taken, busy=(*taken.busy, own))


def _nearest_first(requested: datetime, step_minutes: int) -> Iterator[datetime]:
    """Local times of the requested day on its step grid, nearest first, earlier on a tie."""
    step = timedelta(minutes=step_minutes)
    for distance in range(1, 24 * 60 // step_minutes + 1):
        for candidate in (requested - distance * step, requested + distance * step):
            if candidate.date() == requested.date():
                yield candidate


def _shift_candidates(requested: datetime, request: SeriesRequest) -> Iterator[datetime]:
    """Where a conflicting session may go: the same day, then the following days."""
    yield from _nearest_first(requested, request.step_minutes)
    for days in range(1, request.shift_window_days + 1):
        same_time = requested + timedelta(days=days)
        yield same_time
        yield from _nearest_first(same_time, request.step_minutes)


def _nearest_free(
    requested: datetime, request: SeriesRequest, taken: Availability, now: datetime
) -> SessionTime | None:
    """The first conflict-free candidate start for a conflicting session, if any."""
    for local in _shift_candidates(requested, request):
        for instant in local_instants(local, request.zone):
            candidate = session_at(instant, request.zone, request.minutes)
            if not slot_conflicts(candidate, taken, now):
                return candidate
    return None


def _plan_fail(request: SeriesRequest, availability: Availability, now: datetime) -> SeriesPlan:
    slots: list[Slot] = []
    conflicts: list[Conflict] = []
    taken = availability
    starts = islice(series_local_starts(request.first_local, request.interval_days), request.count)
    for occurrence, local in enumerate(starts, start=1):
        time = session_time(local, request.zone, request.minutes)
        conflicts += slot_conflicts(time, taken, now, occurrence)
        slots.append(Slot(occurrence, time, local))
        taken = _taking(taken, slots[-1])
    return SeriesPlan(tuple(slots), tuple(conflicts), request.policy)


def _plan_skip(request: SeriesRequest, availability: Availability, now: datetime) -> SeriesPlan:
    slots: list[Slot] = []
    conflicts: list[Conflict] = []
    taken = availability
    # dateutil's COUNT would count the dropped ones: count the survivors here instead.
    limit = request.count * SKIP_GIVE_UP_FACTOR
    starts = islice(series_local_starts(request.first_local, request.interval_days), limit)
    for occurrence, local in enumerate(starts, start=1):
        if len(slots) == request.count:
            break
        time = session_time(local, request.zone, request.minutes)
        found = slot_conflicts(time, taken, now, occurrence)
        if found:
            conflicts += found
        else:
            slots.append(Slot(occurrence, time, local))
            taken = _taking(taken, slots[-1])
    missing = request.count - len(slots)
    return SeriesPlan(tuple(slots), tuple(conflicts), request.policy, missing)


def _plan_shift(request: SeriesRequest, availability: Availability, now: datetime) -> SeriesPlan:
    slots: list[Slot] = []
    conflicts: list[Conflict] = []
    missing = 0
    taken = availability
    starts = islice(series_local_starts(request.first_local, request.interval_days), request.count)
    for occurrence, local in enumerate(starts, start=1):
        requested = session_time(local, request.zone, request.minutes)
        found = slot_conflicts(requested, taken, now, occurrence)
        conflicts += found
        placed = _nearest_free(local, request, taken, now) if found else requested
        if placed is None:
            missing += 1
        else:
            slots.append(Slot(occurrence, placed, local))
            taken = _taking(taken, slots[-1])
    ordered = tuple(sorted(slots, key=lambda slot: slot.time.start))
    return SeriesPlan(ordered, tuple(conflicts), request.policy, missing)


_PLANNERS = {
    ConflictPolicy.FAIL: _plan_fail,
    ConflictPolicy.SKIP: _plan_skip,
    ConflictPolicy.SHIFT: _plan_shift,
}


def plan_series(request: SeriesRequest, availability: Availability, now: datetime) -> SeriesPlan:
    """Check every occurrence of the series and apply the request's conflict policy."""
    last = request.first_local + timedelta(
        days=request.interval_days * (request.count - 1) + request.shift_window_days
    )
    if request.count and last.year > MAX_YEAR:
        raise InvalidValue(
            f"the series would run into {last.year}: sessions are booked up to {MAX_YEAR}"
        )
    return _PLANNERS[request.policy](request, availability, now)
