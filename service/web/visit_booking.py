"""Booking a visit outside a plan: a first assessment, a single session or a follow-up.

The form opens from a free hour on the day view (therapist and time filled in) or from a
client's page (client filled in, an assessment); a clash is shown beside the form.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from werkzeug.wrappers import Response

from service.domain.client import Client
from service.domain.errors import DomainError, SlotTaken
from service.domain.visit import VisitBooking, VisitKind
from service.http.context import clinic_zone, directory_search, now, page, reads, regimen
from service.http.context import zone_label as zone_name
from service.scheduler.recurrence import session_time
from service.web.appointments import nearest_free
from service.web.blueprint import web
from service.web.calendar_model import KIND_LABELS
from service.web.clashes import clash_text
from service.web.forms import Form, FormErrors
from service.web.security import current_account, signed_in

FIELDS = ("client_id", "therapist_id", "room_id", "kind", "date", "time", "minutes", "complaint")
KINDS = tuple((kind.value, KIND_LABELS[kind.value]) for kind in VisitKind)
CLIENT_CHOICES = 50
DEFAULT_MINUTES = "60"


def client_choices(query: str, chosen: str) -> list[tuple[str, str]]:
    """Clients to choose from: those matching the search, and the one already chosen."""
    rows = reads().directory("client", directory_search(query), limit=CLIENT_CHOICES).items
    choices = [(r["id"], f"{r['name']} ({r['email'] or r['phone'] or 'no contact'})") for r in rows]
    if chosen and chosen not in (key for key, _ in choices):
        try:
            client = regimen().load(Client, UUID(chosen))
        except (DomainError, ValueError):
            return choices
        choices.insert(
            0, (chosen, f"{client.name} ({client.email or client.phone or 'no contact'})")
        )
    return choices


def form_values(data: Any) -> dict[str, str]:
    """The form's fields as sent (or as asked for in the link), with defaults."""
    values = {name: str(data.get(name, "")).strip()[:2000] for name in FIELDS}
    values["kind"] = values["kind"] or VisitKind.ASSESSMENT.value
    values["minutes"] = values["minutes"] or DEFAULT_MINUTES
    return values


def visit_form(status: int = 200, **changes: Any) -> tuple[str, int]:
    """The book-a-visit page with the values given and any problems."""
    values = changes.pop("values")
    query = request.values.get("q", "").strip()[:100]
    model = reads()
    zone = clinic_zone()
    return page(
        "visit_new.html",
        status,
        values=values,
        q=query,
        clients=client_choices(query, values["client_id"]),
        therapists=[(r["id"], r["name"]) for r in model.directory("therapist", limit=500).items],
        rooms=[(r["id"], r["name"]) for r in model.directory("room", limit=500).items],
        kinds=KINDS,
        zone=zone,
        zone_label=zone_name(zone),
        errors=changes.pop("errors", FormErrors()),
        **changes,
    )


@web.get("/visits/new")
@signed_in
def new_visit() -> tuple[str, int]:
    """The form to book a visit, filled in from the link that opened it."""
    return visit_form(values=form_values(request.args))


def read_booking(form: Form) -> VisitBooking | None:
    """The visit the form asks for, or None with each problem kept beside its field."""
    client_id = form.uuid("client_id", required=True)
    therapist_id = form.uuid("therapist_id", required=True)
    room_id = form.uuid("room_id")
    kind = form.choice("kind", tuple(k for k, _ in KINDS), VisitKind.ASSESSMENT.value)
    local_start = form.local_start("date", "time")
    minutes = form.number("minutes", 15, 240, int(DEFAULT_MINUTES))
    complaint = form.text("complaint", max_length=2000, multiline=True)
    if not form.ok or client_id is None or therapist_id is None or local_start is None:
        return None
    return VisitBooking(
        client_id=client_id,
        therapist_id=therapist_id,
        room_id=room_id,
        kind=VisitKind(kind),
        time=session_time(local_start, clinic_zone(), minutes),
        complaint=complaint,
    )


@web.post("/visits")
@signed_in
def book_visit() -> Response | tuple[str, int]:
    """Book the visit and show it; a clash (with the nearest free times) or a mistake is
    shown beside the form."""
    form = Form(request.form)
    values = form_values(request.form)
    booking = None
    try:
        booking = read_booking(form)
        if booking is None:
            return visit_form(422, values=values, errors=form.errors)
        visit = regimen().book_visit(booking, actor=current_account().actor, now=now())
    except DomainError as problem:
        nearest = (
            nearest_free(
                booking.therapist_id,
                booking.room_id,
                booking.time.local_start,
                booking.time.minutes,
            )
            if booking and isinstance(problem, SlotTaken)
            else []
        )
        return visit_form(409, values=values, error=clash_text(problem), nearest=nearest)
    name = regimen().load(Client, visit.client_id).name
    start = visit.session.time.local_start
    what = KIND_LABELS[visit.kind.value]
    flash(f"{what} booked for {name} on {start:%a %d %b at %H:%M}.", "success")
    return redirect(url_for("web.visit_detail", visit_id=visit.id))
