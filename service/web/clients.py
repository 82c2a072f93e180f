"""Clients: search as you type, register, and one client's plans, sessions and reminders."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from werkzeug.wrappers import Response

from service.application.commands import ClientDetails
from service.domain.client import Client
from service.domain.errors import DomainError
from service.domain.phone_number import country_name, example_for
from service.http.context import (
    clinic_zone,
    directory_search,
    is_htmx,
    likely_duplicates,
    now,
    page,
    reads,
    regimen,
    today,
    zone_label,
)
from service.web.blueprint import web
from service.web.calendar_model import block_of
from service.web.client_forms import consent_values, details_values
from service.web.forms import Form, problem_text
from service.web.reminders import reminder_values
from service.web.security import current_account, signed_in

SEARCH_LIMIT = 25
# Where registering may lead on: only the visit form (with the slot the desk had chosen),
# never an address from elsewhere (no open redirect).
THEN_PREFIX = "/visits/new?"


def then_value(raw: str | None) -> str:
    """The page to go on to after registering, if it is one registering may lead to."""
    then = (raw or "").strip()
    return then if then.startswith(THEN_PREFIX) and len(then) <= 500 else ""


def after_registering(then: str, client_id: UUID) -> str:
    """The client's page, or the visit form being filled, now with the new client chosen."""
    if then:
        return f"{then}&client_id={client_id}"
    return url_for("web.client", client_id=client_id)


def phone_hint() -> str:
    """The phone field's hint: numbers are kept with their country code, and which country
    a number given without one is read in."""
    region = regimen().phone_region()
    if region is None:
        return f"Give it with its country code, like {example_for(None)}."
    return (
        f"A number without its country code is read as one in {country_name(region)}, like "
        f"{example_for(region)}; it is kept with the code."
    )


def plan_rows(client_id: str) -> list[dict[str, Any]]:
    """The client's plans, newest first, each with how many sessions are left to book."""
    rows = reads().plans(client_id=client_id, limit=100).items
    for row in rows:
        used = int(row["sessions_done"]) + int(row["sessions_booked"])
        row["to_book"] = max(int(row["sessions_planned"]) - used, 0)
    return rows


@web.get("/clients")
@signed_in
def clients() -> tuple[str, int]:
    """Find a client by name, email or phone; register a new one."""
    query = request.args.get("q", "").strip()[:100]
    found = reads().directory("client", directory_search(query), limit=SEARCH_LIMIT)
    template = "_client_results.html" if is_htmx() else "clients.html"
    return page(
        template,
        q=query,
        results=found.items,
        more=bool(found.next_cursor),
        form={},
        then=then_value(request.args.get("then")),
    )


@web.post("/clients")
@signed_in
def register_client() -> Response | tuple[str, int]:
    """Register a client; problems are shown beside their fields, and a client who may be
    registered already (same email, or same name and phone) is shown before registering."""
    form = Form(request.form)
    then = then_value(request.form.get("then"))
    details = {
        "name": form.text("name", required=True),
        "email": form.email("email"),
        "phone": form.phone("phone", regimen().phone_region()),
        "notes": form.text("notes", max_length=2000, multiline=True),
    }
    error, duplicates = "", []
    if form.ok and not request.form.get("allow_duplicate"):
        duplicates = likely_duplicates(details["name"], details["email"], details["phone"])
    if form.ok and not duplicates:
        try:
            registering = ClientDetails(zone=clinic_zone(), **details)
            client_id = regimen().register_client(registering, actor=current_account().actor)
        except DomainError as problem:
            error = problem_text(problem)
        else:
            flash(f"{details['name']} is registered.", "success")
            return redirect(after_registering(then, client_id))
    return page(
        "clients.html",
        409 if duplicates else 422,
        q="",
        results=[],
        more=False,
        form=details,
        errors=form.errors,
        error=error,
        duplicates=duplicates,
        then=then,
    )


def client_page(client_id: UUID, status: int = 200, **extra: Any) -> tuple[str, int]:
    """The client's page; `extra` carries a new feed link or a problem to show."""
    details = regimen().load(Client, client_id)
    zone = clinic_zone()
    rows = reads().sessions_between("0000", "9999", client_id=str(client_id), limit=500).items
    sessions = [block_of(row, zone) for row in rows]
    moment = now()
    feed_token = extra.pop("feed_token", None)
    upcoming = [s for s in sessions if s.end >= moment and s.status != "cancelled"]
    extra.setdefault("edit", details_values(details))
    extra.setdefault("consent", consent_values(details))
    first_of_month = today(zone).replace(day=1).isoformat()
    extra.setdefault("bill", {"from": first_of_month, "to": today(zone).isoformat()})
    return page(
        "client.html",
        status,
        client=details,
        client_id=str(client_id),
        plans=plan_rows(str(client_id)),
        upcoming=upcoming,
        cancelled=[s for s in sessions if s.end >= moment and s.status == "cancelled"],
        past=[s for s in sessions if s.end < moment][-10:],
        zone_label=zone_label(zone),
        **reminder_values(client_id, feed_token, upcoming),
        **extra,
    )


@web.get("/clients/<uuid:client_id>")
@signed_in
def client(client_id: UUID) -> tuple[str, int]:
    """The client's details, plans (agree, book), sessions, reminders and calendar feed."""
    return client_page(client_id)


@web.post("/clients/<uuid:client_id>/feed")
@signed_in
def issue_feed(client_id: UUID) -> tuple[str, int]:
    """Make a new calendar-feed link for the client (any old one stops); shown this once."""
    try:
        token = regimen().issue_feed_token(client_id, current_account().actor)
    except DomainError as problem:
        return client_page(client_id, 409, feed_error=problem_text(problem))
    return client_page(client_id, 201, feed_token=token)


@web.post("/clients/<uuid:client_id>/feed/revoke")
@signed_in
def revoke_feed(client_id: UUID) -> tuple[str, int]:
    """Switch the client's calendar feed off: its link answers 404 from now on."""
    regimen().revoke_feed_token(client_id, current_account().actor)
    return client_page(client_id, feed_notice="The calendar-feed link is switched off.")


@web.post("/plans/<uuid:plan_id>/agree")
@signed_in
def agree_plan(plan_id: UUID) -> Response:
    """Record that the client agreed to the proposed plan."""
    plan = regimen().plan(plan_id)
    try:
        regimen().agree_plan(plan_id, actor=current_account().actor)
    except DomainError as problem:
        flash(problem_text(problem), "error")
    else:
        flash("The client's agreement is recorded: the plan can be booked now.", "success")
    return redirect(url_for("web.client", client_id=plan.client_id))
