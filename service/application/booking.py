"""Use cases that touch the calendar: booking, moving and cancelling single sessions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from uuid import UUID

from service.adapters.store import BaseApplication, retried
from service.application.calendar_work import CalendarWork
from service.application.commands import Slot
from service.domain.calendar import days_touched
from service.domain.clinic import CLINIC_ID, Clinic
from service.domain.errors import NotFound, SlotTaken
from service.domain.plan import TreatmentPlan
from service.domain.staff import Room, Therapist
from service.domain.values import Actor, Session, SessionStatus, SessionTime
from service.scheduler.booking_policy import Availability, slot_conflicts

CLINIC_MISSING = "the clinic is not set up yet: PUT /api/v1/clinic first"


class Bookings(BaseApplication):
    """Booking, rescheduling and cancelling, always saved with the calendar."""

    def clinic(self) -> Clinic:
        """The clinic, or NotFound until an admin has set it up."""
        clinic = self.find(Clinic, CLINIC_ID)
        if clinic is None:
            raise NotFound(CLINIC_MISSING)
        return clinic

    def availability(
        self, work: CalendarWork, therapist_id: UUID, room_id: UUID | None, days: Iterable[date]
    ) -> Availability:
        """All the scheduling policy needs to know, with the bookings of these UTC days.

        The clinic, the therapist, the room and the days are read in one query.
        """
        days = sorted(set(days))
        staff = [therapist_id] if room_id is None else [therapist_id, room_id]
        found = work.prefetch(therapist_id, room_id, days, CLINIC_ID, *staff)
        if CLINIC_ID not in found:
            raise NotFound(CLINIC_MISSING)
        clinic = self.found(Clinic, CLINIC_ID, found[CLINIC_ID])
        therapist = self.found(Therapist, therapist_id, found.get(therapist_id))
        if room_id is not None:
            self.found(Room, room_id, found.get(room_id))
        return Availability(
            zone=clinic.zone,
            opening_hours=clinic.opening_hours,
            closures=tuple(clinic.closures),
            therapist_hours=therapist.working_hours,
            time_off=tuple(therapist.time_off),
            busy=tuple(work.busy(therapist_id, room_id, days)),
        )

    def check_slot(
        self,
        work: CalendarWork,
        time: SessionTime,
        therapist_id: UUID,
        room_id: UUID | None,
        now: datetime,
    ) -> None:
        """Raise SlotTaken, naming every reason, unless the session can take place then."""
        days = days_touched(time.start, time.end)
        availability = self.availability(work, therapist_id, room_id, days)
        conflicts = slot_conflicts(time, availability, now)
        if conflicts:
            raise SlotTaken("; ".join(c.detail for c in conflicts))

    @retried
    def book_session(self, plan_id: UUID, slot: Slot, *, actor: Actor, now: datetime) -> Session:
        """Book the plan's next session in a slot, therapist and room held atomically."""
        plan = self.load(TreatmentPlan, plan_id)
        work = CalendarWork(self, actor)
        therapist = slot.therapist_id or plan.therapist_id
        room = slot.room_id or plan.room_id
        time = slot.time(plan.series.session_minutes)
        self.check_slot(work, time, therapist, room, now)
        [session] = self.book_slots(
            plan, work, [time], therapist, room, actor, slot.authorization_override
        )
        self.save(plan, *work.changed())
        return session

    def book_slots(
        self,
        plan: TreatmentPlan,
        work: CalendarWork,
        times: Iterable[SessionTime],
        therapist_id: UUID,
        room_id: UUID | None,
        actor: Actor,
        authorization_override: str,
    ) -> list[Session]:
        """Book a session of the plan at each time, holding its therapist and room."""
        booked = []
        for time in times:
            session = plan.book_session(
                time=time,
                therapist_id=therapist_id,
                room_id=room_id,
                actor=actor,
                authorization_override=authorization_override,
            )
            work.reserve(plan.id, session)
            booked.append(session)
        return booked

    @retried
    def reschedule_session(
        self, plan_id: UUID, number: int, slot: Slot, *, actor: Actor, now: datetime
    ) -> Session:
        """Move a booked session to a slot; the old one is freed in the same save."""
        plan = self.load(TreatmentPlan, plan_id)
        before = plan.session(number)
        work = CalendarWork(self, actor)
        therapist = slot.therapist_id or before.therapist_id
        room = slot.room_id or before.room_id
        time = slot.time(before.time.minutes)
        work.release(plan.id, before)
        self.check_slot(work, time, therapist, room, now)
        after = plan.reschedule_session(
            number,
            time=time,
            therapist_id=therapist,
            room_id=room,
            actor=actor,
            authorization_override=slot.authorization_override,
        )
        work.reserve(plan.id, after)
        self.save(plan, *work.changed())
        return after

    @retried
    def cancel_sessions(
        self,
        plan_id: UUID,
        number: int,
        *,
        reason: str,
        actor: Actor,
        now: datetime,
        rest: bool = False,
    ) -> TreatmentPlan:
        """Cancel a booked session, or with `rest` it and every later booked one."""
        clinic = self.clinic()
        plan = self.load(TreatmentPlan, plan_id)
        first = plan.session(number)
        chosen = [first]
        if rest:
            chosen += [
                s
                for s in plan.sessions_in(SessionStatus.BOOKED)
                if s.number != number and s.time.start >= first.time.start
            ]
        work = CalendarWork(self, actor)
        for session in chosen:
            cancelled = plan.cancel_session(
                session.number,
                reason=reason,
                now=now,
                cancellation_window=clinic.cancellation_window,
                late_cancel_counts=clinic.late_cancel_counts,
                actor=actor,
            )
            work.release(plan.id, cancelled)
        self.save(plan, *work.changed())
        return plan

    @retried
    def record_no_show(self, plan_id: UUID, number: int, *, actor: Actor, now: datetime) -> Session:
        """The client did not come; the slot stays held, as the time was lost."""
        clinic = self.clinic()
        plan = self.load(TreatmentPlan, plan_id)
        session = plan.record_no_show(
            number, now=now, no_show_counts=clinic.late_cancel_counts, actor=actor
        )
        self.save(plan)
        return session

    def complete_plan(self, plan_id: UUID, *, note: str, actor: Actor) -> TreatmentPlan:
        """Discharge the client; sessions still booked are cancelled and freed."""
        return self._close_plan(plan_id, actor, lambda plan: plan.complete(note=note, actor=actor))

    def cancel_plan(self, plan_id: UUID, *, reason: str, actor: Actor) -> TreatmentPlan:
        """Cancel the plan; sessions still booked are cancelled and freed."""
        return self._close_plan(
            plan_id, actor, lambda plan: plan.cancel(reason=reason, actor=actor)
        )

    @retried
    def _close_plan(
        self,
        plan_id: UUID,
        actor: Actor,
        close: Callable[[TreatmentPlan], list[Session]],
    ) -> TreatmentPlan:
        plan = self.load(TreatmentPlan, plan_id)
        released = close(plan)
        work = CalendarWork(self, actor)
        for session in released:
            work.release(plan.id, session)
        self.save(plan, *work.changed())
        return plan
