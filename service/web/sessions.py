"""One session: move it (or the rest), cancel it (or the rest), record a no-show."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import flash, redirect, request, url_for
from werkzeug.wrappers import Response

from service.application.commands import Slot
from service.domain.client import Client
from service.domain.errors import DomainError
from service.domain.staff import Room, Therapist
from service.domain.visit import VISIT_NUMBER
from service.http.context import clinic_zone, now, page, reads, regimen, zone_label
from service.web.blueprint import web
from service.web.clashes import clash_text
from service.web.forms import Form, FormErrors, problem_text
from service.web.security import current_account, signed_in

SESSION = "/sessions/<uuid:plan_id>/<int:number>"
SCOPES = ("this", "rest")


def session_values(plan_id: UUID, number: int) -> dict[str, Any]:
    """The session, its plan and the names the page shows."""
    app = regimen()
    plan = app.plan(plan_id)
    session = plan.session(number)
    zone = clinic_zone()
    start = session.time.start.astimezone(ZoneInfo(zone))
    model = reads()
    return {
        "plan": plan,
        "plan_id": str(plan_id),
        "session": session,
        "start": start,
        "end": session.time.end.astimezone(ZoneInfo(zone)),
        "client_name": app.load(Client, plan.client_id).name,
        "therapist_name": app.load(Therapist, session.therapist_id).name,
        "room_name": app.load(Room, session.room_id).name if session.room_id else "",
        "later": len(plan.rest_from(number)) - 1,
        "started": session.time.start <= now(),
        "therapists": [(r["id"], r["name"]) for r in model.directory("therapist", limit=500).items],
        "rooms": [(r["id"], r["name"]) for r in model.directory("room", limit=500).items],
        "zone_label": zone_label(zone, start.date()),
        "late_window_hours": int(app.clinic().cancellation_window.total_seconds() // 3600),
        "move": {
            "date": start.date().isoformat(),
            "time": start.strftime("%H:%M"),
            "therapist_id": str(session.therapist_id),
            "room_id": str(session.room_id) if session.room_id else "",
            "scope": "this",
        },
        "cancel": {"reason": "", "scope": "this"},
        "errors": FormErrors(),
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
    local_start = form.local_start("date", "time")
    therapist_id = form.uuid("therapist_id")
    room_id = form.uuid("room_id")
    scope = form.choice("scope", SCOPES, "this")
    values = {k: request.form.get(k, "") for k in ("date", "time", "therapist_id", "room_id")}
    values["scope"] = scope
    if not form.ok or local_start is None:
        return session_page(plan_id, number, 422, move=values, errors=form.errors)
    actor = current_account().actor
    try:
        slot = Slot(local_start, clinic_zone(), therapist_id, room_id)
        if scope == "rest":
            moved = regimen().move_rest(plan_id, number, slot, actor=actor, now=now())
        else:
            moved = [regimen().reschedule_session(plan_id, number, slot, actor=actor, now=now())]
    except DomainError as problem:
        return session_page(plan_id, number, 409, move=values, move_error=clash_text(problem))
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
