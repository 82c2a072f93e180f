"""Booking the next session of a plan from the client's page, when the clinic allows it:
at a free time of the plan's therapist and room within the plan's pace
(service/application/self_booking.py).

The times are worked out again when the client sends one: only a time still offered then
is booked, through the desk's own `book_session`, so the calendar days keep two bookings
from ever sharing a slot, and an authorization that covers no more visits refuses it.
"""

from __future__ import annotations

from flask import Response, request, url_for
from flask_babel import lazy_gettext as _l

from service.application.commands import Slot
from service.application.self_service import client_actor
from service.domain.errors import AccessDenied, AuthorizationExceeded, DomainError, NotFound
from service.domain.plan import TreatmentPlan
from service.domain.staff import Therapist
from service.domain.values import SessionTime
from service.http.context import now, regimen
from service.web.client_access import Opened, client_page, holder_id, refusal
from service.web.client_moves import TIME_GONE, chosen_offer, offers_by_day
from service.web.client_page import (
    aggregate_name,
    back_to_page,
    client_pages,
    opened_or_refusal,
)
from service.web.client_refusals import domain_refusal

NOT_ALLOWED = (
    403,
    _l("Booking online is not open"),
    _l("The clinic books sessions itself. Contact it to book your next session."),
)
NO_PLAN = (
    404,
    _l("Nothing to book"),
    _l("This plan has no session left for you to book. Open your sessions."),
)
NOT_COVERED = (
    409,
    _l("Your authorization does not cover another session"),
    _l(
        "Your insurer's authorization does not cover this session: it is used up or has ended. "
        "Contact the clinic: it can ask your insurer to extend it, or book the session with you."
    ),
)


def _book(opened: Opened, plan: TreatmentPlan) -> Response | None:
    """Book the chosen time if it is still offered; None when done, else the page to answer."""
    offer = chosen_offer(regimen().booking_offers(opened.client.id, plan.id, now=now()))
    if offer is None:
        return refusal(*TIME_GONE)
    slot = Slot(offer.local_start.replace(tzinfo=None), offer.zone, plan.therapist_id, plan.room_id)
    try:
        regimen().book_session(plan.id, slot, actor=client_actor(opened.client.id), now=now())
    except AuthorizationExceeded:
        return refusal(*NOT_COVERED)
    except DomainError as error:
        return domain_refusal(error)
    return None


def _page(token: str, opened: Opened, plan: TreatmentPlan, offers: list[SessionTime]) -> Response:
    return client_page(
        "client_book.html",
        therapist=aggregate_name(Therapist, plan.therapist_id),
        minutes=plan.series.session_minutes,
        days=offers_by_day(offers, opened.client.zone),
        post_url=request.path,
        page_url=url_for("client.page", token=token),
    )


@client_pages.route("/c/<token>/plans/<plan>/book", methods=["GET", "POST"])
def book(token: str, plan: str) -> Response:
    """Book the plan's next session at a free time (when the clinic allows it)."""
    opened = opened_or_refusal(token)
    if isinstance(opened, Response):
        return opened
    plan_id = holder_id(plan)
    try:
        if plan_id is None:
            raise NotFound("no such plan")
        found = regimen().plan_to_book(opened.client.id, plan_id)
        if request.method == "POST":
            return _book(opened, found) or back_to_page(token, "booked")
        offers = regimen().booking_offers(opened.client.id, plan_id, now=now())
    except AccessDenied:
        return refusal(*NOT_ALLOWED)
    except NotFound:
        return refusal(*NO_PLAN)
    return _page(token, opened, found, offers)
