"""Booking a series: choose the first slot and a policy, preview every conflict, confirm."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import Response as FlaskResponse
from flask import flash, redirect, request, url_for
from werkzeug.wrappers import Response

from service.application.commands import SeriesBooking, Slot
from service.application.series import SeriesOutcome
from service.domain.client import Client
from service.domain.errors import DomainError
from service.domain.plan import TreatmentPlan
from service.domain.staff import Room, Therapist
from service.http.context import clinic_zone, is_htmx, now, page, reads, regimen, today, zone_label
from service.scheduler.booking_policy import ConflictPolicy
from service.web.blueprint import web
from service.web.forms import Form, FormErrors, problem_text
from service.web.preview import fingerprint, preview_rows
from service.web.security import current_account, signed_in

POLICIES = (
    ("shift", "Move a clashing session to the nearest free time (same day first)"),
    ("skip", "Skip a clashing week and add a session at the end"),
    ("fail", "Book nothing if any session clashes"),
)
SUGGESTED_HOUR = 10
CALENDAR_CHANGED = (
    "The calendar changed since your preview. Check the new preview below and confirm again."
)


def suggested_first_day(day: date) -> date:
    """The next weekday after `day`: the first slot the booking form suggests."""
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class SeriesChoice:
    """What the desk chose on the booking form."""

    first_local: datetime | None
    policy: str
    shift_window_days: int
    therapist_id: UUID | None
    room_id: UUID | None
    authorization_override: str
    errors: FormErrors
    values: dict[str, str]


def read_choice(data: Any) -> SeriesChoice:
    """The booking form's fields, each problem kept beside its field."""
    form = Form(data)
    choice = SeriesChoice(
        first_local=form.local_start("first_date", "first_time"),
        policy=form.choice("policy", tuple(p for p, _ in POLICIES), "shift"),
        shift_window_days=form.number("shift_window_days", 0, 14, 3),
        therapist_id=form.uuid("therapist_id"),
        room_id=form.uuid("room_id"),
        authorization_override=form.text("authorization_override", max_length=500),
        errors=form.errors,
        values={k: str(v) for k, v in data.items() if k not in ("csrf_token", "expected")},
    )
    return choice


def plan_values(plan_id: UUID) -> dict[str, Any]:
    """The plan being booked, with the names the form shows."""
    app = regimen()
    plan = app.plan(plan_id)
    model = reads()
    return {
        "plan": plan,
        "plan_id": str(plan_id),
        "client_name": app.load(Client, plan.client_id).name,
        "therapist_name": app.load(Therapist, plan.therapist_id).name,
        "room_name": app.load(Room, plan.room_id).name if plan.room_id else "",
        "therapists": [(r["id"], r["name"]) for r in model.directory("therapist", limit=500).items],
        "rooms": [(r["id"], r["name"]) for r in model.directory("room", limit=500).items],
        "policies": POLICIES,
        "zone": clinic_zone(),
        "zone_label": zone_label(clinic_zone()),
    }


def default_values(plan: TreatmentPlan) -> dict[str, str]:
    """The form as first shown: the next weekday at 10:00, the plan's therapist and room;
    for a rolling series the scheduler could not extend, its first blocked occurrence
    with its own therapist, room and policy."""
    values = {
        "first_date": suggested_first_day(today(clinic_zone())).isoformat(),
        "first_time": time(SUGGESTED_HOUR).strftime("%H:%M"),
        "policy": "shift",
        "shift_window_days": "3",
        "therapist_id": str(plan.therapist_id),
        "room_id": str(plan.room_id) if plan.room_id else "",
        "authorization_override": "",
    }
    rule = plan.series_rule
    if plan.extension_blocked and rule is not None:
        first = min(c.local_start for c in plan.extension_blocked)
        values |= {
            "first_date": first.date().isoformat(),
            "first_time": first.strftime("%H:%M"),
            "policy": rule.conflict_policy,
            "shift_window_days": str(rule.shift_window_days),
            "therapist_id": str(rule.therapist_id),
            "room_id": str(rule.room_id) if rule.room_id else "",
        }
    return values


def run_series(plan_id: UUID, choice: SeriesChoice, dry_run: bool) -> SeriesOutcome:
    """Book the series, or preview it, exactly as the API would."""
    assert choice.first_local is not None
    first = Slot(
        choice.first_local,
        clinic_zone(),
        choice.therapist_id,
        choice.room_id,
        choice.authorization_override,
    )
    booking = SeriesBooking(first, ConflictPolicy(choice.policy), choice.shift_window_days)
    return regimen().book_series(
        plan_id, booking, actor=current_account().actor, now=now(), dry_run=dry_run
    )


