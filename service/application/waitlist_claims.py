"""A waitlisted client claims an offered time: booked through the calendar days, once.

The claim saves the offer, the entry, the booking and the calendar days in one save.
Two claims of one offer conflict on the offer's version (and on the days): exactly one
is stored, and the other, run again, finds the offer claimed and is told it is taken.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate

from service.adapters.store import BaseApplication, retried
from service.application.calendar_work import CalendarWork, book_slots, check_slot
from service.application.self_service import client_actor
from service.domain.errors import RuleViolated, SlotTaken
from service.domain.plan import TreatmentPlan
from service.domain.visit import Visit, VisitBooking
from service.domain.waitlist import EntryStatus, OfferTaken, SlotOffer, WaitlistEntry
from service.scheduler.recurrence import session_at

TAKEN_OTHERWISE = "the time was booked otherwise before anyone claimed it"


class WaitlistClaims(BaseApplication):
    """Claiming an offered time."""

    @retried
    def claim_offer(self, offer_id: UUID, entry_id: UUID, round: int, *, now: datetime) -> UUID:
        """Book the offered time for the entry's client (their plan's next session, or a
        visit) if the offer is theirs and still held; the id of the plan or visit booked."""
        offer = self.load(SlotOffer, offer_id)
        entry = self.load(WaitlistEntry, entry_id)
        offer.check_claim(entry_id, round, now)
        if entry.status is not EntryStatus.WAITING:
            raise RuleViolated("this waitlist entry is no longer waiting")
        actor = client_actor(entry.client_id)
        work = CalendarWork(self, actor)
        try:
            booked = self._book(work, offer, entry, now)
        except SlotTaken:
            offer.close(reason=TAKEN_OTHERWISE, actor=actor)
            self.save(offer)
            raise OfferTaken("this time has been taken") from None
        offer.claim(entry_id, round, booked_id=booked.id, now=now, actor=actor)
        entry.booked(offer_id=offer.id, booked_id=booked.id, actor=actor)
        self.save(offer, entry, booked, *work.changed())
        return booked.id

    def _book(
        self, work: CalendarWork, offer: SlotOffer, entry: WaitlistEntry, now: datetime
    ) -> Aggregate:
        """The plan with its next session booked in the slot, or a visit booked there."""
        slot, request = offer.slot, entry.request
        if request.plan_id is not None:
            plan = self.load(TreatmentPlan, request.plan_id)
            time = session_at(slot.time.start, slot.time.zone, plan.series.session_minutes)
            check_slot(work, time, slot.therapist_id, slot.room_id, now)
            book_slots(work, plan, [time], slot.therapist_id, slot.room_id)
            return plan
        check_slot(work, slot.time, slot.therapist_id, slot.room_id, now)
        booking = VisitBooking(
            client_id=entry.client_id,
            therapist_id=slot.therapist_id,
            room_id=slot.room_id,
            kind=request.visit_kind,
            time=slot.time,
        )
        visit = Visit.book(booking, work.actor)
        work.reserve(visit.id, visit.session)
        return visit
