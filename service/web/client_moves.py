"""Moving a session from the client's page: to a free time of the same therapist and room,
within the plan's pace (service/application/self_service.py `move_offers`).

The times offered are worked out again when the client sends one: only a time still offered
then is booked, through the desk's own reschedule, so the calendar days keep two bookings
from ever sharing a slot.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Response, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from service.application.commands import Slot
from service.application.self_service import ClientSession, client_actor
from service.domain.values import SessionTime
from service.http.context import now, regimen
from service.web.client_access import Opened, refusal
from service.web.client_language import current_language
from service.web.client_page import client_pages, session_route

TIME_GONE = (409, _l("That time is no longer free"), _l("Choose another time on your page."))


def offers_by_day(offers: list[SessionTime], zone: str) -> list[dict[str, Any]]:
    """The offers in the client's zone, grouped by their local day."""
    days: dict[str, list[dict[str, str]]] = defaultdict(list)
    for offer in offers:
        local = offer.start.astimezone(ZoneInfo(zone))
        day = format_datetime(local, _("EEEE d MMMM"), locale=current_language())
        days[day].append({"value": offer.start.isoformat(), "label": f"{local:%H:%M}"})
    return [{"day": day, "times": times} for day, times in days.items()]


def chosen_offer(offers: list[SessionTime]) -> SessionTime | None:
    """The offer the client's form chose, if it is offered still."""
    chosen = request.form.get("start", "")
    return next((o for o in offers if o.start.isoformat() == chosen), None)


def _move(opened: Opened, found: ClientSession) -> str | Response:
    """Book the chosen time if it is still offered, else say it is gone."""
    offers = regimen().move_offers(opened.client.id, found.holder_id, found.number, now=now())
    offer = chosen_offer(offers)
    if offer is None:
        return refusal(*TIME_GONE)
    session = found.session
    slot = Slot(
        offer.local_start.replace(tzinfo=None), offer.zone, session.therapist_id, session.room_id
    )
    actor = client_actor(opened.client.id)
    if found.is_visit:
        regimen().reschedule_visit(found.holder_id, slot, actor=actor, now=now())
    else:
        regimen().reschedule_session(found.holder_id, found.number, slot, actor=actor, now=now())
    return "moved"


def _offered_days(opened: Opened, found: ClientSession) -> dict[str, Any]:
    offers = regimen().move_offers(opened.client.id, found.holder_id, found.number, now=now())
    return {"days": offers_by_day(offers, opened.client.zone)}


@client_pages.route("/c/<token>/sessions/<holder>/<int:number>/reschedule", methods=["GET", "POST"])
def reschedule(token: str, holder: str, number: int) -> Response:
    """Move a session to a free time the clinic offers (or, inside the window, how to ask)."""
    return session_route(token, holder, number, "reschedule", _move, _offered_days)
