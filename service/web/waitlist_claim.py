"""The page a claim link opens: the offered time, one button to claim it, and a clear answer.

No sign-in: the signed link is the client's key, bound to one offer, one waitlist entry
and one round (the form still carries the browser's CSRF token, as every form of the
pages does). Opening the link only shows the offer, so a mail scanner that follows
links claims nothing; the button claims. A changed link answers 403, a lapsed offer 410,
a taken one 409, each with a page that says so and what happens next.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app

from service.domain.client import Client
from service.domain.errors import DomainError, NotFound
from service.domain.staff import Therapist
from service.domain.waitlist import NotOffered, OfferLapsed, OfferTaken
from service.http.context import now, page, regimen
from service.reminders.claim_links import (
    ClaimLink,
    LinkExpired,
    LinkTampered,
    read_claim_token,
)
from service.web.blueprint import web

CLAIM = "/waitlist/claim/<token>"
STAYS = "You are still on the waitlist: we will tell you when another time comes free."


def _link(token: str) -> ClaimLink:
    return read_claim_token(str(current_app.secret_key), token, now())


def _values(link: ClaimLink) -> dict[str, Any]:
    """The offer as the client reads it: in their own zone, with the therapist's name."""
    offer = regimen().slot_offer(link.offer_id)
    entry = regimen().waitlist_entry(link.entry_id)
    client = regimen().load(Client, entry.client_id)
    therapist = regimen().find(Therapist, offer.slot.therapist_id)
    zone = ZoneInfo(client.zone)
    start = offer.slot.time.start.astimezone(zone)
    until = offer.hold_until.astimezone(zone) if offer.hold_until else None
    return {
        "offer": offer,
        "client_name": client.name,
        "when": f"{start:%A} {start.day} {start:%B %Y at %H:%M} ({client.zone})",
        "minutes": offer.slot.time.minutes,
        "therapist": therapist.name if therapist else "",
        "hold_until": f"{until:%H:%M} on {until:%A} {until.day} {until:%B}" if until else "",
    }


def refusal(error: Exception) -> tuple[str, int]:
    """The page for a link that cannot claim, with the status that says why."""
    if isinstance(error, LinkTampered | NotOffered | NotFound):
        return page(
            "claim_message.html",
            403,
            title="This link does not work",
            message="The link is not one the clinic sent, or it was changed on the way."
            " Please open the link from the message again, or contact the clinic.",
        )
    if isinstance(error, OfferTaken):
        return page(
            "claim_message.html",
            409,
            title="This time has been taken",
            message=f"Someone claimed it first. {STAYS}",
        )
    if isinstance(error, LinkExpired | OfferLapsed):
        return page(
            "claim_message.html",
            410,
            title="This offer has expired",
            message=f"The hold on this time ran out, and it was offered to others. {STAYS}",
        )
    return page("claim_message.html", 409, title="This time cannot be booked", message=str(error))


@web.get(CLAIM)
def claim_offer_page(token: str) -> tuple[str, int]:
    """The offered time, and a button to claim it (if it still can be)."""
    try:
        link = _link(token)
        values = _values(link)
        values["offer"].check_claim(link.entry_id, link.round, now())
    except (LinkTampered, LinkExpired, DomainError) as error:
        return refusal(error)
    return page("claim.html", 200, token=token, **values)


@web.post(CLAIM)
def claim_offer(token: str) -> tuple[str, int]:
    """Claim the time: the first claim books it; any later one is told it is taken."""
    try:
        link = _link(token)
        regimen().claim_offer(link.offer_id, link.entry_id, link.round, now=now())
        values = _values(link)
    except (LinkTampered, LinkExpired, DomainError) as error:
        return refusal(error)
    return page("claim_booked.html", 200, **values)
