"""The public calendar feed: GET /feeds/{token}.ics, no bearer token, the secret is the URL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.context import regimen
from service.api.problems import problem
from service.api.reminders import reminder_reads
from service.domain.clinic import CLINIC_ID, Clinic
from service.domain.users import token_hash
from service.reminders.feed import FeedHeader, FeedSession, feed_etag, render_feed
from service.reminders.messages import SessionFacts, how_to_cancel

blp = Blueprint("feeds", __name__, description="Clients' calendar feeds (iCalendar)")
TEXT = {"type": "string"}
CALENDAR = {"text/calendar": {"schema": TEXT}}


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
    facts = SessionFacts("", datetime.min, 0, "UTC", name, "", "", window)
    return how_to_cancel(facts)


@blp.route("/feeds/<token>.ics")
class FeedView(MethodView):
    """A client's sessions as an iCalendar feed."""

    @blp.doc(
        security=[],
        responses={
            "200": {
                "description": "The client's sessions (RFC 5545)",
                "content": CALENDAR,
                "headers": {"ETag": {"description": "Send as If-None-Match", "schema": TEXT}},
            },
            "304": {"description": "Unchanged since the ETag sent in If-None-Match"},
            "404": {"description": "No feed has this token (never issued, rotated or revoked)"},
        },
    )
    def get(self, token: str) -> Any:
        """Subscribe in a calendar app: one event per session, cancelled ones kept"""
        rows = reminder_reads().feed(token_hash(token))
        if rows is None:
            return problem(404, "no calendar feed has this address")
        clinic = regimen().find(Clinic, CLINIC_ID)
        header = FeedHeader(
            client_id=rows.client["client_id"],
            clinic_name=clinic.name if clinic and clinic.name else "the clinic",
            cancel_hint=_cancel_hint(clinic),
            leads=rows.client["preferences"].leads,
        )
        body = render_feed((_session(row) for row in rows.sessions), header)
        response = Response(body, mimetype="text/calendar")
        response.set_etag(feed_etag(body).strip('"'))
        response.headers["Cache-Control"] = "private, no-cache"
        return response.make_conditional(request)
