"""The client page's forms: correcting their contact details, recording their consent to reminders.

Both show problems beside their fields and reopen with what was typed; a rule the domain
refuses (SMS consent without a phone number) is shown above the form.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

from flask import flash, redirect, request, url_for
from werkzeug.wrappers import Response

from service.domain.client import CONTACT_FIELDS, Client
from service.domain.errors import DomainError
from service.domain.reminders import (
    DEFAULT_QUIET_HOURS,
    MAX_LEADS,
    Channel,
    QuietHours,
    ReminderPreferences,
)
from service.http.context import regimen
from service.web.blueprint import web
from service.web.client_forms import consent_values, details_values, lead_options, one_text
from service.web.clients import client_page
from service.web.forms import Form, problem_text
from service.web.security import current_account, signed_in


def saved(
    form: Form, client_id: UUID, save: Callable[[], object], done: str
) -> tuple[Response | None, str]:
    """Save if the form has no problems: the way back to the client's page, `done` flashed;
    else None, with the rule the domain refused (empty when a field was the problem)."""
    if not form.ok:
        return None, ""
    try:
        save()
    except DomainError as problem:
        return None, problem_text(problem)
    flash(done, "success")
    return redirect(url_for("web.client", client_id=client_id)), ""


def read_changes(form: Form, client: Client) -> dict[str, str]:
    """The fields the desk changed, each read and checked; one left as it was is not read
    again, so a number or address stored before today's rules does not block the rest."""
    stored = details_values(client)
    readers = {
        "name": lambda: form.text("name", required=True),
        "email": lambda: form.email("email"),
        "phone": lambda: form.phone("phone", regimen().phone_region()),
        "zone": lambda: form.zone("zone"),
        "notes": lambda: one_text(form.text("notes", max_length=2000, multiline=True)),
    }
    sent = {field: one_text(form.data.get(field) or "") for field in CONTACT_FIELDS}
    return {
        field: readers[field]()
        for field in CONTACT_FIELDS
        if sent[field] != one_text(stored[field])
    }


@web.post("/clients/<uuid:client_id>/details")
@signed_in
def edit_client(client_id: UUID) -> Response | tuple[str, int]:
    """Change the client's name, email, phone, time zone or desk notes."""
    client = regimen().load(Client, client_id)
    form = Form(request.form)
    changes = read_changes(form, client)
    done = "The client's details are saved." if changes else "Nothing changed."
    back, error = saved(
        form,
        client_id,
        lambda: regimen().update_client(client_id, changes, current_account().actor),
        done,
    )
    if back is not None:
        return back
    typed = {**details_values(client), **{k: form.data.get(k, "") for k in CONTACT_FIELDS}}
    return client_page(
        client_id, 422, edit=typed, edit_errors=form.errors, edit_error=error, edit_open=True
    )


def quiet_hours(form: Form) -> QuietHours | None:
    """Quiet hours from two optional time fields: both empty is none."""
    if not form.data.get("quiet_start") and not form.data.get("quiet_end"):
        return None
    start, end = form.clock("quiet_start"), form.clock("quiet_end")
    if start is None or end is None:
        return DEFAULT_QUIET_HOURS  # not used: the form has errors
    return QuietHours(start=start, end=end)


def read_preferences(form: Form, offered: list[tuple[str, str]]) -> ReminderPreferences:
    """The preferences ticked: consent per channel, lead times, quiet hours."""
    channels = tuple(c for c in Channel if c.value in request.form.getlist("channel"))
    minutes = [m for m, _ in offered if m in request.form.getlist("lead")]
    if not 1 <= len(minutes) <= MAX_LEADS:
        form.errors["lead"] = f"Tick between 1 and {MAX_LEADS} times."
    leads = tuple(timedelta(minutes=int(m)) for m in minutes)
    return ReminderPreferences(channels, leads, quiet_hours(form))


@web.post("/clients/<uuid:client_id>/reminder-preferences")
@signed_in
def record_consent(client_id: UUID) -> Response | tuple[str, int]:
    """Record which reminders the client consented to, how long before, and when not."""
    client = regimen().load(Client, client_id)
    form = Form(request.form)
    offered = lead_options(client.reminder_preferences)
    preferences = read_preferences(form, offered)
    back, error = saved(
        form,
        client_id,
        lambda: regimen().set_reminder_preferences(client_id, preferences, current_account().actor),
        "The client's reminder choices are recorded.",
    )
    if back is not None:
        return back
    typed = {
        **consent_values(client),
        "consented": request.form.getlist("channel"),
        "leads": request.form.getlist("lead"),
        "quiet_start": form.data.get("quiet_start", ""),
        "quiet_end": form.data.get("quiet_end", ""),
    }
    return client_page(
        client_id, 422, consent=typed, consent_errors=form.errors, consent_error=error
    )
