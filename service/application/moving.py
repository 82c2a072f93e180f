"""Moving the rest of a series: a session and every later booked one, by the same step."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from service.adapters.store import retried
from service.application.booking import Bookings
from service.application.calendar_work import CalendarWork
from service.application.commands import Slot
from service.domain.errors import SlotTaken
from service.domain.plan import TreatmentPlan
from service.domain.values import Actor, Session, SessionStatus
from service.scheduler.recurrence import session_time, to_local


@retried
def move_rest(
    app: Bookings,
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
    plan = app.load(TreatmentPlan, plan_id)
    first = plan.session(number)
    chosen = [first] + [
        s
        for s in plan.sessions_in(SessionStatus.BOOKED)
        if s.number != number and s.time.start >= first.time.start
    ]
    step = slot.local_start - to_local(first.time.start, zone)
    work = CalendarWork(app, actor)
    for session in chosen:
        work.release(plan.id, session)
    moved, clashes = [], []
    for session in chosen:
        therapist = slot.therapist_id or session.therapist_id
        room = slot.room_id or session.room_id
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
