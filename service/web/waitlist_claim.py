"""The page a claim link opens: the offered time, one button to claim it, and a clear answer.

No sign-in: the signed link is the client's key, bound to one offer, one waitlist entry
and one round (the form still carries the browser's CSRF token, as every form of the
pages does). Opening the link only shows the offer, so a mail scanner that follows
links claims nothing; the button claims. A changed link answers 403, a lapsed offer 410,
a taken one 409, each with a page that says so and what happens next. The links count
against the same limits as the client's page (service/http/client_limits.py).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Response, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from service.domain.client import Client
from service.domain.errors import DomainError, NotFound
from service.domain.staff import Therapist
from service.domain.waitlist import AlreadyWaiting, NotOffered, OfferLapsed, OfferTaken
from service.http.client_limits import client_allowed, count_guess, guessing
from service.http.context import now, regimen
from service.reminders.claim_links import (
    ClaimLink,
    LinkExpired,
    LinkTampered,
    read_claim_token,
)
from service.reminders.language import long_when
from service.web.blueprint import web
from service.web.client_access import TOO_MANY, client_page, refusal
from service.web.client_language import current_language
from service.web.client_refusals import domain_refusal

CLAIM = "/waitlist/claim/<token>"
SHORT_CLAIM = "/w/<token>"  # the address an SMS carries (claim_links.SHORT_PATH)


class TooMany(Exception):
    """This address, or this client, asked too often in the last minute."""


def _link(token: str) -> ClaimLink:
    return read_claim_token(str(current_app.secret_key), token, now())


def _values(link: ClaimLink) -> dict[str, Any]:
    """The offer as the client reads it: in their own zone, with the therapist's name."""
    offer = regimen().slot_offer(link.offer_id)
    entry = regimen().waitlist_entry(link.entry_id)
    client = regimen().load(Client, entry.client_id)
    therapist = regimen().find(Therapist, offer.slot.therapist_id)
    zone, language = ZoneInfo(client.zone), current_language()
    until = offer.hold_until.astimezone(zone) if offer.hold_until else None
    day = format_datetime(until, _("EEEE d MMMM"), locale=language) if until else ""
    return {
        "offer": offer,
        "client_name": client.name,
        "when": f"{long_when(offer.slot.time.start, client.zone, language)} ({client.zone})",
        "minutes": offer.slot.time.minutes,
        "therapist": therapist.name if therapist else "",
        "hold_until": _("{time} on {day}").format(time=f"{until:%H:%M}", day=day) if until else "",
    }


REFUSALS: dict[type[Exception], tuple[int, str, str]] = {
    LinkTampered: (
        403,
        _l("This link does not work"),
        _l(
            "The link is not one the clinic sent, or it was changed on the way."
            " Please open the link from the message again, or contact the clinic."
        ),
    ),
    OfferTaken: (
        409,
        _l("This time has been taken"),
        _l(
            "Someone claimed it first. You are still on the waitlist: we will tell you when"
            " another time comes free."
        ),
    ),
    LinkExpired: (
        410,
        _l("This offer has expired"),
        _l(
            "The hold on this time ran out, and it was offered to others. You are still on the"
            " waitlist: we will tell you when another time comes free."
        ),
    ),
    AlreadyWaiting: (
        409,
        _l("You are already on the waitlist"),
        _l(
            "You already wait for these times: when one comes free, we will send you a link"
            " to claim it. To change your times, please ask the clinic."
        ),
    ),
}
REFUSALS[NotOffered] = REFUSALS[NotFound] = REFUSALS[LinkTampered]
REFUSALS[OfferLapsed] = REFUSALS[LinkExpired]


def claim_refusal(error: Exception) -> Response:
    """The page for a link that cannot do what it was opened for, with the status that says
    why; a link not made here, or too old, counts against the address that sent it."""
    if isinstance(error, LinkTampered | LinkExpired):
        count_guess()
    kind = next((k for k in REFUSALS if isinstance(error, k)), None)
    if kind is None:
        return domain_refusal(error, _("This time cannot be booked"))
    return refusal(*REFUSALS[kind])


def _opened(token: str) -> ClaimLink:
    """The link, if this address is not guessing and its client is within their limit."""
    if guessing():
        raise TooMany
    link = _link(token)
    entry = regimen().waitlist_entry(link.entry_id)
    if not client_allowed(str(entry.client_id)):
        raise TooMany
    return link


@web.get(CLAIM)
@web.get(SHORT_CLAIM)
def claim_offer_page(token: str) -> Response:
    """The offered time, and a button to claim it (if it still can be)."""
    try:
        link = _opened(token)
        values = _values(link)
        values["offer"].check_claim(link.entry_id, link.round, now())
    except TooMany:
        return refusal(*TOO_MANY)
    except (LinkTampered, LinkExpired, DomainError) as error:
        return claim_refusal(error)
    return client_page("claim.html", token=token, **values)


@web.post(CLAIM)
def claim_offer(token: str) -> Response:
    """Claim the time: the first claim books it; any later one is told it is taken."""
    try:
        link = _opened(token)
        regimen().claim_offer(link.offer_id, link.entry_id, link.round, now=now())
        values = _values(link)
    except TooMany:
        return refusal(*TOO_MANY)
    except (LinkTampered, LinkExpired, DomainError) as error:
        return claim_refusal(error)
    return client_page("claim_booked.html", **values)
