"""The calendar days one command touches: loaded once, changed, saved with the plan.

Also the steps every calendar use case shares, as plain functions over that work:
what is available, whether a slot is free, booking a plan's sessions at given times.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from service.adapters.store import BaseApplication
from service.application.commands import Slot
from service.application.setup import CLINIC_MISSING
from service.domain.calendar import CalendarDay, Reservation, Resource, days_touched
from service.domain.client import Client
from service.domain.clinic import CLINIC_ID, Clinic
from service.domain.errors import ClinicNotSetUp, SlotTaken
from service.domain.plan import TreatmentPlan
from service.domain.staff import Room, Therapist
from service.domain.values import Actor, Session, SessionTime
from service.domain.visit import Visit
from service.scheduler.availability import Conflict
from service.scheduler.booking_policy import Availability, Busy, slot_conflicts


@dataclass(frozen=True)
class Held:
    """What holds a busy time: a plan's session or a visit, on the therapist's or the room's
    day. Its client is named (see `named`) only when a clash is reported to the desk."""

    resource: Resource
    reservation: Reservation

    def __str__(self) -> str:
        return f"{self.resource.value} booked"


def named(app: BaseApplication, conflicts: Iterable[Conflict]) -> list[Conflict]:
    """The conflicts, each busy time naming whose booking holds it (the client and the
    session or visit), read in two batched queries: for reporting a clash to the desk,
    never for deciding one, and never for a record of another client."""
    conflicts = list(conflicts)
    held = {c.holder.reservation.plan_id for c in conflicts if isinstance(c.holder, Held)}
    if not held:
        return conflicts
    holders = app.current(held)
    clients = app.current(
        h.client_id for h in holders.values() if isinstance(h, TreatmentPlan | Visit)
    )

    def whose(reservation: Reservation) -> str:
        holder = holders.get(reservation.plan_id)
        client = (
            clients.get(holder.client_id) if isinstance(holder, TreatmentPlan | Visit) else None
        )
        who = client.name if isinstance(client, Client) else "another client"
        if isinstance(holder, Visit):
            return f"{who}'s {holder.kind.value} visit"
        return f"{who}'s session {reservation.number}"

    return [
        replace(c, detail=f"{c.holder} for {whose(c.holder.reservation)} {c.span}")
        if isinstance(c.holder, Held)
        else c
        for c in conflicts
    ]


class CalendarWork:
    """The calendar days one command touches, each loaded once and saved with the plan."""

    def __init__(self, app: BaseApplication, actor: Actor) -> None:
        self.app = app
        self.actor = actor
        self.days: dict[UUID, CalendarDay] = {}

    def day(self, resource: Resource, resource_id: UUID, day: date) -> CalendarDay:
        """The day aggregate, loaded or opened."""
        day_id = CalendarDay.create_id(resource, resource_id, day)
        if day_id not in self.days:
            self.days[day_id] = self.app.find(CalendarDay, day_id) or CalendarDay.opened(
                resource, resource_id, day, self.actor
            )
        return self.days[day_id]

    def days_of(self, session: Session) -> Iterable[CalendarDay]:
        """Every day aggregate of the session's therapist and room."""
        for resource, resource_id in _resources(session.therapist_id, session.room_id):
            for day in days_touched(session.time.start, session.time.end):
                yield self.day(resource, resource_id, day)

    def reserve(self, plan_id: UUID, session: Session) -> None:
        """Hold the therapist and the room for the session, or raise SlotTaken."""
        for day in self.days_of(session):
            day.reserve(
                plan_id=plan_id,
                number=session.number,
                start=session.time.start,
                end=session.time.end,
                actor=self.actor,
            )

    def release(self, plan_id: UUID, session: Session) -> None:
        """Free what the session held."""
        for day in self.days_of(session):
            day.release(plan_id=plan_id, number=session.number, actor=self.actor)

    def prefetch(
        self, therapist_id: UUID, room_id: UUID | None, days: Iterable[date], *also: UUID
    ) -> dict[UUID, Any]:
        """Load every day aggregate of these days not loaded yet, and the aggregates `also`
        names (returned, those that exist), all in one query."""
        wanted = {
            CalendarDay.create_id(resource, resource_id, day): (resource, resource_id, day)
            for resource, resource_id in _resources(therapist_id, room_id)
            for day in days
        }
        missing = [day_id for day_id in wanted if day_id not in self.days]
        found = self.app.recent.get_many([*missing, *also])
        for day_id in missing:
            resource, resource_id, day = wanted[day_id]
            loaded = found.get(day_id)
            self.days[day_id] = (
                loaded
                if isinstance(loaded, CalendarDay)
                else CalendarDay.opened(resource, resource_id, day, self.actor)
            )
        return {aggregate_id: found[aggregate_id] for aggregate_id in also if aggregate_id in found}

    def busy(self, therapist_id: UUID, room_id: UUID | None, days: Iterable[date]) -> list[Busy]:
        """Everything holding the therapist or the room on these UTC days (loaded by
        prefetch, else one by one)."""
        found = []
        for resource, resource_id in _resources(therapist_id, room_id):
            for day in days:
                for held in self.day(resource, resource_id, day).reservations:
                    found.append(Busy(held.start, held.end, Held(resource, held)))
        return found

    def changed(self) -> list[CalendarDay]:
        """The day aggregates with events to save."""
        return [day for day in self.days.values() if day.pending_events]


