"""Opening the client's page: the signed link read, its client found, its limits counted.

Every answer that opens nothing is a page a client can read (never a stack trace): a
link not signed here is 403; one expired or revoked is 410, telling them to ask the
clinic for a new one. Links that open nothing count against the address that sent them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import Response, render_template

from service.domain.client import Client
from service.domain.clinic import CLINIC_ID, Clinic
from service.domain.clinic_contact import NO_CONTACT
from service.http.client_limits import RETRY_AFTER, client_allowed, count_guess, guessing
from service.http.context import now, regimen
from service.reminders.client_links import LinkState, read_link_token, state_for

REFUSALS = {
    LinkState.TAMPERED: (
        403,
        "This link does not work",
        "The link is not one we sent, or it was changed on its way. Open the link from your "
        "latest message again, or ask the clinic for a new one.",
    ),
    LinkState.EXPIRED: (
        410,
        "This link has expired",
        "Links in messages work for a limited time. Ask the clinic for a new one, or use "
        "the link in your latest message.",
    ),
    LinkState.REVOKED: (
        410,
        "This link no longer works",
        "The clinic has replaced the links it sent you. Use the link in your latest message, "
        "or ask the clinic for a new one.",
    ),
}
TOO_MANY = (
    429,
    "Too many requests",
    "This page was asked for too often in the last minute. Please wait a minute and try again.",
)


@dataclass(frozen=True)
class Opened:
    """A good link: whose it is."""

    client: Client


def clinic_values() -> dict[str, Any]:
    """What every client page shows of the clinic: its name and how to reach it."""
    clinic = regimen().find(Clinic, CLINIC_ID)
    contact = clinic.contact if clinic else NO_CONTACT
    return {
        "clinic_name": clinic.name if clinic and clinic.name else "Your clinic",
        "contact_lines": contact.lines,
        "contact": contact,
        "clinic": clinic,
    }


def client_page(template: str, status: int = 200, **values: Any) -> Response:
    """A client page, with the headers every one carries: no caching, and no Referer, so
    the link's token never leaves in one (a click on the clinic's website)."""
    html = render_template(template, **{**clinic_values(), **values})
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def refusal(status: int, title: str, message: str) -> Response:
    """A page saying why the link opened nothing."""
    response = client_page("client_message.html", status, title=title, message=message)
    if status == 429:
        response.headers["Retry-After"] = RETRY_AFTER
    return response


def open_link(secret: str, token: str) -> Opened | Response:
    """The client a link token opens, or the page to answer instead."""
    if guessing():
        return refusal(*TOO_MANY)
    link = read_link_token(secret, token, now())
    client = regimen().find(Client, link.client_id) if link.client_id else None
    state = state_for(link, client.link_generation if client else None)
    if state is not LinkState.GOOD or client is None:
        count_guess()
        return refusal(*REFUSALS[state])
    if not client_allowed(str(client.id)):
        return refusal(*TOO_MANY)
    return Opened(client)


def holder_id(text: str) -> UUID | None:
    """A plan's or visit's id from the path, or None when it is none."""
    try:
        return UUID(text)
    except ValueError:
        return None
