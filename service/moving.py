"""Moving the rest of a series: a session and every later booked one, by the same step."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from service.booking import Bookings
from service.calendar_work import CalendarWork
from service.domain.errors import SlotTaken
from service.domain.plan import TreatmentPlan
from service.domain.values import Actor, Session, SessionStatus
from service.domain.zones import require_zone
from service.scheduler.recurrence import session_time, to_local


def move_rest(
    app: Bookings,
    plan_id: UUID,
    number: int,
    *,
    local_start: datetime,
    zone: str,
    actor: Actor,
    now: datetime,
    therapist_id: UUID | None = None,
    room_id: UUID | None = None,
) -> list[Session]:
    """Move session `number` to a local time and every later booked session by the same step.

    The step is taken in local wall time (Tuesdays 10:00 to Thursdays 11:00 stays
    Thursdays 11:00 across a DST change). Every new time is checked with the plan's
    own old slots freed; one clash moves nothing and names every clash. One save.
    """
    require_zone(zone)

    def attempt() -> list[Session]:
        plan = app.load(TreatmentPlan, plan_id)
        first = plan.session(number)
        chosen = [first] + [
            s
            for s in plan.sessions_in(SessionStatus.BOOKED)
            if s.number != number and s.time.start >= first.time.start
        ]
        step = local_start - to_local(first.time.start, zone)
        work = CalendarWork(app, actor)
        for session in chosen:
            work.release(plan.id, session)
        moved, clashes = [], []
        for session in chosen:
            therapist = therapist_id or session.therapist_id
            room = room_id or session.room_id
            local = to_local(session.time.start, zone) + step
            time = session_time(local, zone, session.time.minutes)
            try:
                app.check_slot(work, time, therapist, room, now)
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
        app.save(plan, *work.changed())
        return moved

    return app.retrying(attempt)
