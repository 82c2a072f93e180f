"""The public calendar feed, GET /feeds/{token}.ics, and one session of it as its own calendar.

No bearer token: the secret is the URL. The URL holds either the client's feed token or
the link token their messages carry (service/reminders/links.py), good while that feed is."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.context import feed_link_key, regimen
from service.api.problems import problem
from service.api.reminders import reminder_reads
from service.domain.clinic import CLINIC_ID, Clinic
from service.domain.users import token_hash
from service.http.client_limits import RETRY_AFTER, client_allowed, count_guess, guessing
from service.projections.reminder_queries import FeedRows
from service.reminders.feed import (
    FeedHeader,
    FeedSession,
    feed_etag,
    render_feed,
    render_session,
)
from service.reminders.language import clinic_language
from service.reminders.links import link_client, link_is_current
from service.reminders.messages import SessionFacts, how_to_cancel

blp = Blueprint("feeds", __name__, description="Clients' calendar feeds (iCalendar)")
TEXT = {"type": "string"}
CALENDAR = {"text/calendar": {"schema": TEXT}}
RESPONSES = {
    "200": {
        "description": "The client's sessions (RFC 5545)",
        "content": CALENDAR,
        "headers": {"ETag": {"description": "Send as If-None-Match", "schema": TEXT}},
    },
    "304": {"description": "Unchanged since the ETag sent in If-None-Match"},
    "404": {"description": "No feed has this token (never issued, rotated or revoked)"},
    "429": {
        "description": "Too many requests: too many unknown tokens from this address, or"
        " too many for this client, this minute"
    },
}


def _limited_rows(token: str) -> FeedRows | Response:
    """The feed the token opens, or the answer instead: 429 past the limits (see
    service/http/client_limits.py), 404 when it opens nothing (counted as a guess)."""
    if guessing():
        return _too_many()
    rows = _feed_rows(token)
    if rows is None:
        count_guess()
        return problem(404, "no calendar feed has this address")
    if not client_allowed(rows.client["client_id"]):
        return _too_many()
    return rows


def _too_many() -> Response:
    answer = problem(429, "too many requests for calendar feeds from here: wait a minute")
    answer.headers["Retry-After"] = RETRY_AFTER
    return answer


def _feed_rows(token: str) -> FeedRows | None:
    """The feed a feed token or a message's link token opens; None when neither is current."""
    reads = reminder_reads()
    client_id = link_client(token)
    if client_id is None:
        return reads.feed(token_hash(token))
    feed_hash = reads.feed_hash(client_id)
    if not feed_hash or not link_is_current(feed_link_key(), token, feed_hash):
        return None
    return reads.feed(feed_hash)


def _session(row: dict[str, Any]) -> FeedSession:
    return FeedSession(
        plan_id=row["plan_id"],
        number=int(row["number"]),
        status=row["status"],
        start=datetime.fromisoformat(row["start_utc"]),
        minutes=int(row["minutes"]),
        zone=row["zone"],
        sequence=int(row["sequence"]),
        stamp=datetime.fromisoformat(row["stamp"]),
        therapist_name=row["therapist_name"] or "",
        room_name=row["room_name"] or "",
    )


def _cancel_hint(clinic: Clinic | None) -> str:
    name = clinic.name if clinic and clinic.name else "the clinic"
    window = clinic.cancellation_window_hours if clinic else 0
    language = clinic_language(clinic)
    facts = SessionFacts("", datetime.min, 0, "UTC", name, "", "", window, language=language)
    return how_to_cancel(facts)


def _header(client: dict[str, Any]) -> FeedHeader:
    clinic = regimen().find(Clinic, CLINIC_ID)
    return FeedHeader(
        client_id=client["client_id"],
        clinic_name=clinic.name if clinic and clinic.name else "the clinic",
        cancel_hint=_cancel_hint(clinic),
        leads=client["preferences"].leads,
        language=clinic_language(clinic),
    )


def _calendar(body: bytes) -> Any:
    """The calendar with a strong ETag, answered 304 when the client has these bytes."""
    response = Response(body, mimetype="text/calendar")
    response.set_etag(feed_etag(body).strip('"'))
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


@blp.route("/feeds/<token>.ics")
class FeedView(MethodView):
    """A client's sessions as an iCalendar feed."""

    @blp.doc(security=[], responses=RESPONSES)
    def get(self, token: str) -> Any:
        """Subscribe in a calendar app: one event per session, cancelled ones kept"""
        rows = _limited_rows(token)
        if isinstance(rows, Response):
            return rows
        header = _header(rows.client)
        return _calendar(render_feed((_session(row) for row in rows.sessions), header))


@blp.route("/feeds/<token>/<plan_id>/<int:number>.ics")
class SessionEventView(MethodView):
    """One of the client's sessions as a one-event calendar, behind the same secret."""

    @blp.doc(security=[], responses=RESPONSES)
    def get(self, token: str, plan_id: str, number: int) -> Any:
        """Add one session to a calendar: the same event the feed holds"""
        rows = _limited_rows(token)
        if isinstance(rows, Response):
            return rows
        found = [
            row
            for row in rows.sessions
            if row["plan_id"] == plan_id and int(row["number"]) == number
        ]
        if not found:
            return problem(404, "no calendar feed has this session")
        return _calendar(render_session(_session(found[0]), _header(rows.client)))
