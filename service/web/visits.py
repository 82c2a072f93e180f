"""One visit outside a plan: when, with whom, and moving, cancelling or a no-show.

The desk sees no clinical record here: the assessment and what was done are the
therapist's, read through the API by those allowed to.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import flash, redirect, request, url_for
from werkzeug.wrappers import Response

from service.application.commands import Slot
from service.domain.client import Client
from service.domain.errors import DomainError
from service.domain.staff import Room, Therapist
from service.domain.values import SessionStatus
from service.http.context import clinic_zone, now, page, reads, regimen, zone_label
from service.web.blueprint import web
from service.web.calendar_model import KIND_LABELS, STATUS_WORDS
from service.web.clashes import clash_text
from service.web.forms import Form, FormErrors, problem_text
from service.web.security import current_account, signed_in

VISIT = "/visits/<uuid:visit_id>"


def visit_values(visit_id: UUID) -> dict[str, Any]:
    """The visit, in the clinic's wall time, with the names the page shows."""
    app = regimen()
    visit = app.visit(visit_id)
    session = visit.session
    tz = ZoneInfo(clinic_zone())
    start = session.time.start.astimezone(tz)
    window = app.clinic().cancellation_window
    model = reads()
    return {
        "visit": visit,
        "visit_id": str(visit_id),
        "what": KIND_LABELS[visit.kind.value],
        "status_word": STATUS_WORDS.get(visit.status.value) or "Booked",
        "start": start,
        "end": session.time.end.astimezone(tz),
        "client_name": app.load(Client, visit.client_id).name,
        "therapist_name": app.load(Therapist, session.therapist_id).name,
        "room_name": app.load(Room, session.room_id).name if session.room_id else "",
        "booked": visit.status is SessionStatus.BOOKED,
        "started": session.time.start <= now(),
        "late_now": session.time.start - now() < window,
        "late_window_hours": int(window.total_seconds() // 3600),
        "therapists": [(r["id"], r["name"]) for r in model.directory("therapist", limit=500).items],
        "rooms": [(r["id"], r["name"]) for r in model.directory("room", limit=500).items],
        "zone_label": zone_label(clinic_zone(), start.date()),
        "move": {
            "date": start.date().isoformat(),
            "time": start.strftime("%H:%M"),
            "therapist_id": str(session.therapist_id),
            "room_id": str(session.room_id) if session.room_id else "",
        },
        "cancel": {"reason": ""},
        "errors": FormErrors(),
    }


def visit_page(visit_id: UUID, status: int = 200, **changes: Any) -> tuple[str, int]:
    """The visit page, with a form's values and problems if it was just sent."""
    values = visit_values(visit_id)
    values.update(changes)
    return page("visit.html", status, **values)


def to_visit(visit_id: UUID) -> Response:
    """Back to the visit's page, where the flash says what happened."""
    return redirect(url_for("web.visit_detail", visit_id=visit_id))


@web.get(VISIT)
@signed_in
def visit_detail(visit_id: UUID) -> tuple[str, int]:
    """A visit and what the desk can do with it."""
    return visit_page(visit_id)


@web.post(f"{VISIT}/move")
@signed_in
def move_visit(visit_id: UUID) -> Response | tuple[str, int]:
    """Move the visit to another time, therapist or room."""
    form = Form(request.form)
    local_start = form.local_start("date", "time")
    therapist_id = form.uuid("therapist_id")
    room_id = form.uuid("room_id")
    values = {k: request.form.get(k, "") for k in ("date", "time", "therapist_id", "room_id")}
    if not form.ok or local_start is None:
        return visit_page(visit_id, 422, move=values, errors=form.errors)
    try:
        slot = Slot(local_start, clinic_zone(), therapist_id, room_id)
        moved = regimen().reschedule_visit(visit_id, slot, actor=current_account().actor, now=now())
    except DomainError as problem:
        return visit_page(visit_id, 409, move=values, move_error=clash_text(problem))
    start = moved.session.time.start.astimezone(ZoneInfo(clinic_zone()))
    flash(f"The visit is moved to {start:%a %d %b at %H:%M}.", "success")
    return to_visit(visit_id)


@web.post(f"{VISIT}/cancel")
@signed_in
def cancel_visit(visit_id: UUID) -> Response | tuple[str, int]:
    """Cancel the visit and free its time."""
    form = Form(request.form)
    reason = form.text("reason", required=True, max_length=500)
    if not form.ok:
        return visit_page(visit_id, 422, cancel={"reason": reason}, errors=form.errors)
    try:
        visit = regimen().cancel_visit(
            visit_id, reason=reason, actor=current_account().actor, now=now()
        )
    except DomainError as problem:
        return visit_page(
            visit_id, 409, cancel={"reason": reason}, cancel_error=problem_text(problem)
        )
    late = " It was a late cancellation." if visit.session.late_cancel else ""
    flash(f"The visit is cancelled.{late}", "success")
    return to_visit(visit_id)


@web.post(f"{VISIT}/no-show")
@signed_in
def visit_no_show(visit_id: UUID) -> Response | tuple[str, int]:
    """Record that the client did not come."""
    try:
        regimen().record_visit_no_show(visit_id, actor=current_account().actor, now=now())
    except DomainError as problem:
        return visit_page(visit_id, 409, no_show_error=problem_text(problem))
    flash("The visit is recorded as a no-show.", "success")
    return to_visit(visit_id)
