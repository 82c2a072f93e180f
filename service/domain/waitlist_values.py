"""The waitlist's values: the weekly windows a client can come in, what they wait for, and a
time a cancellation freed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from service.domain.errors import InvalidValue
from service.domain.values import SessionTime
from service.domain.visit import VisitKind

MAX_WINDOWS = 14


@dataclass(frozen=True)
class Window:
    """When the client can come: some weekdays (0 = Monday), from `start` to `end`, local."""

    weekdays: tuple[int, ...]
    start: time
    end: time

    def __post_init__(self) -> None:
        if not self.weekdays or any(not 0 <= d <= 6 for d in self.weekdays):
            raise InvalidValue("a window needs weekdays from 0 (Monday) to 6 (Sunday)")
        if not self.start < self.end:
            raise InvalidValue("a window must end after it starts")

    def holds(self, local_start: datetime, minutes: int) -> bool:
        """Whether a span starting at this local wall time fits inside the window."""
        local_end = local_start + timedelta(minutes=minutes)
        return (
            local_start.weekday() in self.weekdays
            and local_end.date() == local_start.date()
            and self.start <= local_start.time()
            and local_end.time() <= self.end
        )

    def overlaps(self, other: Window) -> bool:
        """Whether the two windows share some time on some weekday."""
        return (
            not set(self.weekdays).isdisjoint(other.weekdays)
            and self.start < other.end
            and other.start < self.end
        )


@dataclass(frozen=True)
class WaitlistRequest:
    """Who waits, for whom (None: any therapist), when, and for what."""

    client_id: UUID
    therapist_id: UUID | None
    windows: tuple[Window, ...]
    plan_id: UUID | None = None  # a claim books the plan's next session; else a visit
    first_day: date | None = None
    last_day: date | None = None
    visit_kind: VisitKind = VisitKind.SINGLE

    def __post_init__(self) -> None:
        if not 1 <= len(self.windows) <= MAX_WINDOWS:
            raise InvalidValue(f"give between 1 and {MAX_WINDOWS} windows")
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise InvalidValue("the last day must not come before the first")

    def repeats(self, other: WaitlistRequest) -> bool:
        """Whether this asks again for what `other` asks: the same client, the same therapist
        (or any, both), the same plan (or a visit of the same kind, both), at times that
        overlap. An entry for each would be offered the same freed time twice."""
        return (
            (self.client_id, self.therapist_id, self.plan_id)
            == (other.client_id, other.therapist_id, other.plan_id)
            and (self.plan_id is not None or self.visit_kind == other.visit_kind)
            and (self.first_day or date.min) <= (other.last_day or date.max)
            and (other.first_day or date.min) <= (self.last_day or date.max)
            and any(mine.overlaps(theirs) for mine in self.windows for theirs in other.windows)
        )


@dataclass(frozen=True)
class FreedSlot:
    """A time a cancellation freed: whose session it was, with whom, where and when."""

    holder_id: UUID  # the plan or the visit whose session was cancelled
    number: int  # its session's number (0 for a visit)
    client_id: UUID  # who cancelled: never offered their own time back
    therapist_id: UUID
    room_id: UUID | None
    time: SessionTime
