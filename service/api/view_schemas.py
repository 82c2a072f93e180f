"""Query parameters and rows of the read models."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from service.api.clinical import Redacted, clinical
from service.api.fields import Day, Flag
from service.api.measure_schemas import AdherenceSchema, MeasureSeriesSchema
from service.api.schemas import Strict
from service.projections.paging import DEFAULT_LIMIT, MAX_LIMIT

STATUSES = ["proposed", "agreed", "completed", "cancelled"]


class PageQuerySchema(Strict):
    """Pagination: at most `limit` rows after `cursor` (from the previous page's Link)."""

    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT))
    cursor = fields.String(load_default=None, validate=validate.Length(max=500))


class SearchPageSchema(PageQuerySchema):
    """A text search, paginated."""

    q = fields.String(load_default="", validate=validate.Length(max=200))


class CalendarQuerySchema(PageQuerySchema):
    """Sessions between two clinic-local days (inclusive), by therapist or room."""

    from_ = Day(required=True, data_key="from")
    to = Day(required=True)
    therapist_id = fields.UUID(load_default=None)
    room_id = fields.UUID(load_default=None)


class DaySheetQuerySchema(Strict):
    """One clinic-local day."""

    date = Day(required=True)


class PlanListQuerySchema(PageQuerySchema):
    """Plans by client, therapist and status."""

    client_id = fields.UUID(load_default=None)
    therapist_id = fields.UUID(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))


class SessionRowSchema(ma.Schema):
    """A session on the calendar, with the names the front desk needs."""

    plan_id = fields.String(metadata={"description": "The plan's id, or a visit's"})
    number = fields.Integer(metadata={"description": "The session's number; 0 for a visit"})
    kind = fields.String(
        metadata={"description": "session (of a plan), or a visit: assessment, single, follow-up"}
    )
    status = fields.String()
    start = fields.String(attribute="start_utc", metadata={"description": "UTC instant"})
    end = fields.String(attribute="end_utc")
    timezone = fields.String(attribute="zone")
    local_start = fields.String()
    minutes = fields.Integer()
    client_id = fields.String()
    client_name = fields.String(allow_none=True)
    therapist_id = fields.String()
    therapist_name = fields.String(allow_none=True)
    room_id = fields.String(allow_none=True)
    room_name = fields.String(allow_none=True)
    late_cancel = Flag()
    unrecorded = Flag(metadata={"description": "Ended with nothing recorded"})


class DaySheetSchema(ma.Schema):
    """A therapist's day."""

    therapist_id = fields.String()
    date = fields.Date()
    timezone = fields.String()
    sessions = fields.List(fields.Nested(SessionRowSchema))


class PlanRowSchema(ma.Schema):
    """A plan in a list, with its progress."""

    id = fields.String(attribute="plan_id")
    status = fields.String()
    client_id = fields.String()
    client_name = fields.String(allow_none=True)
    therapist_id = fields.String()
    therapist_name = fields.String(allow_none=True)
    focus_areas = fields.String()
    sessions_planned = fields.Integer()
    sessions_done = fields.Integer()
    sessions_booked = fields.Integer()
    sessions_left = fields.Method("left")
    interval_days = fields.Integer()
    authorization_visits = fields.Integer(attribute="auth_visits", allow_none=True)
    authorization_used = fields.Integer(attribute="auth_used")
    authorization_valid_until = fields.String(attribute="auth_valid_until", allow_none=True)
    proposed_at = fields.String()

    def left(self, row: dict[str, object]) -> int:
        """Sessions still to be booked."""
        planned, done, booked = (
            int(row["sessions_planned"]),  # type: ignore[call-overload]
            int(row["sessions_done"]),  # type: ignore[call-overload]
            int(row["sessions_booked"]),  # type: ignore[call-overload]
        )
        return max(planned - done - booked, 0)


class OutcomeSchema(Redacted):
    """One performed session's outcome (the desk sees only when it took place)."""

    number = fields.Integer()
    start = fields.String(attribute="start_utc")
    local_start = fields.String()
    timezone = fields.String(attribute="zone")
    pain_before = fields.Integer(allow_none=True, metadata=clinical())
    pain_after = fields.Integer(allow_none=True, metadata=clinical())
    mobility = fields.String(allow_none=True, metadata=clinical())
    recommendation = fields.String(allow_none=True, metadata=clinical())


class ProgressSchema(Redacted):
    """How a plan is going: sessions, pain trend and authorization use (the desk: no outcomes)."""

    plan = fields.Nested(PlanRowSchema)
    outcomes = fields.List(fields.Nested(OutcomeSchema))
    pain_trend = fields.String(
        metadata=clinical("improving, steady, worsening, or unknown (too few scores)")
    )
    pain_change = fields.Integer(
        allow_none=True, metadata=clinical("Last pain after minus first pain before")
    )
    authorization_left = fields.Integer(allow_none=True)
    authorization_units_left = fields.Integer(
        allow_none=True,
        metadata={
            "description": "Units the authorization still covers, booked sessions counted;"
            " null unless it counts units"
        },
    )
    measures = fields.List(
        fields.Nested(MeasureSeriesSchema),
        metadata=clinical("Pain and each outcome measure against its baseline"),
    )
    adherence = fields.Nested(AdherenceSchema)
    latest_recommendation = fields.String(allow_none=True, metadata=clinical())


class DirectoryRowSchema(ma.Schema):
    """A client, therapist or room in a list."""

    id = fields.String()
    name = fields.String()
    email = fields.String()
    phone = fields.String()
    timezone = fields.String(attribute="zone")
