"""Bodies of the reminder endpoints: preferences and consent, feed tokens, reminder rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from service.api.fields import Flag, WallTime
from service.api.loading import builds
from service.api.schemas import Strict
from service.api.view_schemas import PageQuerySchema
from service.domain.reminders import (
    DEFAULT_LEADS,
    DEFAULT_QUIET_HOURS,
    MAX_LEADS,
    Channel,
    QuietHours,
    ReminderPreferences,
)
from service.projections.reminder_queries import STATUSES

MINUTE = timedelta(minutes=1)


class ConsentSchema(Strict):
    """Explicit consent, channel by channel: both must be stated."""

    email = fields.Boolean(required=True, metadata={"description": "Reminders by email"})
    sms = fields.Boolean(required=True, metadata={"description": "Reminders by SMS"})


class QuietHoursSchema(Strict):
    """No reminder after `start` until `end`, client-local; may span midnight."""

    start = WallTime(required=True, metadata={"example": "21:00"})
    end = WallTime(required=True, metadata={"example": "08:00"})

    make = builds(QuietHours)


class PreferencesSchema(Strict):
    """How the client wants to be reminded (their own time zone is the client's `timezone`)."""

    consent = fields.Nested(ConsentSchema, required=True)
    lead_minutes = fields.List(
        fields.Integer(validate=validate.Range(15, 14 * 24 * 60)),
        load_default=lambda: [lead // MINUTE for lead in DEFAULT_LEADS],
        validate=validate.Length(1, MAX_LEADS),
        metadata={"description": "How long before each session to remind, in minutes"},
    )
    quiet_hours = fields.Nested(
        QuietHoursSchema,
        allow_none=True,
        load_default=DEFAULT_QUIET_HOURS,
        metadata={"description": "A reminder due inside them is sent when they begin; null: none"},
    )

    @ma.post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> ReminderPreferences:
        """Load as a value object."""
        consent = data["consent"]
        return ReminderPreferences(
            consented_channels=tuple(c for c in Channel if consent[c.value]),
            leads=tuple(timedelta(minutes=m) for m in data["lead_minutes"]),
            quiet_hours=data["quiet_hours"],
        )


class PreferencesOutSchema(ma.Schema):
    """A client's reminder preferences as recorded."""

    client_id = fields.String()
    timezone = fields.String(metadata={"description": "The client's zone (PATCH the client)"})
    consent = fields.Dict(keys=fields.String(), values=fields.Boolean())
    lead_minutes = fields.List(fields.Integer())
    quiet_hours = fields.Dict(allow_none=True)
    feed_active = Flag(metadata={"description": "Whether a calendar feed is issued"})
    version = fields.Integer()


class FeedTokenSchema(ma.Schema):
    """A new calendar feed: the URL is shown this once."""

    token = fields.String()
    url = fields.String(metadata={"description": "The feed over https: any browser downloads it"})
    subscribe_url = fields.String(
        metadata={"description": "The same feed as webcal://: a calendar app subscribes to it"}
    )


class ReminderQuerySchema(PageQuerySchema):
    """Reminders by status."""

    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))


class ReminderRowSchema(ma.Schema):
    """A reminder of a session, with where its delivery stands."""

    id = fields.String(attribute="reminder_id")
    client_id = fields.String()
    plan_id = fields.String()
    session_number = fields.Integer(attribute="number")
    session_start = fields.String(attribute="session_start_utc", metadata={"description": "UTC"})
    channel = fields.String()
    lead_minutes = fields.Integer()
    due = fields.String(attribute="due_utc", metadata={"description": "UTC instant"})
    due_local = fields.String(metadata={"description": "The client's wall time"})
    timezone = fields.String(attribute="zone")
    moved_for_quiet_hours = Flag(attribute="quiet_moved")
    status = fields.String(metadata={"description": "scheduled, sent, cancelled or failed"})
    attempts = fields.Integer()
    next_try = fields.String(attribute="next_try_utc", allow_none=True)
    last_error = fields.String(allow_none=True)
    sent_at = fields.String(allow_none=True)
