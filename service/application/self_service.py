"""What a client does from their own page: find their sessions, confirm they will come.

Cancelling reuses the desk's own use cases (`cancel_sessions`, `cancel_visit`), so the
calendar days free the slot exactly as when the desk cancels; this module only checks
that the session is the client's before the way in calls them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from service.adapters.store import BaseApplication
from service.application.calendar_work import CalendarWork, availability
from service.application.setup import load_clinic
from service.domain.client import Client
from service.domain.errors import NotFound, SessionStateError
from service.domain.plan import TreatmentPlan
from service.domain.values import Actor, Role, Session, SessionStatus, SessionTime
from service.domain.visit import Visit
from service.scheduler.availability import free_slots

READER = Actor(user_id="client-page", role=Role.SYSTEM)  # reads the calendar; records nothing
VISIT_REACH = timedelta(days=7)  # a visit has no interval: a week either way
OFFER_STEP_MINUTES = 60  # on the hour: a page of choices, not of every quarter


def client_actor(client_id: UUID) -> Actor:
    """The client, as the actor of what they do through a signed link."""
    return Actor(user_id=str(client_id), role=Role.CLIENT)


@dataclass(frozen=True)
class ClientSession:
    """A session of the client's, with what the clinic's rules say about cancelling it now."""

    holder_id: UUID  # the plan's id, or the visit's
    number: int
    session: Session
    is_visit: bool
    late: bool  # cancelling now would be a late cancellation


class SelfService(BaseApplication):
    """A client's own sessions, reached through a signed link."""

    def client_link_generation(self, client_id: UUID) -> int | None:
        """The client's current link generation, or None when there is no such client."""
        client = self.find(Client, client_id)
        return None if client is None else client.link_generation

    def revoke_client_links(self, client_id: UUID, *, actor: Actor) -> Client:
        """Make every signed link sent to the client so far stop working."""
        return self.change(Client, client_id, lambda client: client.revoke_links(actor))

    def client_session(
        self, client_id: UUID, holder_id: UUID, number: int, *, now: datetime
    ) -> ClientSession:
        """The client's own session, or NotFound (whoever else's it is, the answer is the same)."""
        holder = self.current([holder_id]).get(holder_id)
        if isinstance(holder, Visit) and holder.client_id == client_id and number == 0:
            session = holder.session
        elif isinstance(holder, TreatmentPlan) and holder.client_id == client_id:
            session = holder.session(number)
        else:
            raise NotFound("no such session of yours")
        window = load_clinic(self).cancellation_window
        late = session.time.start - now < window
        return ClientSession(holder_id, number, session, isinstance(holder, Visit), late)

    def confirm_attendance(
        self, client_id: UUID, holder_id: UUID, number: int, *, now: datetime
    ) -> ClientSession:
        """Record that the client will come to a booked session that has not begun."""
        found = self.client_session(client_id, holder_id, number, now=now)
        if found.session.status is not SessionStatus.BOOKED or found.session.time.start <= now:
            raise SessionStateError("only a booked session still to come can be confirmed")
        client = self.load(Client, client_id)
        client.confirm_attendance(
            holder_id, number, found.session.time.start, client_actor(client_id)
        )
        self.save(client)
        return found

    def move_offers(
        self, client_id: UUID, holder_id: UUID, number: int, *, now: datetime
    ) -> list[SessionTime]:
        """The free times the client may move a session to: the same therapist, room and
        length, within half the plan's interval of its time (a visit: a week), no sooner than
        the cancellation window from now; none once it is inside that window."""
        found = self.client_session(client_id, holder_id, number, now=now)
        session = found.session
        if found.late or session.status is not SessionStatus.BOOKED:
            return []
        window = load_clinic(self).cancellation_window
        plan = None if found.is_visit else self.load(TreatmentPlan, holder_id)
        reach = timedelta(days=max(1, plan.series.interval_days // 2)) if plan else VISIT_REACH
        earliest = max(session.time.start - reach, now + window)
        latest = session.time.start + reach
        work = CalendarWork(self, READER)
        days = {
            earliest.date() + timedelta(days=n) for n in range(-1, (latest - earliest).days + 2)
        }
        available = availability(work, session.therapist_id, session.room_id, days)
        zone = ZoneInfo(available.zone)
        free = free_slots(
            available,
            earliest.astimezone(zone).date(),
            latest.astimezone(zone).date(),
            session.time.minutes,
            now,
            step_minutes=OFFER_STEP_MINUTES,
        )
        return [t for t in free if earliest <= t.start <= latest and t.start != session.time.start]