def preview_values(plan_id: UUID, outcome: SeriesOutcome, count: int) -> dict[str, Any]:
    """The preview's rows and verdict."""
    proposal = outcome.proposal
    rows = preview_rows(proposal, count, clinic_zone())
    return {
        "rows": rows,
        "bookable": outcome.bookable,
        "clashes": sum(1 for row in rows if row.has_conflict),
        "expected": fingerprint(proposal),
        "policy": proposal.policy.value,
    }


def form_page(plan_id: UUID, status: int, **values: Any) -> tuple[str, int]:
    """The booking page (or, for htmx, just its preview area)."""
    template = "_booking.html" if is_htmx() else "book.html"
    return page(template, status, **plan_values(plan_id), **values)


@web.get("/plans/<uuid:plan_id>/book")
@signed_in
def book_series_form(plan_id: UUID) -> tuple[str, int]:
    """The booking form for a plan's remaining sessions; for a rolling series the scheduler
    could not extend (the desk comes from "Needs attention"), with its preview already made."""
    plan = regimen().plan(plan_id)
    values = default_values(plan)
    if not plan.extension_blocked:
        return page("book.html", **plan_values(plan_id), values=values, errors={})
    choice = read_choice(values)
    try:
        outcome = run_series(plan_id, choice, dry_run=True)
    except DomainError as problem:
        return form_page(plan_id, 200, values=values, errors={}, error=problem_text(problem))
    preview = preview_values(plan_id, outcome, plan.sessions_to_book)
    return form_page(plan_id, 200, values=choice.values, errors={}, **preview)


@web.post("/plans/<uuid:plan_id>/book/preview")
@signed_in
def preview_series(plan_id: UUID) -> Response | tuple[str, int]:
    """Every session of the series with its conflicts; nothing is written."""
    return series_answer(plan_id, confirm=False)


@web.post("/plans/<uuid:plan_id>/book")
@signed_in
def confirm_series(plan_id: UUID) -> Response | tuple[str, int]:
    """Book the previewed series, unless the calendar changed since the preview."""
    return series_answer(plan_id, confirm=True)


def series_answer(plan_id: UUID, *, confirm: bool) -> Response | tuple[str, int]:
    """The preview of the series chosen; when confirming, the series booked instead, unless
    the calendar changed since the preview (then the new preview, saying so)."""
    choice = read_choice(request.form)
    if choice.errors:
        return form_page(plan_id, 422, values=choice.values, errors=choice.errors)
    try:
        count = regimen().plan(plan_id).sessions_to_book
        check = run_series(plan_id, choice, dry_run=True)
        changed = confirm and fingerprint(check.proposal) != request.form.get("expected")
        outcome = run_series(plan_id, choice, dry_run=False) if confirm and not changed else None
    except DomainError as problem:
        return form_page(plan_id, 409, values=choice.values, errors={}, error=problem_text(problem))
    if outcome is not None:
        return booked(plan_id, outcome)
    return form_page(
        plan_id,
        409 if changed else 200,
        values=choice.values,
        errors={},
        error=CALENDAR_CHANGED if changed else "",
        **preview_values(plan_id, check, count),
    )


def booked(plan_id: UUID, outcome: SeriesOutcome) -> Response:
    """Say what was booked and show the first session on the calendar."""
    sessions = sorted(outcome.sessions, key=lambda s: s.time.start)
    plan = regimen().plan(plan_id)
    name = regimen().load(Client, plan.client_id).name
    if not sessions:
        flash("Nothing was booked: the plan has no sessions left to book.", "error")
        return redirect(url_for("web.client", client_id=plan.client_id))
    zone = clinic_zone()
    first = sessions[0].time.start.astimezone(ZoneInfo(zone))
    days = ", ".join(
        s.time.start.astimezone(ZoneInfo(zone)).strftime("%a %d %b %H:%M") for s in sessions
    )
    flash(f"Booked {len(sessions)} sessions for {name}: {days}.", "success")
    response = redirect(
        url_for(
            "web.calendar",
            date=first.date().isoformat(),
            view="day",
            by="therapist",
        )
    )
    if is_htmx():
        return FlaskResponse(status=204, headers={"HX-Redirect": response.location})
    return response
