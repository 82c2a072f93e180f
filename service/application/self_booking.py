"""What a client books from their own page: the next session of an agreed plan, at a free
time of the plan's therapist and room within the plan's pace, when the clinic allows it.

Only the offers are worked out here; the booking itself is the desk's own `book_session`,
so the calendar days keep two bookings from sharing a slot and the authorization is checked.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from service.adapters.store import BaseApplication
from service.application.self_service import free_times
from service.application.setup import load_clinic
from service.domain.clinic import CLINIC_ID, Clinic
from service.domain.errors import AccessDenied, NotFound
from service.domain.plan import TreatmentPlan
from service.domain.values import PlanStatus, SessionStatus, SessionTime


def self_booking_allowed(app: BaseApplication) -> bool:
    """Whether the clinic lets clients book their plans' next sessions themselves."""
    clinic = app.find(Clinic, CLINIC_ID)
    return clinic is not None and bool(clinic.self_booking)


def pace_span(plan: TreatmentPlan, now: datetime, window: timedelta) -> tuple[datetime, datetime]:
    """When the plan's next session may be: one interval after its latest booked or performed
    session, give or take half an interval; never inside the cancellation window. A plan
    with nothing booked yet, or behind its pace, gets the soonest times from then on."""
    reach = timedelta(days=max(1, plan.series.interval_days // 2))
    soonest = now + window
    held = plan.sessions_in(SessionStatus.BOOKED, SessionStatus.PERFORMED)
    if not held:
        return soonest, soonest + 2 * reach
    target = max(s.time.start for s in held) + timedelta(days=plan.series.interval_days)
    earliest = max(target - reach, soonest)
    return earliest, max(target + reach, earliest + reach)


class SelfBooking(BaseApplication):
    """The next sessions a client may book of their own plans."""

    def plan_to_book(self, client_id: UUID, plan_id: UUID) -> TreatmentPlan:
        """The client's agreed plan with sessions still to book; AccessDenied when the clinic
        does not allow self-booking, NotFound when it is not such a plan of theirs."""
        if not self_booking_allowed(self):
            raise AccessDenied("the clinic books sessions itself: contact it to book")
        plan = self.find(TreatmentPlan, plan_id)
        if not isinstance(plan, TreatmentPlan) or plan.client_id != client_id:
            raise NotFound("no such plan of yours")
        if plan.status is not PlanStatus.AGREED or plan.sessions_to_book == 0:
            raise NotFound("this plan has no session left to book")
        return plan

    def booking_offers(self, client_id: UUID, plan_id: UUID, *, now: datetime) -> list[SessionTime]:
        """The free times the client may book the plan's next session at."""
        plan = self.plan_to_book(client_id, plan_id)
        earliest, latest = pace_span(plan, now, load_clinic(self).cancellation_window)
        minutes = plan.series.session_minutes
        return free_times(self, plan.therapist_id, plan.room_id, earliest, latest, minutes, now)
