"""Therapists and rooms: who treats, and where."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate, event

from service.domain.clinic import validate_hours
from service.domain.email_address import email_address
from service.domain.errors import InvalidValue
from service.domain.events import ActorEvent, AggregateCreated
from service.domain.phone_number import phone_number
from service.domain.rules import require_text
from service.domain.values import Actor, TimeOff, WeeklyHours


class Therapist(Aggregate):
    """A therapist with weekly working hours and time off."""

    @classmethod
    def register(
        cls,
        *,
        name: str,
        email: str,
        modalities: tuple[str, ...],
        actor: Actor,
        phone: str = "",
        region: str | None = None,
    ) -> Therapist:
        """Register a therapist; working hours are set separately. The phone number (the
        desk's way to reach the therapist, '' for none) is kept in E.164, a national one
        read as one of `region` (the clinic's country)."""
        require_text("name", name)
        email = email_address("email", email)
        phone = phone_number("phone", phone, region)
        return cls(name=name, email=email, phone=phone, modalities=tuple(modalities), actor=actor)

    class TherapistRegistered(AggregateCreated):
        """Therapist registered.

        Version 2 added `phone`. Version 1 events, stored before, are read as version 2
        with no number ('') by the library's upcasting (docs/evolving-events.md).
        """

        class_version = 2

        name: str
        email: str
        phone: str
        modalities: tuple[str, ...]
        actor: Actor

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """A therapist registered before phone numbers were recorded has none."""
            state["phone"] = ""

    @event(TherapistRegistered)
    def __init__(
        self, name: str, email: str, phone: str, modalities: tuple[str, ...], actor: Actor
    ):
        self.name = name
        self.email = email
        self.phone = phone
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

    class RoomAdded(AggregateCreated):
        """Room added."""

        name: str
        actor: Actor

    @event(RoomAdded)
    def __init__(self, name: str, actor: Actor):
        self.name = name
