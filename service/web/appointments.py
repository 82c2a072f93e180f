"""What the pages of one appointment (a plan's session, a visit) share: its time in the
clinic's zone, the names they show, the choices of the move form, and reading that form."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from service.application.commands import Slot
from service.domain.client import Client
from service.domain.errors import DomainError
from service.domain.staff import Room, Therapist
from service.domain.values import Session
from service.http.context import clinic_zone, now, reads, regimen, zone_label
from service.web.forms import Form, FormErrors

MOVE_FIELDS = ("date", "time", "therapist_id", "room_id")


def appointment_values(client_id: UUID, session: Session) -> dict[str, Any]:
    """The appointment in the clinic's wall time, with whom and where, and its move form."""
    app = regimen()
    zone = clinic_zone()
    start = session.time.start.astimezone(ZoneInfo(zone))
    window = app.clinic().cancellation_window
    model = reads()
    return {
        "start": start,
        "end": session.time.end.astimezone(ZoneInfo(zone)),
        "client_name": app.load(Client, client_id).name,
        "therapist_name": app.load(Therapist, session.therapist_id).name,
        "room_name": app.load(Room, session.room_id).name if session.room_id else "",
        "started": session.time.start <= now(),
        "late_now": session.time.start - now() < window,
        "late_window_hours": int(window.total_seconds() // 3600),
        "therapists": [(r["id"], r["name"]) for r in model.directory("therapist", limit=500).items],
        "rooms": [(r["id"], r["name"]) for r in model.directory("room", limit=500).items],
        "zone_label": zone_label(zone, start.date()),
        "move": {
            "date": start.date().isoformat(),
            "time": start.strftime("%H:%M"),
            "therapist_id": str(session.therapist_id),
            "room_id": str(session.room_id) if session.room_id else "",
        },
        "errors": FormErrors(),
        "nearest": [],
    }


def nearest_free(
    therapist_id: UUID,
    room_id: UUID | None,
    asked: datetime,
    minutes: int,
    count: int = 3,
) -> list[datetime]:
    """The free starts nearest the local time asked for (that day and the next two), by the
    rules booking uses, in time order: what to offer when it clashed."""
    day = asked.date()
    try:
        times = regimen().free_time(
            therapist_id,
            first_day=day,
            last_day=day + timedelta(days=2),
            minutes=minutes,
            now=now(),
            room_id=room_id,
        )
    except DomainError:
        return []
    nearest = sorted(times, key=lambda t: abs(t.local_start - asked))[:count]
    return sorted(t.local_start for t in nearest)


def nearest_for_move(slot: Slot, session: Session) -> list[datetime]:
    """The free times nearest a move that clashed, with the therapist and room it asked
    for (the appointment's own where it left them)."""
    return nearest_free(
        slot.therapist_id or session.therapist_id,
        slot.room_id if slot.room_id is not None else session.room_id,
        slot.local_start,
        session.time.minutes,
    )


def read_move(form: Form) -> tuple[Slot | None, dict[str, str]]:
    """The slot the move form asks for (None while the form has problems), and what was
    typed, to show again. A nearest-free-time button sends its start as `at`."""
    at = str(form.data.get("at") or "")
    if len(at) == 16 and at[10] == "T":  # YYYY-MM-DDTHH:MM
        form = Form({**dict(form.data.items()), "date": at[:10], "time": at[11:]})
    local_start = form.local_start("date", "time")
    therapist_id = form.uuid("therapist_id")
    room_id = form.uuid("room_id")
    typed = {name: form.data.get(name, "") for name in MOVE_FIELDS}
    if not form.ok or local_start is None:
        return None, typed
    return Slot(local_start, clinic_zone(), therapist_id, room_id), typed
