"""One session: move it (or the rest), cancel it (or the rest), record a no-show."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import flash, redirect, request, url_for
from werkzeug.wrappers import Response

from service.domain.errors import DomainError, SlotTaken
from service.domain.visit import VISIT_NUMBER
from service.http.context import clinic_zone, now, page, regimen
from service.web.appointments import appointment_values, nearest_for_move, read_move
from service.web.blueprint import web
from service.web.clashes import clash_text
from service.web.forms import Form, problem_text
from service.web.security import current_account, signed_in

SESSION = "/sessions/<uuid:plan_id>/<int:number>"
SCOPES = ("this", "rest")


def session_values(plan_id: UUID, number: int) -> dict[str, Any]:
    """The session, its plan and the names the page shows."""
    plan = regimen().plan(plan_id)
    session = plan.session(number)
    values = appointment_values(plan.client_id, session)
    values["move"]["scope"] = "this"
    return {
        **values,
        "plan": plan,
        "plan_id": str(plan_id),
        "session": session,
        "later": len(plan.rest_from(number)) - 1,
        "cancel": {"reason": "", "scope": "this"},
    }


def session_page(plan_id: UUID, number: int, status: int = 200, **changes: Any) -> tuple[str, int]:
    """The session page, with a form's values and problems if it was just sent."""
    values = session_values(plan_id, number)
    values.update(changes)
    return page("session.html", status, **values)


def on_calendar(day: date) -> Response:
    """Back to the calendar's day view of that date."""
    return redirect(url_for("web.calendar", date=day.isoformat(), view="day"))


@web.get(SESSION)
@signed_in
def session_detail(plan_id: UUID, number: int) -> Response | tuple[str, int]:
    """A session and what can be done with it; a visit's one session (0) is on its own page."""
    if number == VISIT_NUMBER:
        return redirect(url_for("web.visit_detail", visit_id=plan_id))
    return session_page(plan_id, number)


@web.post(f"{SESSION}/move")
@signed_in
def move_session(plan_id: UUID, number: int) -> Response | tuple[str, int]:
    """Move the session, or it and every later one by the same step."""
    form = Form(request.form)
    slot, values = read_move(form)
    scope = form.choice("scope", SCOPES, "this")
    values["scope"] = scope
    if slot is None or not form.ok:
        return session_page(plan_id, number, 422, move=values, errors=form.errors)
    actor = current_account().actor
    try:
        if scope == "rest":
            moved = regimen().move_rest(plan_id, number, slot, actor=actor, now=now())
        else:
            moved = [regimen().reschedule_session(plan_id, number, slot, actor=actor, now=now())]
    except DomainError as problem:
        session = regimen().plan(plan_id).session(number)
        nearest = nearest_for_move(slot, session) if isinstance(problem, SlotTaken) else []
        return session_page(
            plan_id, number, 409, move=values, move_error=clash_text(problem), nearest=nearest
        )
    first = moved[0].time.start.astimezone(ZoneInfo(clinic_zone()))
    what = "Session" if len(moved) == 1 else f"{len(moved)} sessions"
    flash(f"{what} moved; session {number} is now on {first:%a %d %b at %H:%M}.", "success")
    return on_calendar(first.date())


@web.post(f"{SESSION}/cancel")
@signed_in
def cancel_session(plan_id: UUID, number: int) -> Response | tuple[str, int]:
    """Cancel the session, or it and every later booked one."""
    form = Form(request.form)
    reason = form.text("reason", required=True, max_length=500)
    scope = form.choice("scope", SCOPES, "this")
    values = {"reason": reason, "scope": scope}
    if not form.ok:
        return session_page(plan_id, number, 422, cancel=values, errors=form.errors)
    if scope == "rest" and request.form.get("confirmed") != "yes":
        return session_page(plan_id, number, cancel=values, confirm_rest=True)
    try:
        plan = regimen().cancel_sessions(
            plan_id,
            number,
            reason=reason,
            rest=scope == "rest",
            actor=current_account().actor,
            now=now(),
        )
    except DomainError as problem:
        return session_page(plan_id, number, 409, cancel=values, cancel_error=problem_text(problem))
    session = plan.session(number)
    late = " It was a late cancellation." if session.late_cancel else ""
    what = "The rest of the series is" if scope == "rest" else "The session is"
    flash(f"{what} cancelled.{late}", "success")
    return on_calendar(session.time.start.astimezone(ZoneInfo(clinic_zone())).date())


@web.post(f"{SESSION}/no-show")
@signed_in
def no_show(plan_id: UUID, number: int) -> Response | tuple[str, int]:
    """Record that the client did not come."""
    try:
        session = regimen().record_no_show(
            plan_id, number, actor=current_account().actor, now=now()
        )
    except DomainError as problem:
        return session_page(plan_id, number, 409, no_show_error=problem_text(problem))
    flash(f"Session {number} is recorded as a no-show.", "success")
    return on_calendar(session.time.start.astimezone(ZoneInfo(clinic_zone())).date())
