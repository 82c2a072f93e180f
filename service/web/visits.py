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

from service.domain.errors import DomainError, SlotTaken
from service.domain.values import SessionStatus
from service.http.context import clinic_zone, now, page, regimen
from service.web.appointments import appointment_values, nearest_for_move, read_move
from service.web.blueprint import web
from service.web.calendar_model import KIND_LABELS, STATUS_WORDS
from service.web.clashes import clash_text
from service.web.forms import Form, problem_text
from service.web.security import current_account, signed_in

VISIT = "/visits/<uuid:visit_id>"


def visit_values(visit_id: UUID) -> dict[str, Any]:
    """The visit, in the clinic's wall time, with the names the page shows."""
    visit = regimen().visit(visit_id)
    return {
        **appointment_values(visit.client_id, visit.session),
        "visit": visit,
        "visit_id": str(visit_id),
        "what": KIND_LABELS[visit.kind.value],
        "status_word": STATUS_WORDS.get(visit.status.value) or "Booked",
        "booked": visit.status is SessionStatus.BOOKED,
        "cancel": {"reason": ""},
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
    slot, values = read_move(form)
    if slot is None:
        return visit_page(visit_id, 422, move=values, errors=form.errors)
    try:
        moved = regimen().reschedule_visit(visit_id, slot, actor=current_account().actor, now=now())
    except DomainError as problem:
        session = regimen().visit(visit_id).session
        nearest = nearest_for_move(slot, session) if isinstance(problem, SlotTaken) else []
        return visit_page(
            visit_id, 409, move=values, move_error=clash_text(problem), nearest=nearest
        )
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
