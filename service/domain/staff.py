"""Therapists and rooms: who treats, and where."""

from __future__ import annotations

from eventsourcing.domain import Aggregate, event

from service.domain.clinic import validate_hours
from service.domain.email_address import email_address
from service.domain.errors import InvalidValue
from service.domain.events import ActorEvent
from service.domain.rules import require_text
from service.domain.values import Actor, TimeOff, WeeklyHours


class Therapist(Aggregate):
    """A therapist with weekly working hours and time off."""

    @classmethod
    def register(
        cls, *, name: str, email: str, modalities: tuple[str, ...], actor: Actor
    ) -> Therapist:
        """Register a therapist; working hours are set separately."""
        require_text("name", name)
        email = email_address("email", email)
        return cls(name=name, email=email, modalities=tuple(modalities), actor=actor)

    class TherapistRegistered(Aggregate.Created):
        """Therapist registered."""

        name: str
        email: str
        modalities: tuple[str, ...]
        actor: Actor

    @event(TherapistRegistered)
    def __init__(self, name: str, email: str, modalities: tuple[str, ...], actor: Actor):
        self.name = name
        self.email = email
        self.modalities = list(modalities)
        self.working_hours: WeeklyHours | None = None
        self.time_off: list[TimeOff] = []

    def set_working_hours(self, hours: WeeklyHours, actor: Actor) -> None:
        """Replace the weekly working hours."""
        validate_hours(hours)
        self.trigger_event(self.WorkingHoursSet, hours=hours, actor=actor)

    def take_time_off(self, time_off: TimeOff, actor: Actor) -> None:
        """Record an absence."""
        require_text("reason", time_off.reason)
        if time_off.end <= time_off.start:
            raise InvalidValue("time off must end after it starts")
        self.trigger_event(self.TimeOffAdded, time_off=time_off, actor=actor)

    class WorkingHoursSet(ActorEvent):
        """Working hours set."""

        hours: WeeklyHours

        def apply(self, aggregate: Therapist) -> None:
            aggregate.working_hours = self.hours

    class TimeOffAdded(ActorEvent):
        """Time off added."""

        time_off: TimeOff

        def apply(self, aggregate: Therapist) -> None:
            aggregate.time_off.append(self.time_off)


class Room(Aggregate):
    """A treatment room."""

    @classmethod
    def add(cls, *, name: str, actor: Actor) -> Room:
        """Add a treatment room."""
        require_text("name", name)
        return cls(name=name, actor=actor)

    class RoomAdded(Aggregate.Created):
        """Room added."""

        name: str
        actor: Actor

    @event(RoomAdded)
    def __init__(self, name: str, actor: Actor):
        self.name = name
