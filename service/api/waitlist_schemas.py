"""Request and response bodies for the waitlist: entries, offers and the clinic's policy."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from service.api.fields import Line, WallTime
from service.api.schemas import EndsAfterStart, Strict
from service.domain.visit import VisitKind
from service.domain.waitlist import MAX_WINDOWS, Window


class WindowSchema(EndsAfterStart):
    """When the client can come: weekdays (0 = Monday) and a local wall-time span."""

    weekdays = fields.List(
        fields.Integer(validate=validate.Range(0, 6)),
        required=True,
        validate=validate.Length(1, 7),
        metadata={"example": [0, 1, 2, 3, 4]},
    )
    start = WallTime(required=True, metadata={"example": "09:00"})
    end = WallTime(required=True, metadata={"example": "12:00"})

    @ma.post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Window:
        """Load as a value object."""
        return Window(tuple(sorted(set(data["weekdays"]))), data["start"], data["end"])


class JoinWaitlistSchema(Strict):
    """A client to put on the waitlist: for whom, when, and for what."""

    client_id = fields.UUID(required=True)
    therapist_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "The therapist asked for; null for any therapist"},
    )
    plan_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "An agreed plan: a claim books its next session; else a visit"},
    )
    windows = fields.List(
        fields.Nested(WindowSchema),
        required=True,
        validate=validate.Length(1, MAX_WINDOWS),
        metadata={"description": "Local wall-time spans in the clinic's zone"},
    )
    first_day = fields.Date(load_default=None, allow_none=True)
    last_day = fields.Date(load_default=None, allow_none=True)
    visit_kind = fields.Enum(VisitKind, by_value=True, load_default=VisitKind.SINGLE)

    @ma.validates_schema
    def days_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        """The last day does not come before the first."""
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            raise ma.ValidationError("must not be before first_day", field_name="last_day")


class LeaveWaitlistSchema(Strict):
    """Why the client leaves the waitlist."""

    reason = Line(required=True, max_length=200)


class WindowOutSchema(ma.Schema):
    """A window as stored."""

    weekdays = fields.List(fields.Integer())
    start = fields.Time(format="%H:%M")
    end = fields.Time(format="%H:%M")


class EntryOutSchema(ma.Schema):
    """A waitlist entry as it stands."""

    id = fields.UUID()
    client_id = fields.UUID()
    therapist_id = fields.UUID(allow_none=True, attribute="request.therapist_id")
    plan_id = fields.UUID(allow_none=True, attribute="request.plan_id")
    windows = fields.List(fields.Nested(WindowOutSchema), attribute="request.windows")
    first_day = fields.Date(allow_none=True, attribute="request.first_day")
    last_day = fields.Date(allow_none=True, attribute="request.last_day")
    visit_kind = fields.Enum(VisitKind, by_value=True, attribute="request.visit_kind")
    joined_at = fields.AwareDateTime()
    status = fields.Function(lambda entry: entry.status.value)
    version = fields.Integer()


class EntryRowSchema(ma.Schema):
    """A row of the waitlist (from its view)."""

    entry_id = fields.String()
    client_id = fields.String()
    client_name = fields.String(allow_none=True)
    therapist_id = fields.String(allow_none=True)
    therapist_name = fields.String(allow_none=True)
    plan_id = fields.String(allow_none=True)
    windows = fields.String(metadata={"description": "'0,1,2 09:00-12:00; ...' (0 = Monday)"})
    first_day = fields.String(allow_none=True)
    last_day = fields.String(allow_none=True)
    visit_kind = fields.String()
    joined_at = fields.String()
    status = fields.String()


class OfferRowSchema(ma.Schema):
    """An offer of a freed time (from the waitlist's view)."""

    offer_id = fields.String()
    holder_id = fields.String(metadata={"description": "The plan or visit cancelled"})
    number = fields.Integer()
    therapist_id = fields.String()
    therapist_name = fields.String(allow_none=True)
    room_name = fields.String(allow_none=True)
    start_utc = fields.String()
    local_start = fields.String()
    zone = fields.String()
    minutes = fields.Integer()
    status = fields.String(metadata={"description": "open, claimed or closed"})
    round = fields.Integer()
    hold_until = fields.String(allow_none=True)
    offered = fields.Integer(metadata={"description": "How many clients it was offered to"})
    messages_sent = fields.Integer(metadata={"description": "How many of their messages went out"})
    claimed_by = fields.String(allow_none=True)
    closed_reason = fields.String(allow_none=True)


class ListSchema(Strict):
    """Which rows to list."""

    status = fields.String(load_default=None, validate=validate.Length(max=20))


class PolicySchema(Strict):
    """How long an offer is held for a round of clients, and how many a round reaches."""

    hold_minutes = fields.Integer(required=True, validate=validate.Range(5, 2 * 24 * 60))
    round_size = fields.Integer(required=True, validate=validate.Range(1, 20))
