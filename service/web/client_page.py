"""The client's own page, opened by a signed link: their sessions, confirm, cancel, calendar.

No password and no cookie: the token in the path is the key, bound to one client,
expiring and revocable (service/reminders/client_links.py). Forms post back to the same
token's path, which a cross-site attacker cannot know. Nothing clinical is ever read here:
the sessions come from the calendar's view (times, therapist, room), never from a chart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, cast
from uuid import UUID

from flask import Blueprint, Response, current_app, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.exceptions import HTTPException

from service.application.self_service import ClientSession, client_actor
from service.domain.client import Client
from service.domain.errors import DomainError
from service.domain.reminders import Channel
from service.domain.staff import Room, Therapist
from service.http.context import now, reads, regimen, utc_text, zone_label
from service.reminders.links import FeedLinker
from service.reminders.messages import local_when
from service.web.client_access import Opened, client_page, holder_id, open_link, refusal
from service.web.client_language import current_language
from service.web.client_plans import plans_to_book
from service.web.client_refusals import domain_refusal
from service.web.security import CONTENT_SECURITY_POLICY

LOG = logging.getLogger("regimen.web")
client_pages = Blueprint("client", __name__, template_folder="templates")
AHEAD = timedelta(days=366)
DONE = {
    "confirmed": lazy_gettext("Thank you: we have noted that you will come."),
    "cancelled": lazy_gettext("Your session is cancelled, and its time is free for someone else."),
    "cancelled-late": lazy_gettext("Your session is cancelled. It was a late cancellation."),
    "moved": lazy_gettext("Your session has moved to the new time."),
    "reminders": lazy_gettext("Your reminder choices are saved."),
    "booked": lazy_gettext("Your session is booked. It is listed below."),
}
NO_SESSION = (
    404,
    lazy_gettext("No such session"),
    lazy_gettext("This session is not one of yours. Open your sessions."),
)
KINDS = {  # what the client's page calls each kind of appointment
    "session": lazy_gettext("Session"),
    "assessment": lazy_gettext("Assessment"),
    "single": lazy_gettext("Single session"),
    "follow-up": lazy_gettext("Follow-up"),
}


@client_pages.after_request
def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


@client_pages.errorhandler(Exception)
def _unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return refusal(error.code or 500, error.name, error.description or "")
    LOG.exception("unexpected error on a client's page")
    return refusal(
        500,
        _("Something went wrong"),
        _("The page could not be shown. The error has been logged; please try again later."),
    )


def opened_or_refusal(token: str) -> Opened | Response:
    """The link's client, or the page to answer instead."""
    return open_link(cast(str, current_app.secret_key), token)


def _row_values(row: dict[str, Any], token: str, zone: str) -> dict[str, Any]:
    start = datetime.fromisoformat(row["start_utc"].replace("Z", "+00:00"))
    kind = row.get("kind") or "session"
    base = {"token": token, "holder": row["plan_id"], "number": row["number"]}
    return {
        "when": local_when(start, zone, current_language()),
        "what": KINDS.get(kind, lazy_gettext("Visit")),
        "minutes": row["minutes"],
        "therapist": row.get("therapist_name") or "",
        "room": row.get("room_name") or "",
        "confirmed": bool(row.get("confirmed")),
        "confirm_url": url_for("client.confirm", **base),
        "cancel_url": url_for("client.cancel", **base),
        "reschedule_url": url_for("client.reschedule", **base),
    }


def _calendar(client: Client) -> Any:
    if not client.feed_token_hash:
        return None
    key = current_app.extensions["regimen.link_key"]()
    base = current_app.extensions["regimen.settings"].public_url or request.host_url
    return FeedLinker(base.rstrip("/"), key)(client, client.id, 0)


def _reminder_choices(client: Client) -> list[dict[str, Any]]:
    """The channels the client can be reminded by (those the clinic has an address for)."""
    consented = client.reminder_preferences.consented_channels
    return [
        {"value": channel.value, "label": label, "checked": channel in consented}
        for channel, label, to in (
            (Channel.EMAIL, _("By email"), client.email),
            (Channel.SMS, _("By text message"), client.phone),
        )
        if to.strip()
    ]


