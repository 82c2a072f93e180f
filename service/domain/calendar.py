"""The calendar boundary: one aggregate per therapist or room and UTC day.

A booking is saved together with the day aggregates it touches; two
concurrent bookings of the same day conflict on the day's version, so a
therapist or a room can never be double-booked, whatever the process count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from functools import lru_cache
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from service.domain.errors import SlotTaken
from service.domain.events import ActorEvent, AggregateCreated
from service.domain.values import Actor


class Resource(Enum):
    """What is booked: a therapist's time or a room."""

    THERAPIST = "therapist"
    ROOM = "room"


@dataclass(frozen=True)
class Reservation:
    """A span of a day held for one session of a plan, or for a visit outside a plan."""

    plan_id: UUID  # the plan's id, or the visit's (whose one session is number 0)
    number: int
    start: datetime
    end: datetime

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """Whether the reservation overlaps [start, end)."""
        return self.start < end and start < self.end


def days_touched(start: datetime, end: datetime) -> list[date]:
    """The UTC dates that the span [start, end) touches."""
    first = start.date()
    last = (end - timedelta(microseconds=1)).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


class CalendarDay(Aggregate):
    """The bookings of one therapist or room on one UTC day."""

    @staticmethod
    def create_id(resource: Resource, resource_id: UUID, day: date) -> UUID:
        """Deterministic, so every process finds the same day aggregate."""
        return _day_id(resource, resource_id, day)  # the library passes keywords: one key

    @classmethod
    def opened(cls, resource: Resource, resource_id: UUID, day: date, actor: Actor) -> CalendarDay:
        """A new day aggregate, by the library's `_create` given its id: the same event
        as `CalendarDay(...)`, without the generic argument matching (4 µs of 17 a day)."""
        day_id = cls.create_id(resource, resource_id, day)
        return cls._create(
            cls.CalendarDayOpened,
            id=day_id,
            resource=resource,
            resource_id=resource_id,
            day=day,
            actor=actor,
        )

    class CalendarDayOpened(AggregateCreated):
        """Calendar day opened."""

        resource: Resource
        resource_id: UUID
        day: date
        actor: Actor

    @event(CalendarDayOpened)
    def __init__(self, resource: Resource, resource_id: UUID, day: date, actor: Actor) -> None:
        self.resource = resource
        self.resource_id = resource_id
        self.day = day
        self.reservations: list[Reservation] = []

    def reserve(
        self, *, plan_id: UUID, number: int, start: datetime, end: datetime, actor: Actor
    ) -> None:
        """Hold the span for a session (replacing its earlier span), or raise SlotTaken."""
        earlier = None
        for held in self.reservations:  # one pass: a day of a busy clinic holds many
            if held.plan_id == plan_id and held.number == number:
                earlier = held
            elif held.overlaps(start, end):
                raise SlotTaken(
                    f"the {self.resource.value} is already booked from "
                    f"{held.start:%H:%M} to {held.end:%H:%M} UTC "
                    f"(plan {held.plan_id}, session {held.number})"
                )
        reservation = Reservation(plan_id=plan_id, number=number, start=start, end=end)
        if earlier == reservation:
            return
        if earlier is not None:
            self.trigger_event(self.SlotReleased, plan_id=plan_id, number=number, actor=actor)
        self.trigger_event(self.SlotReserved, reservation=reservation, actor=actor)

    def release(self, *, plan_id: UUID, number: int, actor: Actor) -> None:
        """Free the span held for a session, if any."""
        if any((r.plan_id, r.number) == (plan_id, number) for r in self.reservations):
            self.trigger_event(self.SlotReleased, plan_id=plan_id, number=number, actor=actor)

    class SlotReserved(ActorEvent):
        """Slot reserved."""

        reservation: Reservation

        def apply(self, aggregate: CalendarDay) -> None:
            aggregate.reservations.append(self.reservation)

    class SlotReleased(ActorEvent):
        """Slot released."""

        plan_id: UUID
        number: int

        def apply(self, aggregate: CalendarDay) -> None:
            aggregate.reservations = [
                r
                for r in aggregate.reservations
                if (r.plan_id, r.number) != (self.plan_id, self.number)
            ]


@lru_cache(maxsize=4096)
def _day_id(resource: Resource, resource_id: UUID, day: date) -> UUID:
    """A day aggregate's id (pure: kept, by its arguments in this one order)."""
    return uuid5(NAMESPACE_URL, f"regimen:calendar:{resource.value}:{resource_id}:{day}")
