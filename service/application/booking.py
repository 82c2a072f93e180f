"""Booking, moving and cancelling single sessions, always saved with the calendar."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from service.adapters.store import BaseApplication, retried
from service.application.billing import late_cancel_counts, no_show_counts
from service.application.calendar_work import CalendarWork, book_slots, check_slot, move_slot
from service.application.commands import Slot
from service.application.setup import load_clinic
from service.domain.errors import SlotTaken
from service.domain.plan import TreatmentPlan
from service.domain.values import Actor, Session
from service.scheduler.recurrence import session_time, to_local


class Bookings(BaseApplication):
    """Booking, rescheduling, cancelling and no-shows of a plan's sessions."""

    @retried
    def book_session(self, plan_id: UUID, slot: Slot, *, actor: Actor, now: datetime) -> Session:
        """Book the plan's next session in a slot, therapist and room held atomically."""
        plan = self.load(TreatmentPlan, plan_id)
        work = CalendarWork(self, actor)
        therapist = slot.therapist_id or plan.therapist_id
        room = slot.room_id or plan.room_id
        time = slot.time(plan.series.session_minutes)
        check_slot(work, time, therapist, room, now)
        [session] = book_slots(work, plan, [time], therapist, room, slot.authorization_override)
        self.save(plan, *work.changed())
        return session

    @retried
    def reschedule_session(
        self, plan_id: UUID, number: int, slot: Slot, *, actor: Actor, now: datetime
    ) -> Session:
        """Move a booked session to a slot; the old one is freed in the same save."""
        plan = self.load(TreatmentPlan, plan_id)
        work = CalendarWork(self, actor)
        moved = move_slot(work, plan.id, plan.session(number), slot, now)
        after = plan.reschedule_session(
            number,
            time=moved.time,
            therapist_id=moved.therapist_id,
            room_id=moved.room_id,
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
        clinic = load_clinic(self)
        plan = self.load(TreatmentPlan, plan_id)
        chosen = plan.rest_from(number) if rest else [plan.session(number)]
        work = CalendarWork(self, actor)
        for session in chosen:
            cancelled = plan.cancel_session(
                session.number,
                reason=reason,
                now=now,
                cancellation_window=clinic.cancellation_window,
                late_cancel_counts=late_cancel_counts(self, plan, clinic.late_cancel_counts),
                actor=actor,
            )
            work.release(plan.id, cancelled)
        self.save(plan, *work.changed())
        return plan

    @retried
    def record_no_show(self, plan_id: UUID, number: int, *, actor: Actor, now: datetime) -> Session:
        """The client did not come; the slot stays held, as the time was lost."""
        clinic = load_clinic(self)
        plan = self.load(TreatmentPlan, plan_id)
        session = plan.record_no_show(
            number,
            now=now,
            no_show_counts=no_show_counts(self, plan, clinic.late_cancel_counts),
            actor=actor,
        )
        self.save(plan)
        return session

    @retried
    def move_rest(
        self,
        plan_id: UUID,
        number: int,
        slot: Slot,
        *,
        actor: Actor,
        now: datetime,
    ) -> list[Session]:
        """Move session `number` to a slot and every later booked session by the same step.

        The step is taken in local wall time (Tuesdays 10:00 to Thursdays 11:00 stays
        Thursdays 11:00 across a DST change). Every new time is checked with the plan's
        own old slots freed; one clash moves nothing and names every clash. One save.
        """
        zone = slot.zone
        plan = self.load(TreatmentPlan, plan_id)
        chosen = plan.rest_from(number)
        step = slot.local_start - to_local(chosen[0].time.start, zone)
        work = CalendarWork(self, actor)
        for session in chosen:
            work.release(plan.id, session)
        moved, clashes = [], []
        for session in chosen:
            therapist = slot.therapist_id or session.therapist_id
            room = slot.room_id or session.room_id
            local = to_local(session.time.start, zone) + step
            time = session_time(local, zone, session.time.minutes)
            try:
                check_slot(work, time, therapist, room, now)
            except SlotTaken as clash:
                clashes.append(f"session {session.number} on {local:%a %d %b %H:%M}: {clash}")
                continue
            after = plan.reschedule_session(
                session.number, time=time, therapist_id=therapist, room_id=room, actor=actor
            )
            work.reserve(plan.id, after)
            moved.append(after)
        if clashes:
            raise SlotTaken("nothing was moved: " + "; ".join(clashes))
        self.save(plan, *work.changed())
        return moved