@client_pages.route("/c/<token>")
def page(token: str) -> Response:
    """The client's upcoming sessions, each to confirm, cancel or move; their calendar."""
    opened = opened_or_refusal(token)
    if isinstance(opened, Response):
        return opened
    client = opened.client
    moment = now()
    rows = reads().sessions_between(
        utc_text(moment), utc_text(moment + AHEAD), client_id=str(client.id), limit=100
    )
    sessions = [_row_values(r, token, client.zone) for r in rows.items if r["status"] == "booked"]
    return client_page(
        "client_page.html",
        client_name=client.name,
        zone_label=zone_label(client.zone),
        sessions=sessions,
        calendar=_calendar(client),
        reminders=_reminder_choices(client),
        plans_to_book=plans_to_book(client.id, token),
        token=token,
        done=DONE.get(request.args.get("done", "")),
    )


def session_or_refusal(
    token: str, holder: str, number: int
) -> tuple[Opened, ClientSession] | Response:
    """The link's client and their session named in the path, or the page to answer."""
    opened = opened_or_refusal(token)
    if isinstance(opened, Response):
        return opened
    plan_or_visit = holder_id(holder)
    if plan_or_visit is None:
        return refusal(*NO_SESSION)
    try:
        found = regimen().client_session(opened.client.id, plan_or_visit, number, now=now())
    except DomainError:
        return refusal(*NO_SESSION)
    return opened, found


def session_page(
    token: str, opened: Opened, found: ClientSession, action: str, **extra: Any
) -> Response:
    """The page of one session: to confirm, to cancel (the rule first) or to move."""
    session = found.session
    clinic = regimen().clinic()
    row = {
        "start_utc": utc_text(session.time.start),
        "plan_id": str(found.holder_id),
        "number": found.number,
        "kind": "visit" if found.is_visit else "session",
        "minutes": session.time.minutes,
        "confirmed": False,
        "therapist_name": aggregate_name(Therapist, session.therapist_id),
        "room_name": aggregate_name(Room, session.room_id),
    }
    titles = {"cancel": _("Cancel your session"), "confirm": _("Confirm your session")}
    return client_page(
        "client_session.html",
        title=titles.get(action, _("Move your session")),
        s=_row_values(row, token, opened.client.zone),
        action=action,
        late=found.late,
        window_hours=clinic.cancellation_window_hours,
        late_rule=clinic.contact.late_cancel_rule,
        post_url=request.path,
        page_url=url_for("client.page", token=token),
        **extra,
    )


def aggregate_name(cls: type[Therapist] | type[Room], aggregate_id: UUID | None) -> str:
    found = regimen().find(cls, aggregate_id) if aggregate_id else None
    return found.name if found else ""


def back_to_page(token: str, done: str) -> Response:
    """See the page again, saying what was done."""
    return cast(Response, redirect(url_for("client.page", token=token, done=done), code=303))


def session_route(
    token: str,
    holder: str,
    number: int,
    action: str,
    act: Callable[[Opened, ClientSession], str | Response],
    page_extra: Callable[[Opened, ClientSession], dict[str, Any]] | None = None,
) -> Response:
    """One session's route: GET shows its page, POST acts and sees the client's page again.

    `act` names what was done (for the page to say) or answers with a page of its own;
    a refusal by the domain is said in the client's words.
    """
    found = session_or_refusal(token, holder, number)
    if isinstance(found, Response):
        return found
    opened, session = found
    if request.method == "GET":
        extra = page_extra(opened, session) if page_extra else {}
        return session_page(token, opened, session, action, **extra)
    try:
        done = act(opened, session)
    except DomainError as error:
        return domain_refusal(error)
    return done if isinstance(done, Response) else back_to_page(token, done)


def _confirm(opened: Opened, session: ClientSession) -> str:
    regimen().confirm_attendance(opened.client.id, session.holder_id, session.number, now=now())
    return "confirmed"


def _cancel(opened: Opened, session: ClientSession) -> str:
    actor, reason = client_actor(opened.client.id), "cancelled by the client"
    if session.is_visit:
        regimen().cancel_visit(session.holder_id, reason=reason, actor=actor, now=now())
    else:
        regimen().cancel_sessions(
            session.holder_id, session.number, reason=reason, actor=actor, now=now()
        )
    return "cancelled-late" if session.late else "cancelled"


@client_pages.route("/c/<token>/sessions/<holder>/<int:number>/confirm", methods=["GET", "POST"])
def confirm(token: str, holder: str, number: int) -> Response:
    """Say you will come (GET shows the button: a link scanner never confirms for you)."""
    return session_route(token, holder, number, "confirm", _confirm)


@client_pages.route("/c/<token>/sessions/<holder>/<int:number>/cancel", methods=["GET", "POST"])
def cancel(token: str, holder: str, number: int) -> Response:
    """Cancel a session: the page states the late-cancel rule before the client confirms."""
    return session_route(token, holder, number, "cancel", _cancel)
