"""The desk's waitlist: who waits for which times, adding and removing them, offers in flight.

Offers are made by the scheduler when a session or visit is cancelled; the page shows
each one with its round, how many clients it went to, and until when it is held.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from service.domain.client import Client
from service.domain.errors import DomainError
from service.domain.visit import VisitKind
from service.domain.waitlist import WaitlistRequest, Window
from service.http.context import clinic_zone, local, now, page, reads, regimen, zone_label
from service.projections.queries import ReadModel
from service.projections.waitlist_queries import WaitlistQueries
from service.web.blueprint import web
from service.web.calendar_model import KIND_LABELS
from service.web.forms import Form, FormErrors, problem_text
from service.web.security import current_account, signed_in
from service.web.visit_booking import client_choices

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_CHOICES = tuple((str(n), name) for n, name in enumerate(WEEKDAYS))
KINDS = tuple((kind.value, KIND_LABELS[kind.value]) for kind in VisitKind)
DEFAULTS = {"weekdays": ["0", "1", "2", "3", "4"], "start": "09:00", "end": "17:00"}
FIELDS = (
    "client_id",
    "therapist_id",
    "plan_id",
    "start",
    "end",
    "first_day",
    "last_day",
    "visit_kind",
)


def days_words(weekdays: str) -> str:
    """'0,1,2,3,4' as 'Mon–Fri'; '0,2' as 'Mon, Wed'."""
    days = [int(d) for d in weekdays.split(",") if d]
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAYS[days[0]]}–{WEEKDAYS[days[-1]]}"
    return ", ".join(WEEKDAYS[d] for d in days)


def windows_words(stored: str) -> list[str]:
    """The view's windows ('0,1,2 09:00-12:00; 5 10:00-13:00') in words, one per window."""
    words = []
    for window in stored.split("; "):
        days, _, span = window.partition(" ")
        words.append(f"{days_words(days)} {span.replace('-', '–')}")
    return words


def offer_rows(queries: WaitlistQueries, zone: str) -> list[dict[str, Any]]:
    """Recent offers, in the clinic's wall time, with what became of each."""
    rows = []
    for row in queries.offers(limit=50):
        hold = local(row["hold_until"], zone) if row["hold_until"] else None
        if row["status"] == "claimed":
            state = f"Claimed by {row['claimed_by'] or 'a waiting client'}"
        elif row["status"] == "closed":
            state = f"Closed: {row['closed_reason']}"
        else:
            state = f"Held until {hold:%H:%M}" if hold else "Waiting for its first round"
        rows.append(
            {
                **row,
                "when": local(row["start_utc"], zone).strftime("%a %d %b %H:%M"),
                "state": state,
            }
        )
    return rows


def waitlist_page(status: int = 200, **changes: Any) -> tuple[str, int]:
    """The waitlist page, with the add form's values and problems if it was just sent."""
    model = reads()
    queries = WaitlistQueries.of(model)
    zone = clinic_zone()
    values = changes.pop("values", None) or {
        **{name: "" for name in FIELDS},
        **DEFAULTS,
        "client_id": request.args.get("client_id", "")[:40],
    }
    entries = [
        {
            **row,
            "windows": windows_words(row["windows"]),
            "since": local(row["joined_at"], zone).strftime("%a %d %b %H:%M"),
            "what": "Next plan session" if row["plan_id"] else KIND_LABELS[row["visit_kind"]],
        }
        for row in queries.entries()
    ]
    query = request.values.get("q", "").strip()[:100]
    return page(
        "waitlist.html",
        status,
        active="waitlist",
        entries=entries,
        offers=offer_rows(queries, zone),
        values=values,
        q=query,
        clients=client_choices(query, values.get("client_id", "")),
        therapists=[(r["id"], r["name"]) for r in model.directory("therapist", limit=500).items],
        plans=plan_choices(model, values.get("client_id", "")),
        days=DAY_CHOICES,
        kinds=KINDS,
        zone_label=zone_label(zone),
        errors=changes.pop("errors", FormErrors()),
        **changes,
    )


def plan_choices(
    model: ReadModel, client_id: str, visit: str = "A visit (of the kind below)"
) -> list[tuple[str, str]]:
    """What a claim may book for the chosen client: a visit, or an agreed plan's next session."""
    if not client_id:
        return []
    plans = model.plans(client_id=client_id, status="agreed", limit=20).items
    return [("", visit)] + [
        (
            p["plan_id"],
            gettext(
                "The next session of %(therapist)s's plan (%(sessions)s × %(minutes)s min)",
                therapist=p["therapist_name"],
                sessions=p["sessions_planned"],
                minutes=p["session_minutes"],
            ),
        )
        for p in plans
    ]


def read_request(form: Form, weekdays: list[str]) -> WaitlistRequest | None:
    """The waitlist entry the form asks for, or None with each problem beside its field."""
    client_id = form.uuid("client_id", required=True)
    therapist_id = form.uuid("therapist_id")
    plan_id = form.uuid("plan_id")
    start, end = form.clock("start"), form.clock("end")
    first = form.day("first_day") if form.data.get("first_day") else None
    last = form.day("last_day") if form.data.get("last_day") else None
    kind = form.choice("visit_kind", tuple(k for k, _ in KINDS), VisitKind.SINGLE.value)
    days = tuple(sorted({int(d) for d in weekdays if d.isdigit() and 0 <= int(d) <= 6}))
    if not days:
        form.errors["weekdays"] = gettext("Choose at least one day.")
    if start and end and end <= start:
        form.errors["end"] = gettext("End after the start.")
    if first and last and last < first:
        form.errors["last_day"] = gettext("The last day must not come before the first.")
    if not form.ok or client_id is None or start is None or end is None:
        return None
    return WaitlistRequest(
        client_id=client_id,
        therapist_id=therapist_id,
        windows=(Window(days, start, end),),
        plan_id=plan_id,
        first_day=first,
        last_day=last,
        visit_kind=VisitKind(kind),
    )


@web.get("/waitlist")
@signed_in
def waitlist() -> tuple[str, int]:
    """Who waits, the form to add a client, and the offers of freed times."""
    return waitlist_page()


@web.post("/waitlist")
@signed_in
def join_waitlist() -> Response | tuple[str, int]:
    """Put a client on the waitlist."""
    form = Form(request.form)
    weekdays = request.form.getlist("weekdays")
    values = {**{name: form.data.get(name, "").strip()[:200] for name in FIELDS}}
    values["weekdays"] = weekdays  # type: ignore[assignment]
    waiting = read_request(form, weekdays)
    if waiting is None:
        return waitlist_page(422, values=values, errors=form.errors)
    try:
        listed = WaitlistQueries.of(reads())
        regimen().join_waitlist(waiting, actor=current_account().actor, now=now(), listed=listed)
    except DomainError as problem:
        return waitlist_page(409, values=values, error=problem_text(problem))
    name = regimen().load(Client, waiting.client_id).name
    flash(f"{name} is on the waitlist.", "success")
    return redirect(url_for("web.waitlist"))


@web.post("/waitlist/<uuid:entry_id>/leave")
@signed_in
def leave_waitlist(entry_id: UUID) -> Response:
    """Take a client off the waitlist."""
    try:
        entry = regimen().leave_waitlist(
            entry_id, reason="taken off by the desk", actor=current_account().actor
        )
        name = regimen().load(Client, entry.client_id).name
        flash(f"{name} is no longer on the waitlist.", "success")
    except DomainError as problem:
        flash(problem_text(problem), "error")
    return redirect(url_for("web.waitlist"))
