"""A client chooses the times they can come and joins the waitlist, through a signed link.

The desk makes the link (bound to one client, two weeks long) and gives it to the client;
the page shows no one else's details and nothing clinical: therapists' names, the days and
hours, and the client's own agreed plans as "the next session of ...".
"""

from __future__ import annotations

from uuid import UUID

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from service.application.self_service import client_actor
from service.domain.client import Client
from service.domain.errors import DomainError
from service.http.client_limits import client_allowed, guessing
from service.http.context import now, public_url_for, reads, regimen, zone_label
from service.projections.waitlist_queries import WaitlistQueries
from service.reminders.claim_links import LinkExpired, LinkTampered, join_token, read_join_token
from service.web.blueprint import web
from service.web.client_access import TOO_MANY, client_page, refusal
from service.web.forms import Form, FormErrors
from service.web.security import signed_in
from service.web.waitlist import DEFAULTS, FIELDS, plan_choices, read_request
from service.web.waitlist_claim import TooMany, claim_refusal

JOIN = "/waitlist/join/<token>"
DAYS = (_l("Mon"), _l("Tue"), _l("Wed"), _l("Thu"), _l("Fri"), _l("Sat"), _l("Sun"))


def join_page(token: str, client_id: UUID, status: int = 200, **changes: object) -> Response:
    """The form, for this client, with what was sent and its problems."""
    model = reads()
    client = regimen().load(Client, client_id)
    return client_page(
        "waitlist_join.html",
        status,
        token=token,
        client_name=client.name,
        values=changes.pop("values", None) or {**{n: "" for n in FIELDS}, **DEFAULTS},
        therapists=[(r["id"], r["name"]) for r in model.directory("therapist", limit=500).items],
        plans=plan_choices(model, str(client_id), visit=_("A single session")),
        days=[(str(n), str(day)) for n, day in enumerate(DAYS)],
        zone_label=zone_label(regimen().clinic().zone),
        errors=changes.pop("errors", FormErrors()),
        **changes,
    )


def _opened(token: str) -> UUID:
    """The link's client, if this address is not guessing and the client is within limits."""
    if guessing():
        raise TooMany
    client_id = read_join_token(str(current_app.secret_key), token, now())
    if not client_allowed(str(client_id)):
        raise TooMany
    return client_id


@web.get(JOIN)
def waitlist_join_form(token: str) -> Response:
    """The times-you-can-come form a join link opens."""
    try:
        return join_page(token, _opened(token))
    except TooMany:
        return refusal(*TOO_MANY)
    except (LinkTampered, LinkExpired, DomainError) as error:
        return claim_refusal(error)


@web.post(JOIN)
def waitlist_join(token: str) -> Response:
    """Put the link's client on the waitlist, as the client."""
    try:
        client_id = _opened(token)
        form = Form({**request.form.to_dict(), "client_id": str(client_id)})
        weekdays = request.form.getlist("weekdays")
        waiting = read_request(form, weekdays)
        if waiting is None:
            values = {**{n: form.data.get(n, "")[:200] for n in FIELDS}, "weekdays": weekdays}
            return join_page(token, client_id, 422, values=values, errors=form.errors)
        listed = WaitlistQueries.of(reads())
        regimen().join_waitlist(waiting, actor=client_actor(client_id), now=now(), listed=listed)
    except TooMany:
        return refusal(*TOO_MANY)
    except (LinkTampered, LinkExpired, DomainError) as error:
        return claim_refusal(error)
    return client_page(
        "claim_message_ok.html",
        title=_("You are on the waitlist"),
        message=_("When a time you can come comes free, we will send you a link to claim it."),
    )


@web.post("/waitlist/join-links")
@signed_in
def make_join_link() -> Response:
    """A link for a client to choose their own times (shown once to the desk, to pass on)."""
    form = Form(request.form)
    client_id = form.uuid("client_id", required=True)
    if client_id is None:
        flash("Choose a client first.", "error")
        return redirect(url_for("web.waitlist"))
    name = regimen().load(Client, client_id).name
    link = public_url_for(
        "web.waitlist_join_form", token=join_token(str(current_app.secret_key), client_id, now())
    )
    flash(
        f"Give {name} this link to choose their times (it works for two weeks): {link}", "success"
    )
    return redirect(url_for("web.waitlist", client_id=client_id))