def availability(
    work: CalendarWork, therapist_id: UUID, room_id: UUID | None, days: Iterable[date]
) -> Availability:
    """All the scheduling policy needs to know, with the bookings of these UTC days.

    The clinic, the therapist, the room and the days are read in one query.
    """
    app = work.app
    days = sorted(set(days))
    staff = [therapist_id] if room_id is None else [therapist_id, room_id]
    found = work.prefetch(therapist_id, room_id, days, CLINIC_ID, *staff)
    if CLINIC_ID not in found:
        raise ClinicNotSetUp(CLINIC_MISSING)
    clinic = app.found(Clinic, CLINIC_ID, found[CLINIC_ID])
    therapist = app.found(Therapist, therapist_id, found.get(therapist_id))
    if room_id is not None:
        app.found(Room, room_id, found.get(room_id))
    return Availability(
        zone=clinic.zone,
        opening_hours=clinic.opening_hours,
        closures=tuple(clinic.closures),
        therapist_hours=therapist.working_hours,
        time_off=tuple(therapist.time_off),
        busy=tuple(work.busy(therapist_id, room_id, days)),
    )


def check_slot(
    work: CalendarWork, time: SessionTime, therapist_id: UUID, room_id: UUID | None, now: datetime
) -> None:
    """Raise SlotTaken, naming every reason, unless the session can take place then."""
    days = days_touched(time.start, time.end)
    conflicts = slot_conflicts(time, availability(work, therapist_id, room_id, days), now)
    if conflicts:
        raise SlotTaken("; ".join(c.detail for c in named(work.app, conflicts)))


def move_slot(
    work: CalendarWork, holder_id: UUID, before: Session, slot: Slot, now: datetime
) -> Session:
    """Free what a booked session held and check the slot it moves to (its own length,
    its therapist and room unless the slot names others); the session as it would be."""
    therapist = slot.therapist_id or before.therapist_id
    room = slot.room_id or before.room_id
    time = slot.time(before.time.minutes)
    work.release(holder_id, before)
    check_slot(work, time, therapist, room, now)
    return replace(before, therapist_id=therapist, room_id=room, time=time)


def book_slots(
    work: CalendarWork,
    plan: TreatmentPlan,
    times: Iterable[SessionTime],
    therapist_id: UUID,
    room_id: UUID | None,
    authorization_override: str = "",
) -> list[Session]:
    """Book a session of the plan at each time, holding its therapist and room.

    Booking clears a blocked rolling series: the desk has booked what the scheduler could not.
    """
    booked: list[Session] = []
    for time in times:
        if not booked:
            plan.clear_extension_block(work.actor)
        session = plan.book_session(
            time=time,
            therapist_id=therapist_id,
            room_id=room_id,
            actor=work.actor,
            authorization_override=authorization_override,
        )
        work.reserve(plan.id, session)
        booked.append(session)
    return booked


def _resources(therapist_id: UUID, room_id: UUID | None) -> list[tuple[Resource, UUID]]:
    resources = [(Resource.THERAPIST, therapist_id)]
    if room_id is not None:
        resources.append((Resource.ROOM, room_id))
    return resources
